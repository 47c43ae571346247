"""The plain-text page: the "Copy / print as text" layout, byte for byte.

Every string that can hold canon text goes through ``printable`` so that control
characters and escape sequences in the canon are shown, never sent to the terminal.
"""

from __future__ import annotations

from collections.abc import Iterable

from jobframe_lint.frames import templates as t
from jobframe_lint.frames.model import Block, Frame, Line, Page
from jobframe_lint.frames.output import encode, render
from jobframe_lint.terminal import printable


def render_pages(pages: Iterable[Page], omitted: bool = False) -> str:
    """Pages separated by one blank line, each ending with a newline."""
    return render(pages, TextPages(omitted))


def render_page(page: Page, omitted: bool = False) -> str:
    return TextPages(omitted).text(page)


class TextPages:
    """Lays out pages; a line shared by many of them (the fixed ones, a page's Achievable
    and Standard, a level's KR2 and Role calibration rows) is laid out once in each place
    it takes. Lines are remembered by identity: holding the line keeps its id its own."""

    _KEEP = 20_000
    opening, separator, closing, empty = "", "\n", "", ""

    def __init__(self, omitted: bool) -> None:
        self.omitted = omitted
        self.laid: dict[tuple[int, str], tuple[Line, str]] = {}

    def page(self, page: Page) -> bytes:
        return encode(self.text(page))

    def text(self, page: Page) -> str:
        if len(self.laid) > self._KEEP:
            self.laid.clear()
        header = [page.title.text, page.heading.text, page.breadcrumb.text]
        sections = [*map(printable, header), page.disclaimer]
        frames = page.frames if self.omitted else page.shown_frames()
        sections.extend(self.frame(frame) for frame in frames)
        return "\n\n".join(sections) + "\n"

    def frame(self, frame: Frame) -> str:
        if frame.missing is not None:
            return f"{frame.title}\n\n[omitted] {printable(frame.missing.reason)}"
        blocks = (self.block(frame.key, block) for block in frame.shown_blocks(self.omitted))
        return "\n\n".join([frame.title, frame.intro, *blocks])

    def block(self, key: str, block: Block) -> str:
        lines = block.visible(self.omitted)
        if key == "scorecard":
            if block.missing is not None:
                return f"{block.heading}\n  [omitted] {printable(block.missing.reason)}"
            return "\n".join([block.heading or "", *(self.row(line, key) for line in lines)])
        if key == "mbo":
            by_role = {line.role: line for line in lines}
            out = [f"{block.number}. Area: {_tagged(by_role['mbo.area'])}"]
            standard = by_role.get("mbo.standard")
            if standard is not None:
                out.append(self.row(standard, key))
            target, due = by_role["mbo.target"].text, by_role["mbo.due"].text
            out.append(f"   Target:   {target}   Due: {due}")
            return "\n".join(out)
        head, *rest = lines
        marker = f"{block.number}." if key == "smart" else f"Objective {block.number}:"
        return "\n".join([f"{marker} {_tagged(head)}", *(self.row(line, key) for line in rest)])

    def row(self, line: Line, key: str) -> str:
        found = self.laid.get((id(line), key))
        if found is None:
            found = self.laid[(id(line), key)] = (line, _ROWS[key](line))
        return found[1]


def _tagged(line: Line) -> str:
    text = printable(line.text)
    return f"{text}  [source: {printable(line.tag)}]" if line.tag else text


def _omission(indent: str, line: Line) -> str:
    reason = printable(line.missing.reason) if line.missing else ""
    label = f"{printable(line.label)}: " if line.label else ""
    return f"{indent}[omitted] {label}{reason}"


def _smart_row(line: Line) -> str:
    if not line.produced:
        return _omission("   ", line)
    return f"   {line.label + ':':<13}{printable(line.text)}"


def _okr_row(line: Line) -> str:
    return f"  {line.label}. {printable(line.text)}" if line.produced else _omission("  ", line)


def _mbo_row(line: Line) -> str:
    return f"   Standard: {printable(line.text)}" if line.produced else _omission("   ", line)


def _scorecard_row(line: Line) -> str:
    if not line.produced:
        return _omission("  ", line)
    tag = printable(line.tag or "")
    return f"  - {printable(line.text)}  →  {t.SCORECARD_TARGET}   [source: {tag}]"


_ROWS = {"smart": _smart_row, "okr": _okr_row, "mbo": _mbo_row, "scorecard": _scorecard_row}
