"""Canon text is data in every format: markup, HTML, Markdown or escape sequences in it can
neither crash a renderer nor change the styling of what it prints."""

from __future__ import annotations

import html
import io
import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from jobframe_lint.frames.render_rich import make_console, render_rich
from jobframe_lint.terminal import printable
from tests.conftest import Run, write_files

CliRun = Callable[..., Run]

RICH_MARKUP = "[bold]bold?[/] [link=http://x]link[/link] [/] [red on white]r"
HTML = "<b>html</b> <script>alert(1)</script> &amp; &lt;"
MARKDOWN = "**md** _u_ `code` # h | pipe [l](http://x) ![i](y) ~~s~~ $x$ \\* <http://z> @team :+1:"
ESCAPES = "\x1b[31mred\x1b[0m \x1b]8;;http://evil\x1b\\osc\x1b]8;;\x1b\\ bell\x07 \x9b2J"
PLACEHOLDER = "Ship by ⟨date⟩ [i]"
HOSTILE = [RICH_MARKUP, HTML, MARKDOWN, ESCAPES, PLACEHOLDER]
FUNCTION = "[red]Func[/red] <i>"
FAMILY = "Fam *ily* [u]"
TITLE = "<em>T</em> | [b]"
DIMENSION = "[b]Reach[/b] |"
BAR = "*bar* \x1b[1mB | [/]"
RUBRIC = "`rubric` [dim]\x1b[2J"


def quoted(text: str) -> str:
    """``text`` as a YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text)


def hostile_canon(root: Path) -> Path:
    levels = f"""\
kind: levels
dimensions: [{quoted(DIMENSION)}]
levels:
  P3:
    title: {quoted(TITLE)}
    dimensions:
      {quoted(DIMENSION)}: {quoted(BAR)}
"""
    responsibilities = "".join(f"      - {quoted(text)}\n" for text in HOSTILE)
    family = f"""\
kind: family
function: {quoted(FUNCTION)}
family: {quoted(FAMILY)}
levels:
  P3:
    responsibilities:
{responsibilities}    rubrics:
      complexity/problem-solving: {quoted(RUBRIC)}
      knowledge-application: {quoted(RUBRIC)}
"""
    return write_files(root, {"canon/levels.yaml": levels, "canon/family.yaml": family})


@pytest.fixture
def hostile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return hostile_canon(tmp_path)


ALL_TEXTS = [*HOSTILE, FUNCTION, FAMILY, TITLE, DIMENSION, BAR, RUBRIC]


def test_text_shows_canon_verbatim_but_never_sends_controls(hostile: Path, cli: CliRun) -> None:
    result = cli("render", "--format", "text", "--omitted")
    assert result.code == 0, result.err
    for text in ALL_TEXTS:
        assert printable(text) in result.out
    assert not re.search(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]", result.out)
    assert "\\x1b[31mred\\x1b[0m" in result.out


def test_json_keeps_canon_text_exact(hostile: Path, cli: CliRun) -> None:
    result = cli("render", "--format", "json")
    assert result.code == 0, result.err
    assert "\x1b" not in result.out
    [page] = json.loads(result.out)
    smart = page["frames"][0]
    assert [block["lines"][0]["text"] for block in smart["blocks"]] == HOSTILE
    assert page["header"][2]["text"] == f"{FUNCTION} · {FAMILY} · P3 — {TITLE}"


def rich_view(hostile: Path, cli: CliRun, monkeypatch: pytest.MonkeyPatch) -> str:
    from jobframe_lint.discovery import collect
    from jobframe_lint.frames.build import build_pages
    from jobframe_lint.lint import lint

    monkeypatch.setenv("COLORTERM", "truecolor")
    pages = build_pages(lint(collect([Path("canon")], Path("canon"))).canon)
    out = io.StringIO()
    render_rich(pages, make_console(out, color=True, width=240), omitted=True)
    return out.getvalue()


def test_rich_neither_reads_markup_nor_passes_escapes(
    hostile: Path, cli: CliRun, monkeypatch: pytest.MonkeyPatch
) -> None:
    view = rich_view(hostile, cli, monkeypatch)
    assert "\x1b]" not in view  # no hyperlink (OSC 8) from [link=…] or from the canon
    assert "\x07" not in view
    assert "\x9b" not in view
    for sequence in ("\x1b[31m", "\x1b[2J", "\x1b[1mB", "\x1b[3m" + "T"):
        assert sequence not in view
    # Each canon text comes out whole: no style switched on or off inside it.
    for text in ALL_TEXTS:
        assert printable(text) in view, text


def test_rich_styling_after_canon_text_is_intact(
    hostile: Path, cli: CliRun, monkeypatch: pytest.MonkeyPatch
) -> None:
    view = rich_view(hostile, cli, monkeypatch)
    for text in HOSTILE:
        # The source tag right after the text is still dimmed: "[/]" closed nothing.
        assert f"{printable(text)}\x1b[2m  [source: JFM responsibility (P3)]\x1b[0m" in view
    # A placeholder inside canon text is not highlighted; the template's are.
    assert "Ship by ⟨date⟩ [i]" in view
    assert "\x1b[1;35m⟨date⟩\x1b[0m" in view


def test_markdown_shows_canon_literally(hostile: Path, cli: CliRun) -> None:
    result = cli("render", "--format", "markdown", "--omitted")
    assert result.code == 0, result.err
    assert not re.search(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]", result.out)
    rendered = MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(result.out)
    tags = set(re.findall(r"<(\w+)", rendered))
    assert tags <= {
        "h1",
        "h2",
        "h3",
        "p",
        "strong",
        "em",
        "s",
        "ol",
        "ul",
        "li",
        "blockquote",
        "code",
    } | {
        "hr",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
    }
    shown = html.unescape(re.sub(r"<[^>]+>", "", rendered))
    for text in ALL_TEXTS:
        assert printable(text) in shown, text
    assert set(re.findall(r"<code>(.*?)</code>", rendered)) <= {"@", "#", ":"}
    assert "`@`team `:`+1:" in result.out  # no GitHub mention or emoji either
    for row in re.findall(r"<tr>(.*?)</tr>", rendered, flags=re.DOTALL):
        assert row.count("<td") + row.count("<th") == 3
