"""Output safety, second round: GitHub workflow commands, invisible and look-alike characters,
Markdown as GitHub's own parser reads it, odd terminal widths and file names.

The workflow-command check reads output as the Actions runner does: a line is a command when
it starts with ``::`` after leading white space (.NET's ``TrimStart``, Unicode white space),
and the legacy form when ``##[`` occurs anywhere in it.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import unicodedata
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import cmarkgfm
import pytest
from cmarkgfm.cmark import Options
from hypothesis import given
from hypothesis import strategies as st

from jobframe_lint.markdown import escape
from jobframe_lint.terminal import json_safe, printable
from tests.conftest import Run, git, run_process, write_files

CliRun = Callable[..., Run]

# The forms of the issue: a forged annotation, the legacy form in a key, and both after a
# line break and indentation (rich wraps long text onto a new, indented line).
FORGED = "::error file=canon/levels.yaml,line=1::forged"
LEGACY = "##[error]legacy forged"
WRAPPED = [f"{'word ' * count}::warning title=x::wrapped" for count in range(1, 30)]
# Terminal escapes in file names: a window title, an OSC 52 clipboard write, a line break.
NAMES = [
    "::error file=x::name.yaml",
    "##[error]name.yaml",
    "osc \x1b]0;title\x07.yaml",
    "clip \x1b]52;c;ZXZpbA==\x07.yaml",
    "line\n::error::break.yaml",
]
COMMAND = re.compile(r"::(error|warning|notice) [^\r\n]*")


def runner_commands(text: str, ours: bool = False) -> list[str]:
    """The lines of ``text`` the Actions runner would execute; with ``ours``, less the
    annotations ``--format github`` writes on purpose (one per line, whole)."""
    return [
        line
        for line in re.split(r"\r\n|\r|\n", text)
        if "##[" in line
        or (line.lstrip().startswith("::") and not (ours and COMMAND.fullmatch(line)))
    ]


def assert_inert(text: str, ours: bool = False) -> None:
    assert runner_commands(text, ours) == []
    control = re.search("[\x00-\x09\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028\u2029\u2060\ufeff]", text)
    assert control is None, f"{control.group()!r} in {text[:500]!r}"


def quoted(text: str) -> str:
    return json.dumps(text)


def family(name: str, responsibilities: list[str], function: str = "Fn") -> str:
    items = "".join(f"\n      - {quoted(text)}" for text in responsibilities)
    return (
        f"kind: family\nfunction: {quoted(function)}\nfamily: {quoted(name)}\nlevels:\n"
        f"  P3:\n    responsibilities:{items}\n    rubrics:\n"
        "      complexity/problem-solving: Solves.\n      knowledge-application: Applies.\n"
    )


LEVELS = f"""\
kind: levels
dimensions: [Scope, {quoted(LEGACY)}]
levels:
  P3:
    title: {quoted("  " + FORGED)}
    dimensions:
      Scope: {quoted(FORGED + " scope")}
      {quoted(LEGACY)}: {quoted("bar " + LEGACY)}
