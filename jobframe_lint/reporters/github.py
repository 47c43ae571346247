"""GitHub Actions workflow commands: each finding an annotation on the file and line.

Canon text and file names are data: escaped as the runner unescapes them (``%``, CR and
LF everywhere, ``:`` and ``,`` in properties too), so no finding can end its command early
or start another; other control characters are shown as visible escapes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TextIO

from jobframe_lint.diagnostics import Diagnostic, Severity
from jobframe_lint.rules import rule_name
from jobframe_lint.terminal import printable

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    escaped = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return printable(escaped)


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(item: Diagnostic) -> str:
    start, end = item.span.start, item.span.end
    properties = {
        "file": item.path,
        "line": str(start.line),
        "col": str(start.column),
        "endLine": str(end.line),
        "endColumn": str(end.column),
        "title": f"{item.code} {rule_name(item.code)}",
    }
    joined = ",".join(f"{key}={escape_property(value)}" for key, value in properties.items())
    return f"::{COMMANDS[item.severity]} {joined}::{escape_data(item.message)}"


class GithubReporter:
    def __init__(self, out: TextIO, color: bool, quiet: bool = False) -> None:
        self.out = out

    def report(
        self,
        diagnostics: Sequence[Diagnostic],
        files_checked: int,
        baselined: Sequence[Diagnostic] = (),
        files: Sequence[str] = (),
    ) -> None:
        self.out.writelines(command(item) + "\n" for item in diagnostics)
