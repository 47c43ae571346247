"""Rules about a family's levels: JF101, JF102, JF104, JF105, JF106, JF111 (function).

Each rule fires at an exact key or value, says what happens to the frames, and stays quiet
on canon that is fine.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.conftest import Run, write_files

CliRun = Callable[..., Run]


def findings(cli: CliRun, *args: str) -> list[dict[str, Any]]:
    result = cli("check", "--format", "json", *args)
    assert result.code in (0, 1), result.err
    found: list[dict[str, Any]] = json.loads(result.out)
    return found


def at(found: list[dict[str, Any]], code: str) -> list[tuple[str, int, int, str]]:
    return [
        (item["path"], item["line"], item["column"], item["message"])
        for item in found
        if item["code"] == code
    ]


def family(levels: str, head: str = "function: Data\nfamily: Example Family\n") -> str:
    return f"kind: family\n{head}levels:\n{levels}"


FULL_RUBRICS = "    rubrics:\n      complexity/problem-solving: Solves.\n      knowledge-application: Applies.\n"


def test_clean_canon_has_no_findings(cli: CliRun, canon_dir: Path) -> None:
    assert findings(cli) == []


def test_jf101_empty_list_points_at_the_key(cli: CliRun, canon_dir: Path) -> None:
    write_files(canon_dir, {"canon/family.yaml": family("  P3:\n    responsibilities: []\n")})
    assert at(findings(cli), "JF101") == [
        (
            "canon/family.yaml",
            6,
            5,
            'family "Example Family" level P3 lists no responsibilities: its SMART, OKR and '
            "MBO frames are omitted and the Scorecard keeps only Role calibration",
        )
    ]


def test_jf101_missing_key_points_at_the_level_code(cli: CliRun, canon_dir: Path) -> None:
    write_files(canon_dir, {"canon/family.yaml": family("  P3:\n" + FULL_RUBRICS)})
    assert [(line, column) for _, line, column, _ in at(findings(cli), "JF101")] == [(5, 3)]


def test_jf101_no_bars_either_means_no_frames(cli: CliRun, canon_dir: Path) -> None:
    write_files(
        canon_dir,
        {
            "canon/levels.yaml": "kind: levels\nlevels:\n  P3:\n    title: Mid\n",
            "canon/family.yaml": family("  P3:\n    responsibilities: []\n"),
        },
    )
    ((_, _, _, message),) = at(findings(cli), "JF101")
    assert message.endswith("lists no responsibilities: its page has no frames at all")


def test_jf101_quiet_when_the_level_is_not_a_mapping(cli: CliRun, canon_dir: Path) -> None:
    write_files(canon_dir, {"canon/family.yaml": family("  P3: nothing\n")})
    found = findings(cli)
    assert at(found, "JF101") == []
    assert [item["code"] for item in found] == ["JF002"]


def test_jf102_names_the_lines_omitted_at_the_rubrics_key(cli: CliRun, canon_dir: Path) -> None:
    levels = (
        "  P3:\n    responsibilities: [One., Two., Three., Four., Five.]\n"
        "    rubrics:\n      complexity/problem-solving: Solves.\n"
    )
    write_files(canon_dir, {"canon/family.yaml": family(levels)})
    assert at(findings(cli), "JF102") == [
        (
            "canon/family.yaml",
            7,
            5,
            'no "knowledge-application" rubric for P3: the 5 MBO "Standard" lines will be omitted',
        )
    ]


def test_jf102_without_rubrics_points_at_the_level(cli: CliRun, canon_dir: Path) -> None:
    write_files(canon_dir, {"canon/family.yaml": family("  P3:\n    responsibilities: [One.]\n")})
    assert at(findings(cli), "JF102") == [
        (
            "canon/family.yaml",
            5,
            3,
            'no "complexity/problem-solving" rubric for P3: '
            'the SMART "Achievable" line will be omitted',
        ),
        (
            "canon/family.yaml",
            5,
            3,
            'no "knowledge-application" rubric for P3: the MBO "Standard" line will be omitted',
        ),
    ]


def test_jf102_quiet_without_responsibilities(cli: CliRun, canon_dir: Path) -> None:
    write_files(canon_dir, {"canon/family.yaml": family("  P3:\n    responsibilities: []\n")})
    assert at(findings(cli), "JF102") == []


def test_jf104_unknown_level_with_a_suggestion(cli: CliRun, canon_dir: Path) -> None:
    levels = "  P3:\n    responsibilities: [One.]\n" + FULL_RUBRICS
    levels += "  P4:\n    responsibilities: [One.]\n" + FULL_RUBRICS
    write_files(canon_dir, {"canon/family.yaml": family(levels)})
    assert at(findings(cli), "JF104") == [
        (
            "canon/family.yaml",
            10,
            3,
            "level P4 is not defined by any level guide (did you mean P3?): its page would have "
            "no title, no Relevant line, no KR2 lines and no Role calibration rows",
        )
    ]


def test_jf104_is_reported_when_only_the_level_guide_is_checked(
    cli: CliRun, canon_dir: Path
) -> None:
    """An edit to a level guide that drops a level names the family files it breaks."""
    write_files(
        canon_dir,
        {"canon/levels.yaml": "kind: levels\nlevels:\n  P4:\n    title: Senior\n"},
    )
    result = cli("check", "canon/levels.yaml", "--color", "never")
    assert result.code == 1
    assert "canon/family.yaml:5:3: JF104 level P3 is not defined" in result.out
    assert result.out.endswith("in 1 file.\n")


def test_jf104_stays_out_of_a_check_of_an_unrelated_family(cli: CliRun, canon_dir: Path) -> None:
    write_files(
        canon_dir,
        {
            "canon/other.yaml": family(
                "  P7:\n    responsibilities: [One.]\n" + FULL_RUBRICS,
                "function: D\nfamily: Other\n",
            )
        },
    )
    assert findings(cli, "canon/family.yaml") == []


def test_jf105_repeated_responsibility_ignoring_case_and_spacing(
    cli: CliRun, canon_dir: Path
) -> None:
    levels = (
        "  P3:\n    responsibilities:\n      - Builds the thing.\n      - Tests it.\n"
        '      - "builds  the thing."\n' + FULL_RUBRICS
    )
    write_files(canon_dir, {"canon/family.yaml": family(levels)})
    assert at(findings(cli), "JF105") == [
        (
            "canon/family.yaml",
            9,
            9,
            "responsibility 3 of P3 repeats responsibility 1 (line 7): the same SMART goal, OKR "
            "objective, MBO area and Scorecard row would appear twice",
        )
    ]


def test_jf105_quiet_on_distinct_responsibilities(cli: CliRun, canon_dir: Path) -> None:
    levels = "  P3:\n    responsibilities: [Builds the thing., Builds the other thing.]\n"
    write_files(canon_dir, {"canon/family.yaml": family(levels + FULL_RUBRICS)})
    assert at(findings(cli), "JF105") == []


def test_jf106_points_at_the_first_objective_without_kr2(cli: CliRun, canon_dir: Path) -> None:
    levels = (
        "  P3:\n    responsibilities:\n      - One.\n      - Two.\n      - Three.\n      - Four.\n"
    )
    write_files(canon_dir, {"canon/family.yaml": family(levels + FULL_RUBRICS)})
    result = cli("check", "--format", "json")
    assert result.code == 0  # information never fails a run
    (finding,) = json.loads(result.out)
    assert (finding["code"], finding["severity"], finding["line"], finding["column"]) == (
        "JF106",
        "info",
        9,
        9,
    )
    assert finding["message"] == (
        "P3 has 4 responsibilities but 2 dimension bars: objectives 3 to 4 have no OKR KR2 line"
    )


def test_jf106_counts_only_bars_of_declared_dimensions(cli: CliRun, canon_dir: Path) -> None:
    write_files(
        canon_dir,
        {
            "canon/levels.yaml": (
                "kind: levels\ndimensions: [Scope]\nlevels:\n  P3:\n    title: Mid\n"
                "    dimensions:\n      Scope: Features\n"
            ),
            "canon/family.yaml": family(
                "  P3:\n    responsibilities: [One., Two.]\n" + FULL_RUBRICS
            ),
        },
    )
    (message,) = [message for *_, message in at(findings(cli), "JF106")]
    assert (
        message == "P3 has 2 responsibilities but 1 dimension bar: objective 2 has no OKR KR2 line"
    )


def test_jf106_quiet_when_every_objective_has_a_kr2(cli: CliRun, canon_dir: Path) -> None:
    levels = "  P3:\n    responsibilities: [One., Two.]\n"
    write_files(canon_dir, {"canon/family.yaml": family(levels + FULL_RUBRICS)})
    assert at(findings(cli), "JF106") == []


def test_jf111_family_without_function_points_at_the_family_key(
    cli: CliRun, canon_dir: Path
) -> None:
    levels = "  P3:\n    responsibilities: [One.]\n" + FULL_RUBRICS
    write_files(canon_dir, {"canon/family.yaml": family(levels, head="family: Example Family\n")})
    assert at(findings(cli), "JF111") == [
        (
            "canon/family.yaml",
            2,
            1,
            'family "Example Family" has no function: the breadcrumb drops it and the SMART '
            '"Relevant" line is omitted on every page of the family',
        )
    ]
