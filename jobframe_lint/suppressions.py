"""Inline suppressions, and the report of those that suppress nothing (JF100).

``# jobframe-lint: disable=JF102,JF108`` silences those codes for a finding on the comment's
line (any line of a finding that spans several); ``# jobframe-lint: disable-file=JF102``
anywhere in a file silences the code in the whole file. Text after the codes is free, for
the reason. Only real comments count: the same words inside a quoted scalar are canon text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import NamedTuple

from jobframe_lint.config import Settings
from jobframe_lint.diagnostics import ALWAYS_REPORTED, Diagnostic, Position, Span
from jobframe_lint.document import Document
from jobframe_lint.rules import RULES

UNUSED = "JF100"
MARKER = "jobframe-lint:"
DIRECTIVE = re.compile(
    r"#\s*jobframe-lint:\s*(?P<kind>disable-file|disable)\s*=\s*"
    r"(?P<codes>[A-Za-z]+[0-9]+(?:\s*,\s*[A-Za-z]+[0-9]+)*)"
)
CODE = re.compile(r"[A-Za-z]+[0-9]+")


class Directive(NamedTuple):
    line: int
    whole_file: bool
    # Each code as written, with where it is written (an unused one is reported there).
    codes: list[tuple[str, Span]]
    # Codes it silenced a finding of, filled in as findings are matched.
    used: set[str]

    def covers(self, item: Diagnostic) -> bool:
        if item.code in ALWAYS_REPORTED or not any(code == item.code for code, _ in self.codes):
            return False
        return self.whole_file or self.line in _lines_of(item.span)


def _lines_of(span: Span) -> range:
    """A span ending at column 1 of a later line ends with the line before it."""
    last = span.end.line
    if span.end.column == 1 and last > span.start.line:
        last -= 1
    return range(span.start.line, last + 1)


def directives(document: Document) -> list[Directive]:
    text = document.text
    if text is None or MARKER not in text:
        return []
    inside = _scalar_spans(text)
    found: list[Directive] = []
    for number, line in enumerate(text.splitlines(), 1):
        for match in DIRECTIVE.finditer(line):
            where = Position(number, match.start() + 1)
            if any(span.start <= where < span.end for span in inside):
                continue  # canon text that happens to read like a directive
            found.append(_directive(number, match))
    return found


def _directive(number: int, match: re.Match[str]) -> Directive:
    base = match.start("codes")
    codes = [
        (
            code.group().upper(),
            Span(
                Position(number, base + code.start() + 1), Position(number, base + code.end() + 1)
            ),
        )
        for code in CODE.finditer(match.group("codes"))
    ]
    return Directive(number, match.group("kind") == "disable-file", codes, set())


def _scalar_spans(text: str) -> list[Span]:
    """Where scalars sit: a `#` there is text, not a comment. A file that does not scan
    has no trustworthy scalars (JF001 reports it), so every match counts there."""
    import yaml  # only for files holding a directive: most runs never parse

    spans: list[Span] = []
    try:
        for token in yaml.scan(text, Loader=yaml.CSafeLoader):
            if isinstance(token, yaml.ScalarToken):
                start, end = token.start_mark, token.end_mark
                spans.append(
                    Span(
                        Position(start.line + 1, start.column + 1),
                        Position(end.line + 1, end.column + 1),
                    )
                )
    except yaml.YAMLError:
        return spans
    return spans


def apply_suppressions(
    diagnostics: Iterable[Diagnostic],
    documents: Sequence[Document],
    targets: Sequence[str],
    settings: Settings,
) -> list[Diagnostic]:
    """The findings no directive silences, plus JF100 for directives in ``targets`` that
    silenced nothing (for rules that are enabled there: a disabled rule finds nothing)."""
    findings = list(diagnostics)
    # Only files with something to silence or report matter: not every file of the canon.
    concerned = {item.path for item in findings}.union(targets)
    by_path = {
        document.path: directives(document) for document in documents if document.path in concerned
    }
    kept = [item for item in findings if not _silenced(item, by_path)]
    kept.extend(_unused(by_path, targets, settings))
    return kept


def _silenced(item: Diagnostic, by_path: Mapping[str, list[Directive]]) -> bool:
    for directive in by_path.get(item.path, ()):
        if directive.covers(item):
            directive.used.add(item.code)
            return True
    return False


def _unused(
    by_path: Mapping[str, list[Directive]], targets: Iterable[str], settings: Settings
) -> Iterator[Diagnostic]:
    rule = RULES[UNUSED]
    for path in targets:
        if not settings.enabled(UNUSED, path):
            continue
        for directive in by_path.get(path, ()):
            scope = "in this file" if directive.whole_file else "on this line"
            for code, span in directive.codes:
                if not settings.knows(code):
                    message = f"unknown rule code {code!r} in a suppression"
                elif code in ALWAYS_REPORTED:
                    message = f"{code} cannot be suppressed: a file that did not load is unchecked"
                elif code in directive.used or not settings.enabled(code, path):
                    continue
                else:
                    message = f"unused suppression: no {code} finding {scope}"
                severity = settings.severity_of(UNUSED, rule.severity)
                yield Diagnostic(path, span, UNUSED, message, severity)
