"""Positions and findings: the currency every stage after the loader trades in.

Records here and in the other modules a ``check`` run imports are ``NamedTuple``s, not
dataclasses: a hook run pays for every class definition, and a dataclass costs ~0.5 ms to
define (``import dataclasses`` ~7 ms more) against ~0.08 ms for a ``NamedTuple``. Without
``from __future__ import annotations``: ``NamedTuple`` compiles each field's annotation
when it is a string (~0.1 ms a field, 1.2 of this module's 1.8 ms).
"""

import enum
from operator import itemgetter
from typing import NamedTuple

# A file that did not load (not YAML, a schema violation, a duplicate key, an alias) has
# not been checked at all: like ruff's syntax errors, these are reported whatever the
# selection, ignores or suppressions say, at their own severity.
ALWAYS_REPORTED = frozenset({"JF001", "JF002", "JF003", "JF004"})


class Severity(enum.Enum):
    """Ordered so that ``max()`` over findings gives the one that decides the exit code."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        return _RANKS[self]  # a lookup: asked once for each of thousands of findings


_RANKS = {severity: rank for rank, severity in enumerate(Severity)}


class Position(NamedTuple):
    """A 1-based line and column, in characters, as editors and CI systems count them."""

    line: int
    column: int


class Span(NamedTuple):
    start: Position
    end: Position

    @classmethod
    def at(cls, line: int, column: int) -> "Span":
        point = Position(line, column)
        return cls(point, point)


class Diagnostic(NamedTuple):
    """One finding. ``code`` ties it to the rule catalogue, which supplies its name."""

    path: str
    span: Span
    code: str
    message: str
    severity: Severity
    fixable: bool = False
    # Other files whose content the finding depends on (the level guide a family's level
    # code is missing from): checking one of them reports the finding too.
    related: tuple[str, ...] = ()
    # The field (path of keys and indexes) a finding is about: for JF002's misspelt key the
    # field it was meant to be, for the rules reporting an absent field that field. One
    # mistake, one finding: an absence a misspelling explains is not reported again.
    field: tuple[str | int, ...] = ()


# The order findings are reported in: path, span (start, then end), code. Picked out by
# position, in C: thousands of findings are sorted twice a run, and the plain tuples of
# positions and spans compare without calling Python code.
by_place = itemgetter(0, 1, 2)
