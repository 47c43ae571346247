"""`--format github`: workflow-command annotations that no canon text or file name can break
out of."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from jobframe_lint.diagnostics import Diagnostic, Severity, Span
from jobframe_lint.reporters.github import command, escape_data, escape_property
from tests.conftest import FAMILY_YAML, Run, write_files

CliRun = Callable[..., Run]

# A workflow command is a whole line starting with `::`; its properties are
# `key=value` pairs split on `,` and ended by `::`.
COMMAND = re.compile(
    r"::(error|warning|notice) ((?:[A-Za-z]+=[^,:\r\n]*,)*[A-Za-z]+=[^,:\r\n]*)::(.*)"
)


def unescape(text: str) -> str:
    for escaped, raw in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
        text = text.replace(escaped, raw)
    return text


def parse(line: str) -> tuple[str, dict[str, str], str]:
    match = COMMAND.fullmatch(line)
    assert match, line
    properties = dict(part.split("=", 1) for part in match.group(2).split(","))
    return (
        match.group(1),
        {key: unescape(value) for key, value in properties.items()},
        match.group(3),
    )


def test_one_annotation_per_finding(cli: CliRun, canon_dir: Path) -> None:
    write_files(canon_dir, {"canon/family.yaml": FAMILY_YAML.replace("P3:", "P4:")})
    result = cli("check", "--format", "github")
    assert result.code == 1
    (line,) = result.out.splitlines()
    kind, properties, message = parse(line)
    assert kind == "error"
    assert properties == {
        "file": "canon/family.yaml",
        "line": "5",
        "col": "3",
        "endLine": "5",
        "endColumn": "5",
        "title": "JF104 unknown-level",
    }
    assert unescape(message).startswith("level P4 is not defined by any level guide")


def test_severities_map_to_commands(cli: CliRun, canon_dir: Path) -> None:
    source = FAMILY_YAML.replace("function: Data Science & Analytics\n", "").replace(
        "- Builds the thing.", "- One.\n      - Two.\n      - Three."
    )
    write_files(canon_dir, {"canon/family.yaml": source})
    kinds = [parse(line)[0] for line in cli("check", "--format", "github").out.splitlines()]
    assert kinds == ["warning", "notice"]


HOSTILE_NAMES = ["a,line=1::error::x.yaml", "b%0A::error file=x::y.yaml", "c:d,e%25.yaml"]


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_hostile_file_names_stay_inside_their_property(
    cli: CliRun, canon_dir: Path, name: str
) -> None:
    write_files(canon_dir, {f"canon/{name}": FAMILY_YAML.replace("Example", "Other") + "x: [\n"})
    lines = cli("check", "--format", "github").out.splitlines()
    (line,) = lines
    _, properties, _ = parse(line)
    assert properties["file"] == f"canon/{name}"


def test_hostile_canon_text_cannot_start_a_command(cli: CliRun, canon_dir: Path) -> None:
    """The family name is quoted in JF111's message: line breaks in it travel as data."""
    name = '"Evil\\r\\n::error file=x,line=1::pwned\\n::stop-commands::t %0A \\e[31m, done."'
    source = FAMILY_YAML.replace("function: Data Science & Analytics\n", "").replace(
        "family: Example Family", f"family: {name}"
    )
    write_files(canon_dir, {"canon/family.yaml": source})
    out = cli("check", "--format", "github").out
    assert "\r" not in out and "\x1b" not in out
    lines = out.splitlines()
    assert len(lines) == len(json.loads(cli("check", "--format", "json").out))
    messages = []
    for line in lines:
        _, properties, message = parse(line)
        assert properties["file"] == "canon/family.yaml"
        messages.append(unescape(message))
    assert any(
        "\r\n:\\:error file=x,line=1:\\:pwned\n:\\:stop-commands:\\:t %0A \\x1b[31m" in message
        for message in messages
    )


def test_escaping_round_trips_every_character() -> None:
    raw = "100% sure:\r\nnext, line:error:x"
    assert unescape(escape_data(raw)) == raw
    assert unescape(escape_property(raw)) == raw
    assert unescape(escape_property(raw + "::x")) == raw + "::x"  # a file name, exactly
    assert not set(escape_property(raw)) & {"\r", "\n", ":", ","}
    assert escape_data("a\x1bb") == "a\\x1bb"
    # In the data, as in every format, "::" and "##[" are broken as printable() breaks them.
    assert unescape(escape_data("x::error::y ##[error]")) == "x:\\:error:\\:y ##\\[error]"


def test_command_for_a_diagnostic_with_hostile_message() -> None:
    item = Diagnostic(
        "x,y:z.yaml", Span.at(3, 4), "JF108", "a\n::error::b %0A", Severity.WARNING, True
    )
    assert command(item) == (
        "::warning file=x%2Cy%3Az.yaml,line=3,col=4,endLine=3,endColumn=4,"
        "title=JF108 whitespace::a%0A:\\:error:\\:b %250A"
    )
