"""Positions between the loader (YAML's line breaks, code points from 1) and the editor
(``\\n``, ``\\r\\n``, ``\\r`` only, UTF-16 code units from 0)."""

from __future__ import annotations

from jobframe_lint.diagnostics import Position
from jobframe_lint.loader import load_bytes
from jobframe_lint.server.lines import LineIndex


def utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def test_a_value_after_an_astral_character_and_a_yaml_only_line_break() -> None:
    # U+2028 breaks a line for YAML (the loader) but not for the editor; CRLF for both.
    text = 'a: "😀 one\u2028two"\r\nb: 🚀 three\r\n'
    document = load_bytes(text.encode("utf-8"), "x.yaml")
    index = LineIndex(text)
    start = document.positions[("b",)].value.start
    assert start == Position(3, 4)  # the loader's third line
    offset = index.offset(start)
    assert text[offset:].startswith("🚀 three")
    assert index.to_editor(offset, utf16) == (1, 3)
    assert index.position(offset) == start
    assert index.from_editor(1, 3, utf16) == offset
    # Past the end of the editor's line: its end, not the next line.
    assert index.from_editor(0, 99, utf16) == text.index("\r\n")
    assert index.line_end(2) == text.index("\r\n")


def test_a_byte_order_mark_the_loader_never_sees() -> None:
    text = "\ufeffa: b\n"
    index = LineIndex(text)
    offset = index.offset(Position(1, 4))
    assert text[offset] == "b"
    assert index.position(offset) == Position(1, 4)
    assert index.to_editor(offset, utf16) == (0, 4)
