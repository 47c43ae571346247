"""Wall time and peak memory of ``check`` on each case of the hostile corpus.

Each case runs in its own process beside a small valid canon, as a hook would run it;
peak memory is that process's maximum resident set (``wait4``), so cases do not blur
into each other. The first row, ``(valid canon)``, is the baseline.

    python bench/hostile.py [--timeout SECONDS]
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.conftest import FAMILY_YAML, LEVELS_YAML  # noqa: E402
from tests.hostile.cases import (  # noqa: E402
    ALL_CASES,
    Case,
    can_bypass_permissions,
    unreadable,
)

# Runs ``check`` and reports its peak memory: a fresh, small process, because a child's
# maximum resident set starts from its parent's at fork, and this one has just written
# a 20 MB case.
LAUNCHER = """
import resource, subprocess, sys, time
start = time.perf_counter()
code = subprocess.call(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
wall = time.perf_counter() - start
print(code, wall, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def measure(canon: Path, target: Path, timeout: float) -> tuple[int, float, float]:
    """Exit status, wall seconds and peak MiB of ``check`` on ``target``; a hang is killed."""
    command = [sys.executable, "-m", "jobframe_lint", "check", "--format", "json", str(target)]
    launcher = subprocess.Popen(
        [sys.executable, "-c", LAUNCHER, *command],
        cwd=canon.parent,
        stdout=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        out, _ = launcher.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(launcher.pid, signal.SIGKILL)
        launcher.wait()
        return -9, timeout, float("nan")
    code, wall, peak_kib = out.split()
    return int(code), float(wall), int(peak_kib) / 1024


def run_case(case: Case | None, timeout: float) -> tuple[str, int, float, float]:
    with tempfile.TemporaryDirectory(prefix="jobframe-hostile-") as folder:
        canon = Path(folder, "canon")
        canon.mkdir()
        (canon / "levels.yaml").write_text(LEVELS_YAML, encoding="utf-8")
        (canon / "family.yaml").write_text(FAMILY_YAML, encoding="utf-8")
        target = canon
        if case is not None:
            target = canon / f"{case.name}.yaml"
            case.make(target)
        try:
            code, wall, peak = measure(canon, target.relative_to(canon.parent), timeout)
        finally:
            if case is not None and unreadable(case):
                target.chmod(0o600)  # let the temporary directory be removed
    return ("(valid canon)" if case is None else case.name, code, wall, peak)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--timeout", type=float, default=120.0)
    args = parser.parse_args()
    cases: list[Case | None] = [None, *ALL_CASES]
    rows = []
    print(f"{'case':<26} {'exit':>4} {'wall s':>8} {'peak MiB':>9}")
    for case in cases:
        if case is not None and unreadable(case) and can_bypass_permissions():
            print(f"{case.name:<26} skipped: root reads any file")
            continue
        row = run_case(case, args.timeout)
        rows.append(row)
        name, code, wall, peak = row
        print(f"{name:<26} {code:>4} {wall:>8.2f} {peak:>9.1f}", flush=True)
    slowest = max(rows, key=lambda row: row[2])
    largest = max(rows, key=lambda row: row[3])
    print(f"worst wall time: {slowest[2]:.2f} s ({slowest[0]})")
    print(f"worst peak memory: {largest[3]:.1f} MiB ({largest[0]})")


if __name__ == "__main__":
    main()
