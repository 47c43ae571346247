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
        return list(Severity).index(self)


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

    @property
    def sort_key(self) -> tuple[str, Span, str]:
        return (self.path, self.span, self.code)
