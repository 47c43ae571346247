"""One interface for every diagnostics format, so the check command never branches on format."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, TextIO

from jobframe_lint.diagnostics import Diagnostic


class Reporter(Protocol):
    def __init__(self, out: TextIO, color: bool) -> None: ...

    def report(self, diagnostics: Sequence[Diagnostic], files_checked: int) -> None: ...
