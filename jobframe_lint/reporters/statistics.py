"""``check --statistics``: how many findings of each rule, and how many fixable, as ruff's
``--statistics`` prints them: most frequent first, in text or JSON."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import NamedTuple, TextIO

from jobframe_lint.diagnostics import Diagnostic
from jobframe_lint.rules import rule_name


class Statistic(NamedTuple):
    code: str
    findings: int
    fixable_count: int


def statistics(diagnostics: Sequence[Diagnostic]) -> list[Statistic]:
    counts = Counter(item.code for item in diagnostics)
    fixable = Counter(item.code for item in diagnostics if item.fixable)
    found = [Statistic(code, count, fixable[code]) for code, count in counts.items()]
    return sorted(found, key=lambda stat: (-stat.findings, stat.code))


def write_statistics(
    out: TextIO,
    format_name: str,
    diagnostics: Sequence[Diagnostic],
    files_checked: int,
    baselined: int,
    quiet: bool,
) -> None:
    found = statistics(diagnostics)
    if format_name == "json":
        import json

        rows = [
            {
                "code": stat.code,
                "name": rule_name(stat.code),
                "count": stat.findings,
                "fixable": stat.fixable_count > 0,
                "fixable_count": stat.fixable_count,
            }
            for stat in found
        ]
        json.dump(rows, out, indent=2)
        out.write("\n")
        return
    from jobframe_lint.reporters.text import summary

    width = max((len(str(stat.findings)) for stat in found), default=1)
    for stat in found:
        mark = "[*]" if stat.fixable_count else "[ ]"
        out.write(f"{stat.findings:>{width}}\t{stat.code}\t{mark} {rule_name(stat.code)}\n")
    if not quiet:
        out.write(summary(diagnostics, files_checked, baselined) + "\n")
