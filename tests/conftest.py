"""Shared fixtures: a canon written into a temp dir, and the CLI run as a user runs it."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from jobframe_lint.cli import main
from jobframe_lint.rules import install_custom

ROOT = Path(__file__).resolve().parent.parent
SHIPPED_CANON = ROOT / "canon"
# A copy of the golden page of the shared contract: the tests need nothing beside the clone.
GOLDEN = ROOT / "tests" / "data" / "ai-machine-learning-engineering-P3.txt"

LEVELS_YAML = """\
kind: levels
dimensions:
  - Scope
  - Autonomy
levels:
  P3:
    title: Mid-Level Professional
    dimensions:
      Scope: Features end-to-end
      Autonomy: Works independently
"""

FAMILY_YAML = """\
kind: family
function: Data Science & Analytics
family: Example Family
levels:
  P3:
    responsibilities:
      - Builds the thing.
    rubrics:
      complexity/problem-solving: Solves problems.
      knowledge-application: Applies knowledge.
"""


@dataclass
class Run:
    code: int
    out: str
    err: str


def write_files(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write ``files`` (relative path → text, dedented, or raw bytes) under ``root``."""
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content), encoding="utf-8")
    return root


def write_families(root: Path, count: int) -> Path:
    """``count`` more families under ``root/canon``, ``Family 000`` on: a canon large
    enough for worker processes."""
    return write_files(
        root,
        {
            f"canon/family-{index:03d}.yaml": FAMILY_YAML.replace(
                "Example Family", f"Family {index:03d}"
            )
            for index in range(count)
        },
    )


@pytest.fixture(autouse=True)
def private_cache_key(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Cache-signing keys go to a temp folder, not the user's ~/.cache (see ``cache.py``)."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.getbasetemp() / "xdg-cache"))


@pytest.fixture(autouse=True)
def no_custom_rules_left() -> Iterator[None]:
    """A check run installs its custom rules for the output formats: none outlive a test."""
    yield
    install_custom(())


@pytest.fixture
def canon_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working directory holding a small valid canon in ``canon/``."""
    monkeypatch.chdir(tmp_path)
    write_files(tmp_path, {"canon/levels.yaml": LEVELS_YAML, "canon/family.yaml": FAMILY_YAML})
    return tmp_path


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Callable[..., Run]:
    """Run ``jobframe-lint`` in-process and capture what it prints (a test that makes
    stdout look like a terminal gets no pager: tests/test_pager.py runs a real one)."""
    monkeypatch.setenv("PAGER", "cat")

    def run(*args: str) -> Run:
        try:
            code = main(list(args))
        except SystemExit as exit_:  # argparse's own usage errors and --version
            code = exit_.code if isinstance(exit_.code, int) else 2
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run


def run_process(
    *args: str,
    cwd: Path,
    timeout: float = 60,
    preexec_fn: Callable[[], None] | None = None,
) -> Run:
    """Run ``python -m jobframe_lint`` as a separate process, as a hook or CI would.

    ``preexec_fn`` runs in the child before it starts, e.g. to cap its memory.
    """
    done = subprocess.run(
        [sys.executable, "-m", "jobframe_lint", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        preexec_fn=preexec_fn,
    )
    return Run(done.returncode, done.stdout, done.stderr)


def git(root: Path, *args: str) -> str:
    """Run the real ``git`` in ``root``; a failure fails the test."""
    done = subprocess.run(
        ["git", *args], cwd=root, capture_output=True, text=True, check=True, timeout=60
    )
    return done.stdout


@pytest.fixture
def hermetic_git(monkeypatch: pytest.MonkeyPatch) -> None:
    """No user or system git configuration, and a fixed identity for commits."""
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for role in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{role}_NAME", "Test")
        monkeypatch.setenv(f"GIT_{role}_EMAIL", "test@example.com")


@pytest.fixture
def git_repo(canon_dir: Path, hermetic_git: None) -> Path:
    """The small valid canon committed in a git repository (the working directory)."""
    git(canon_dir, "init", "-q")
    git(canon_dir, "add", "-A")
    git(canon_dir, "commit", "-q", "-m", "canon")
    return canon_dir