"""


@pytest.fixture
def forged(canon_dir: Path) -> Path:
    """Workflow commands in every kind of canon text, and in file names."""
    write_files(
        canon_dir,
        {
            "canon/levels.yaml": LEVELS,
            "canon/family.yaml": family(FORGED, [FORGED, LEGACY, *WRAPPED], function=LEGACY),
        },
    )
    for index, name in enumerate(NAMES):
        # A trailing space: a fixable JF108 that --fix reports by file name on stderr.
        text = family(f"Fam {index}", [f"Does {index}. "])
        (canon_dir / "canon" / name).write_text(text, encoding="utf-8")
    # An unknown key quotes itself in check's message: JF002 ... unknown key '##[error]...'.
    (canon_dir / "canon" / "key.yaml").write_text(
        f"kind: levels\n{quoted(LEGACY)}: x\n{quoted(FORGED)}: y\n", encoding="utf-8"
    )
    return canon_dir


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github"])
def test_check_writes_no_workflow_command(forged: Path, cli: CliRun, fmt: str) -> None:
    for color in ("never", "always"):
        run = cli("check", "--format", fmt, "--color", color, "canon")
        assert run.code == 1, run.err
        shown = re.sub(r"\x1b\[[0-9;]*m", "", run.out) if color == "always" else run.out
        assert_inert(shown + run.err, ours=fmt == "github")
    if fmt == "json":
        messages = " ".join(item["message"] for item in json.loads(run.out))
        assert LEGACY in messages  # the data itself is exact: only its JSON text is escaped
        assert "##\\u005b" in run.out


def test_check_text_shows_the_breaks(forged: Path, cli: CliRun) -> None:
    out = cli("check", "--color", "never", "canon").out
    assert "unknown key ':\\:error file=canon/levels.yaml,line=1:\\:forged'" in out
    assert "unknown key '##\\[error]legacy forged'" in out


def test_check_fix_reports_file_names_as_data(forged: Path, cli: CliRun) -> None:
    run = cli("check", "--fix", "--color", "never", "canon")
    assert "fixed 1 finding (JF108)" in run.err
    assert_inert(run.out + run.err)
    assert "canon/clip \\x1b]52;c;ZXZpbA==\\x07.yaml: fixed" in run.err
    assert "canon/line\\x0a:\\:error:\\:break.yaml: fixed" in run.err


@pytest.mark.parametrize("fmt", ["text", "markdown", "rich", "json"])
def test_render_writes_no_workflow_command(
    forged: Path, cli: CliRun, fmt: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in [*NAMES, "key.yaml"]:
        (forged / "canon" / name).unlink()
    for columns in ("80", "41", "133"):  # where rich wraps decides which words start a line
        monkeypatch.setenv("COLUMNS", columns)
        run = cli("render", "--format", fmt, "--omitted", "--color", "never", "canon")
        assert run.code == 0, run.err
        assert_inert(run.out + run.err)
    if fmt == "json":
        pages = json.loads(run.out)
        assert {page["family"] for page in pages} >= {FORGED}
        assert pages[0]["header"][2]["text"].startswith(LEGACY)  # the breadcrumb, exactly


def test_the_unbroken_form_would_start_a_line() -> None:
    """The check above can fail: the page title is the family name, at a line's start."""
    assert runner_commands(f"{FORGED} — P3\nx")
    assert runner_commands(f"   Specific: {LEGACY}")


@pytest.mark.parametrize("fmt", ["text", "markdown", "rich", "json"])
def test_diff_writes_no_workflow_command(
    forged: Path, cli: CliRun, fmt: str, hermetic_git: None
) -> None:
    for name in [*NAMES, "key.yaml"]:
        (forged / "canon" / name).unlink()
    git(forged, "init", "-q")
    git(forged, "add", "-A")
    git(forged, "commit", "-qm", "forged")
    path = forged / "canon" / "family.yaml"
    path.write_text(path.read_text("utf-8").replace("wrapped", "rewrapped ##[x]"), "utf-8")
    run = cli("diff", "--format", fmt, "--color", "never", "canon")
    assert run.code == 0, run.err
    assert_inert(run.out + run.err)
    if fmt == "json":
        assert json.loads(run.out)["summary"]["changed"] > 0


# Text rich in what printable() must break, with any other character mixed in.
RISKY = st.text(st.sampled_from(":#[ \n\x1b\u200b\u2028\udcff") | st.characters())


@given(RISKY)
def test_printable_never_leaves_a_command_or_an_invisible_character(text: str) -> None:
    shown = printable(text)
    assert "::" not in shown and "##[" not in shown
    assert not any(unicodedata.category(char) in ("Cc", "Cf", "Cs", "Zl", "Zp") for char in shown)
    shown.encode("utf-8")  # no lone surrogate left


@given(
    st.recursive(RISKY | st.none(), lambda inner: st.lists(inner) | st.dictionaries(RISKY, inner))
)
def test_json_safe_keeps_the_data_and_breaks_commands(value: object) -> None:
    document = json_safe(json.dumps(value, indent=2, ensure_ascii=False))
    document.encode("utf-8")
    assert "##[" not in document
    assert all(not line.lstrip().startswith("::") for line in document.split("\n"))
    assert "\u2028" not in document and "\u200b" not in document
    if not re.search("[\ud800-\udfff]", json.dumps(value, ensure_ascii=False)):
        assert json.loads(document) == value


# -- invisible and look-alike characters ----------------------------------------------------

INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u2060", "\ufeff", "\u00ad"]
SEPARATORS = ["\u2028", "\u2029"]


