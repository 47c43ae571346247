"""A hostile system around the run: output that cannot be written, a working directory that
is gone, folders nested deeper than Python recurses, a repository missing an object. Each
is a clean error (exit 2, a message on stderr), never a traceback."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.conftest import FAMILY_YAML, LEVELS_YAML, Run, git, run_process, write_files

COMMANDS = [
    ("check", "--no-cache"),
    ("check", "--format", "json"),
    ("check", "--format", "sarif"),
    ("render",),
    ("render", "--format", "markdown"),
    ("diff",),
    ("rules",),
]


def _run(
    *args: str, cwd: Path, stdout: int | None = None, prepare: Callable[[], None] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "jobframe_lint", *args],
        cwd=cwd,
        stdout=stdout if stdout is not None else subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        timeout=60,
        check=False,
        preexec_fn=prepare,
    )


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("args", COMMANDS, ids=[" ".join(args) for args in COMMANDS])
def test_output_to_a_full_disk(args: tuple[str, ...], git_repo: Path) -> None:
    with Path("/dev/full").open("w") as full:
        done = _run(*args, cwd=git_repo, stdout=full.fileno())
    assert done.returncode == 2, done.stderr
    assert done.stderr == "jobframe-lint: cannot write output: No space left on device\n"


@pytest.mark.parametrize("args", COMMANDS, ids=[" ".join(args) for args in COMMANDS])
def test_a_closed_standard_output(args: tuple[str, ...], git_repo: Path) -> None:
    done = _run(*args, cwd=git_repo, prepare=lambda: os.close(1))
    assert done.returncode == 2
    assert done.stderr == "jobframe-lint: standard output is closed\n"


@pytest.mark.parametrize("command", ["check", "render", "diff"])
def test_a_deleted_working_directory(command: str, tmp_path: Path) -> None:
    gone = tmp_path / "gone"
    gone.mkdir()
    # The child is in ``gone`` when this runs (just before the interpreter starts).
    done = _run(command, cwd=gone, prepare=gone.rmdir)
    assert not gone.exists()
    assert done.returncode == 2
    assert done.stderr == "jobframe-lint: the working directory no longer exists\n"


@pytest.fixture
def deep_canon() -> Iterator[Callable[[int], Path]]:
    """A canon with ``depth`` folders one inside the next, a family at the bottom, each made
    from the one above (the whole path is longer than some calls accept).

    Outside pytest's temporary folders, and removed the way it was made: pytest's clean-up
    recurses (on Python 3.11) and would fail on it in every later session."""
    made: list[tuple[Path, int]] = []

    def make(depth: int) -> Path:
        root = Path(tempfile.mkdtemp(prefix="jobframe-lint-deep-"))
        write_files(root, {"canon/levels.yaml": LEVELS_YAML, "canon/family.yaml": FAMILY_YAML})
        made.append((root, 0))
        with _inside(root / "canon"):
            for level in range(depth):
                Path("d").mkdir()
                made[-1] = (root, level + 1)
                os.chdir("d")
            Path("deep.yaml").write_text("kind: family\nfamily: Deep\n", encoding="utf-8")
        return root

    yield make
    for root, depth in made:
        with _inside(root / "canon"):
            for _ in range(depth):
                os.chdir("d")
            Path("deep.yaml").unlink(missing_ok=True)
            for _ in range(depth):
                os.chdir("..")
                Path("d").rmdir()
        shutil.rmtree(root)


@contextlib.contextmanager
def _inside(folder: Path) -> Iterator[None]:
    here = Path.cwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(here)


@pytest.mark.parametrize("command", ["check", "render"])
def test_a_canon_a_thousand_folders_deep(command: str, deep_canon: Callable[[int], Path]) -> None:
    """Deeper than Python's recursion limit: os.walk would die of RecursionError."""
    done = run_process(command, "--color", "never", cwd=deep_canon(1000))
    assert "Traceback" not in done.err
    assert done.code == 1
    assert "/d/d/deep.yaml:1:1: JF" in (done.out if command == "check" else done.err)


def test_a_canon_deeper_than_paths_can_be_is_a_path_problem(
    deep_canon: Callable[[int], Path],
) -> None:
    done = run_process("check", cwd=deep_canon(2100))  # 4,200 characters: over PATH_MAX
    assert done.code == 2
    assert "Traceback" not in done.err
    assert done.err.startswith("jobframe-lint: canon/d/d/")
    assert done.err.endswith(": cannot list directory: File name too long\n")


def test_a_staged_blob_the_object_store_lacks(git_repo: Path, cli: Callable[..., Run]) -> None:
    """``git update-index --cacheinfo`` stages any object id, present or not."""
    git(git_repo, "update-index", "--add", "--cacheinfo", f"100644,{'1' * 40},canon/ghost.yaml")
    run = cli("diff", "--staged")
    assert run.code == 2
    assert run.err == (
        f"jobframe-lint: canon/ghost.yaml: object {'1' * 40} is missing from the repository\n"
    )
