"""JF108 whitespace: stray spaces, control and invisible characters, and look-alike letters
in canon text (see ``lookalike``).

The fix is certain only where the scalar's source reads exactly as its value (one line, no
escapes): then deleting the reported characters from the file is the whole fix, and
``jobframe_lint.fix`` does just that.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

from jobframe_lint.canon import Canon, Text
from jobframe_lint.diagnostics import Diagnostic, Severity, Span
from jobframe_lint.document import Document
from jobframe_lint.lookalike import foreign_letters, mixed_script_words
from jobframe_lint.rules.base import Rule
from jobframe_lint.rules.common import canon_texts, documents_by_path, inner_span
from jobframe_lint.terminal import INVISIBLE

DOUBLED = re.compile(r"(?<=\S)  +(?=\S)")
# Unicode category Cc is exactly these ranges; one regex search is ~100x faster than
# asking unicodedata about every character of a 20 MB canon.
CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
EDGE = " \t"


class Problem(NamedTuple):
    """One kind of stray whitespace in one text; ``deletions`` is its fix, when certain."""

    span: Span
    message: str
    deletions: tuple[Span, ...] = ()


def problems(document: Document | None, text: Text) -> Iterator[Problem]:
    value = text.value
    lstrip = len(value) - len(value.lstrip())
    if lstrip:
        yield _edge(document, text, 0, lstrip, "leading")
    rstrip = len(value) - len(value.rstrip())
    if rstrip and rstrip < len(value):
        block = _block_header(document, text)
        if block is not None and value[-rstrip:].strip("\n") == "":
            yield _kept_break(text, block, value[-rstrip:].count("\n"))
        else:
            yield _edge(document, text, len(value) - rstrip, rstrip, "trailing")
    runs = list(DOUBLED.finditer(value))
    if runs:
        spans = [inner_span(document, text, run.start(), len(run.group())) for run in runs]
        # Keep the first space of each run: the fix deletes the rest.
        deletions = tuple(
            inner_span(document, text, run.start() + 1, len(run.group()) - 1) for run in runs
        )
        yield Problem(
            spans[0],
            f"doubled spaces in {text.field}{'' if len(runs) == 1 else f' ({len(runs)} places)'}: "
            "the frames copy them verbatim",
            deletions if _exact(spans, text) else (),
        )
    control = CONTROL.search(value, lstrip, len(value) - rstrip)
    if control:
        yield Problem(
            inner_span(document, text, control.start(), 1),
            f"control character U+{ord(control.group()):04X} in {text.field}: the frames "
            "would break or hide it",
        )
    if value.isascii():
        return
    invisible = INVISIBLE.search(value)
    if invisible:
        yield Problem(
            inner_span(document, text, invisible.start(), 1),
            f"invisible character {_named(invisible.group())} in {text.field}: the text reads "
            "as one it is not, and the frames copy the character unseen",
        )
    mixed = next(mixed_script_words(value), None)  # the first word says it
    if mixed:
        offset, word = mixed
        yield Problem(
            inner_span(document, text, offset, len(word)),
            f'"{word}" in {text.field} mixes Latin letters with look-alikes '
            f"({foreign_letters(word)}): it reads as a word it is not",
        )


def _named(char: str) -> str:
    import unicodedata

    name = unicodedata.name(char, "")
    return f"U+{ord(char):04X}" + (f" ({name})" if name else "")


def _edge(document: Document | None, text: Text, offset: int, length: int, where: str) -> Problem:
    span = inner_span(document, text, offset, length)
    edge = text.value[offset : offset + length]
    certain = _exact([span], text) and all(char in EDGE for char in edge)
    return Problem(
        span,
        f"{where} whitespace in {text.field}: the frames copy it verbatim",
        (span,) if certain else (),
    )


def _block_header(document: Document | None, text: Text) -> str | None:
    """A block scalar's header (``>``, ``|``, ``>+``, ...) as written, None for other text."""
    if document is None or document.text is None:
        return None
    lines = document.text.splitlines()
    start = text.span.start
    if start.line > len(lines):
        return None
    header = lines[start.line - 1][start.column - 1 :].split(" #")[0].strip()
    return header if header[:1] in (">", "|") else None


def _kept_break(text: Text, header: str, breaks: int) -> Problem:
    """The line break a block scalar keeps at its end: YAML's rule, not a typing slip."""
    kind = "folded" if header.startswith(">") else "literal"
    chomped = header[0] + "".join(char for char in header[1:] if char.isdigit()) + "-"
    return Problem(
        Span(text.span.start, text.span.start),
        f"the {kind} block ({header}) of {text.field} keeps "
        f"{'its final line break' if breaks == 1 else f'its final {breaks} line breaks'}, "
        f"which the frames would copy; write {chomped} instead of {header} to drop it",
    )


def _exact(spans: list[Span], text: Text) -> bool:
    """``inner_span`` falls back to the whole value when it cannot place the characters."""
    return all(span != text.span for span in spans)


def check(canon: Canon) -> Iterator[Diagnostic]:
    documents = documents_by_path(canon)
    for text in canon_texts(canon):
        value = text.value
        if not _suspect(value):
            continue
        for problem in problems(documents.get(text.path), text):
            yield Diagnostic(
                text.path,
                problem.span,
                RULE.code,
                problem.message,
                RULE.severity,
                fixable=bool(problem.deletions),
            )


def _suspect(value: str) -> bool:
    """A cheap pre-test: nearly all canon text is clean and skips the detailed look."""
    return (
        value != value.strip()
        or "  " in value
        # isprintable() is false for every control character, and a C loop.
        or (not value.isprintable() and CONTROL.search(value) is not None)
        or not value.isascii()  # invisible characters and look-alike letters
    )


RULE = Rule(
    code="JF108",
    name="whitespace",
    severity=Severity.WARNING,
    summary=(
        "leading, trailing or doubled spaces, control or invisible characters, look-alike "
        "letters (fixable)"
    ),
    fixable=True,
    explanation=(
        "Canon text is copied verbatim into the frames, often between quotes, so a leading or "
        "trailing space shows inside the quotes, doubled spaces show as gaps, and control "
        "characters (tabs, line breaks from block scalars, escapes such as \\e) break or hide "
        "part of a line. Invisible characters (zero-width spaces and joiners, the soft hyphen, "
        "U+FEFF, U+2028/U+2029, bidirectional controls) and Cyrillic or Greek look-alike "
        "letters inside a Latin word (`D\u0430ta` with a Cyrillic `\u0430`) make a text read as "
        "one it "
        "is not. `check --fix` deletes stray spaces where that is certain to be the "
        "whole fix: the text is on one line and its source has no escapes. Control and "
        "invisible characters, look-alikes and block scalars are left to a person."
    ),
    example=(
        'responsibilities:\n  - "Builds models. "       # JF108 trailing\n'
        "  - Deploys  to production.  # JF108 doubled"
    ),
    check=check,
)
