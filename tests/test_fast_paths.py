"""The loader's and canon's shortcuts give what the plain way gives."""

from __future__ import annotations

import pytest
import yaml

from jobframe_lint.canon import build_canon
from jobframe_lint.diagnostics import Position
from jobframe_lint.loader import CORE_TAGS, load_bytes
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
