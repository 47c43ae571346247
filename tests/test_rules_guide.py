"""Rules about level guides and cross-file definitions: JF103, JF109, JF110, JF111 (title)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from tests.conftest import FAMILY_YAML, Run, write_files
from tests.test_rules_family import at, findings

CliRun = Callable[..., Run]

GUIDE = """\
kind: levels
dimensions: [Scope, Autonomy, Impact]
levels:
  P3:
    title: Mid
    dimensions:
      Scope: Features
      Autonomy: Independent
      Impact: Team
"""


def test_jf103_lists_the_missing_dimensions_at_the_dimensions_key(
    cli: CliRun, canon_dir: Path
) -> None:
    guide = GUIDE.replace("      Autonomy: Independent\n      Impact: Team\n", "")
    write_files(canon_dir, {"canon/levels.yaml": guide})
    assert at(findings(cli), "JF103") == [
        (
            "canon/levels.yaml",
            6,
            5,
            'level P3 has no bars for declared dimensions "Autonomy", "Impact": their Scorecard '
            '"Role calibration" rows are omitted and OKR KR2 lines can draw on only 1 of 3 '
            "dimensions",
        )
    ]


def test_jf103_level_without_bars_points_at_its_code(cli: CliRun, canon_dir: Path) -> None:
    guide = "kind: levels\ndimensions: [Scope]\nlevels:\n  P3:\n    title: Mid\n"
    write_files(canon_dir, {"canon/levels.yaml": guide})
    assert at(findings(cli), "JF103") == [
        (
            "canon/levels.yaml",
            4,
            3,
            'level P3 has no bar for declared dimension "Scope": its Scorecard "Role '
            'calibration" row is omitted and OKR KR2 lines can draw on only 0 of 1 dimensions',
        )
    ]


def test_jf103_quiet_when_every_bar_is_set_or_none_declared(cli: CliRun, canon_dir: Path) -> None:
    write_files(canon_dir, {"canon/levels.yaml": GUIDE})
    assert at(findings(cli), "JF103") == []
    write_files(canon_dir, {"canon/levels.yaml": "kind: levels\nlevels:\n  P3:\n    title: Mid\n"})
    assert at(findings(cli), "JF103") == []


def test_jf110_undeclared_dimension_at_its_key(cli: CliRun, canon_dir: Path) -> None:
    write_files(canon_dir, {"canon/levels.yaml": GUIDE.replace("Impact: Team", "Impakt: Team")})
    found = findings(cli)
    assert at(found, "JF110") == [
        (
            "canon/levels.yaml",
            9,
            7,
            'level P3 sets a bar for "Impakt", which this level guide does not declare: the bar '
            'is never rendered (did you mean "Impact"?)',
        )
    ]
    # One mistake, one finding: "Impact" is not also reported missing (JF103).
    assert [item["code"] for item in found if item["code"] == "JF103"] == []


def test_jf110_in_a_guide_that_declares_nothing(cli: CliRun, canon_dir: Path) -> None:
    guide = "kind: levels\nlevels:\n  P3:\n    title: Mid\n    dimensions:\n      Scope: F\n"
    write_files(canon_dir, {"canon/levels.yaml": guide})
    ((_, line, column, message),) = at(findings(cli), "JF110")
    assert (line, column) == (6, 7)
    assert message.endswith("the bar is never rendered (it declares no dimensions)")


def test_jf110_quiet_on_declared_dimensions(cli: CliRun, canon_dir: Path) -> None:
    write_files(canon_dir, {"canon/levels.yaml": GUIDE})
    assert at(findings(cli), "JF110") == []


def test_jf111_level_without_title_at_its_code(cli: CliRun, canon_dir: Path) -> None:
    write_files(canon_dir, {"canon/levels.yaml": GUIDE.replace("    title: Mid\n", "")})
    assert at(findings(cli), "JF111") == [
        (
            "canon/levels.yaml",
            4,
            3,
            'level P3 has no title: the breadcrumb shows the bare code and the SMART "Relevant" '
            "line is omitted on every page of the level",
        )
    ]


def test_jf111_leaves_a_mistyped_title_to_the_schema(cli: CliRun, canon_dir: Path) -> None:
    write_files(canon_dir, {"canon/levels.yaml": GUIDE.replace("title: Mid", "title: [Mid]")})
    codes = [item["code"] for item in findings(cli)]
    assert "JF002" in codes and "JF111" not in codes


def test_jf109_level_defined_in_two_guides(cli: CliRun, canon_dir: Path) -> None:
    write_files(canon_dir, {"canon/more-levels.yaml": GUIDE})
    assert at(findings(cli), "JF109") == [
        (
            "canon/more-levels.yaml",
            4,
            3,
            "level P3 is already defined in canon/levels.yaml:6: the pages of families using it "
            "would take their title and bars from only one of the two",
        )
    ]


def test_jf109_family_names_compare_case_insensitively(cli: CliRun, canon_dir: Path) -> None:
    copy = FAMILY_YAML.replace("family: Example Family", "family: example family")
    write_files(canon_dir, {"canon/z-copy.yaml": copy})
    assert at(findings(cli), "JF109") == [
        (
            "canon/z-copy.yaml",
            3,
            9,
            'family "example family" is already defined as "Example Family" in '
            "canon/family.yaml:3: render would show two pages for it and --family cannot tell "
            "them apart",
        )
    ]


def test_jf109_is_reported_from_either_file(cli: CliRun, canon_dir: Path) -> None:
    """Checking the first definition alone still reports the clash it is half of."""
    write_files(canon_dir, {"canon/z-copy.yaml": FAMILY_YAML})
    from_first = at(findings(cli, "canon/family.yaml"), "JF109")
    from_second = at(findings(cli, "canon/z-copy.yaml"), "JF109")
    assert from_first == from_second
    assert [path for path, *_ in from_first] == ["canon/z-copy.yaml"]


def test_jf109_quiet_on_distinct_names_and_codes(cli: CliRun, canon_dir: Path) -> None:
    other = FAMILY_YAML.replace("Example Family", "Other Family")
    guide = GUIDE.replace("P3:", "P4:")
    write_files(canon_dir, {"canon/other.yaml": other, "canon/more-levels.yaml": guide})
    assert at(findings(cli), "JF109") == []


def test_jf112_a_dimension_declared_twice_at_the_second(cli: CliRun, canon_dir: Path) -> None:
    guide = GUIDE.replace("[Scope, Autonomy, Impact]", "[Scope, Autonomy, Scope, Impact]")
    write_files(canon_dir, {"canon/levels.yaml": guide})
    assert at(findings(cli), "JF112") == [
        (
            "canon/levels.yaml",
            2,
            31,
            'dimension "Scope" is declared again (first at line 2): a dimension is never '
            "reused, so the frames keep the first and its Role calibration row and KR2 bar "
            "appear once",
        )
    ]
    assert at(findings(cli), "JF103") == []  # the level has a bar for each dimension


def test_a_dimension_declared_twice_is_rendered_once(cli: CliRun, canon_dir: Path) -> None:
    guide = GUIDE.replace("[Scope, Autonomy, Impact]", "[Scope, Autonomy, Scope, Impact]")
    family = FAMILY_YAML.replace(
        "      - Builds the thing.\n",
        "".join(f"      - Builds thing {number}.\n" for number in range(1, 6)),
    )
    write_files(canon_dir, {"canon/levels.yaml": guide, "canon/family.yaml": family})
    result = cli("render", "--format", "json")
    assert result.code == 0, result.err
    [page] = json.loads(result.out)
    lines = [
        line
        for frame in page["frames"]
        for block in frame["blocks"]
        for line in block["lines"]
        if line["status"] == "produced"
    ]
    rows = [line["text"] for line in lines if line["role"] == "scorecard.role"]
    assert len(rows) == 3 and sum("Features" in row for row in rows) == 1
    kr2 = [line["text"] for line in lines if line["role"] == "okr.kr2"]
    assert len(kr2) == 3 and sum("Features" in text for text in kr2) == 1