@pytest.mark.parametrize("char", INVISIBLE + SEPARATORS)
def test_invisible_characters_are_flagged_and_shown(
    canon_dir: Path, cli: CliRun, char: str
) -> None:
    write_files(canon_dir, {"canon/family.yaml": family("Example Family", [f"Da{char}ta work."])})
    findings = json.loads(cli("check", "--format", "json", "canon").out)
    [finding] = [item for item in findings if item["code"] == "JF108"]
    assert f"U+{ord(char):04X}" in finding["message"]
    code = ord(char)
    shown = (
        f"Da\\{f'x{code:02x}' if code < 0x100 else f'u{code:04x}'}ta work."  # as Python writes it
    )
    for fmt in ("text", "markdown", "rich"):
        out = cli("render", "--format", fmt, "--color", "never", "canon").out
        assert char not in out
        assert (escape(shown) if fmt == "markdown" else shown) in out, fmt
    raw = cli("render", "--format", "json", "canon").out
    assert char not in raw and f"\\u{ord(char):04x}" in raw  # an escape of the same text
    [page] = json.loads(raw)
    texts = [
        line["text"]
        for frame in page["frames"]
        for block in frame["blocks"]
        for line in block["lines"]
    ]
    assert f"Da{char}ta work." in texts  # which decodes to the canon text exactly


def test_look_alike_letters_inside_a_word_are_flagged(canon_dir: Path, cli: CliRun) -> None:
    write_files(
        canon_dir,
        {
            "canon/family.yaml": family(
                "Example Family", ["Owns D\u0430ta quality.", "Ships caf\u00e9 menus."]
            )
        },
    )
    findings = json.loads(cli("check", "--format", "json", "canon").out)
    messages = [item["message"] for item in findings if item["code"] == "JF108"]
    assert messages == [
        '"D\u0430ta" in levels.P3.responsibilities[0] mixes Latin letters with look-alikes '
        "(U+0430 CYRILLIC SMALL LETTER A): it reads as a word it is not"
    ]  # an accented Latin letter is no look-alike


def test_names_that_read_the_same_are_one_family(canon_dir: Path, cli: CliRun) -> None:
    names = ["Data", "Da\u200bta", "D\u0430ta", "\uff24\uff41\uff54\uff41", "DATA", "Data  "]
    write_files(
        canon_dir,
        {f"canon/f{index}.yaml": family(name, ["Works."]) for index, name in enumerate(names)},
    )
    findings = json.loads(cli("check", "--format", "json", "canon").out)
    clashes = sorted(item["path"] for item in findings if item["code"] == "JF109")
    assert clashes == [f"canon/f{index}.yaml" for index in range(1, len(names))]
    text = cli("check", "--color", "never", "canon").out
    assert 'family "Da\\u200bta" is already defined as "Data", which reads the same' in text


def test_look_alike_level_codes_clash(canon_dir: Path, cli: CliRun) -> None:
    other = "kind: levels\ndimensions: [Scope]\nlevels:\n  \u04203:\n    title: Other\n"
    write_files(canon_dir, {"canon/other.yaml": other})
    findings = json.loads(cli("check", "--format", "json", "canon").out)
    [clash] = [item for item in findings if item["code"] == "JF109"]
    assert clash["path"] == "canon/other.yaml"
    assert 'level \u04203 is already defined as "P3"' in clash["message"]


# -- Markdown, parsed by GitHub's cmark-gfm ---------------------------------------------------

INJECTIONS = [
    "mail user@evil.example now",
    "user\\@evil\\.example escaped",
    "chat xmpp:foo@bar.example/res",
    "mail mailto:a@b.example",
    "visit www.evil.example/x",
    "visit https://evil.example/x and HTTP://EVIL.example",
    "angle <https://evil.example> and <a@b.example>",
    "link [l](javascript:alert(1)) and [r][ref]",
    "image ![i](https://evil.example/x.png)",
    "html <img src=x onerror=alert(1)> <script>alert(1)</script> <b>b</b> <!-- c -->",
    "mention @team and @org/team, issue #123, emoji :smile:",
    "table | cell | break",
    "*em* _em_ **strong** ~~struck~~ ~one~ `code` $math$ &amp; &#64;",
    "footnote[^1] and task [ ] and [x]: https://evil.example",
    "trailing \\",
]
STARTS = [
    "- a list",
    "+ plus",
    "> quote",
    "1. ordered",
    "2) ordered",
    "     indented",
    "---",
    "# h",
]
READABLE = "Owns end-to-end delivery (P3), see canon/families/data.yaml:4; a_b, x-y, \"q\" 'r'!"


