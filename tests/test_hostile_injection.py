"""Output injection: canon text and file names that carry terminal escapes, rich markup,
Markdown/HTML, GitHub workflow commands and JSON specials are printed as data, in every
format of every command."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import Run, write_files

PAYLOAD = (
    "[bold red]R[/] [link=http://evil]L[/link] "
    "\x1b[31mE\x1b[0m \x1b]0;T\x07 \x1b]8;;http://evil\x1b\\H\x1b]8;;\x1b\\ \x9b31m \u202eB "
    "<script>alert(1)</script> <b>b</b> &amp; | # *x* [l](javascript:alert(1)) `c` $m$ "
    '::set-output name=x::y %0A %25 "q" \\ \u2028'
)
# What a payload on several lines adds: a command or a heading at the start of a line.
MULTILINE = PAYLOAD + "\n::error file=x::boom\r\n# heading\n| a | b |"
# A file name can hold all of it but '/'.
FILE_NAME = "fam \x1b]0;T\x07 [bold]b <i>i<\\i> ::warning::w %0A ,:\"'\n::error::n.yaml"

# Anything a terminal acts on: C0 controls but newline, DEL, C1, bidirectional overrides.
CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
SGR = re.compile(r"\x1b\[[0-9;]*m")


def _quoted(text: str) -> str:
    """A YAML double-quoted scalar (JSON's escapes are YAML's)."""
    return json.dumps(text)


def _canon(root: Path) -> None:
    levels = f"""\
        kind: levels
        dimensions:
          - Scope
          - {_quoted("Dim " + PAYLOAD)}
        levels:
          P3:
            title: {_quoted(PAYLOAD)}
            dimensions:
              Scope: {_quoted(PAYLOAD)}
              {_quoted("Dim " + PAYLOAD)}: {_quoted(MULTILINE)}
        """
    family = f"""\
        kind: family
        function: {_quoted(PAYLOAD)}
        family: {_quoted("Fam " + PAYLOAD)}
        levels:
          P3:
            responsibilities:
              - {_quoted(PAYLOAD)}
              - {_quoted(MULTILINE)}
            rubrics:
              complexity/problem-solving: {_quoted(PAYLOAD)}
        """
    write_files(root, {"canon/levels.yaml": levels, f"canon/{FILE_NAME}": family})


def _assert_no_control(text: str) -> None:
    found = CONTROL.search(text)
    assert found is None, f"{found.group()!r} reaches the output: {text[:2000]!r}"


def _assert_no_command(text: str) -> None:
    """No line a CI runner would execute as a workflow command or a terminal as an escape."""
    _assert_no_control(text)
    commands = [line for line in text.split("\n") if line.lstrip().startswith("::")]
    assert commands == []


@pytest.fixture
def hostile(canon_dir: Path) -> Path:
    """A canon that renders: hostile text everywhere a frame shows canon text."""
    (canon_dir / "canon" / "family.yaml").unlink()
    _canon(canon_dir)
    return canon_dir


@pytest.fixture
def broken(hostile: Path) -> Path:
    """Plus a file whose finding quotes hostile text back (an unknown key)."""
    key = json.dumps("key " + PAYLOAD)
    (hostile / "canon" / "k.yaml").write_text(f"kind: levels\n{key}: x\n", encoding="utf-8")
    return hostile


def test_check_text(broken: Path, cli: Callable[..., Run]) -> None:
    for color in ("never", "always"):
        run = cli("check", "--color", color, "canon")
        assert run.code == 1
        _assert_no_command(SGR.sub("", run.out))
        assert "\\x1b]0;T\\x07" in run.out  # shown, not sent
        assert "[bold]b <i>i" in SGR.sub("", run.out)  # markup printed, not interpreted


def test_check_json(broken: Path, cli: Callable[..., Run]) -> None:
    run = cli("check", "--format", "json", "canon")
    _assert_no_control(run.out)
    paths = {item["path"] for item in json.loads(run.out)}
    assert f"canon/{FILE_NAME}" in paths  # the exact name, as data
    quoted = [item for item in json.loads(run.out) if item["path"] == "canon/k.yaml"]
    assert any("key [bold red]R[/]" in item["message"] for item in quoted)


def test_check_sarif(broken: Path, cli: Callable[..., Run]) -> None:
    run = cli("check", "--format", "sarif", "canon")
    _assert_no_control(run.out)
    results = json.loads(run.out)["runs"][0]["results"]
    uris = {
        location["physicalLocation"]["artifactLocation"]["uri"]
        for result in results
        for location in result["locations"]
    }
    # A URI reference: reserved and unsafe characters percent-encoded.
    assert all(re.fullmatch(r"[A-Za-z0-9\-._~:/?#@!$&'()*+,;=%]+", uri) for uri in uris), uris
    assert any("%1B%5D0%3BT%07" in uri for uri in uris), uris


def test_check_github(broken: Path, cli: Callable[..., Run]) -> None:
    run = cli("check", "--format", "github", "canon")
    findings = json.loads(cli("check", "--format", "json", "canon").out)
    _assert_no_control(run.out)
    lines = run.out.removesuffix("\n").split("\n")  # as the runner reads them
    assert len(lines) == len(findings)  # no finding split into, or smuggling, another command
    grammar = re.compile(r"::(error|warning|notice) ((?:\w+=[^:,]*)(?:,\w+=[^:,]*)*)::[^\r\n]*")
    for line in lines:
        assert grammar.fullmatch(line), line
    # A name holding an escape cannot be given exactly: its annotations go on the run.
    assert "title=JF108 whitespace::canon/fam \\x1b]0;T\\x07" in run.out
    assert "%0A::error::n.yaml" not in run.out and "%0A:\\:error:\\:n.yaml" in run.out


def test_render_text(hostile: Path, cli: Callable[..., Run]) -> None:
    run = cli("render", "--format", "text", "--omitted", "canon")
    assert run.code == 0, run.err
    _assert_no_command(run.out)
    assert "[bold red]R[/]" in run.out and "<script>" in run.out  # plain text is plain


def test_render_rich(hostile: Path, cli: Callable[..., Run]) -> None:
    plain = cli("render", "--format", "rich", "--color", "never", "--omitted", "canon")
    assert plain.code == 0, plain.err
    _assert_no_command(plain.out)
    assert "[bold red]R[/]" in plain.out  # markup shown, not applied
    styled = cli("render", "--format", "rich", "--color", "always", "--omitted", "canon")
    _assert_no_command(SGR.sub("", styled.out))  # only rich's own colour codes


def test_render_json(hostile: Path, cli: Callable[..., Run]) -> None:
    run = cli("render", "--format", "json", "canon")
    assert run.code == 0, run.err
    _assert_no_control(run.out)
    texts = [
        line["text"]
        for page in json.loads(run.out)
        for frame in page["frames"]
        for block in frame["blocks"]
        for line in block["lines"]
    ]
    assert MULTILINE in texts  # the canon text exactly, newlines and all


def test_render_markdown(hostile: Path, cli: Callable[..., Run]) -> None:
    run = cli("render", "--format", "markdown", "--omitted", "canon")
    assert run.code == 0, run.err
    _assert_markdown_inert(run.out)


def _assert_markdown_inert(text: str) -> None:
    _assert_no_command(text)
    unescaped = re.sub(r"\\.", "", text)  # what is left once escaped characters are taken out
    for syntax in ("<script>", "<b>", "](javascript:", "[bold red]", "&amp;", "*x*", "`c`"):
        assert syntax not in unescaped, syntax
    lines = unescaped.split("\n")
    headings = [line for line in lines if line.startswith("#")]
    assert not any("heading" in line for line in headings), headings
    widths = {line.count("|") for line in lines if line.startswith("|")}
    assert len(widths) <= 1, widths  # no table row broken by a pipe in canon text


@pytest.mark.parametrize("fmt", ["text", "rich", "json", "markdown"])
def test_diff(fmt: str, hostile: Path, cli: Callable[..., Run]) -> None:
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@t", "-c", "commit.gpgsign=false"]
    subprocess.run([*git, "init", "-q"], cwd=hostile, check=True)
    subprocess.run([*git, "add", "-A"], cwd=hostile, check=True)
    subprocess.run([*git, "commit", "-qm", "hostile"], cwd=hostile, check=True)
    for path in (hostile / "canon").iterdir():
        content = path.read_text(encoding="utf-8").replace("\\u001b", "\\u001b\\u001b")
        path.write_text(content, encoding="utf-8")
    run = cli("diff", "--format", fmt, "--color", "always", "canon")
    assert run.code == 0, run.err
    if fmt == "json":
        _assert_no_control(run.out)
        assert json.loads(run.out)["summary"]["changed"] > 0
    elif fmt == "markdown":
        _assert_markdown_inert(run.out)
    else:
        _assert_no_command(SGR.sub("", run.out))


@pytest.mark.slow
@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="file names there are Unicode")
def test_file_names_that_are_not_utf8(canon_dir: Path) -> None:
    """Such a name decodes to lone surrogates, which no strict UTF-8 stream will write: a
    traceback on any machine whose locale makes stdout strict (most of them)."""
    canon = bytes(canon_dir / "canon")
    (canon_dir / "canon" / "family.yaml").rename(os.fsdecode(canon + b"/fam-\xff.yaml"))
    Path(os.fsdecode(canon + b"/bad-\xfe.yaml")).write_bytes(b"kind: levels\nkind: x\n")
    env = {**os.environ, "PYTHONIOENCODING": "utf-8:strict"}
    for args in [
        *(
            ("check", "--format", fmt)
            for fmt in ("text", "json", "sarif", "github", "rdjson", "gitlab", "junit")
        ),
        *(("render", "--format", fmt) for fmt in ("text", "json", "markdown", "rich")),
    ]:
        done = subprocess.run(
            [sys.executable, "-m", "jobframe_lint", *args, "canon"],
            cwd=canon_dir,
            capture_output=True,
            env=env,
            timeout=120,
            check=False,
        )
        assert done.returncode == 1 and b"Traceback" not in done.stderr, (args, done.stderr)
        shown = (done.stdout + done.stderr).decode("utf-8")  # strict: valid UTF-8 only
        # The byte as printable() shows it, in every format; a URI holds it percent-encoded.
        if "sarif" in args:
            assert "bad-%FE.yaml" in shown
        elif args == ("check", "--format", "json"):
            paths = {item["path"] for item in json.loads(done.stdout)}
            assert "canon/bad-\\xfe.yaml" in paths  # a string, not a lone surrogate
        elif args[-1] in ("rdjson", "gitlab"):  # JSON: the backslash itself escaped
            assert json.dumps("canon/bad-\\xfe.yaml")[1:-1] in shown
        else:
            assert "canon/bad-\\xfe.yaml" in shown
