"""``--fix`` against a hostile file system: a kill mid-write leaves nothing behind, what
cannot be replaced in place safely is refused with a message, and the file keeps its owner."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Run
from tests.test_fix import FIXED, MESSY

CliRun = Callable[..., Run]

# The run kills itself while writing the fixed file: after the temporary file is made,
# before it is renamed into place (``--fix`` flushes it to disk there).
_KILLED_WHILE_WRITING = """
import os, signal, sys
flush = os.fsync
def killed(handle):
    os.kill(os.getpid(), signal.SIG{name})
    flush(handle)
os.fsync = killed
from jobframe_lint.cli import main
sys.exit(main(["check", "--fix", "--no-cache"]))
"""


@pytest.fixture
def messy(canon_dir: Path) -> Path:
    path = canon_dir / "canon" / "family.yaml"
    path.write_text(MESSY, encoding="utf-8")
    return path


def _leftovers(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir() if path.name.endswith(".tmp"))


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
@pytest.mark.parametrize("name", ["TERM", "HUP", "INT"])
def test_a_kill_while_writing_leaves_no_temporary_file(name: str, messy: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", _KILLED_WHILE_WRITING.format(name=name)],
        cwd=messy.parent.parent,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert "Traceback" not in done.stderr or name == "INT"  # Ctrl-C: Python's own report
    assert done.returncode != 0
    assert _leftovers(messy.parent) == []
    assert messy.read_text(encoding="utf-8") in (MESSY, FIXED)  # whole, never a mix


def test_temporary_files_a_killed_run_left_are_cleared(cli: CliRun, messy: Path) -> None:
    """SIGKILL cannot be held off: the next fix clears what it left, if old enough not to
    be another run's, still writing."""
    stale = messy.parent / ".family.yaml.k1ll3d_x.tmp"
    fresh = messy.parent / ".family.yaml.wr1t1ng_.tmp"
    other = messy.parent / ".family.yaml.not-ours-at-all.tmp"
    for path in (stale, fresh, other):
        path.write_text(MESSY[:40], encoding="utf-8")
    hour_ago = time.time() - 3600
    for path in (stale, other):
        os.utime(path, (hour_ago, hour_ago))
    assert cli("check", "--fix").code == 0
    assert messy.read_text(encoding="utf-8") == FIXED
    assert _leftovers(messy.parent) == sorted([fresh.name, other.name])


def test_a_hard_linked_file_is_refused_not_split(cli: CliRun, messy: Path) -> None:
    twin = messy.parent.parent / "twin.yaml"
    os.link(messy, twin)
    run = cli("check", "--fix")
    assert (
        "canon/family.yaml: not fixed: it has 2 hard links, which a fix would split: "
        "fix it by hand" in run.err
    )
    assert messy.read_text(encoding="utf-8") == MESSY
    assert messy.samefile(twin)


def test_a_read_only_file_is_refused_not_replaced(cli: CliRun, messy: Path) -> None:
    messy.chmod(0o444)
    before = messy.stat().st_ino
    run = cli("check", "--fix")
    assert "canon/family.yaml: not fixed: it is read-only" in run.err
    assert messy.read_text(encoding="utf-8") == MESSY
    assert messy.stat().st_ino == before


needs_root = pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() != 0, reason="gives a file to another user"
)


@needs_root
def test_a_fixed_file_keeps_its_owner_and_group(cli: CliRun, messy: Path) -> None:
    os.chown(messy, 4321, 8765)
    messy.chmod(0o664)
    assert cli("check", "--fix").code == 0
    info = messy.stat()
    assert messy.read_text(encoding="utf-8") == FIXED
    assert (info.st_uid, info.st_gid, info.st_mode & 0o7777) == (4321, 8765, 0o664)


@needs_root
def test_an_owner_that_cannot_be_kept_is_refused(
    cli: CliRun, messy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An ordinary user cannot give a file to another (a group-writable file of a
    colleague's, say): the fix is refused rather than the file taken over. Root gives
    files to anyone, so the refusal is simulated."""
    os.chown(messy, 4321, 8765)
    messy.chmod(0o666)

    def refused(*args: object) -> None:
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(os, "chown", refused)
    run = cli("check", "--fix")
    assert (
        "canon/family.yaml: not fixed: cannot write: cannot keep its owner and group "
        "(Operation not permitted)" in run.err
    )
    assert messy.read_text(encoding="utf-8") == MESSY
    assert _leftovers(messy.parent) == []


def test_a_named_pipe_put_in_the_files_place_does_not_block_the_fix(
    cli: CliRun, messy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Between the check and the write, the file is swapped for a FIFO: reading it to make
    sure it is unchanged would block for ever."""
    import jobframe_lint.fix

    checked = jobframe_lint.fix._unsafe

    def swapped(*args: Any) -> str | None:
        messy.unlink()
        os.mkfifo(messy)
        return checked(*args)

    monkeypatch.setattr(jobframe_lint.fix, "_unsafe", swapped)
    run = cli("check", "--fix")
    assert "canon/family.yaml: not fixed: it is not a regular file any more" in run.err
    assert _leftovers(messy.parent) == []
