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
        self._documents: dict[str, Document | None] = {}

    def of(self, item: Diagnostic) -> Anchor:
        document = self._document(item.path)
        if document is None:
            return Anchor(None, None)
        return anchor_in(document, item.span.start)

    def _document(self, path: str) -> Document | None:
        if path not in self._documents:
            from jobframe_lint.document import read_source
            from jobframe_lint.loader import load_bytes

            raw = read_source(path, self.limits)
            self._documents[path] = None if raw is None else load_bytes(raw, path, self.limits)
        return self._documents[path]


def anchor_in(document: Document, start: Position) -> Anchor:
    found = _node_at(document, start)
    if found is None:
        return Anchor(None, _line(document, start.line))
    path, exact = found
    value = _value(document.data, path)
    field = _INDEX.sub("[]", field_name(path))
    if isinstance(value, dict | list):
        # At the key or value itself the field says it all; inside (a comment) the line does.
        return Anchor(field, None if exact else _line(document, start.line))
    return Anchor(field, None if value is None else str(value))


def _node_at(document: Document, start: Position) -> tuple[FieldPath, bool] | None:
    """The deepest node whose key or value starts at ``start`` (exact), else the deepest
    whose value holds it."""
    point = (start.line - 1, start.column - 1)
    exact: FieldPath | None = None
    holder: FieldPath | None = None
    for path, raw in document.positions.raw.items():
        if point in ((raw[0], raw[1]), tuple(raw[4:6])):
            if exact is None or len(path) > len(exact):
                exact = path
        elif (raw[0], raw[1]) <= point < (raw[2], raw[3]) and (
            holder is None or len(path) > len(holder)
        ):
            holder = path
    if exact is not None:
        return exact, True
    return None if holder is None else (holder, False)


def _value(data: Any, path: FieldPath) -> Any:
    for element in path:
        try:
            data = data[element]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _line(document: Document, number: int) -> str | None:
    if document.text is None:
        return None
    lines = document.text.splitlines()
    return lines[number - 1].strip() if 0 < number <= len(lines) else None
