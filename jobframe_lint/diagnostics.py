"""Positions and findings: the currency every stage after the loader trades in."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Severity(enum.Enum):
    """Ordered so that ``max()`` over findings gives the one that decides the exit code."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        return _RANKS[self]  # a lookup: asked once for each of thousands of findings


_RANKS = {severity: rank for rank, severity in enumerate(Severity)}


@dataclass(frozen=True, slots=True, order=True)
class Position:
    """A 1-based line and column, in characters, as editors and CI systems count them."""

    line: int
    column: int


@dataclass(frozen=True, slots=True, order=True)
class Span:
    start: Position
    end: Position

    @classmethod
    def at(cls, line: int, column: int) -> Span:
        point = Position(line, column)
        return cls(point, point)


@dataclass(frozen=True, slots=True)
class Diagnostic:
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

    @property
    def sort_key(self) -> tuple[str, int, int, int, int, str]:
        """Path, span, code: as plain values, which sort without calling Python code for
        each comparison (thousands of findings are sorted twice a run)."""
        start, end = self.span.start, self.span.end
        return (self.path, start.line, start.column, end.line, end.column, self.code)
