"""Hostile input: every case in the corpus ends in a located finding, never a traceback,
a hang, unbounded memory, or a command run on the canon's say-so."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from jobframe_lint.discovery import collect
from jobframe_lint.lint import lint
from tests.conftest import FAMILY_YAML, LEVELS_YAML, Run, git, run_process, write_files
from tests.hostile.cases import (
    ALL_CASES,
    CONTENT_CASES,
    MARKER,
    Case,
    can_bypass_permissions,
    reported_path,
    unreadable,
)

# Generous: a hang is what this catches, not slowness.
TIMEOUT = 180
# Address space for one command over the whole corpus; a regression that loads a 20 GB
# file or expands an alias bomb dies of MemoryError (a traceback) instead of passing.
MEMORY_LIMIT = 2 * 1024**3


def _applicable(case: Case) -> bool:
    return not (unreadable(case) and can_bypass_permissions())


def _errors(findings: list[dict[str, object]], path: str) -> list[tuple[object, ...]]:
    return [
        (item["code"], item["line"], item["column"])
        for item in findings
        if item["path"] == path and item["severity"] == "error"
    ]


def _expected(case: Case, errors: list[tuple[object, ...]]) -> bool:
    """The case's finding is among the file's errors; an allowed case has none."""
    return errors == [] if case.finding is None else case.finding in errors


def _place(case: Case, canon: Path, name: str) -> str:
    """Lay ``case`` out as ``canon/name`` and return the path its finding is reported on."""
    case.make(canon / name)
    return str(reported_path(case, Path(canon.name, name)))


def _limit_memory() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def _run(*args: str, cwd: Path) -> Run:
    limit = _limit_memory if sys.platform != "win32" else None
    return run_process(*args, cwd=cwd, timeout=TIMEOUT, preexec_fn=limit)


in_process = [case for case in ALL_CASES if not case.isolate]


@pytest.mark.parametrize("case", in_process, ids=[case.name for case in in_process])
def test_check_locates_each_case(case: Case, canon_dir: Path, cli: Callable[..., Run]) -> None:
    if not _applicable(case):
        pytest.skip("running as root: permissions cannot make a file unreadable")
    shown = _place(case, canon_dir / "canon", "hostile.yaml")
    run = cli("check", "--format", "json", "canon")
    assert run.code == (0 if case.finding is None else 1), run.out
    assert _expected(case, _errors(json.loads(run.out), shown)), run.out
    assert not (canon_dir / MARKER).exists()


@pytest.mark.parametrize("case", in_process, ids=[case.name for case in in_process])
def test_render_refuses_each_case_with_its_finding(
    case: Case, canon_dir: Path, cli: Callable[..., Run]
) -> None:
    if not _applicable(case):
        pytest.skip("running as root: permissions cannot make a file unreadable")
    shown = _place(case, canon_dir / "canon", "hostile.yaml")
    run = cli("render", "--format", "text", "canon")
    if case.finding is None:
        assert run.code == 0 and "Goal templates" in run.out
        return
    code, line, column = case.finding
    # The hostile file is refused and said to be; the canon's other family still renders.
    assert run.code == 1
    assert f"{shown}:{line}:{column}: {code}" in run.err
    assert "not rendered: 1 file with errors" in run.err


@pytest.mark.slow
def test_whole_corpus_through_every_command_in_a_subprocess(tmp_path: Path) -> None:
    """Process-level guards: a timeout for hangs, an address-space cap for memory, and a
    segfault or traceback shows as what it is. All cases share one canon: one run each."""
    write_files(tmp_path, {"canon/levels.yaml": LEVELS_YAML, "canon/family.yaml": FAMILY_YAML})
    cases = [case for case in ALL_CASES if _applicable(case)]
    shown = {case.name: _place(case, tmp_path / "canon", f"{case.name}.yaml") for case in cases}
    runs = {
        "check-json": _run("check", "--format", "json", "canon", cwd=tmp_path),
        "check-text": _run("check", "canon", cwd=tmp_path),
        "render-text": _run("render", "--format", "text", "canon", cwd=tmp_path),
        "render-json": _run("render", "--format", "json", "canon", cwd=tmp_path),
    }
    for name, run in runs.items():
        assert run.code == 1, f"{name}: {run.err[-2000:]}"
        assert "Traceback" not in run.err, f"{name}: {run.err[-2000:]}"
    findings = json.loads(runs["check-json"].out)
    for case in cases:
        assert _expected(case, _errors(findings, shown[case.name])), case.name
        if case.finding is not None:
            code, line, column = case.finding
            located = f"{shown[case.name]}:{line}:{column}: {code}"
            assert located in runs["check-text"].out, case.name
            assert located in runs["render-text"].err, case.name
    assert not (tmp_path / MARKER).exists()


@pytest.mark.slow
@pytest.mark.usefixtures("hermetic_git")
def test_diff_over_the_corpus_in_a_subprocess(tmp_path: Path) -> None:
    """Hostile files on both sides of a diff: the base read from git, the head from disk."""
    write_files(tmp_path, {"canon/levels.yaml": LEVELS_YAML, "canon/family.yaml": FAMILY_YAML})
    git(tmp_path, "init", "-q")
    committable = [case for case in CONTENT_CASES if case.name != "huge-scalar"]
    for case in committable:
        case.make(tmp_path / "canon" / f"{case.name}.yaml")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "hostile")
    for case in ALL_CASES:
        if _applicable(case) and case not in committable:
            case.make(tmp_path / "canon" / f"{case.name}.yaml")
    for args in (("diff", "--format", "text"), ("diff", "--format", "json", "--base", "HEAD")):
        run = _run(*args, "canon", cwd=tmp_path)
        assert run.code == 0, run.err[-2000:]
        assert "Traceback" not in run.err
    assert not (tmp_path / MARKER).exists()


def test_object_tags_carry_a_live_payload_that_never_runs(
    canon_dir: Path, cli: Callable[..., Run]
) -> None:
    """The payload is real: an unsafe YAML reader runs it. jobframe-lint refuses the tag."""
    case = next(case for case in CONTENT_CASES if case.name == "python-apply")
    case.make(canon_dir / "canon" / "hostile.yaml")
    source = (canon_dir / "canon" / "hostile.yaml").read_bytes()
    assert cli("check", "canon").code == 1
    assert not (canon_dir / MARKER).exists()
    yaml.unsafe_load(source)  # proves the payload would run
    assert (canon_dir / MARKER).exists()


def test_file_deleted_between_discovery_and_read(canon_dir: Path) -> None:
    files = collect([Path("canon")], Path("canon"))
    (canon_dir / "canon" / "family.yaml").unlink()
    found = [(d.path, d.code, d.span.start.line, d.message) for d in lint(files).diagnostics]
    assert ("canon/family.yaml", "JF001", 1, "cannot read file: No such file or directory") in found


def test_unreadable_file_simulated(
    canon_dir: Path, cli: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Root reads any file, so the refusal an ordinary user gets is simulated."""
    real_open = os.open

    def refuse(path: str | os.PathLike[str], *args: int) -> int:
        if str(path).endswith("family.yaml"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args)

    monkeypatch.setattr(os, "open", refuse)
    run = cli("check", "canon")
    assert run.code == 1
    assert "canon/family.yaml:1:1: JF001 cannot read file: Permission denied" in run.out


