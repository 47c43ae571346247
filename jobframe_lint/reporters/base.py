"""One interface for every diagnostics format, so the check command never branches on format."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, TextIO

from jobframe_lint.diagnostics import Diagnostic


class Reporter(Protocol):
    def __init__(self, out: TextIO, color: bool, quiet: bool = False) -> None:
        """``quiet``: the findings and nothing else (ruff's ``--quiet``): no summary line."""

    def report(
        self,
        diagnostics: Sequence[Diagnostic],
        files_checked: int,
        baselined: Sequence[Diagnostic] = (),
        files: Sequence[str] = (),
    ) -> None:
        """Report ``diagnostics``. ``baselined`` are the findings the baseline accounts for
        (not reported, but SARIF keeps them as suppressed results, and the text summary
        counts them); ``files`` are the files checked, for formats with an entry per file."""


class StreamReporter:
    """What every reporter keeps: the stream it writes to and how the run asked for it."""

    def __init__(self, out: TextIO, color: bool, quiet: bool = False) -> None:
        self.out = out
        self.color = color
        self.quiet = quiet
