"""Hostile input through `format`: each file the loader refuses is reported where `check`
locates it and left byte for byte as it was; nothing ends in a traceback, hang or runaway
memory, and what is formatted formats the same a second time."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from jobframe_lint.formatter import REFUSALS
from jobframe_lint.loader import load_file
from tests.conftest import FAMILY_YAML, LEVELS_YAML, Run, write_files
from tests.hostile.cases import ALL_CASES, MARKER, Case
from tests.test_hostile import _applicable, _place, _run, in_process

# Files the loader reads but ruamel.yaml does not (a tab after `key:`): left alone, said so.
RUAMEL_REFUSES = {"tab-in-text"}


def _refusals(path: Path, shown: str) -> list[str]:
    """``shown:line:column: CODE`` of what makes the loader refuse the file, as `check`
    reports it; empty when it loads."""
    document = load_file(path)
    found = [
        f"{shown}:{item.span.start.line}:{item.span.start.column}: {item.code}"
        for item in document.diagnostics
        if document.data is None or item.code in REFUSALS
    ]
    return found


def _snapshot(root: Path) -> dict[Path, bytes]:
    """The bytes of ``root`` or the regular files under it (huge sparse ones aside)."""
    paths = root.rglob("*") if root.is_dir() and not root.is_symlink() else [root]
    return {
        path: path.read_bytes()
        for path in paths
        if path.is_file() and not path.is_symlink() and path.stat().st_size < 2**20
    }


@pytest.mark.parametrize("case", in_process, ids=[case.name for case in in_process])
def test_format_reports_or_formats_each_case(
    case: Case, canon_dir: Path, cli: Callable[..., Run]
) -> None:
    if not _applicable(case):
        pytest.skip("running as root: permissions cannot make a file unreadable")
    shown = _place(case, canon_dir / "canon", "hostile.yaml")
    refusals = _refusals(canon_dir / shown, shown)
    reported = cli("check", "--color", "never", "canon").out
    assert all(located in reported for located in refusals)  # where check locates them
    before = _snapshot(canon_dir / "canon")
    run = cli("format", "canon")
    if refusals or case.name in RUAMEL_REFUSES:
        assert run.code == 1, run.err
        assert all(located in run.err for located in refusals), run.err
        assert refusals or "not formatted: ruamel.yaml cannot format it: " in run.err
        assert _snapshot(canon_dir / "canon") == before
    else:
        assert run.code == 0, run.err
        assert cli("format", "--check", "canon").code == 0
    assert not (canon_dir / MARKER).exists()


@pytest.mark.slow
def test_whole_corpus_through_format_in_a_subprocess(tmp_path: Path) -> None:
    """A timeout for hangs and an address-space cap for memory, as for the other commands."""
    write_files(tmp_path, {"canon/levels.yaml": LEVELS_YAML, "canon/family.yaml": FAMILY_YAML})
    cases = [case for case in ALL_CASES if _applicable(case)]
    shown = {case.name: _place(case, tmp_path / "canon", f"{case.name}.yaml") for case in cases}
    refusals = {name: _refusals(tmp_path / path, path) for name, path in shown.items()}
    left = [name for name, found in refusals.items() if found or name in RUAMEL_REFUSES]
    before = {name: _snapshot(tmp_path / "canon" / f"{name}.yaml") for name in left}
    for args in (
        ("format", "--check", "canon"),
        ("format", "--diff", "canon"),
        ("format", "canon"),
    ):
        run = _run(*args, cwd=tmp_path)
        assert run.code == 1, f"{args}: {run.err[-2000:]}"
        assert "Traceback" not in run.err, f"{args}: {run.err[-2000:]}"
        for name in left:
            assert all(located in run.err for located in refusals[name]), (args, name)
    for name in left:
        assert _snapshot(tmp_path / "canon" / f"{name}.yaml") == before[name], name
    assert not (tmp_path / MARKER).exists()
