"""reviewdog's Diagnostic Format (``rdjson``): ``reviewdog -f=rdjson`` turns it into review
comments on GitHub, GitLab, Bitbucket or Gitea.

The format counts columns in UTF-8 bytes, where our findings count characters, so the
lines of findings on non-ASCII text are read back to convert them. Ranges end exclusive,
as ours do.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, TextIO

from jobframe_lint.diagnostics import Diagnostic, Position, Severity
from jobframe_lint.reporters.base import StreamReporter
from jobframe_lint.reporters.json import write_list

SEVERITIES = {Severity.ERROR: "ERROR", Severity.WARNING: "WARNING", Severity.INFO: "INFO"}
# The line breaks YAML counts lines by (PyYAML's reader): findings' lines are numbered so.
_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


class RdjsonReporter(StreamReporter):
    def __init__(self, out: TextIO, color: bool, quiet: bool = False) -> None:
        super().__init__(out, color, quiet)
        # The lines of the file of the last finding: findings come a file at a time, and
        # keeping every file's took 900 MB at 20,000 files.
        self._lines: tuple[str, list[str] | None] | None = None

    def report(
        self,
        diagnostics: Sequence[Diagnostic],
        files_checked: int,
        baselined: Sequence[Diagnostic] = (),
        files: Sequence[str] = (),
    ) -> None:
        self.out.write('{\n  "source": {\n    "name": "jobframe-lint"\n  },\n  "diagnostics": ')
        write_list(self.out, (self._diagnostic(item) for item in diagnostics), depth=1)
        self.out.write("\n}\n")

    def _diagnostic(self, item: Diagnostic) -> dict[str, Any]:
        return {
            "message": item.message,
            "location": {
                "path": item.path,
                "range": {
                    "start": self._position(item.path, item.span.start),
                    "end": self._position(item.path, item.span.end),
                },
            },
            "severity": SEVERITIES[item.severity],
            "code": {"value": item.code},
        }

    def _position(self, path: str, position: Position) -> dict[str, int]:
        lines = self._file_lines(path)
        column = position.column
        if lines is not None and 0 < position.line <= len(lines):
            column = len(lines[position.line - 1][: column - 1].encode("utf-8", "replace")) + 1
        return {"line": position.line, "column": column}

    def _file_lines(self, path: str) -> list[str] | None:
        if self._lines is None or self._lines[0] != path:
            from jobframe_lint.document import read_source

            raw = read_source(path)
            text = None if raw is None else raw.decode("utf-8", "replace").removeprefix("\ufeff")
            self._lines = (path, None if text is None else _LINE_BREAK.split(text))
        return self._lines[1]
