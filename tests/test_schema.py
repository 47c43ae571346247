"""JF002: the shipped schemas, located messages, and fast/reference validator agreement."""

from __future__ import annotations

import json

import jsonschema
import pytest

from jobframe_lint.loader import load_bytes
from jobframe_lint.schema import KINDS, _reference_validator, is_valid_fast, load_schema, validate
from tests.conftest import FAMILY_YAML, LEVELS_YAML, ROOT


@pytest.mark.parametrize("kind", KINDS)
def test_schemas_are_valid_draft_2020_12(kind: str) -> None:
    schema = load_schema(kind)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)


@pytest.mark.parametrize("kind", KINDS)
def test_every_property_documents_itself_for_editors(kind: str) -> None:
    schema = load_schema(kind)
    properties = dict(schema["properties"])
    for definition in schema["$defs"].values():
        properties.update(definition.get("properties", {}))
    for name, subschema in properties.items():
        assert subschema.get("title") and subschema.get("description"), name


def test_top_level_schema_dir_is_the_shipped_one() -> None:
    for kind in KINDS:
        on_disk = json.loads((ROOT / "schema" / f"{kind}.schema.json").read_text("utf-8"))
        assert on_disk == load_schema(kind)


def messages(source: str) -> list[tuple[int, int, str]]:
    document = load_bytes(source.encode(), "x.yaml")
    return [(d.span.start.line, d.span.start.column, d.message) for d in validate(document)]


def test_valid_documents_pass() -> None:
    assert messages(LEVELS_YAML) == []
    assert messages(FAMILY_YAML) == []


def test_type_error_points_at_the_value() -> None:
    source = "kind: family\nfamily: F\nlevels:\n  P3:\n    responsibilities:\n      - a\n      - b\n      - 42\n"
    assert messages(source) == [
        (
            8,
            9,
            "levels.P3.responsibilities[2]: expected a string, got 42 "
            "(YAML reads the unquoted '42' as a number; quote it: \"42\")",
        )
    ]


def test_unknown_key_points_at_the_key_with_a_suggestion() -> None:
    source = "kind: family\nfamily: F\nlevels:\n  P3:\n    responsibilites: [a]\n"
    assert messages(source) == [
        (5, 5, "levels.P3: unknown key 'responsibilites'; did you mean 'responsibilities'?")
    ]


def test_missing_key_points_at_the_mapping_that_lacks_it() -> None:
    assert messages("kind: family\nlevels:\n  P3: {}\n") == [
        (1, 1, "the document: missing required key 'family'")
    ]
    assert messages("kind: levels\ndimensions: []\n") == [
        (1, 1, "the document: missing required key 'levels'")
    ]


def test_level_code_pattern_points_at_the_key() -> None:
    source = "kind: levels\nlevels:\n  P3: {}\n  senior: {}\n"
    ((line, column, message),) = messages(source)
    assert (line, column) == (4, 3)
    assert message.startswith("levels: key 'senior' is not valid (expected a level code")


@pytest.mark.parametrize(
    ("value", "read_as"),
    [("No", "false"), ("yes", "true"), ("on", "true"), ("1.10", "1.1"), ("~", "null")],
)
def test_yaml11_scalars_in_text_fields_say_to_quote(value: str, read_as: str) -> None:
    ((line, column, message),) = messages(f"kind: levels\nlevels:\n  P3:\n    title: {value}\n")
    assert (line, column) == (4, 12)
    assert f"got {read_as}" in message
    assert f'quote it: "{value}"' in message


def test_blank_text_and_empty_value() -> None:
    assert messages("kind: levels\nlevels:\n  P3:\n    title: '  '\n") == [
        (4, 12, "levels.P3.title: is blank; canon text needs at least one visible character")
    ]
    assert messages("kind: levels\nlevels:\n  P3:\n    title:\n") == [
        (4, 11, "levels.P3.title: expected a string, got nothing (the value is empty)")
    ]


def test_unknown_or_missing_kind() -> None:
    assert messages("kind: fam\n") == [
        (1, 7, "kind: unknown kind 'fam', expected 'levels' or 'family'")
    ]
    assert messages("levels: {}\n") == [(1, 1, "missing key 'kind': expected 'levels' or 'family'")]


def test_keys_with_spaces_are_quoted_in_field_names() -> None:
    source = "kind: levels\nlevels:\n  P3:\n    dimensions:\n      Decision rights: [x]\n"
    assert messages(source) == [
        (5, 24, 'levels.P3.dimensions["Decision rights"]: expected a string, got a list')
    ]


CORPUS = [
    LEVELS_YAML,
    FAMILY_YAML,
    "kind: family\nfamily: F\nlevels: {}\n",
    "kind: family\nfamily: ' '\nlevels:\n  P3: {}\n",
    "kind: family\nfamily: F\nlevels:\n  p3: {}\n",
    "kind: family\nfamily: F\nlevels:\n  P3:\n    rubrics:\n      other: x\n",
    "kind: levels\nlevels:\n  P3:\n    dimensions:\n      Scope: 3\n",
    "kind: levels\nlevels:\n  P3:\n    title: T\n",
    "kind: levels\ndimensions: [A, 2]\nlevels:\n  M10: {}\n",
    "kind: levels\nlevels:\n  ABCD1: {}\n",
]


@pytest.mark.parametrize("source", CORPUS)
def test_fast_and_reference_validators_agree(source: str) -> None:
    document = load_bytes(source.encode(), "x.yaml")
    assert document.data is not None
    kind = document.data["kind"]
    reference = _reference_validator(kind).is_valid(document.data)
    assert is_valid_fast(kind, document.data) is reference


def test_shipped_canon_is_valid() -> None:
    for path in sorted((ROOT / "canon").rglob("*.yaml")):
        document = load_bytes(path.read_bytes(), str(path))
        assert document.diagnostics == [] and validate(document) == [], path


def test_shipped_canon_carries_schema_modelines() -> None:
    for path in sorted((ROOT / "canon").rglob("*.yaml")):
        first = path.read_text("utf-8").splitlines()[0]
        assert first.startswith("# yaml-language-server: $schema=")
        target = (path.parent / first.split("=", 1)[1]).resolve()
        assert target.is_file() and target.parent == (ROOT / "schema").resolve(), path
