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
        [piece.text if piece.source is None else escape(piece.text) for piece in line.pieces]
    )


def render_markdown(pages: Iterable[Page], omitted: bool = False) -> str:
    """Pages separated by a horizontal rule, each ending with a newline."""
    return render(pages, MarkdownPages(omitted))


class MarkdownPages:
    """Lays out pages; a line shared by many (the fixed ones, a page's Achievable and
    Standard, a level's KR2) is laid out once in each place it takes. Lines are
    remembered by identity: holding the line keeps its id its own."""

    opening, separator, closing, empty = "", "\n---\n\n", "", ""
    _KEEP = 20_000

    def __init__(self, omitted: bool) -> None:
        self.omitted = omitted
        self.items: dict[tuple[int, str], tuple[Line, str]] = {}
        self.layouts = {"smart": self.smart, "okr": self.okr, "mbo": self.mbo}

    def page(self, page: Page) -> bytes:
        return encode(self.text(page))

    def text(self, page: Page) -> str:
        if len(self.items) > self._KEEP:
            self.items.clear()
        sections = [
            f"# {_text(page.title)}",
            f"**{_text(page.heading)}**",
            f"_{_text(page.breadcrumb)}_",
            f"> {page.disclaimer}",
        ]
        frames = page.frames if self.omitted else page.shown_frames()
        sections.extend(self.frame(frame) for frame in frames)
        return "\n\n".join(sections) + "\n"

    def frame(self, frame: Frame) -> str:
        if frame.missing is not None:
            return f"## ~~{frame.title}~~\n\n{_omission(frame.missing)}"
        layout = self.layouts.get(frame.key, self.scorecard)
        blocks = [layout(block) for block in frame.shown_blocks(self.omitted)]
        return "\n\n".join([f"## {frame.title}", f"_{frame.intro}_", *blocks])

    def item(self, line: Line, label: str) -> str:
        """``**Label** text``, or the label struck through and the reason for an omitted line."""
        found = self.items.get((id(line), label))
        if found is None:
            if line.produced:
                text = f"**{label}** {_tagged(line)}"
            else:
                text = f"~~{label}~~ {_omission(line.missing)}"
            found = self.items[(id(line), label)] = (line, text)
        return found[1]

    def nested(self, head: str, lines: list[Line], marks: str, indent: int) -> str:
        items = [f"{' ' * indent}- {self.item(line, line.label + marks)}" for line in lines]
        return "\n".join([head, *items])

    def smart(self, block: Block) -> str:
        goal, *rest = block.visible(self.omitted)
        head = f"{block.number}. {_tagged(goal)}"
        return self.nested(head, rest, ":", len(f"{block.number}. "))

    def okr(self, block: Block) -> str:
        objective, *rest = block.visible(self.omitted)
        head = f"- **Objective {block.number}:** {_tagged(objective)}"
        return self.nested(head, rest, ".", 2)

    def mbo(self, block: Block) -> str:
        area, *rest = block.visible(self.omitted)
        head = f"{block.number}. **Area:** {_tagged(area)}"
        return self.nested(head, rest, ":", len(f"{block.number}. "))

    def scorecard(self, block: Block) -> str:
        heading = f"### {block.heading}"
        if block.missing is not None:
            return f"### ~~{block.heading}~~\n\n{_omission(block.missing)}"
        rows = ["| " + " | ".join(_cells(line)) + " |" for line in block.visible(self.omitted)]
        return "\n".join([heading, "", "| Measure | Target | Source |", "|---|---|---|", *rows])


def render_page(page: Page, omitted: bool = False) -> str:
    return MarkdownPages(omitted).text(page)


def _omission(missing: Missing | None) -> str:
    return f"_omitted: {escape(missing.reason) if missing else ''}_"


def _tagged(line: Line) -> str:
    text = _text(line)
    return f"{text} _\\[source: {escape(line.tag)}\\]_" if line.tag else text


def _cells(line: Line) -> tuple[str, str, str]:
    if not line.produced:
        return f"~~{escape(line.label)}~~ {_omission(line.missing)}", "", ""
    return _text(line), t.SCORECARD_TARGET, escape(line.tag or "")
