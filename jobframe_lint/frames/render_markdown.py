"""The frames as Markdown, for wikis and pull-request comments.

Canon text goes through ``markdown.escape`` and is shown as written; the template text
around it is ours and is written as is.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from jobframe_lint.frames import templates as t
from jobframe_lint.frames.model import Block, Frame, Line, Missing, Page
from jobframe_lint.frames.output import encode, render
from jobframe_lint.markdown import escape as _escape

# A responsibility is quoted by six lines of its page and a rubric by every goal: each
# distinct text is escaped once.
escape = lru_cache(maxsize=4096)(_escape)


def _text(line: Line) -> str:
    """The line with its canon runs escaped and its template runs as written."""
    return "".join(
        piece.text if piece.source is None else escape(piece.text) for piece in line.pieces
    )


def render_markdown(pages: Iterable[Page], omitted: bool = False) -> str:
    """Pages separated by a horizontal rule, each ending with a newline."""
    return render(pages, MarkdownPages(omitted))


class MarkdownPages:
    opening, separator, closing, empty = "", "\n---\n\n", "", ""

    def __init__(self, omitted: bool) -> None:
        self.omitted = omitted

    def page(self, page: Page) -> bytes:
        return encode(render_page(page, self.omitted))


def render_page(page: Page, omitted: bool = False) -> str:
    sections = [
        f"# {_text(page.title)}",
        f"**{_text(page.heading)}**",
        f"_{_text(page.breadcrumb)}_",
        f"> {page.disclaimer}",
    ]
    frames = page.frames if omitted else page.shown_frames()
    sections.extend(_frame(frame, omitted) for frame in frames)
    return "\n\n".join(sections) + "\n"


def _frame(frame: Frame, omitted: bool) -> str:
    if frame.missing is not None:
        return f"## ~~{frame.title}~~\n\n{_omission(frame.missing)}"
    layout = _LAYOUTS[frame.key]
    blocks = (layout(block, omitted) for block in frame.shown_blocks(omitted))
    return "\n\n".join([f"## {frame.title}", f"_{frame.intro}_", *blocks])


def _omission(missing: Missing | None) -> str:
    return f"_omitted: {escape(missing.reason) if missing else ''}_"


def _tagged(line: Line) -> str:
    text = _text(line)
    return f"{text} _\\[source: {escape(line.tag)}\\]_" if line.tag else text


def _item(line: Line, label: str) -> str:
    """``**Label** text``, or the label struck through and the reason for an omitted line."""
    if line.produced:
        return f"**{label}** {_tagged(line)}"
    return f"~~{label}~~ {_omission(line.missing)}"


def _nested(head: str, lines: Iterable[str], indent: int) -> str:
    return "\n".join([head, *(f"{' ' * indent}- {line}" for line in lines)])


def _smart(block: Block, omitted: bool) -> str:
    goal, *rest = block.visible(omitted)
    head = f"{block.number}. {_tagged(goal)}"
    return _nested(head, (_item(line, f"{line.label}:") for line in rest), len(f"{block.number}. "))


def _okr(block: Block, omitted: bool) -> str:
    objective, *rest = block.visible(omitted)
    head = f"- **Objective {block.number}:** {_tagged(objective)}"
    return _nested(head, (_item(line, f"{line.label}.") for line in rest), 2)


def _mbo(block: Block, omitted: bool) -> str:
    area, *rest = block.visible(omitted)
    head = f"{block.number}. **Area:** {_tagged(area)}"
    return _nested(head, (_item(line, f"{line.label}:") for line in rest), len(f"{block.number}. "))


def _scorecard(block: Block, omitted: bool) -> str:
    heading = f"### {block.heading}"
    if block.missing is not None:
        return f"### ~~{block.heading}~~\n\n{_omission(block.missing)}"
    rows = ["| " + " | ".join(_cells(line)) + " |" for line in block.visible(omitted)]
    return "\n".join([heading, "", "| Measure | Target | Source |", "|---|---|---|", *rows])


def _cells(line: Line) -> tuple[str, str, str]:
    if not line.produced:
        return f"~~{escape(line.label)}~~ {_omission(line.missing)}", "", ""
    return _text(line), t.SCORECARD_TARGET, escape(line.tag or "")


_LAYOUTS = {"smart": _smart, "okr": _okr, "mbo": _mbo, "scorecard": _scorecard}