def gfm(markdown: str) -> str:
    """HTML as GitHub renders Markdown: cmark-gfm with its extensions, raw HTML kept (GitHub
    sanitises it afterwards: it must not be there to sanitise)."""
    return str(
        cmarkgfm.markdown_to_html_with_extensions(
            markdown,
            options=Options.CMARK_OPT_UNSAFE,
            extensions=["autolink", "table", "strikethrough", "tagfilter"],
        )
    )


class _Text(HTMLParser):
    """The text a reader sees, and the text GitHub's mention and reference filters see
    (everything outside code)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.seen: list[str] = []
        self.filtered: list[str] = []
        self.in_code = 0
        self.tags: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.in_code += tag == "code"
        self.filtered.append(" ")

    def handle_endtag(self, tag: str) -> None:
        self.in_code -= tag == "code"
        self.filtered.append(" ")

    def handle_data(self, data: str) -> None:
        self.seen.append(data)
        if not self.in_code:
            self.filtered.append(data)


LAYOUT_TAGS = {"h1", "h2", "h3", "h4", "p", "strong", "em", "del", "ol", "ul", "li", "blockquote"}
LAYOUT_TAGS |= {"hr", "table", "thead", "tbody", "tr", "th", "td", "br", "code"}


def assert_shown_as_written(
    markdown: str, texts: list[str], ours: frozenset[str] = frozenset()
) -> None:
    """No link, image or raw HTML, no GitHub reference outside code, and ``texts`` read as
    written; ``ours`` are the template's own code spans (the diff's change markers)."""
    rendered = gfm(markdown)
    parser = _Text()
    parser.feed(rendered)
    assert "<a " not in rendered and "<img" not in rendered
    assert parser.tags <= LAYOUT_TAGS, parser.tags - LAYOUT_TAGS
    assert set(re.findall(r"<code>(.*?)</code>", rendered)) <= {"@", "#", ":", *ours}
    seen = "".join(parser.seen)
    for text in texts:
        assert printable(text) in seen, text
    filtered = "".join(parser.filtered)
    # GitHub's filters: @mentions, #references and :emoji: in text outside code.
    assert not re.search(r"(?:^|\W)@\w|#\d|:[\w+-]+:", filtered), filtered
    for row in re.findall(r"<tr>(.*?)</tr>", rendered, flags=re.DOTALL):
        assert row.count("<td") + row.count("<th") == 3, row
    assert_inert(markdown)


@pytest.fixture
def injected(canon_dir: Path) -> Path:
    dims = "".join(f"\n      Scope: {quoted(INJECTIONS[0])}" for _ in range(1))
    levels = (
        "kind: levels\ndimensions: [Scope]\nlevels:\n  P3:\n"
        f"    title: {quoted(READABLE)}\n    dimensions:{dims}\n"
    )
    write_files(
        canon_dir,
        {
            "canon/levels.yaml": levels,
            "canon/family.yaml": family("Fam @team", [READABLE, *INJECTIONS, *STARTS]),
        },
    )
    return canon_dir


def test_render_markdown_shows_canon_as_written(injected: Path, cli: CliRun) -> None:
    run = cli("render", "--format", "markdown", "--omitted", "canon")
    assert run.code == 0, run.err
    assert_shown_as_written(run.out, [READABLE, *INJECTIONS, *STARTS])
    # Readable in the source too: nothing that cannot become markup is escaped.
    assert f"1. {READABLE}" in run.out
    assert "xmpp:foo`@`bar.example/res" in run.out
    rendered = gfm(run.out)
    # The SMART and MBO lists and the disclaimer's quote: no list or quote from canon text.
    assert rendered.count("<ol>") == 2 and rendered.count("<blockquote>") == 1
    assert "<pre>" not in rendered and rendered.count("<hr />") == 0


def test_diff_markdown_escapes_canon_as_render_does(
    injected: Path, cli: CliRun, hermetic_git: None
) -> None:
    path = injected / "canon" / "family.yaml"
    source = path.read_text("utf-8")
    path.unlink()
    git(injected, "init", "-q")
    git(injected, "add", "-A")
    git(injected, "commit", "-qm", "guide only")
    path.write_text(source, "utf-8")  # a new page: every line of it is in the diff
    run = cli("diff", "--format", "markdown", "canon")
    assert run.code == 0, run.err
    assert_shown_as_written(run.out, INJECTIONS, ours=frozenset("+-~"))
    assert f"{escape(READABLE)}" in run.out and escape(READABLE) == READABLE
    assert "#### Fam `@`team — P3  (canon/family.yaml; new page)" in run.out
    assert "**Diff: " in run.out and "\\(" not in run.out.split("**Diff: ")[1]  # ours, as is


def test_escape_keeps_emphasis_and_links_inert_everywhere() -> None:
    for text in [*INJECTIONS, *STARTS, READABLE]:
        for template in (
            "1. {}",
            "- **Label:** {} _\\[source: x\\]_",
            "| {} | b | c |",
            "# {} — P3",
        ):
            markdown = template.format(escape(text))
            if template.startswith("|"):
                markdown = "| a | b | c |\n|---|---|---|\n" + markdown
            assert_shown_as_written(markdown, [text])


# -- odd terminals and names ----------------------------------------------------------------


@pytest.mark.parametrize("columns", ["0", "99999999", "\u00b2", "-1", "abc"])
def test_any_columns_value_prints_the_whole_view_in_bounded_time(
    canon_dir: Path, monkeypatch: pytest.MonkeyPatch, columns: str
) -> None:
    monkeypatch.setenv("COLUMNS", columns)
    render = run_process(
        "render", "--format", "rich", "--color", "never", "canon", cwd=canon_dir, timeout=60
    )
    assert (render.code, render.err) == (0, "")
    assert render.out.startswith("Example Family — P3\n")
    assert "Builds the thing." in render.out
    assert max(len(line) for line in render.out.splitlines()) <= 1000
    write_files(canon_dir, {"canon/family.yaml": family("Example Family", ["Two  spaces."])})
    check = run_process("check", "--color", "always", "canon", cwd=canon_dir, timeout=60)
    assert check.code == 0 and "JF108" in check.out, check.err


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="file names there are Unicode")
def test_a_name_that_is_not_utf8_is_one_representation_everywhere(canon_dir: Path) -> None:
    canon = bytes(canon_dir / "canon")
    name = os.fsdecode(canon + b"/fam-\xff.yaml")
    (canon_dir / "canon" / "family.yaml").rename(name)
    Path(name).write_text(family("Example Family", ["Trailing. "]), encoding="utf-8")
    env = {**os.environ, "PYTHONIOENCODING": "utf-8:strict"}

    def check(fmt: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "jobframe_lint", "check", "--format", fmt, "canon"],
            cwd=canon_dir,
            capture_output=True,
            env=env,
            timeout=60,
            check=False,
        )
        assert done.returncode == 0 and done.stderr == b"", done.stderr
        return done.stdout.decode("utf-8")  # strict: valid UTF-8

    [finding] = json.loads(check("json"))
    assert finding["path"] == "canon/fam-\\xff.yaml"  # the byte as text, not a lone surrogate
    assert "\\udc" not in check("json")
    assert check("text").startswith("canon/fam-\\xff.yaml:")
    # No annotation on a file that does not exist: on the run, saying where.
    [annotation] = check("github").splitlines()
    assert annotation.startswith("::warning title=JF108 whitespace::canon/fam-\\xff.yaml:")
    assert "file=" not in annotation
    sarif = json.loads(check("sarif"))
    location = sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "canon/fam-%FF.yaml"


@given(st.text(alphabet=st.characters(max_codepoint=0x7F)))
def test_json_safe_takes_a_short_way_for_ascii_to_the_same_result(text: str) -> None:
    """ASCII JSON skips the scan for non-ASCII characters: what it writes is the same."""
    from jobframe_lint.terminal import _JSON_UNSAFE, _json_escape, json_safe

    document = json.dumps(text, ensure_ascii=False)
    assert json_safe(document) == _JSON_UNSAFE.sub(_json_escape, document).replace(
        "##[", "##\\u005b"
    )
