"""Rules about canon text itself: JF107 placeholders and markup, JF108 stray whitespace."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Run, write_files
from tests.test_rules_family import at, findings

CliRun = Callable[..., Run]


def with_responsibility(source: str) -> str:
    """A clean family whose one responsibility is written as ``source`` (line 7, column 9)."""
    return (
        "kind: family\nfunction: Data\nfamily: Example Family\nlevels:\n  P3:\n"
        f"    responsibilities:\n      - {source}\n    rubrics:\n"
        "      complexity/problem-solving: Solves.\n      knowledge-application: Applies.\n"
    )


def codes_at(found: list[dict[str, Any]], code: str) -> list[tuple[int, int, int, bool]]:
    return [
        (item["line"], item["column"], item["end_column"], item["fixable"])
        for item in found
        if item["code"] == code
    ]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("Moves latency to ⟨target⟩ by Q3.", [(7, 26, 34)]),
        ('"From ⟨baseline⟩ to ⟨target⟩."', [(7, 15, 25), (7, 29, 37)]),
        ("Delivers {resp} on time.", [(7, 18, 24)]),
        ("Owns {{ level }} goals.", [(7, 14, 25)]),
        ("Owns {% if senior %}x{% endif %}.", [(7, 14, 29), (7, 30, 41)]),
        ("Sets ${budget} aside.", [(7, 14, 23)]),
    ],
)
def test_jf107_points_at_the_placeholder(
    cli: CliRun, canon_dir: Path, source: str, expected: list[tuple[int, int, int]]
) -> None:
    write_files(canon_dir, {"canon/family.yaml": with_responsibility(source)})
    found = codes_at(findings(cli), "JF107")
    assert [(line, start, end) for line, start, end, _ in found] == expected


def test_jf107_message_says_what_the_frames_would_show(cli: CliRun, canon_dir: Path) -> None:
    write_files(canon_dir, {"canon/family.yaml": with_responsibility("Hit ⟨target⟩.")})
    ((_, _, _, message),) = at(findings(cli), "JF107")
    assert message == (
        'placeholder "⟨target⟩" in canon text (levels.P3.responsibilities[0]): the frames would '
        "show it as a slot for the manager to fill in, not as canon"
    )


def test_jf107_in_a_level_title(cli: CliRun, canon_dir: Path) -> None:
    write_files(
        canon_dir,
        {"canon/levels.yaml": "kind: levels\nlevels:\n  P3:\n    title: Senior {title}\n"},
    )
    assert codes_at(findings(cli), "JF107") == [(4, 19, 26, False)]


@pytest.mark.parametrize(
    "source",
    [
        "Builds (target) systems.",
        "Uses { braces } and {} in prose.",
        "Compares a ⟨ b.",
        "Costs $5 {per seat}.",
    ],
)
def test_jf107_quiet_on_ordinary_punctuation(cli: CliRun, canon_dir: Path, source: str) -> None:
    write_files(canon_dir, {"canon/family.yaml": with_responsibility(source)})
    assert at(findings(cli), "JF107") == []


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        # (line, column, end column, fixable) of each JF108 finding
        ('"Builds the thing. "', [(7, 27, 28, True)]),
        ('"  Builds the thing."', [(7, 10, 12, True)]),
        ("Builds  the   thing.", [(7, 15, 17, True)]),
        ("'Builds  the thing.'", [(7, 16, 18, True)]),
        # An escape: the source does not read as the value, so no exact place and no fix.
        ('"Builds\\tthe thing."', [(7, 9, 29, False)]),
        ('"Builds  the \\u0041 thing."', [(7, 9, 36, False)]),
        ('"Builds the thing.\\n"', [(7, 9, 30, False)]),
    ],
)
def test_jf108_position_and_fixability(
    cli: CliRun, canon_dir: Path, source: str, expected: list[tuple[int, int, int, bool]]
) -> None:
    write_files(canon_dir, {"canon/family.yaml": with_responsibility(source)})
    assert codes_at(findings(cli), "JF108") == expected


def test_jf108_messages(cli: CliRun, canon_dir: Path) -> None:
    write_files(canon_dir, {"canon/family.yaml": with_responsibility('"A  b  c.\\e "')})
    assert [message for *_, message in at(findings(cli), "JF108")] == [
        "trailing whitespace in levels.P3.responsibilities[0]: the frames copy it verbatim",
        "doubled spaces in levels.P3.responsibilities[0] (2 places): the frames copy them verbatim",
        "control character U+001B in levels.P3.responsibilities[0]: the frames would break or "
        "hide it",
    ]


def test_jf108_literal_block_keeps_its_line_breaks(cli: CliRun, canon_dir: Path) -> None:
    source = "|\n        Builds the thing\n        and tests it."
    write_files(canon_dir, {"canon/family.yaml": with_responsibility(source)})
    found = findings(cli)
    messages = [message for *_, message in at(found, "JF108")]
    assert [message.split(" of ")[0].split(" in ")[0] for message in messages] == [
        "the literal block (|)",
        "control character U+000A",
    ]
    assert not any(item["fixable"] for item in found)


@pytest.mark.parametrize(
    "source",
    [
        "Builds the thing.",
        ">-\n        Builds the thing\n        and tests it.",
        '"Tab-free, single."',
    ],
)
def test_jf108_quiet_on_clean_text(cli: CliRun, canon_dir: Path, source: str) -> None:
    write_files(canon_dir, {"canon/family.yaml": with_responsibility(source)})
    assert at(findings(cli), "JF108") == []


def test_jf108_in_a_dimension_key(cli: CliRun, canon_dir: Path) -> None:
    guide = (
        "kind: levels\ndimensions: [Scope]\nlevels:\n  P3:\n    title: Mid\n    dimensions:\n"
        '      "Scope ": Features\n'
    )
    write_files(canon_dir, {"canon/levels.yaml": guide})
    found = findings(cli)
    assert codes_at(found, "JF108") == [(7, 13, 14, True)]
    codes = {item["code"] for item in found}
    assert "JF110" in codes and "JF103" not in codes  # "Scope" is meant: not also missing
