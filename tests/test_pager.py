"""`render` at a terminal pages its rich view through ``PAGER``, as ``git log`` does: run on a
real pseudo-terminal, with small programs standing in for the user's pager."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import FAMILY_YAML, write_files

COPY = "import shutil, sys; shutil.copyfileobj(sys.stdin.buffer, open(sys.argv[1], 'wb'))"
# Reads one line, then quits: as a reader who closes less after the first screen.
QUIT = "import sys; sys.stdin.readline(); open(sys.argv[1], 'w').write('quit')"


def render_on_a_terminal(root: Path, pager: str, *args: str) -> tuple[int, str]:
    """Run ``render`` with its stdout on a pty; what the terminal itself received."""
    primary, secondary = os.openpty()
    environment = {**os.environ, "PAGER": pager, "COLUMNS": "90"}
    environment.pop("NO_COLOR", None)
    environment.pop("LESS", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "jobframe_lint", "render", *args],
        cwd=root,
        stdout=secondary,
        stderr=subprocess.PIPE,
        env=environment,
    )
    os.close(secondary)
    received = b""
    while True:
        try:
            chunk = os.read(primary, 65536)
        except OSError:  # the pty closed: the process and the pager are done
            break
        if not chunk:
            break
        received += chunk
    os.close(primary)
    _, error = process.communicate(timeout=60)
    assert b"Traceback" not in error, error.decode()
    return process.returncode, received.decode("utf-8", "replace")


@pytest.fixture
def big(canon_dir: Path) -> Path:
    """Enough families that the view runs to many screens."""
    for index in range(40):
        text = FAMILY_YAML.replace("Example Family", f"Family {index:02d}")
        write_files(canon_dir, {f"canon/family-{index:02d}.yaml": text})
    return canon_dir


def test_the_rich_view_goes_through_the_pager(big: Path, tmp_path: Path) -> None:
    paged = tmp_path / "paged.txt"
    pager = f"{shlex.quote(sys.executable)} -c {shlex.quote(COPY)} {shlex.quote(str(paged))}"
    code, shown = render_on_a_terminal(big, pager)
    assert code == 0
    assert shown == ""  # everything went to the pager, none straight to the terminal
    view = paged.read_text(encoding="utf-8")
    assert _plain(view).count("╭─ SMART goals") == 41
    assert "\x1b[1mSMART goals" in view  # coloured: the output is for a terminal
    assert max(len(line) for line in _plain(view).splitlines()) <= 90  # the terminal's width


def test_quitting_the_pager_early_ends_the_run_quietly(big: Path, tmp_path: Path) -> None:
    quit_file = tmp_path / "quit.txt"
    pager = f"{shlex.quote(sys.executable)} -c {shlex.quote(QUIT)} {shlex.quote(str(quit_file))}"
    code, _ = render_on_a_terminal(big, pager)
    assert quit_file.read_text() == "quit"
    assert code == 0


@pytest.mark.parametrize("pager", ["cat", ""])
def test_pager_cat_or_empty_writes_to_the_terminal(big: Path, pager: str) -> None:
    code, shown = render_on_a_terminal(big, pager)
    assert code == 0
    assert _plain(shown).count("╭─ SMART goals") == 41


def test_text_is_never_paged(big: Path, tmp_path: Path) -> None:
    paged = tmp_path / "paged.txt"
    pager = f"{shlex.quote(sys.executable)} -c {shlex.quote(COPY)} {shlex.quote(str(paged))}"
    code, shown = render_on_a_terminal(big, pager, "--format", "text")
    assert code == 0 and not paged.exists()
    assert shown.count("SMART goals") == 41


def _plain(view: str) -> str:
    import re

    return re.sub(r"\x1b\[[0-9;]*m", "", view).replace("\r\n", "\n")
