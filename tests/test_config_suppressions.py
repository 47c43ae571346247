"""Inline suppressions, unused-suppression reports (JF100) and the exit-status options."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import FAMILY_YAML, Run, write_files

CliRun = Callable[..., Run]

NO_FUNCTION = FAMILY_YAML.replace("function: Data Science & Analytics\n", "")  # JF111 at 2:1


def found(cli: CliRun, *args: str) -> list[tuple[str, int, int, str]]:
    result = cli("check", "--format", "json", *args)
    assert result.code in (0, 1), result.err
    items: list[dict[str, Any]] = json.loads(result.out)
    return [(item["code"], item["line"], item["column"], item["message"]) for item in items]


def test_line_suppression_silences_the_finding_on_its_line(cli: CliRun, canon_dir: Path) -> None:
    source = NO_FUNCTION.replace(
        "family: Example Family\n", "family: Example Family  # jobframe-lint: disable=JF111\n"
    )
    write_files(canon_dir, {"canon/family.yaml": source})
    assert found(cli) == []


def test_line_suppression_elsewhere_does_not_apply(cli: CliRun, canon_dir: Path) -> None:
    source = NO_FUNCTION.replace("levels:\n", "levels:  # jobframe-lint: disable=JF111\n")
    write_files(canon_dir, {"canon/family.yaml": source})
    assert found(cli) == [
        ("JF111", 2, 1, found(cli)[0][3]),
        ("JF100", 3, 35, "unused suppression: no JF111 finding on this line"),
    ]


def test_file_suppression_anywhere_with_a_reason(cli: CliRun, canon_dir: Path) -> None:
    source = NO_FUNCTION + "# jobframe-lint: disable-file=JF111 -- function to be agreed\n"
    write_files(canon_dir, {"canon/family.yaml": source})
    assert found(cli) == []


def test_several_codes_and_the_unused_one_is_reported_at_its_code(
    cli: CliRun, canon_dir: Path
) -> None:
    source = NO_FUNCTION.replace(
        "family: Example Family\n",
        "family: Example Family  # jobframe-lint: disable=JF108, JF111\n",
    )
    write_files(canon_dir, {"canon/family.yaml": source})
    assert found(cli) == [("JF100", 2, 50, "unused suppression: no JF108 finding on this line")]
    result = cli("check", "--strict")
    assert result.code == 0, "JF100 is information: it never fails a run"


def test_unknown_code_in_a_suppression_is_reported(cli: CliRun, canon_dir: Path) -> None:
    source = FAMILY_YAML + "# jobframe-lint: disable-file=JF999\n"
    write_files(canon_dir, {"canon/family.yaml": source})
    assert found(cli) == [("JF100", 11, 31, "unknown rule code 'JF999' in a suppression")]


def test_directive_inside_canon_text_is_not_a_directive(cli: CliRun, canon_dir: Path) -> None:
    source = NO_FUNCTION.replace(
        "family: Example Family\n", 'family: "Example # jobframe-lint: disable=JF111"\n'
    )
    write_files(canon_dir, {"canon/family.yaml": source})
    assert [code for code, *_ in found(cli)] == ["JF111"]


def test_suppression_of_a_rule_not_run_is_not_unused(cli: CliRun, canon_dir: Path) -> None:
    source = FAMILY_YAML + "# jobframe-lint: disable-file=JF111\n"
    write_files(canon_dir, {"canon/family.yaml": source})
    assert found(cli, "--ignore", "JF111") == []
    assert found(cli, "--select", "JF102") == []
    assert [code for code, *_ in found(cli)] == ["JF100"]
    assert found(cli, "--ignore", "JF100") == []


def test_suppression_covers_a_cross_file_finding_in_its_own_file(
    cli: CliRun, canon_dir: Path
) -> None:
    """JF104 lives in the family file; a level-guide check still honours its suppression."""
    source = FAMILY_YAML.replace("  P3:\n", "  P3:  # jobframe-lint: disable=JF104\n")
    write_files(
        canon_dir,
        {
            "canon/family.yaml": source,
            "canon/levels.yaml": "kind: levels\nlevels:\n  P4:\n    title: Senior\n",
        },
    )
    assert found(cli, "canon/levels.yaml") == []


@pytest.mark.parametrize(
    ("args", "code"),
    [
        ((), 0),  # a warning alone passes
        (("--strict",), 1),  # unless warnings fail the run
        (("--strict", "--exit-zero"), 0),
        (("--ignore", "JF111", "--strict"), 0),
    ],
)
def test_exit_status_for_warnings(
    cli: CliRun, canon_dir: Path, args: tuple[str, ...], code: int
) -> None:
    write_files(canon_dir, {"canon/family.yaml": NO_FUNCTION})
    assert cli("check", *args).code == code


def test_exit_zero_with_errors_still_reports_them(cli: CliRun, canon_dir: Path) -> None:
    write_files(canon_dir, {"canon/family.yaml": FAMILY_YAML.replace("P3:", "P4:")})
    assert cli("check").code == 1
    result = cli("check", "--exit-zero", "--color", "never")
    assert result.code == 0
    assert "JF104 level P4 is not defined" in result.out
