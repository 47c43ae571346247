"""``check --watch`` and ``render --watch``: real processes, real file edits, Ctrl-C.

Each run is bounded: every wait has a deadline, and the process is killed if a test fails.
"""

from __future__ import annotations

import os
import pty
import queue
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from jobframe_lint.watch import CLEAR
from tests.conftest import FAMILY_YAML, LEVELS_YAML, write_files

DEADLINE = 30.0
WATCHING = "Watching for file changes."


class Watcher:
    """A ``--watch`` process: its stderr by line, its stdout as it comes (a terminal here)."""

    def __init__(self, process: subprocess.Popen[bytes], terminal: int) -> None:
        self.process = process
        self.lines: queue.Queue[str] = queue.Queue()
        self.output = bytearray()
        assert process.stderr is not None
        stderr = process.stderr
        threading.Thread(target=self._lines, args=(stderr,), daemon=True).start()
        threading.Thread(target=self._output, args=(terminal,), daemon=True).start()

    def _lines(self, stream: object) -> None:
        for raw in iter(stream.readline, b""):  # type: ignore[attr-defined]
            self.lines.put(raw.decode("utf-8"))

    def _output(self, terminal: int) -> None:
        while True:
            try:
                chunk = os.read(terminal, 4096)
            except OSError:  # the process closed its end
                return
            if not chunk:
                return
            self.output.extend(chunk)

    def wait_for(self, text: str) -> list[str]:
        """The stderr lines up to and including the first that holds ``text``."""
        seen: list[str] = []
        deadline = time.monotonic() + DEADLINE
        while True:
            seen.append(self.lines.get(timeout=max(deadline - time.monotonic(), 0.1)))
            if text in seen[-1]:
                return seen

    def screen(self, showing: str) -> str:
        """What is on the terminal since it was last cleared, once it shows ``showing``."""
        deadline = time.monotonic() + DEADLINE
        while True:
            shown = self.output.decode("utf-8").rsplit(CLEAR, 1)[-1].replace("\r\n", "\n")
            if showing in shown or time.monotonic() > deadline:
                return shown
            time.sleep(0.05)


@contextmanager
def watching(root: Path, *args: str) -> Iterator[Watcher]:
    controller, terminal = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "jobframe_lint", *args, "--watch"],
        cwd=root,
        stdin=subprocess.DEVNULL,
        stdout=terminal,
        stderr=subprocess.PIPE,
        env={**os.environ, "NO_COLOR": "1", "COLUMNS": "200"},
    )
    os.close(terminal)
    try:
        yield Watcher(process, controller)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=DEADLINE)
        os.close(controller)


def interrupt(watcher: Watcher) -> tuple[int, str]:
    """Ctrl-C, as a terminal sends it; the exit status and what was left on stderr."""
    watcher.process.send_signal(signal.SIGINT)
    code = watcher.process.wait(timeout=DEADLINE)
    rest: list[str] = []
    while not watcher.lines.empty():
        rest.append(watcher.lines.get())
    return code, "".join(rest)


def test_check_watch_reruns_on_canon_and_configuration_changes(tmp_path: Path) -> None:
    write_files(tmp_path, {"canon/levels.yaml": LEVELS_YAML, "canon/family.yaml": FAMILY_YAML})
    family = tmp_path / "canon" / "family.yaml"
    with watching(tmp_path, "check", "--no-cache") as watcher:
        assert "Starting in watch mode..." in watcher.wait_for(WATCHING)[0]
        assert watcher.output.startswith(CLEAR.encode())
        assert "All checks passed (2 files)." in watcher.screen("All checks passed")

        family.write_text(FAMILY_YAML.replace("Builds the thing.", "Builds  the thing."), "utf-8")
        assert "File change detected..." in watcher.wait_for(WATCHING)[0]
        screen = watcher.screen("JF108")
        assert "canon/family.yaml:7:15: JF108 doubled spaces" in screen
        assert "All checks passed" not in screen  # the first run was cleared away

        # Not canon: an editor's swap file beside it starts nothing.
        (tmp_path / "canon" / ".family.yaml.swp").write_bytes(b"swap")
        (tmp_path / "notes.txt").write_text("not canon either", "utf-8")
        time.sleep(1.5)  # the watcher reports a change within 50 ms of the last one
        assert watcher.lines.empty()
        # The configuration does.
        (tmp_path / "jobframe-lint.toml").write_text('ignore = ["JF108"]\n', "utf-8")
        assert "File change detected..." in watcher.wait_for(WATCHING)[0]
        assert "All checks passed (2 files)." in watcher.screen("All checks passed")
        assert watcher.lines.empty()

        code, rest = interrupt(watcher)
    assert code == 0
    assert "Traceback" not in rest


def test_render_watch_shows_the_edited_frames(tmp_path: Path) -> None:
    write_files(tmp_path, {"canon/levels.yaml": LEVELS_YAML, "canon/family.yaml": FAMILY_YAML})
    family = tmp_path / "canon" / "family.yaml"
    with watching(tmp_path, "render", "--format", "text") as watcher:
        watcher.wait_for(WATCHING)
        assert "1. Builds the thing.  [source: JFM responsibility (P3)]" in watcher.screen("1. ")

        family.write_text(FAMILY_YAML.replace("Builds the thing.", "Ships the thing."), "utf-8")
        watcher.wait_for(WATCHING)
        screen = watcher.screen("1. Ships")
        assert "1. Ships the thing.  [source: JFM responsibility (P3)]" in screen
        assert "Builds the thing." not in screen

        code, rest = interrupt(watcher)
    assert code == 0
    assert "Traceback" not in rest


def test_watch_of_a_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "jobframe_lint", "check", "--watch", "nowhere"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=DEADLINE,
        check=False,
    )
    assert done.returncode == 2
    assert "jobframe-lint: nowhere: no such file or directory" in done.stderr
