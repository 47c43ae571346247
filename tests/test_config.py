"""Configuration end to end: where it is found, what it changes, how it fails (exit 2)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import FAMILY_YAML, Run, run_process, write_files

CliRun = Callable[..., Run]

# A family with one warning (JF111: no function) and one info (JF106: 3 objectives, 2 bars).
NOISY = FAMILY_YAML.replace("function: Data Science & Analytics\n", "").replace(
    "      - Builds the thing.\n",
    "      - Builds the thing.\n      - Tests it.\n      - Ships it.\n",
)


def codes(result: Run) -> list[str]:
    assert result.code in (0, 1), result.err
    return [item["code"] for item in json.loads(result.out)]


@pytest.fixture
def noisy(canon_dir: Path) -> Path:
    write_files(canon_dir, {"canon/family.yaml": NOISY})
    return canon_dir


def test_without_configuration_every_rule_runs(cli: CliRun, noisy: Path) -> None:
    assert codes(cli("check", "--format", "json")) == ["JF111", "JF106"]


def test_pyproject_table_selects_and_ignores(cli: CliRun, noisy: Path) -> None:
    write_files(noisy, {"pyproject.toml": '[tool.jobframe-lint]\nignore = ["JF106"]\n'})
    assert codes(cli("check", "--format", "json")) == ["JF111"]
    write_files(noisy, {"pyproject.toml": '[tool.jobframe-lint]\nselect = ["JF106"]\n'})
    assert codes(cli("check", "--format", "json")) == ["JF106"]


def test_own_file_wins_over_pyproject_in_the_same_folder(cli: CliRun, noisy: Path) -> None:
    write_files(
        noisy,
        {
            "pyproject.toml": '[tool.jobframe-lint]\nignore = ["JF106"]\n',
            "jobframe-lint.toml": 'ignore = ["JF111"]\n',
        },
    )
    assert codes(cli("check", "--format", "json")) == ["JF106"]


def test_found_walking_up_with_paths_relative_to_its_folder(
    cli: CliRun, noisy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_files(
        noisy,
        {
            "jobframe-lint.toml": 'canon = "canon"\nignore = ["JF106"]\n',
            "sub/deeper/pyproject.toml": '[project]\nname = "unrelated"\n',
        },
    )
    monkeypatch.chdir(noisy / "sub" / "deeper")
    result = cli("check", "--format", "json")
    assert [(item["path"], item["code"]) for item in json.loads(result.out)] == [
        ("../../canon/family.yaml", "JF111")
    ]


def test_explicit_config_file(cli: CliRun, noisy: Path) -> None:
    write_files(noisy, {"ci/lint.toml": 'ignore = ["JF111"]\n'})
    assert codes(cli("check", "--format", "json", "--config", "ci/lint.toml")) == ["JF106"]


def test_explicit_pyproject_reads_its_tool_table(cli: CliRun, noisy: Path) -> None:
    write_files(noisy, {"ci/pyproject.toml": '[tool.jobframe-lint]\nignore = ["JF111"]\n'})
    assert codes(cli("check", "--format", "json", "--config", "ci/pyproject.toml")) == ["JF106"]


def test_severity_override_decides_the_exit_status(cli: CliRun, noisy: Path) -> None:
    write_files(noisy, {"jobframe-lint.toml": '[severity]\nJF106 = "error"\nJF111 = "info"\n'})
    result = cli("check", "--format", "json")
    assert result.code == 1
    assert [(item["code"], item["severity"]) for item in json.loads(result.out)] == [
        ("JF111", "info"),
        ("JF106", "error"),
    ]


def test_per_file_ignores_match_globs_from_the_config_folder(cli: CliRun, noisy: Path) -> None:
    write_files(
        noisy,
        {
            "canon/families/other.yaml": NOISY.replace("Example Family", "Other"),
            "jobframe-lint.toml": '[per-file-ignores]\n"canon/families/*.yaml" = ["JF111"]\n',
        },
    )
    result = cli("check", "--format", "json")
    assert [(item["path"], item["code"]) for item in json.loads(result.out)] == [
        ("canon/families/other.yaml", "JF106"),
        ("canon/family.yaml", "JF111"),
        ("canon/family.yaml", "JF106"),
    ]


@pytest.mark.parametrize(
    ("pattern", "ignored"),
    [("family.yaml", True), ("**/family.yaml", True), ("canon/*", True), ("*/fam*.yml", False)],
)
def test_per_file_ignore_patterns(cli: CliRun, noisy: Path, pattern: str, ignored: bool) -> None:
    write_files(noisy, {"jobframe-lint.toml": f'[per-file-ignores]\n"{pattern}" = ["JF111"]\n'})
    assert ("JF111" not in codes(cli("check", "--format", "json"))) is ignored


def test_command_line_select_replaces_and_ignore_adds(cli: CliRun, noisy: Path) -> None:
    write_files(noisy, {"jobframe-lint.toml": 'select = ["JF111"]\nignore = ["JF106"]\n'})
    assert codes(cli("check", "--format", "json", "--select", "JF106")) == ["JF106"]
    assert codes(cli("check", "--format", "json", "--select", "JF106,JF111")) == [
        "JF111",
        "JF106",
    ]
    assert codes(cli("check", "--format", "json", "--ignore", "JF111")) == []


@pytest.mark.parametrize(
    ("config", "message"),
    [
        (
            '[tool.jobframe-lint]\nselct = ["JF102"]\n',
            "pyproject.toml: tool.jobframe-lint.selct: unknown key; did you mean 'select'?",
        ),
        (
            '[tool.jobframe-lint]\nselect = ["JF999"]\n',
            "pyproject.toml: tool.jobframe-lint.select: unknown rule code 'JF999'",
        ),
        (
            '[tool.jobframe-lint]\nignore = "JF102"\n',
            "pyproject.toml: tool.jobframe-lint.ignore: expected a list of rule codes",
        ),
        (
            '[tool.jobframe-lint.severity]\nJF102 = "fatal"\n',
            'pyproject.toml: tool.jobframe-lint.severity.JF102: expected "error", "warning" or '
            "\"info\", got 'fatal'",
        ),
        (
            '[tool.jobframe-lint.per-file-ignores]\n"*.yaml" = ["jf1O2"]\n',
            'pyproject.toml: tool.jobframe-lint.per-file-ignores."*.yaml": unknown rule code',
        ),
        ("[tool.jobframe-lint]\ncanon = 3\n", "pyproject.toml: tool.jobframe-lint.canon: expected"),
        ("[tool.jobframe-lint\n", "pyproject.toml: not valid TOML"),
        ("[tool]\njobframe-lint = 1\n", "pyproject.toml: tool.jobframe-lint: expected a table"),
    ],
)
def test_bad_configuration_is_exit_2_naming_the_key(
    cli: CliRun, canon_dir: Path, config: str, message: str
) -> None:
    write_files(canon_dir, {"pyproject.toml": config})
    result = cli("check")
    assert (result.code, result.out) == (2, "")
    assert result.err.startswith(f"jobframe-lint: {message}"), result.err
    assert "Traceback" not in result.err


def test_unknown_code_on_the_command_line_is_exit_2(cli: CliRun, canon_dir: Path) -> None:
    result = cli("check", "--ignore", "JF102,JF1O8")
    assert result.code == 2
    assert result.err == (
        "jobframe-lint: --ignore: unknown rule code 'JF1O8'; did you mean JF108?\n"
    )


def test_missing_config_file_is_exit_2(cli: CliRun, canon_dir: Path) -> None:
    result = cli("check", "--config", "nowhere.toml")
    assert result.code == 2
    assert result.err == "jobframe-lint: nowhere.toml: no such configuration file\n"


def test_render_uses_the_configured_canon(cli: CliRun, canon_dir: Path) -> None:
    (canon_dir / "canon").rename(canon_dir / "people")
    write_files(canon_dir, {"jobframe-lint.toml": 'canon = "people"\n'})
    result = cli("render", "--format", "text")
    assert result.code == 0, result.err
    assert result.out.startswith("Example Family — P3\n")
    assert cli("check").out == "All checks passed (2 files).\n"


def test_bad_configuration_in_a_real_process(canon_dir: Path) -> None:
    write_files(canon_dir, {"jobframe-lint.toml": 'select = ["JF102"\n'})
    result = run_process("check", cwd=canon_dir)
    assert (result.code, result.out) == (2, "")
    assert result.err.startswith("jobframe-lint: jobframe-lint.toml: not valid TOML")
    assert "Traceback" not in result.err
