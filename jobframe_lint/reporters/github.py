"""GitHub Actions workflow commands: each finding an annotation on the file and line.

Canon text and file names are data: escaped as the runner unescapes them (``%``, CR and
LF everywhere, ``:`` and ``,`` in properties too), so no finding can end its command early
or start another; other control characters, invisible characters and ``::`` or ``##[`` in
a message are shown as ``printable`` shows them.
"""

from __future__ import annotations

from collections.abc import Sequence

from jobframe_lint.diagnostics import Diagnostic, Severity
from jobframe_lint.reporters.base import StreamReporter
from jobframe_lint.rules import rule_name
from jobframe_lint.terminal import printable

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def _percent(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_data(text: str) -> str:
    return printable(_percent(text))


def _percent_property(text: str) -> str:
    return _percent(text).replace(":", "%3A").replace(",", "%2C")


def escape_property(text: str) -> str:
    # ":" is escaped before printable(), which would otherwise break "::" into ":\:".
    return printable(_percent_property(text))


def command(item: Diagnostic) -> str:
    start, end = item.span.start, item.span.end
    title = f"{item.code} {rule_name(item.code)}"
    exact = _percent_property(item.path)
    if printable(exact) != exact:
        # Not UTF-8 (lone surrogates), or holding what printable() must show as an escape:
        # the runner would be given a file that does not exist. The annotation goes on the
        # run instead, saying where.
        where = f"{item.path}:{start.line}:{start.column}: "
        return f"::{COMMANDS[item.severity]} title={escape_property(title)}::" + escape_data(
            where + item.message
        )
    properties = {
        "file": item.path,
        "line": str(start.line),
        "col": str(start.column),
        "endLine": str(end.line),
        "endColumn": str(end.column),
        "title": title,
    }
    joined = ",".join(f"{key}={escape_property(value)}" for key, value in properties.items())
    return f"::{COMMANDS[item.severity]} {joined}::{escape_data(item.message)}"


class GithubReporter(StreamReporter):
    def report(
        self,
        diagnostics: Sequence[Diagnostic],
        files_checked: int,
        baselined: Sequence[Diagnostic] = (),
        files: Sequence[str] = (),
    ) -> None:
        self.out.writelines(command(item) + "\n" for item in diagnostics)
