"""The loader's and canon's shortcuts give what the plain way gives."""

from __future__ import annotations

import re

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from jobframe_lint.canon import build_canon
from jobframe_lint.diagnostics import Position
from jobframe_lint.loader import _FastLoader, _has_deep_line, load_bytes
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
    source = f"key: {scalar}\n"
    fast = yaml.compose(source, Loader=_FastLoader)
    plain = yaml.compose(source, Loader=yaml.CSafeLoader)
    assert fast.value[0][1].tag == plain.value[0][1].tag


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


# The plain way to say it: a line (at the start of the file or after a line feed) opening
# with 64 indentation or block-indicator characters.
DEEP_LINE = re.compile(rb"^[ \t?:-]{64}", re.MULTILINE)
# Runs of indicators around the 64 that matter, and what else starts, ends or breaks a line.
PIECES = st.one_of(
    st.sampled_from([b" ", b"\t", b"?", b":", b"-", b"\n", b"\r", b"\r\n", b"a", b"#", b"\x00"]),
    st.integers(60, 68).flatmap(
        lambda width: st.lists(st.sampled_from(b" \t?:-"), min_size=width, max_size=width).map(
            bytes
        )
    ),
)


@given(st.lists(PIECES, max_size=12).map(b"".join))
def test_deep_line_test_agrees_with_the_multiline_regex(raw: bytes) -> None:
    assert _has_deep_line(raw) == (DEEP_LINE.search(raw) is not None)


@pytest.mark.parametrize(
    "raw",
    [b"-" * 64, b"-" * 63, b"x\n" + b" " * 64, b"x\r\n" + b"\t" * 64, b"x\r" + b" " * 64, b""],
)
def test_deep_line_test_agrees_at_the_edges(raw: bytes) -> None:
    assert _has_deep_line(raw) == (DEEP_LINE.search(raw) is not None)
