"""The YAML mistakes editors make are explained in our words, with a fix, at their line."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from jobframe_lint.loader import load_bytes
from tests.conftest import FAMILY_YAML, LEVELS_YAML, Run, write_files

CliRun = Callable[..., Run]

LEVEL = "kind: levels\nlevels:\n  P3:\n"
FAMILY = "kind: family\nfamily: F\nlevels:\n  P3:\n    responsibilities:\n      - a\n"


def refusal(source: str) -> tuple[int, int, str]:
    [finding] = load_bytes(source.encode(), "x.yaml").diagnostics
    assert finding.code == "JF001"
    return finding.span.start.line, finding.span.start.column, finding.message


@pytest.mark.parametrize(
    ("source", "line", "column", "words"),
    [
        # An unquoted ": " inside text, in a value and in a list item.
        (
            LEVEL + "    title: Senior: works alone\n",
            4,
            18,
            'quote the whole text: "Senior: works alone"',
        ),
        ("kind: levels\nfamily: AI: ML  # note\n", 2, 11, 'quote the whole text: "AI: ML"'),
        (FAMILY + "      - Owns: it: all\n", 7, 17, 'quote the whole text: "it: all"'),
        (LEVEL + '    title: Say "hi": now\n', 4, 20, "quote the whole text: 'Say \"hi\": now'"),
        # A quote inside quoted text.
        (
            LEVEL + '    title: "Say "hi" now"\n    x: y\n',
            4,
            17,
            'ends the text early; write it with a backslash (\\")',
        ),
        (LEVEL + "    title: 'It's fine'\n", 4, 15, "ends the text early; write it twice ('')"),
        (FAMILY + '      - "Say "hi" now"\n', 7, 14, "ends the text early"),
        (
            LEVEL + '    title: "Mid\n    x: y\n    z: "w"\n',
            4,
            12,
            'the quoted text opened here with " runs on to line 6, where a " closes it',
        ),
        # Tabs.
        (
            "kind: levels\nlevels:\n\tP3: x\n",
            3,
            1,
            "a tab indents this line: YAML indents with spaces only",
        ),
        (LEVEL + "  \ttitle: x\n", 4, 3, "replace the tab with spaces"),
        # Indentation that lines up with nothing, or runs into the line above.
        (
            LEVEL + "    title: x\n   dimensions: y\n",
            5,
            4,
            "indented by 3 spaces, which lines up with no key",
        ),
        (FAMILY + "     - b\n", 7, 6, "indented by 5 spaces"),
        (LEVEL + "    title: x\n      dimensions: y\n", 5, 7, "indented deeper than line 4"),
        # Unterminated quotes and brackets, where they open, not at the end of the file.
        (
            LEVEL + '    title: "Mid\n    x: y\n  P4:\n    title: z\n',
            4,
            12,
            'opened here with " is never closed',
        ),
        (LEVEL + "    title: 'Mid\n    x: y\n", 4, 12, "opened here with ' is never closed"),
        (
            "kind: levels\ndimensions: [a, b\nlevels: {}\n",
            2,
            13,
            "the list opened here with [ is not closed",
        ),
    ],
)
def test_each_mistake_is_named_with_a_fix_at_its_line(
    source: str, line: int, column: int, words: str
) -> None:
    found = refusal(source)
    assert found[:2] == (line, column), found
    assert words in found[2]
    assert found[2].startswith("malformed YAML: ")


def test_other_errors_keep_the_parsers_words() -> None:
    line, column, message = refusal("a: 1\n---\nb: 2\n")
    assert (line, column) == (2, 1)
    assert "indented" not in message and message.startswith("malformed YAML: ")


def test_text_read_as_a_mapping_says_why(cli: CliRun, canon_dir: Path) -> None:
    source = FAMILY_YAML.replace("- Builds the thing.", "- Builds the thing. Note: works alone")
    write_files(canon_dir, {"canon/family.yaml": source})
    result = cli("check", "--format", "json")
    [finding] = json.loads(result.out)
    assert (finding["code"], finding["line"], finding["column"]) == ("JF002", 7, 9)
    assert finding["message"].endswith(
        'quote the whole text: "Builds the thing. Note: works alone")'
    )


@pytest.mark.parametrize(
    ("header", "fix", "breaks"),
    [
        (">", ">-", "its final line break"),
        ("|", "|-", "its final line break"),
        ("|+", "|-", "its final 2 line breaks"),
        (">2", ">2-", "its final line break"),
    ],
)
def test_a_block_scalar_keeping_its_final_break_is_explained(
    cli: CliRun, canon_dir: Path, header: str, fix: str, breaks: str
) -> None:
    body = "      Mid-Level\n" + ("      Professional\n" if ">" in header else "")
    kept = "\n" if header.endswith("+") else ""  # a blank line more, kept by `+`
    guide = LEVELS_YAML.replace(
        "    title: Mid-Level Professional\n", f"    title: {header}\n{body}{kept}"
    )
    write_files(canon_dir, {"canon/levels.yaml": guide})
    result = cli("check", "--format", "json")
    [finding] = json.loads(result.out)
    kind = "folded" if header.startswith(">") else "literal"
    assert (finding["code"], finding["line"], finding["column"]) == ("JF108", 7, 12)
    assert finding["message"] == (
        f"the {kind} block ({header}) of levels.P3.title keeps {breaks}, which the frames "
        f"would copy; write {fix} instead of {header} to drop it"
    )
    assert finding["fixable"] is False


def test_a_stripped_block_scalar_is_clean(cli: CliRun, canon_dir: Path) -> None:
    guide = LEVELS_YAML.replace(
        "    title: Mid-Level Professional\n",
        "    title: >-\n      Mid-Level\n      Professional\n",
    )
    write_files(canon_dir, {"canon/levels.yaml": guide})
    assert cli("check").code == 0


def test_positions_hold_with_crlf_and_a_bom() -> None:
    source = "\ufeffkind: levels\r\nlevels:\r\n  P3:\r\n    title: Senior: works alone\r\n"
    line, column, message = refusal(source)
    assert (line, column) == (4, 18)
    assert message.endswith('quote the whole text: "Senior: works alone"')
