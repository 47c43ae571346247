"""``path:line:col: CODE message``, as ruff prints it, with a closing summary."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from jobframe_lint.diagnostics import Diagnostic, Severity
from jobframe_lint.reporters.base import StreamReporter
from jobframe_lint.terminal import console_size, printable

_STYLES = {Severity.ERROR: "bold red", Severity.WARNING: "bold yellow", Severity.INFO: "bold blue"}


class TextReporter(StreamReporter):
    def report(
        self,
        diagnostics: Sequence[Diagnostic],
        files_checked: int,
        baselined: Sequence[Diagnostic] = (),
        files: Sequence[str] = (),
    ) -> None:
        if self.color:
            self._colored(diagnostics)
        else:
            self.out.writelines(f"{_plain(item)}\n" for item in diagnostics)
        if not self.quiet:
            self.out.write(summary(diagnostics, files_checked, len(baselined)) + "\n")

    def _colored(self, diagnostics: Sequence[Diagnostic]) -> None:
        # rich costs ~30 ms to import: only a terminal pays for it.
        from rich.console import Console
        from rich.text import Text

        width, height = console_size()
        console = Console(
            file=self.out,
            width=width,
            height=height,
            force_terminal=True,
            highlight=False,
            soft_wrap=True,
        )
        for item in diagnostics:
            start = item.span.start
            console.print(
                Text.assemble(
                    (printable(item.path), "bold"),
                    (f":{start.line}:{start.column}:", "cyan"),
                    " ",
                    (item.code, _STYLES[item.severity]),
                    " ",
                    printable(item.message),
                )
            )


def _plain(item: Diagnostic) -> str:
    start = item.span.start
    # One printable() over the line: the numbers and the code between are safe anyway.
    return printable(f"{item.path}:{start.line}:{start.column}: {item.code} {item.message}")


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def summary(diagnostics: Sequence[Diagnostic], files_checked: int, baselined: int = 0) -> str:
    if not diagnostics:
        more = f"; {_count(baselined, 'finding')} baselined" if baselined else ""
        return f"All checks passed ({_count(files_checked, 'file')}{more})."
    by_severity = Counter(item.severity for item in diagnostics)
    parts = [
        _count(by_severity[Severity.ERROR], "error"),
        _count(by_severity[Severity.WARNING], "warning"),
    ]
    if by_severity[Severity.INFO]:
        parts.append(_count(by_severity[Severity.INFO], "info"))
    counted = ", ".join(parts[:-1]) + " and " + parts[-1]
    files = len({item.path for item in diagnostics})
    more = f" ({baselined} more baselined)" if baselined else ""
    return f"Found {counted} in {_count(files, 'file')}{more}."
