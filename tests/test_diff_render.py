"""The diff's formats: canon text never drives the terminal, markup or Markdown."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from jobframe_lint.diff.compare import word_diff
from jobframe_lint.diff.model import Op
from jobframe_lint.markdown import escape
from tests.conftest import Run
from tests.test_diff import edit

HOSTILE = '"\\e[31mRED [bold]loud[/bold] :smile: <img src=x onerror=alert(1)> [x](http://e.vil) *em* @team"'


def make_hostile(root: Path) -> None:
    edit(
        root, "canon/family.yaml", "- Builds the thing.", f"- Builds the thing.\n      - {HOSTILE}"
    )


def test_rich_shows_canon_text_literally(git_repo: Path, cli: Callable[..., Run]) -> None:
    make_hostile(git_repo)
    result = cli("diff", "--format", "rich", "--color", "always")
    assert result.code == 0
    assert "\x1b[" in result.out, "our own styling is there"
    assert "\x1b[31mRED" not in result.out
    assert "\\x1b[31mRED [bold]loud[/bold] :smile:" in result.out
    assert "\U0001f604" not in result.out


def test_rich_without_colour_marks_words_with_brackets(
    git_repo: Path,
    cli: Callable[..., Run],
) -> None:
    edit(git_repo, "canon/family.yaml", "Builds the thing.", "Ships the thing.")
    result = cli("diff", "--format", "rich", "--color", "never")
    assert "\x1b" not in result.out
    assert "[-Builds-]{+Ships+}" in result.out


def test_markdown_escapes_canon_text(git_repo: Path, cli: Callable[..., Run]) -> None:
    make_hostile(git_repo)
    result = cli("diff", "--format", "markdown")
    assert result.code == 0
    out = result.out
    assert out.startswith("### Frame diff: HEAD → working tree\n\n`+` newly produced")
    for active in ("<img", "](", "*em*", "@team", ":smile:", "[bold]"):
        assert not re.search(r"(?<!\\)" + re.escape(active), out), active
    assert "\\<img src=x onerror=alert(1)>" in out
    assert "\x1b" not in out
    assert "**SMART goals: 6 produced, 0 omitted, 0 changed**" in out  # our text, as is


def test_markdown_word_diff_and_reason(git_repo: Path, cli: Callable[..., Run]) -> None:
    edit(git_repo, "canon/family.yaml", "Builds the thing.", "Ships the thing.")
    edit(git_repo, "canon/family.yaml", "      knowledge-application: Applies knowledge.\n", "")
    out = cli("diff", "--format", "markdown").out
    assert '- `~` Goal 1 · Specific: Deliver: "~~Builds~~**Ships** the thing."' in out
    assert '  \n  _now omitted: no "knowledge-application" rubric' in out


def test_json_is_documented_shape(git_repo: Path, cli: Callable[..., Run]) -> None:
    edit(git_repo, "canon/family.yaml", "Builds the thing.", "Ships the thing.")
    document = json.loads(cli("diff", "--format", "json").out)
    assert set(document) == {"base", "head", "summary", "pages", "not_compared", "groups"}
    assert document["groups"] == []  # one page: no change is made on several
    assert document["summary"] == {"produced": 0, "omitted": 0, "changed": 6, "pages": 1}
    page = document["pages"][0]
    assert set(page) == {"family", "level", "path", "status", "old_path", "old_family", "frames"}
    frame = page["frames"][0]
    assert set(frame) == {"frame", "title", "produced", "omitted", "changed", "changes"}
    change = frame["changes"][0]
    assert change["words"] == [
        {"op": "delete", "text": "Builds"},
        {"op": "insert", "text": "Ships"},
        {"op": "equal", "text": " the thing."},
    ]
    assert change["sources"][0] == {
        "path": "canon/family.yaml",
        "line": 7,
        "column": 9,
        "field": "levels.P3.responsibilities[0]",
    }


def test_text_is_the_default_when_piped(git_repo: Path, cli: Callable[..., Run]) -> None:
    edit(git_repo, "canon/family.yaml", "Builds the thing.", "Ships the thing.")
    assert cli("diff").out == cli("diff", "--format", "text").out


def test_escape_leaves_no_markdown_active() -> None:
    assert escape("a*b_c`d _e_") == "a\\*b_c\\`d \\_e\\_"  # "b_c" cannot be emphasis
    assert escape("line\nbreak") == "line\\\\x0abreak"


@given(st.text(max_size=40), st.text(max_size=40))
def test_word_diff_rebuilds_both_sides(old: str, new: str) -> None:
    segments = word_diff(old, new)
    assert "".join(s.text for s in segments if s.op is not Op.INSERT) == old
    assert "".join(s.text for s in segments if s.op is not Op.DELETE) == new
