"""SARIF 2.1.0, for GitHub code scanning and other SARIF viewers: one run, the rule catalogue
as its rules, one result per finding."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import quote

from jobframe_lint import __version__
from jobframe_lint.diagnostics import Diagnostic, Severity
from jobframe_lint.reporters.base import StreamReporter
from jobframe_lint.rules import every_rule
from jobframe_lint.rules.base import Rule
from jobframe_lint.terminal import json_safe

SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
BASELINED = {"kind": "external", "justification": "recorded in the jobframe-lint baseline"}


class SarifReporter(StreamReporter):
    def report(
        self,
        diagnostics: Sequence[Diagnostic],
        files_checked: int,
        baselined: Sequence[Diagnostic] = (),
        files: Sequence[str] = (),
    ) -> None:
        write_sarif(self.out, diagnostics, baselined)


def write_sarif(
    out: TextIO, diagnostics: Sequence[Diagnostic], baselined: Sequence[Diagnostic] = ()
) -> None:
    """``sarif_log`` as JSON, one result a line, each encoded and written as it is made.

    A canon with 100,000 findings makes a log of hundreds of MB: built whole and indented
    (the standard library's pure-Python encoder) it cost 25 s and 669 MB. ``json_safe``
    escapes what a terminal or CI runner would act on, as in every JSON output.
    """
    head, _, tail = json.dumps(_log([]), ensure_ascii=False).partition('"results": []')
    out.write(json_safe(head) + '"results": [')
    separator = "\n"
    for result in _results(diagnostics, baselined):
        out.write(separator + json_safe(json.dumps(result, ensure_ascii=False)))
        separator = ",\n"
    out.write("\n]" + json_safe(tail) + "\n")


def sarif_log(
    diagnostics: Sequence[Diagnostic], baselined: Sequence[Diagnostic] = ()
) -> dict[str, Any]:
    """Baselined findings are results too, marked suppressed (``kind: external``): code
    scanning then keeps their alerts closed as suppressed instead of opening and closing
    them as a baseline is written."""
    return _log(list(_results(diagnostics, baselined)))


def _results(
    diagnostics: Sequence[Diagnostic], baselined: Sequence[Diagnostic]
) -> Iterator[dict[str, Any]]:
    codes = list(every_rule())
    yield from (_result(item, codes) for item in diagnostics)
    yield from ({**_result(item, codes), "suppressions": [BASELINED]} for item in baselined)


def _log(results: list[dict[str, Any]]) -> dict[str, Any]:
    rules = every_rule()
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "jobframe-lint",
                        "version": __version__,
                        "rules": [_descriptor(rule) for rule in rules.values()],
                    }
                },
                # Our columns count characters, not the UTF-16 units SARIF assumes.
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }


def _descriptor(rule: Rule) -> dict[str, Any]:
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.explanation},
        "help": _help(rule),
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "properties": {"fixable": rule.fixable, **({"origin": rule.origin} if rule.origin else {})},
    }


def _help(rule: Rule) -> dict[str, str]:
    """The explanation, with the rule's example where it has one (a plugin may not)."""
    if not rule.example:
        return {"text": rule.explanation, "markdown": rule.explanation}
    return {
        "text": f"{rule.explanation}\n\nExample:\n{rule.example}",
        "markdown": f"{rule.explanation}\n\nExample:\n\n```yaml\n{rule.example}\n```",
    }


def _result(item: Diagnostic, codes: list[str]) -> dict[str, Any]:
    start, end = item.span.start, item.span.end
    result: dict[str, Any] = {
        "ruleId": item.code,
        "level": LEVELS[item.severity],
        "message": {"text": item.message},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": artifact_uri(item.path)},
                    "region": {
                        "startLine": start.line,
                        "startColumn": start.column,
                        "endLine": end.line,
                        "endColumn": end.column,
                    },
                }
            }
        ],
    }
    if item.code in codes:
        result["ruleIndex"] = codes.index(item.code)
    return result


def artifact_uri(path: str) -> str:
    """A URI reference for ``path``: relative ones stay relative (to the checkout, as code
    scanning expects); every character outside the unreserved set is percent-encoded."""
    posix = Path(path).as_posix()
    if Path(path).is_absolute():
        return Path(path).as_uri()
    # A name that is not UTF-8 (surrogateescape) is encoded as the bytes it has on disk.
    return quote(posix, safe="/", errors="surrogateescape")
