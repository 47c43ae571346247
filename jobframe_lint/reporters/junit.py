"""JUnit XML, for CI systems that show test reports (GitLab, Jenkins, Azure, CircleCI): one
test case per file checked, failed by its errors and warnings.

Information never fails a run, so it never fails a test case either: it is listed in the
case's ``system-out``. Canon text is data: control characters are shown as escapes, since
XML 1.0 cannot hold them at all.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from xml.etree import ElementTree

from jobframe_lint.diagnostics import Diagnostic, Severity
from jobframe_lint.reporters.base import StreamReporter
from jobframe_lint.terminal import printable

NAME = "jobframe-lint"


class JunitReporter(StreamReporter):
    def report(
        self,
        diagnostics: Sequence[Diagnostic],
        files_checked: int,
        baselined: Sequence[Diagnostic] = (),
        files: Sequence[str] = (),
    ) -> None:
        by_file: dict[str, list[Diagnostic]] = {path: [] for path in files}
        for item in diagnostics:
            by_file.setdefault(item.path, []).append(item)
        cases = [_case(path, found) for path, found in by_file.items()]
        failures = sum(case.find("failure") is not None for case in cases)
        counts = {"tests": str(len(cases)), "failures": str(failures), "errors": "0"}
        suites = ElementTree.Element("testsuites", {"name": NAME, **counts})
        suite = ElementTree.SubElement(
            suites, "testsuite", {"name": NAME, "skipped": "0", **counts}
        )
        suite.extend(cases)
        ElementTree.indent(suites)
        self.out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
        self.out.write(ElementTree.tostring(suites, encoding="unicode") + "\n")


def _case(path: str, found: list[Diagnostic]) -> ElementTree.Element:
    shown = printable(path)
    case = ElementTree.Element("testcase", classname=NAME, name=shown, file=shown)
    failing = [item for item in found if item.severity is not Severity.INFO]
    if failing:
        worst = max(failing, key=lambda item: item.severity.rank).severity
        by_severity = Counter(item.severity for item in failing)
        summary = ", ".join(
            f"{by_severity[severity]} {severity.value}{'' if by_severity[severity] == 1 else 's'}"
            for severity in (Severity.ERROR, Severity.WARNING)
            if by_severity[severity]
        )
        failure = ElementTree.SubElement(case, "failure", message=summary, type=worst.value)
        failure.text = _lines(failing)
    informing = [item for item in found if item.severity is Severity.INFO]
    if informing:
        ElementTree.SubElement(case, "system-out").text = _lines(informing)
    return case


def _lines(found: list[Diagnostic]) -> str:
    return "\n".join(
        printable(
            f"{item.path}:{item.span.start.line}:{item.span.start.column}: "
            f"{item.code} {item.message}"
        )
        for item in found
    )
