"""The loader: positions for everything, and JF001/JF003/JF004 at the parser's marks."""

from __future__ import annotations

import codecs

import pytest

from jobframe_lint.diagnostics import Position
from jobframe_lint.loader import load_bytes


def findings(source: str | bytes) -> list[tuple[str, int, int]]:
    raw = source.encode("utf-8") if isinstance(source, str) else source
    document = load_bytes(raw, "x.yaml")
    return [(d.code, d.span.start.line, d.span.start.column) for d in document.diagnostics]


def test_positions_for_keys_values_and_items() -> None:
    document = load_bytes(
        b"kind: family\nlevels:\n  P3:\n    responsibilities:\n      - a\n      - 'b'\n", "x.yaml"
    )
    assert document.data == {"kind": "family", "levels": {"P3": {"responsibilities": ["a", "b"]}}}
    p3 = document.positions[("levels", "P3")]
    assert p3.key is not None and p3.key.start == Position(3, 3)
    assert document.positions[("levels", "P3", "responsibilities", 1)].value.start == Position(6, 9)
    assert document.positions[("kind",)].value.start == Position(1, 7)


def test_bom_and_crlf_are_accepted_with_true_positions() -> None:
    raw = codecs.BOM_UTF8 + b"kind: levels\r\nlevels:\r\n  P3: {}\r\n"
    document = load_bytes(raw, "x.yaml")
    assert document.diagnostics == []
    assert document.positions[("levels", "P3")].key.start == Position(3, 3)  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("a: 1\na: 2\n", [("JF003", 2, 1)]),
        ("levels:\n  P3:\n    title: x\n    title: y\n", [("JF003", 4, 5)]),
        ("x:\n  - {k: 1, k: 2}\n", [("JF003", 2, 12)]),
        ("a: 1\nb: 2\na: 3\nb: 4\n", [("JF003", 3, 1), ("JF003", 4, 1)]),
    ],
)
def test_duplicate_keys_reported_at_second_occurrence(
    source: str, expected: list[tuple[str, int, int]]
) -> None:
    assert findings(source) == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("a: &x 1\n", ("JF004", 1, 4)),
        ("a: 1\nb:\n  - *x\n", ("JF004", 3, 5)),  # even an alias to nothing
        ("a: &x 1\nb: *x\n", ("JF004", 1, 4)),
        ("a: !!python/object/apply:os.system ['ls']\n", ("JF004", 1, 4)),
        ("a: !custom x\n", ("JF004", 1, 4)),
        ("a:\n  b: !!binary aGVsbG8=\n", ("JF004", 2, 6)),
    ],
)
def test_anchors_aliases_and_tags_refused(source: str, expected: tuple[str, int, int]) -> None:
    assert findings(source) == [expected]


def test_core_tags_allowed() -> None:
    assert findings("a: !!str 5\n") == []


def test_alias_bomb_refused_without_expansion() -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for index in range(1, 9):
        prev = chr(ord("a") + index - 1)
        name = chr(ord("a") + index)
        lines.append(f"{name}: &{name} [{', '.join(['*' + prev] * 9)}]")
    assert findings("\n".join(lines) + "\n") == [("JF004", 1, 4)]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (b"kind: [\n", ("JF001", 2, 1)),
        (b"a: 'unterminated\n", ("JF001", 1, 4)),  # where the quote opens
        (b"a: b: c\n", ("JF001", 1, 5)),
        (b"kind: levels\n\xff\xfe\n", ("JF001", 2, 1)),
        (b"title: caf\xc3\n", ("JF001", 1, 11)),
        (b"- a\n- b\n", ("JF001", 1, 1)),
        (b"just text\n", ("JF001", 1, 1)),
        (b"", ("JF001", 1, 1)),
        (b"# only a comment\n", ("JF001", 1, 1)),
        (b"a: 1\n---\nb: 2\n", ("JF001", 2, 1)),
        (b"a:\n\tb: 1\n", ("JF001", 2, 1)),
    ],
)
def test_malformed_input_is_jf001_at_parser_position(
    source: bytes, expected: tuple[str, int, int]
) -> None:
    assert findings(source) == [expected]


@pytest.mark.parametrize("opener", ["[", "{a: "])
def test_deep_flow_nesting_is_refused_at_our_limit_not_libyamls(opener: str) -> None:
    """libyaml (from PyYAML 6.0.4) has a nesting limit of its own, raised from scanning
    ahead; ours, earlier in the file, is the one reported, wherever libyaml's sits."""
    document = load_bytes((f"a: {opener * 100_000}\n").encode(), "x.yaml")
    [finding] = document.diagnostics
    # The root mapping is level 1, so the 64th opener is the 65th level.
    column = 4 + len(opener) * 63
    assert (finding.code, finding.span.start.line, finding.span.start.column) == (
        "JF001",
        1,
        column,
    )
    assert finding.message.startswith("nesting deeper than 64 levels")


def test_unquoted_yaml11_scalars_are_remembered_for_the_schema_stage() -> None:
    document = load_bytes(b"title: No\nversion: 1.10\nquoted: 'yes'\nempty:\n", "x.yaml")
    assert document.data == {"title": False, "version": 1.1, "quoted": "yes", "empty": None}
    assert document.implicit_scalars == {("title",): "No", ("version",): "1.10"}


def test_non_text_key_is_jf002_with_quoting_advice() -> None:
    document = load_bytes(b"dimensions:\n  On: x\n", "x.yaml")
    assert [(d.code, d.span.start.line, d.span.start.column) for d in document.diagnostics] == [
        ("JF002", 2, 3)
    ]
    assert 'quote it: "On"' in document.diagnostics[0].message