def test_unlistable_directory_is_a_path_problem(
    canon_dir: Path, cli: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    """os.walk skips folders it cannot list unless told otherwise: a silent pass in CI."""
    write_files(canon_dir, {"canon/locked/more.yaml": LEVELS_YAML})
    real_scandir = os.scandir

    def refuse(path: str) -> object:
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", refuse)
    run = cli("check", "canon")
    assert run.code == 2
    assert "locked: cannot list directory: Permission denied" in run.err


@pytest.mark.parametrize(
    ("path", "shown"),
    [
        ("a" * 5000, "File name too long"),
        ("\x1b]0;pwned\x07.yaml", "\\x1b]0;pwned\\x07.yaml: no such file or directory"),
    ],
    ids=["name-too-long", "escape-in-name"],
)
def test_unusable_path_argument_is_exit_2(
    path: str, shown: str, canon_dir: Path, cli: Callable[..., Run]
) -> None:
    for command in ("check", "render"):
        run = cli(command, path)
        assert run.code == 2
        assert shown in run.err and "\x1b" not in run.err


def test_render_family_given_as_a_symlink_loop(canon_dir: Path, cli: Callable[..., Run]) -> None:
    (canon_dir / "loop.yaml").symlink_to("loop.yaml")
    run = cli("render", "--family", "loop.yaml", "canon")
    assert run.code == 2
    assert "no family named 'loop.yaml'" in run.err


def test_directory_named_like_a_file_given_as_a_path(
    canon_dir: Path, cli: Callable[..., Run]
) -> None:
    """A path is what it is on disk: a directory named ``x.yaml`` is walked like any other."""
    case = next(case for case in ALL_CASES if case.name == "directory-named-yaml")
    case.make(canon_dir / "x.yaml")
    run = cli("check", "x.yaml")
    assert run.code == 1
    assert "x.yaml/inner.yaml:2:1: JF003" in run.out


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("!!int abc", "'abc' is not a valid !!int"),
        ("!!bool maybe", "'maybe' is not a valid !!bool"),
    ],
)
def test_a_value_its_core_tag_cannot_hold_is_refused_at_the_value(
    value: str, shown: str, canon_dir: Path, cli: Callable[..., Run]
) -> None:
    """PyYAML's constructor raises ValueError or KeyError for these, with no position."""
    (canon_dir / "canon" / "hostile.yaml").write_text(f"kind: {value}\n", encoding="utf-8")
    for command in ("check", "render"):
        run = cli(command, "--no-cache" if command == "check" else "canon")
        assert run.code == 1
        assert f"canon/hostile.yaml:1:7: JF001 {shown} value; write it as quoted text" in (
            run.out + run.err
        )
