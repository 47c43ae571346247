"""The public API for rule plugins: ``Rule``, ``Finding`` and the read-only canon they read.

A plugin is an installed distribution declaring an entry point in the group
``jobframe_lint.rules`` that names a ``Rule``::

    [project.entry-points."jobframe_lint.rules"]
    no-buzzwords = "acme_rules:RULE"

``check`` is called with a ``Canon`` and yields a ``Finding`` for each problem, located at
the canon ``Text`` it is about. The findings on a file may depend on that file and the
level guides only: ``check`` is called for each file with the level guides and at most
that one family (the cache keeps findings per file, as it does for the built-in rules).
A ``check`` that raises is reported as one error finding naming the plugin (at the first
file it failed on, counting the others), not as a failed run.

Everything here is stable: names are only ever added. The canon is a snapshot: tuples,
read-only mappings and immutable records.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Literal, NamedTuple

from jobframe_lint.canon import Text
from jobframe_lint.diagnostics import Position, Span

__all__ = [
    "Canon",
    "Family",
    "FamilyLevel",
    "Finding",
    "Level",
    "LevelGuide",
    "Position",
    "Rule",
    "Severity",
    "Span",
    "Text",
]

# A rule's default severity; the configuration's ``severity`` table can change it.
Severity = Literal["error", "warning", "info"]


class FamilyLevel(NamedTuple):
    """``levels.<code>`` of a family: ``rubrics`` maps the rubric key to its text."""

    code: Text
    responsibilities: tuple[Text, ...]
    rubrics: Mapping[str, Text]


class Family(NamedTuple):
    """A ``kind: family`` file; ``name`` is its ``family`` text."""

    path: str
    name: Text
    function: Text | None
    levels: tuple[FamilyLevel, ...]


class Level(NamedTuple):
    """A level of a level guide; ``bars`` pairs each dimension name with the level's bar."""

    code: Text
    title: Text | None
    bars: tuple[tuple[Text, Text], ...]


class LevelGuide(NamedTuple):
    """A ``kind: levels`` file: its declared dimensions and its levels."""

    path: str
    dimensions: tuple[Text, ...]
    levels: tuple[Level, ...]


class Canon(NamedTuple):
    families: tuple[Family, ...]
    guides: tuple[LevelGuide, ...]


class Finding(NamedTuple):
    """A problem at ``at``: the finding's file, line and column are that text's."""

    at: Text
    message: str


class Rule(NamedTuple):
    """What an entry point names. ``code`` is 2-8 capitals then 3 digits (``ACME900``); the
    ``JF`` prefix is jobframe-lint's own. ``explanation`` and ``example`` are shown by
    ``jobframe-lint rules CODE`` and in SARIF."""

    code: str
    name: str
    severity: Severity
    summary: str
    check: Callable[[Canon], Iterable[Finding]]
    explanation: str = ""
    example: str = ""
