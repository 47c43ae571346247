"""GitLab Code Quality (a Code Climate subset): the merge request widget and diff show each
finding. Declared as ``artifacts: reports: codequality`` in ``.gitlab-ci.yml``.

GitLab compares a merge request's report with its base's by ``fingerprint``, so the
fingerprint must not change when nothing about the finding did: it hashes the file, the
code and the canon field and text the finding concerns (``anchors``), never the line, plus
how many identical findings came before it, so that each stays unique.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterator, Sequence
from typing import Any

from jobframe_lint.anchors import Anchor, Anchors
from jobframe_lint.diagnostics import Diagnostic, Severity
from jobframe_lint.reporters.base import StreamReporter
from jobframe_lint.reporters.json import write_list
from jobframe_lint.rules import rule_name

# Code Quality's scale is info, minor, major, critical, blocker.
SEVERITIES = {Severity.ERROR: "major", Severity.WARNING: "minor", Severity.INFO: "info"}


class GitlabReporter(StreamReporter):
    def report(
        self,
        diagnostics: Sequence[Diagnostic],
        files_checked: int,
        baselined: Sequence[Diagnostic] = (),
        files: Sequence[str] = (),
    ) -> None:
        write_list(self.out, _issues(diagnostics))
        self.out.write("\n")


def _issues(diagnostics: Sequence[Diagnostic]) -> Iterator[dict[str, Any]]:
    seen: Counter[tuple[str, str, Anchor]] = Counter()
    anchors, path = Anchors(), None
    for item in diagnostics:
        if item.path != path:
            # Findings come a file at a time: holding every file's nodes took 1.9 GB at
            # 20,000 files.
            anchors, path = Anchors(), item.path
        key = (item.path, item.code, anchors.of(item))
        yield _issue(item, fingerprint(*key, seen[key]))
        seen[key] += 1


def fingerprint(path: str, code: str, anchor: Anchor, occurrence: int) -> str:
    parts = (path, code, anchor.field or "", anchor.text or "", str(occurrence))
    joined = "\0".join(parts).encode("utf-8", "surrogateescape")
    return hashlib.blake2b(joined, digest_size=16).hexdigest()


def _issue(item: Diagnostic, print_: str) -> dict[str, Any]:
    start, end = item.span.start, item.span.end
    return {
        "type": "issue",
        "check_name": f"{item.code} {rule_name(item.code)}",
        "description": f"{item.code} {item.message}",
        "categories": ["Style"],
        "severity": SEVERITIES[item.severity],
        "fingerprint": print_,
        "location": {
            "path": item.path,
            "positions": {
                "begin": {"line": start.line, "column": start.column},
                "end": {"line": end.line, "column": end.column},
            },
        },
    }
