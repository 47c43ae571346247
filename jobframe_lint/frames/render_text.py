"""The plain-text page: the "Copy / print as text" layout, byte for byte.

Every string that can hold canon text goes through ``printable`` so that control
characters and escape sequences in the canon are shown, never sent to the terminal.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from jobframe_lint.document import Document
from jobframe_lint.frames import templates as t
from jobframe_lint.frames.model import Block, Frame, Line, Page
from jobframe_lint.frames.output import EveryFile, encode, render
from jobframe_lint.terminal import printable, shows_as_is


def render_pages(pages: Iterable[Page], omitted: bool = False) -> str:
    """Pages separated by one blank line, each ending with a newline."""
    return render(pages, TextPages(omitted))


def render_page(page: Page, omitted: bool = False) -> str:
    return TextPages(omitted).text(page)


class TextPages:
    """Lays out pages; where every text a page is made from is ``shows_as_is`` (nearly
    every canon), with the texts as they are, since ``printable`` would change none of
    them: on each text it was half the layout.
    """

    opening, separator, closing, empty = "", "\n", "", ""

    def __init__(self, omitted: bool) -> None:
        self.as_is = _Layout(omitted, str)
        self.shown = _Layout(omitted, printable)
        # Whether each key and text of the files the page is made from, and their names,
        # ``shows_as_is``: every text on the page is then one of them or a template's, or
        # made of these side by side (templates put no two fields together).
        self.is_inert = EveryFile(_shows_as_is)

    def page(self, page: Page) -> bytes:
        return encode(self.text(page))

    def text(self, page: Page) -> str:
        return (self.as_is if self.is_inert(page) else self.shown).page(page)


def _shows_as_is(document: Document) -> bool:
    """Whether the file's name and every key and text in its data ``shows_as_is``."""
    pending: list[object] = [document.path, document.data]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            if not shows_as_is(item):
                return False
        elif isinstance(item, dict):
            pending.extend(item)
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return True


class _Layout:
    """The text layout with each text shown by ``show``. A line shared by many pages (the
    fixed ones, a page's Achievable and Standard, a level's KR2 and Role calibration rows)
    is laid out once in each place it takes; lines are remembered by identity, holding
    the line keeps its id its own."""

    _KEEP = 20_000

    def __init__(self, omitted: bool, show: Callable[[str], str]) -> None:
        self.omitted = omitted
        self.show = show
        self.laid: dict[tuple[int, str], tuple[Line, str]] = {}

    def page(self, page: Page) -> str:
        if len(self.laid) > self._KEEP:
            self.laid.clear()
        header = [page.title.text, page.heading.text, page.breadcrumb.text]
        sections = [*map(self.show, header), page.disclaimer]
        frames = page.frames if self.omitted else page.shown_frames()
        sections.extend(self.frame(frame) for frame in frames)
        return "\n\n".join(sections) + "\n"

    def frame(self, frame: Frame) -> str:
        if frame.missing is not None:
            return f"{frame.title}\n\n[omitted] {self.show(frame.missing.reason)}"
        blocks = (self.block(frame.key, block) for block in frame.shown_blocks(self.omitted))
        return "\n\n".join([frame.title, frame.intro, *blocks])

    def block(self, key: str, block: Block) -> str:
        show = self.show
        lines = block.visible(self.omitted)
        if key == "scorecard":
            if block.missing is not None:
                return f"{block.heading}\n  [omitted] {show(block.missing.reason)}"
            return "\n".join([block.heading or "", *(self.row(line, key) for line in lines)])
        if key == "mbo":
            by_role = {line.role: line for line in lines}
            out = [f"{block.number}. Area: {_tagged(by_role['mbo.area'], show)}"]
            standard = by_role.get("mbo.standard")
            if standard is not None:
                out.append(self.row(standard, key))
            target, due = by_role["mbo.target"].text, by_role["mbo.due"].text
            out.append(f"   Target:   {target}   Due: {due}")
            return "\n".join(out)
        head, *rest = lines
        marker = f"{block.number}." if key == "smart" else f"Objective {block.number}:"
        rows = (self.row(line, key) for line in rest)
        return "\n".join([f"{marker} {_tagged(head, show)}", *rows])

    def row(self, line: Line, key: str) -> str:
        found = self.laid.get((id(line), key))
        if found is None:
            found = self.laid[(id(line), key)] = (line, _ROWS[key](line, self.show))
        return found[1]


Show = Callable[[str], str]


def _tagged(line: Line, show: Show) -> str:
    text = show(line.text)
    return f"{text}  [source: {show(line.tag)}]" if line.tag else text


def _omission(indent: str, line: Line, show: Show) -> str:
    reason = show(line.missing.reason) if line.missing else ""
    label = f"{show(line.label)}: " if line.label else ""
    return f"{indent}[omitted] {label}{reason}"


def _smart_row(line: Line, show: Show) -> str:
    if not line.produced:
        return _omission("   ", line, show)
    return f"   {line.label + ':':<13}{show(line.text)}"


def _okr_row(line: Line, show: Show) -> str:
    return f"  {line.label}. {show(line.text)}" if line.produced else _omission("  ", line, show)


def _mbo_row(line: Line, show: Show) -> str:
    return f"   Standard: {show(line.text)}" if line.produced else _omission("   ", line, show)


def _scorecard_row(line: Line, show: Show) -> str:
    if not line.produced:
        return _omission("  ", line, show)
    tag = show(line.tag or "")
    return f"  - {show(line.text)}  →  {t.SCORECARD_TARGET}   [source: {tag}]"


_ROWS = {"smart": _smart_row, "okr": _okr_row, "mbo": _mbo_row, "scorecard": _scorecard_row}
