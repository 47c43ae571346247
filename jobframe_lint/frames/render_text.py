"""The plain-text page: the "Copy / print as text" layout, byte for byte.

Every string that can hold canon text goes through ``printable`` so that control
characters and escape sequences in the canon are shown, never sent to the terminal.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TextIO

from jobframe_lint.frames import templates as t
from jobframe_lint.frames.model import Block, Frame, Line, Page
from jobframe_lint.terminal import printable


def render_pages(pages: Iterable[Page], omitted: bool = False) -> str:
    """Pages separated by one blank line, each ending with a newline."""
    return "\n".join(render_page(page, omitted) for page in pages)


def write_text(pages: Iterable[Page], out: TextIO, omitted: bool = False) -> None:
    """``render_pages``, written page by page as the pages are made."""
    for index, page in enumerate(pages):
        out.write(f"\n{render_page(page, omitted)}" if index else render_page(page, omitted))


def render_page(page: Page, omitted: bool = False) -> str:
    header = [page.title.text, page.heading.text, page.breadcrumb.text]
    sections = [*map(printable, header), page.disclaimer]
    frames = page.frames if omitted else page.shown_frames()
    sections.extend(_frame(frame, omitted) for frame in frames)
    return "\n\n".join(sections) + "\n"


def _frame(frame: Frame, omitted: bool) -> str:
    if frame.missing is not None:
        return f"{frame.title}\n\n[omitted] {printable(frame.missing.reason)}"
    layout = _LAYOUTS[frame.key]
    blocks = (layout(block, omitted) for block in frame.shown_blocks(omitted))
    return "\n\n".join([frame.title, frame.intro, *blocks])


def _tagged(line: Line) -> str:
    text = printable(line.text)
    return f"{text}  [source: {printable(line.tag)}]" if line.tag else text


def _omission(indent: str, line: Line) -> str:
    reason = printable(line.missing.reason) if line.missing else ""
    label = f"{printable(line.label)}: " if line.label else ""
    return f"{indent}[omitted] {label}{reason}"


def _smart(block: Block, omitted: bool) -> str:
    goal, *rest = block.visible(omitted)
    out = [f"{block.number}. {_tagged(goal)}"]
    out.extend(
        f"   {line.label + ':':<13}{printable(line.text)}"
        if line.produced
        else _omission("   ", line)
        for line in rest
    )
    return "\n".join(out)


def _okr(block: Block, omitted: bool) -> str:
    objective, *rest = block.visible(omitted)
    out = [f"Objective {block.number}: {_tagged(objective)}"]
    out.extend(
        f"  {line.label}. {printable(line.text)}" if line.produced else _omission("  ", line)
        for line in rest
    )
    return "\n".join(out)


def _mbo(block: Block, omitted: bool) -> str:
    lines = {line.role: line for line in block.visible(omitted)}
    out = [f"{block.number}. Area: {_tagged(lines['mbo.area'])}"]
    standard = lines.get("mbo.standard")
    if standard is not None:
        out.append(
            f"   Standard: {printable(standard.text)}"
            if standard.produced
            else _omission("   ", standard)
        )
    out.append(f"   Target:   {lines['mbo.target'].text}   Due: {lines['mbo.due'].text}")
    return "\n".join(out)


def _scorecard(block: Block, omitted: bool) -> str:
    if block.missing is not None:
        return f"{block.heading}\n  [omitted] {printable(block.missing.reason)}"
    rows = (
        f"  - {_tagged_row(line)}" if line.produced else _omission("  ", line)
        for line in block.visible(omitted)
    )
    return "\n".join([block.heading or "", *rows])


def _tagged_row(line: Line) -> str:
    return (
        f"{printable(line.text)}  →  {t.SCORECARD_TARGET}   [source: {printable(line.tag or '')}]"
    )


_LAYOUTS = {"smart": _smart, "okr": _okr, "mbo": _mbo, "scorecard": _scorecard}
