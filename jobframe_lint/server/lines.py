"""Positions between the loader's counting and the editor's.

The loader counts lines as YAML does (``\\x85``, U+2028 and U+2029 break lines too) and
columns in code points, from 1. The Language Server Protocol counts lines at ``\\n``,
``\\r\\n`` and ``\\r`` only, from 0, and columns in the code units the client and server
agreed on (UTF-16 unless both prefer another): an emoji is one column to the loader and two
to most editors. Both are mapped through offsets into the buffer's text.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable

from jobframe_lint.diagnostics import Position
from jobframe_lint.fix import LINE_BREAK

EDITOR_BREAK = re.compile(r"\r\n|[\r\n]")
BOM = "\ufeff"

# The length of a string in the client's code units (pygls's ``PositionCodec``).
Units = Callable[[str], int]


class LineIndex:
    """One buffer's line starts, as the loader and as the editor count them."""

    __slots__ = ("_editor", "_shift", "_yaml", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        # The loader never sees a byte-order mark; the editor's buffer may hold one.
        self._shift = 1 if text.startswith(BOM) else 0
        body = text[self._shift :]
        self._yaml = [0, *(match.end() for match in LINE_BREAK.finditer(body))]
        self._editor = [0, *(match.end() for match in EDITOR_BREAK.finditer(text))]

    def offset(self, position: Position) -> int:
        """The buffer offset of a loader position (1-based line and code-point column)."""
        line = min(max(position.line, 1), len(self._yaml)) - 1
        return min(self._yaml[line] + position.column - 1 + self._shift, len(self.text))

    def position(self, offset: int) -> Position:
        """The loader position of a buffer offset."""
        body = max(offset - self._shift, 0)
        line = bisect_right(self._yaml, body) - 1
        return Position(line + 1, body - self._yaml[line] + 1)

    def line_end(self, line: int) -> int:
        """The buffer offset where loader line ``line`` ends, before its line break."""
        index = min(max(line, 1), len(self._yaml)) - 1
        if index + 1 == len(self._yaml):
            return len(self.text)
        following = self._yaml[index + 1]
        body = self.text[self._shift :]
        width = 2 if body[following - 2 : following] == "\r\n" else 1
        return following - width + self._shift

    def to_editor(self, offset: int, units: Units) -> tuple[int, int]:
        """The editor's 0-based (line, character) of a buffer offset."""
        line = bisect_right(self._editor, offset) - 1
        return line, units(self.text[self._editor[line] : offset])

    def from_editor(self, line: int, character: int, units: Units) -> int:
        """The buffer offset of the editor's (line, character); past a line's end, its end."""
        if line >= len(self._editor):
            return len(self.text)
        start = self._editor[max(line, 0)]
        end = self._editor[line + 1] if line + 1 < len(self._editor) else len(self.text)
        offset, counted = start, 0
        while offset < end and counted < character and self.text[offset] not in "\r\n":
            counted += units(self.text[offset])
            offset += 1
        return offset
