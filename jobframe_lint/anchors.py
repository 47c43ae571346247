"""Where a finding sits in canon terms, the field and the text it concerns, not its line.

Baseline entries and GitLab fingerprints are keyed by this, so that an edit elsewhere in a
file (a comment above, a level added before) keeps them matching, while an edit to the text
a finding is about makes it a new finding. List positions are left out of the field
(``levels.P3.responsibilities[]``): the item's text tells items apart, and inserting one
does not renumber the others' entries.
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple

from jobframe_lint.diagnostics import Diagnostic, Position
from jobframe_lint.document import DEFAULT_LIMITS, Document, FieldPath, Limits, field_name

_INDEX = re.compile(r"\[\d+\]")


class Anchor(NamedTuple):
    # The field path with list positions left out; None where the file has no tree.
    field: str | None
    # The scalar's value, or the source line's text where the finding is on no value.
    text: str | None


class Anchors:
    """The anchors of findings, loading each file concerned once.

    A ``check`` run keeps most files in outline only (see ``lint``): the files that have
    findings are read and parsed again here, which only runs that key findings pay for.
    """

    def __init__(self, limits: Limits = DEFAULT_LIMITS) -> None:
        self.limits = limits
        self._files: dict[str, _Located | None] = {}

    def of(self, item: Diagnostic) -> Anchor:
        located = self._located(item.path)
        if located is None:
            return Anchor(None, None)
        return located.anchor(item.span.start)

    def _located(self, path: str) -> _Located | None:
        if path not in self._files:
            from jobframe_lint.document import read_source
            from jobframe_lint.loader import load_bytes

            raw = read_source(path, self.limits)
            document = None if raw is None else load_bytes(raw, path, self.limits)
            self._files[path] = None if document is None else _Located(document)
        return self._files[path]


class _Located:
    """A document with its nodes by where their keys and values start: findings point at
    one of those nearly always, and a file has hundreds of nodes and many findings."""

    def __init__(self, document: Document) -> None:
        self.document = document
        self.starts: dict[tuple[int, int], FieldPath] = {}
        # Deepest last, so that it wins where a value starts where its parent does.
        for path, raw in sorted(document.positions.raw.items(), key=lambda pair: len(pair[0])):
            self.starts[raw[0], raw[1]] = path
            if len(raw) > 4:
                self.starts[raw[4], raw[5]] = path

    def anchor(self, start: Position) -> Anchor:
        point = (start.line - 1, start.column - 1)
        exact = self.starts.get(point)
        path = exact if exact is not None else self._holder(point)
        if path is None:
            return Anchor(None, self._line(start.line))
        value = _value(self.document.data, path)
        field = _INDEX.sub("[]", field_name(path))
        if isinstance(value, dict | list):
            # At the key or value itself the field says it all; inside (a comment) the line does.
            return Anchor(field, None if exact is not None else self._line(start.line))
        return Anchor(field, None if value is None else str(value))

    def _holder(self, point: tuple[int, int]) -> FieldPath | None:
        """The deepest node whose value holds ``point``."""
        holder: FieldPath | None = None
        for path, raw in self.document.positions.raw.items():
            inside = (raw[0], raw[1]) <= point < (raw[2], raw[3])
            if inside and (holder is None or len(path) > len(holder)):
                holder = path
        return holder

    def _line(self, number: int) -> str | None:
        text = self.document.text
        if text is None:
            return None
        lines = text.splitlines()
        return lines[number - 1].strip() if 0 < number <= len(lines) else None


def _value(data: Any, path: FieldPath) -> Any:
    for element in path:
        try:
            data = data[element]
        except (KeyError, IndexError, TypeError):
            return None
    return data
