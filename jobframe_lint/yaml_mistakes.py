"""Plain words for the YAML mistakes people-ops editors make, in place of libyaml's own.

libyaml says where it gave up ("mapping values are not allowed in this context", "did not
find expected key") and what it was parsing; the mistake is read from those marks and the
source lines around them: an unquoted ``: `` in text, a quote inside quoted text, a tab, an
indentation that lines up with nothing, a quote or bracket that never closes. Each gets a
message naming it, a fix, and the line where it is (an unclosed quote is reported where it
opens, not at the end of the file). Anything else keeps libyaml's words.

Imported only when a file does not parse.
"""

from __future__ import annotations

import re
from typing import NamedTuple, Protocol

from jobframe_lint.diagnostics import Span

QUOTES = "\"'"
# The line breaks of YAML (and so of libyaml's marks); str.splitlines knows more.
LINE_BREAKS = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
BRACKETS = {"[": "]", "{": "}"}


class Mark(Protocol):
    line: int
    column: int


class Explained(NamedTuple):
    span: Span
    message: str


def explain(text: str, problem: Mark | None, context: Mark | None) -> Explained | None:
    """The mistake behind a parser error at ``problem`` (while parsing from ``context``)."""
    if problem is None:
        return None
    lines = LINE_BREAKS.split(text)
    opened = _char(lines, context)
    if context is not None and opened and opened in QUOTES and _at_end(lines, problem):
        return _unclosed_quote(context, opened)
    if context is not None and opened in BRACKETS:
        return _unclosed_bracket(context, opened)
    if problem.line >= len(lines):
        return None
    line = lines[problem.line]
    column = problem.column
    indent = len(line) - len(line.lstrip(" "))
    if "\t" in line[: max(column, indent) + 1]:
        return _tab(problem.line, line)
    if _char(lines, problem) == ":":
        return _colon(lines, problem.line, column)
    if 0 < column <= len(line) and line[column - 1] in QUOTES:
        # Text right after the quote that closed a quoted text.
        start = _quoted_text_start(text, problem)
        if start is not None and start.line < problem.line:
            return _quote_runs_on(start, problem, line[column - 1])
        if start is not None:
            return _quote_in_quotes(problem.line, line, column)
    if column == indent and line.strip() and indent not in _indents_above(lines, problem.line):
        return _misaligned(problem.line, indent)
    return None


def _char(lines: list[str], mark: Mark | None) -> str:
    if mark is None or mark.line >= len(lines) or mark.column >= len(lines[mark.line]):
        return ""
    return lines[mark.line][mark.column]


def _at_end(lines: list[str], mark: Mark) -> bool:
    """Whether ``mark`` is past the last character of the text (end of stream)."""
    rest = lines[mark.line :] if mark.line < len(lines) else []
    return not "".join(rest)[mark.column :].strip()


def _at(line: int, column: int) -> Span:
    return Span.at(line + 1, column + 1)


def _unclosed_quote(context: Mark, quote: str) -> Explained:
    return Explained(
        _at(context.line, context.column),
        f"the quoted text opened here with {quote} is never closed; end it with a matching "
        f"{quote} (a {quote} inside it is written {_escaped(quote)})",
    )


def _unclosed_bracket(context: Mark, bracket: str) -> Explained:
    kind = "list" if bracket == "[" else "mapping"
    return Explained(
        _at(context.line, context.column),
        f"the {kind} opened here with {bracket} is not closed on a line YAML can end it on; "
        f"add {BRACKETS[bracket]} after its last item, or quote an item that holds , [ ] {{ }}",
    )


def _quote_runs_on(opened: Mark, closed: Mark, quote: str) -> Explained:
    return Explained(
        _at(opened.line, opened.column),
        f"the quoted text opened here with {quote} runs on to line {closed.line + 1}, where a "
        f"{quote} closes it; close it on this line (a {quote} inside it is written "
        f"{_escaped(quote)})",
    )


def _quoted_text_start(text: str, end: Mark) -> Mark | None:
    """Where the quoted text ending at ``end`` opened, as the parser's own tokens say."""
    import yaml  # loaded already: the file failed to parse

    place = (end.line, end.column)
    try:
        for token in yaml.scan(text, Loader=yaml.CSafeLoader):
            stop: Mark = token.end_mark
            if (stop.line, stop.column) > place:
                break
            quoted = isinstance(token, yaml.ScalarToken) and token.style in ('"', "'")
            if quoted and (stop.line, stop.column) == place:
                start: Mark = token.start_mark
                return start
    except yaml.YAMLError:
        pass  # the scanner's own error lies beyond the closing quote: nothing found
    return None


def _tab(line: int, source: str) -> Explained:
    return Explained(
        _at(line, source.index("\t")),
        "a tab indents this line: YAML indents with spaces only; replace the tab with spaces",
    )


def _colon(lines: list[str], line: int, column: int) -> Explained:
    source = lines[line]
    start = _value_start(source, column)
    if start is not None:
        text = _without_comment(source[start:])
        return Explained(
            _at(line, column),
            'unquoted ": " inside text: YAML reads what follows as a new key; quote the whole '
            f"text: {_quoted(text)}",
        )
    above = _line_above(lines, line)
    return Explained(
        _at(line, len(source) - len(source.lstrip(" "))),
        f"this line is indented deeper than line {above + 1}, so YAML reads it as more of that "
        "line's text and its ':' then makes no sense; indent it as far as the key it sits beside",
    )


def _quote_in_quotes(line: int, source: str, column: int) -> Explained:
    quote = source[column - 1]
    return Explained(
        _at(line, column - 1),
        f"a {quote} inside text quoted with {quote} ends the text early; write it "
        f"{_escaped(quote)}, or quote the whole text with the other kind of quote",
    )


def _misaligned(line: int, indent: int) -> Explained:
    spaces = "1 space" if indent == 1 else f"{indent} spaces"
    return Explained(
        _at(line, indent),
        f"this line is indented by {spaces}, which lines up with no key or item above it; "
        "indent it exactly as far as the keys (or list items) it belongs with",
    )


def _value_start(source: str, column: int) -> int | None:
    """Where the unquoted text holding the ':' at ``column`` starts: after an earlier
    ``key: `` or ``- `` on its line; None when the ':' is the line's first."""
    before = source[:column]
    separator = before.find(": ")
    if separator != -1:
        return column - len(before[separator + 2 :].lstrip(" "))
    stripped = before.lstrip(" ")
    if stripped.startswith("- "):
        return len(before) - len(stripped) + 2
    return None


def _without_comment(text: str) -> str:
    cut = text.find(" #")
    return (text if cut == -1 else text[:cut]).strip()


def _quoted(text: str) -> str:
    if '"' not in text and "\\" not in text:
        return f'"{text}"'
    doubled = text.replace("'", "''")
    return f"'{doubled}'"


def _escaped(quote: str) -> str:
    return "twice ('')" if quote == "'" else 'with a backslash (\\")'


def _indents_above(lines: list[str], line: int) -> set[int]:
    return {
        len(source) - len(source.lstrip(" "))
        for source in lines[:line]
        if source.strip() and not source.lstrip().startswith("#")
    }


def _line_above(lines: list[str], line: int) -> int:
    for number in range(line - 1, -1, -1):
        if lines[number].strip() and not lines[number].lstrip().startswith("#"):
            return number
    return 0
