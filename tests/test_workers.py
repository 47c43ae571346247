"""Worker processes never outlive the command that started them.

A pool's workers wait on a pipe that each of them holds open too: when the parent is
killed (SIGKILL, or a SIGTERM that skips the pool's shutdown) they would wait forever.
Run for real: the command in its own process, killed while its workers exist.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import LEVELS_YAML, write_families, write_files

pytestmark = pytest.mark.skipif(
    not Path("/proc/self/task").is_dir() or (os.cpu_count() or 1) < 2,
    reason="needs /proc and two cores (one core makes no workers)",
)


def children(pid: int) -> set[int]:
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        with open(task / "children") as handle:  # noqa: PTH123
            found.update(int(child) for child in handle.read().split())
    return found


def alive(pid: int) -> bool:
    """Running, not a zombie nobody has reaped yet."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "State:\tZ" not in status


@pytest.mark.parametrize(
    ("args", "families"),
    [
        (("render", "--format", "json", "canon"), 80),
        (("format", "--check", "canon"), 80),
        (("check", "--no-cache", "canon"), 500),
    ],
)
@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM])
def test_workers_exit_when_their_parent_is_killed(
    tmp_path: Path, args: tuple[str, ...], families: int, how: signal.Signals
) -> None:
    write_families(write_files(tmp_path, {"canon/levels.yaml": LEVELS_YAML}), families)
    process = subprocess.Popen(
        [sys.executable, "-m", "jobframe_lint", *args],
        cwd=tmp_path,
        stdout=subprocess.PIPE,  # never read: the parent blocks on a full pipe, workers alive
        stderr=subprocess.DEVNULL,
        env={**os.environ, "NO_COLOR": "1"},
    )
    try:
        deadline = time.monotonic() + 30
        workers: set[int] = set()
        while len(workers) < 2 and time.monotonic() < deadline and process.poll() is None:
            workers = children(process.pid)
            time.sleep(0.01)
        assert len(workers) >= 2, "the command started no workers"
        process.send_signal(how)
        process.wait(timeout=10)
        deadline = time.monotonic() + 10
        while any(map(alive, workers)) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not [pid for pid in workers if alive(pid)]
    finally:
        process.kill()
        process.wait()
        for pid in workers:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
