"""Code actions as edits of a buffer: the ``--fix`` deletions, and a suppression comment.

Edits are (start, end, new text) in offsets of the buffer's text; the protocol side turns
them into the editor's positions. Each is checked before it is offered: a fix must load back
to the same data, less the stray spaces, as ``check --fix`` requires; a suppression must
leave the data as it was and read as a directive that covers the finding.
"""

from __future__ import annotations

from typing import NamedTuple

from jobframe_lint.canon import build_canon
from jobframe_lint.diagnostics import Diagnostic, Position, Span
from jobframe_lint.document import Document
from jobframe_lint.fix import plan
from jobframe_lint.loader import load_bytes
from jobframe_lint.rules.common import canon_texts
from jobframe_lint.server.lines import BOM, LineIndex
from jobframe_lint.suppressions import DIRECTIVE, UNUSED, directives


class Edit(NamedTuple):
    start: int
    end: int
    text: str


def fixes(document: Document, index: LineIndex, spans: set[Span]) -> list[Edit]:
    """The deletions that fix the findings at ``spans``, or none where no fix is certain."""
    texts = list(canon_texts(build_canon([document])))
    planned = plan(document, texts, spans)
    if planned is None or planned.unsafe is not None:
        return []
    cuts = sorted((index.offset(span.start), index.offset(span.end)) for span in planned.deletions)
    merged: list[list[int]] = []
    for start, end in cuts:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [Edit(start, end, "") for start, end in merged]


def suppression(document: Document, index: LineIndex, item: Diagnostic) -> Edit | None:
    """``# jobframe-lint: disable=CODE`` on a line of the finding: added to a directive the
    line holds, else appended to it. None where no line can hold one (JF100 is not
    suppressed: its fix is to remove the code it reports)."""
    if item.code == UNUSED:
        return None
    for line in range(item.span.start.line, item.span.end.line + 1):
        for edit in _candidates(index, line, item.code):
            if _covers(document, index, edit, item):
                return edit
    return None


def _candidates(index: LineIndex, line: int, code: str) -> list[Edit]:
    """The code added to the line's directive, if it has one, else a comment at its end."""
    start = index.offset(Position(line, 1))
    if index.position(start).line != line:
        return []  # past the last line
    end = index.line_end(line)
    found = [
        Edit(match.end("codes"), match.end("codes"), f",{code}")
        for match in DIRECTIVE.finditer(index.text, start, end)
        if match.group("kind") == "disable"
    ]
    return [*found[:1], Edit(end, end, f"  # jobframe-lint: disable={code}")]


def _covers(document: Document, index: LineIndex, edit: Edit, item: Diagnostic) -> bool:
    """Whether the edited buffer holds the same data and a directive covering ``item``: a
    comment appended inside a multi-line plain scalar would end it and change the data."""
    edited = (index.text[: edit.start] + edit.text + index.text[edit.end :]).removeprefix(BOM)
    if load_bytes(edited.encode("utf-8", "surrogatepass"), document.path).data != document.data:
        return False
    trial = Document(document.path, edited)
    return any(directive.covers(item) for directive in directives(trial))
