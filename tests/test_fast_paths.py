"""The loader's, canon's and reporters' shortcuts give what the plain way gives."""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from typing import Any

import pytest
import yaml
from hypothesis import example, given
from hypothesis import strategies as st
from rich.console import Console
from rich.text import Text

from jobframe_lint.canon import build_canon
from jobframe_lint.diagnostics import Diagnostic, Position, Severity, Span
from jobframe_lint.loader import CORE_TAGS, load_bytes
from jobframe_lint.reporters.json import write_list
from jobframe_lint.reporters.text import TextReporter
from jobframe_lint.terminal import json_safe, printable
from tests.conftest import FAMILY_YAML

SCALARS = [
    "Yes",
    "yes we can",
    "No",
    "Not a boolean.",
    "on",
    "On call for production incidents.",
    "null",
    "Null and void.",
    "~",
    "1.10",
    "10 teams",
    "2026-11-26",
    "2026-11-26 12:00:00",
    "-1",
    "-not a list",
    ".inf",
    ".5 of the time",
    "<<",
    "=",
    "True to form.",
    "Owns decisions.",
    "Ünïcode text.",
]


@pytest.mark.parametrize("scalar", SCALARS)
def test_fast_resolver_resolves_as_pyyaml_does(scalar: str) -> None:
    """Timestamps and the other YAML 1.1 extras stay text; the core types are built."""
    source = f"key: {scalar}\n"
    node = yaml.compose(source, Loader=yaml.CSafeLoader).value[0][1]
    plain = node.value
    if node.tag in CORE_TAGS:
        plain = yaml.constructor.SafeConstructor().construct_object(node)
    document = load_bytes(source.encode(), "x.yaml")
    value = document.data["key"] if document.data is not None else None
    assert (type(value), value) == (type(plain), plain)


def test_positions_are_spans_on_lookup() -> None:
    document = load_bytes(FAMILY_YAML.encode(), "f.yaml")
    item = ("levels", "P3", "responsibilities", 0)
    assert document.positions[item].value.start == Position(7, 9)
    assert document.positions[item].key is None
    assert document.positions[("family",)].key.start == Position(3, 1)  # type: ignore[union-attr]
    assert len(document.positions) == len(list(document.positions)) > 10


def test_texts_work_out_span_and_field_as_documents_locate_them() -> None:
    document = load_bytes(FAMILY_YAML.encode(), "f.yaml")
    family = build_canon([document]).families[0]
    level = family.levels[0]
    text = level.responsibilities[0]
    where = ("levels", "P3", "responsibilities", 0)
    assert text.span == document.locate(where).value
    assert text.field == "levels.P3.responsibilities[0]"
    assert level.code.span == document.locate(("levels", "P3")).anchor == level.span
    assert text == build_canon([document]).families[0].levels[0].responsibilities[0]


# What printable() must break or escape, and what rich would read as markup or act on.
HOSTILE = st.text(
    st.sampled_from(":#[]/\\ \n\t\r\x1b\x07\x9b\u200b\u2028\u202e\udcffbold") | st.characters()
)
FINDINGS = st.lists(
    st.builds(
        Diagnostic,
        path=HOSTILE.filter(bool),  # a file's name: rich writes no escapes around ''
        span=st.builds(Span.at, st.integers(1, 10**6), st.integers(1, 10**4)),
        code=st.sampled_from(["JF001", "JF106", "ACME001"]),
        message=HOSTILE,
        severity=st.sampled_from(Severity),
    ),
    max_size=20,
)
# The terminals rich tells apart: its colour systems, a dumb terminal, NO_COLOR.
TERMINALS = [
    {"TERM": "xterm"},
    {"TERM": "xterm-256color"},
    {"TERM": "xterm", "COLORTERM": "truecolor"},
    {"TERM": "dumb"},
    {"TERM": "unknown"},
    {"TERM": "xterm", "NO_COLOR": "1"},
    {"TERM": "xterm", "NO_COLOR": ""},
]
_RICH_STYLES = {
    Severity.ERROR: "bold red",
    Severity.WARNING: "bold yellow",
    Severity.INFO: "bold blue",
}


def _printed_by_rich(findings: Sequence[Diagnostic]) -> str:
    """The coloured report as it was written before: one rich print for each finding."""
    out = io.StringIO()
    console = Console(
        file=out, width=80, height=25, force_terminal=True, highlight=False, soft_wrap=True
    )
    for item in findings:
        start = item.span.start
        console.print(
            Text.assemble(
                (printable(item.path), "bold"),
                (f":{start.line}:{start.column}:", "cyan"),
                " ",
                (item.code, _RICH_STYLES[item.severity]),
                " ",
                printable(item.message),
            )
        )
    return out.getvalue()


@given(FINDINGS)
@example(
    [
        Diagnostic(
            "canon/fam [bold]b ::warning::w\x1b]0;T\x07.yaml:",
            Span.at(3, 7),
            "JF002",
            "[bold red]R[/] [link=http://evil]L[/link] \x1b[31mE ##[error]x \u202eB\n::error::n",
            Severity.ERROR,
        )
    ]
)
def test_coloured_text_is_byte_for_byte_what_rich_prints(findings: list[Diagnostic]) -> None:
    for terminal in TERMINALS:
        with pytest.MonkeyPatch.context() as environment:
            for name in ("TERM", "COLORTERM", "NO_COLOR", "FORCE_COLOR"):
                environment.delenv(name, raising=False)
            for name, value in terminal.items():
                environment.setenv(name, value)
            out = io.StringIO()
            TextReporter(out, color=True, quiet=True).report(findings, len(findings))
            assert out.getvalue() == _printed_by_rich(findings), terminal


JSON_VALUES = st.recursive(
    HOSTILE | st.integers() | st.booleans() | st.none(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(HOSTILE, inner, max_size=3),
    max_leaves=10,
)


@given(st.lists(JSON_VALUES, max_size=5))
def test_a_json_list_written_an_item_at_a_time_is_the_list_dumped_whole(items: list[Any]) -> None:
    for depth in (0, 1):
        out = io.StringIO()
        out.write('{\n  "items": ' if depth else "")
        write_list(out, iter(items), depth)
        out.write("\n}" if depth else "")
        document = {"items": items} if depth else items
        assert out.getvalue() == json_safe(json.dumps(document, indent=2, ensure_ascii=False))
