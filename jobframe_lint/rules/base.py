"""What a rule is: its stable code, name, default severity, documentation and check."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import NamedTuple

from jobframe_lint.canon import Canon
from jobframe_lint.diagnostics import Diagnostic, Severity

Check = Callable[[Canon], Iterable[Diagnostic]]


class Rule(NamedTuple):
    """A catalogue entry. ``check`` is None for rules the loader or schema stage emits, and
    for custom rules, whose checks the run's ``CustomRules`` holds."""

    code: str
    name: str
    severity: Severity
    summary: str
    explanation: str
    example: str
    fixable: bool = False
    check: Check | None = None
    # False: findings on a file depend on that file and the level guides only, so the cache
    # keeps them per file. True: they compare files with each other (duplicate names); such
    # a rule runs every time, over the canon in outline: the guides in full, other files as
    # their top-level scalars (kind, family, function) with positions.
    cross_file: bool = False
    # Where a custom rule comes from (``canon-rules.yaml:3``, ``plugin acme-rules 1.0``);
    # empty for the built-in rules.
    origin: str = ""
