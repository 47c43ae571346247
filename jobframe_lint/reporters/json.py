"""A JSON list of findings with the fields of SPEC §4, for tools to consume."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from jobframe_lint.diagnostics import Diagnostic
from jobframe_lint.reporters.base import StreamReporter
from jobframe_lint.rules import rule_name
from jobframe_lint.terminal import json_safe


def as_dict(item: Diagnostic) -> dict[str, Any]:
    return {
        "path": item.path,
        "line": item.span.start.line,
        "column": item.span.start.column,
        "end_line": item.span.end.line,
        "end_column": item.span.end.column,
        "code": item.code,
        "rule": rule_name(item.code),
        "severity": item.severity.value,
        "message": item.message,
        "fixable": item.fixable,
    }


class JsonReporter(StreamReporter):
    def report(
        self,
        diagnostics: Sequence[Diagnostic],
        files_checked: int,
        baselined: Sequence[Diagnostic] = (),
        files: Sequence[str] = (),
    ) -> None:
        document = json.dumps([as_dict(item) for item in diagnostics], indent=2, ensure_ascii=False)
        self.out.write(json_safe(document) + "\n")
