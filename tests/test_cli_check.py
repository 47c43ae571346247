"""`jobframe-lint check` end to end: formats, summaries, exit codes, paths."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import ROOT, Run, run_process, write_files

CliRun = Callable[..., Run]


def test_shipped_canon_passes(cli: CliRun, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    result = cli("check")
    assert (result.code, result.out) == (0, "All checks passed (2 files).\n")


def test_findings_are_ruff_like_with_a_summary(cli: CliRun, canon_dir: Path) -> None:
    write_files(
        # P9, not P3: a second definition of P3 would also be a JF109 finding.
        canon_dir,
        {"canon/bad.yaml": "kind: levels\nlevels:\n  P9:\n    title: x\n    title: y\n"},
    )
    result = cli("check", "--color", "never")
    assert result.code == 1
    assert result.out.splitlines() == [
        "canon/bad.yaml:5:5: JF003 duplicate key 'title' (first defined at line 4); "
        "YAML readers silently keep only one of them",
        "Found 1 error and 0 warnings in 1 file.",
    ]


def test_json_format_has_the_spec_fields(cli: CliRun, canon_dir: Path) -> None:
    write_files(
        canon_dir, {"canon/bad.yaml": "kind: family\nfamily: F\nlevels:\n  P3:\n    rubric: {}\n"}
    )
    result = cli("check", "--format", "json")
    assert result.code == 1
    # The level also lacks responsibilities and the family a function (JF101, JF111).
    (finding,) = [item for item in json.loads(result.out) if item["code"] == "JF002"]
    assert finding == {
        "path": "canon/bad.yaml",
        "line": 5,
        "column": 5,
        "end_line": 5,
        "end_column": 11,
        "code": "JF002",
        "rule": "schema",
        "severity": "error",
        "message": "levels.P3: unknown key 'rubric'; did you mean 'rubrics'?",
        "fixable": False,
    }


def test_given_files_are_the_only_ones_reported(cli: CliRun, canon_dir: Path) -> None:
    write_files(canon_dir, {"canon/bad.yaml": "kind: [\n"})
    result = cli("check", "canon/family.yaml")
    assert (result.code, result.out) == (0, "All checks passed (1 file).\n")


def test_missing_path_is_a_usage_error(cli: CliRun, canon_dir: Path) -> None:
    result = cli("check", "nowhere.yaml")
    assert result.code == 2
    assert result.err == "jobframe-lint: nowhere.yaml: no such file or directory\n"


def test_unknown_option_is_a_usage_error(cli: CliRun, canon_dir: Path) -> None:
    assert cli("check", "--format", "xml").code == 2


def test_color_always_uses_ansi_and_never_passes_escapes_from_canon(
    cli: CliRun, canon_dir: Path
) -> None:
    write_files(canon_dir, {"canon/bad.yaml": 'kind: levels\nlevels:\n  "P3\\e[31m": {}\n'})
    result = cli("check", "--color", "always")
    assert "\x1b[" in result.out  # rich's own styling
    assert "\x1b[31m" not in result.out and "\\x1b[31m" in result.out


def test_process_entry_point_and_version(tmp_path: Path) -> None:
    result = run_process("--version", cwd=tmp_path)
    assert result.code == 0 and result.out.startswith("jobframe-lint ")
    broken = write_files(tmp_path, {"canon/x.yaml": b"\xff\xfe\x00garbage"})
    result = run_process("check", cwd=broken)
    assert result.code == 1
    assert "Traceback" not in result.err
    assert result.out.startswith("canon/x.yaml:1:1: JF001 not valid UTF-8")
