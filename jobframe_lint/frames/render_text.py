"""The plain-text page: the "Copy / print as text" layout, byte for byte."""

from __future__ import annotations

from collections.abc import Iterable

from jobframe_lint.frames import templates as t
from jobframe_lint.frames.model import Block, Frame, Line, Page


def render_pages(pages: Iterable[Page], omitted: bool = False) -> str:
    """Pages separated by one blank line, each ending with a newline."""
    return "\n".join(render_page(page, omitted) for page in pages)


def render_page(page: Page, omitted: bool = False) -> str:
    sections = [page.title.text, page.heading.text, page.breadcrumb.text, page.disclaimer]
    frames = page.frames if omitted else page.shown_frames()
    sections.extend(_frame(frame, omitted) for frame in frames)
    return "\n\n".join(sections) + "\n"


def _frame(frame: Frame, omitted: bool) -> str:
    if not frame.produced and frame.missing is not None:
        return f"{frame.title}\n\n[omitted] {frame.missing.reason}"
    layout = _LAYOUTS[frame.key]
    return "\n\n".join(
        [frame.title, frame.intro, *(layout(block, omitted) for block in frame.blocks)]
    )


def _tagged(text: str, tag: str | None) -> str:
    return f"{text}  [source: {tag}]" if tag else text


def _omission(indent: str, line: Line) -> str:
    reason = line.missing.reason if line.missing else ""
    return f"{indent}[omitted] {line.label}: {reason}"


def _smart(block: Block, omitted: bool) -> str:
    goal, *rest = block.visible(omitted)
    out = [f"{block.number}. {_tagged(goal.text, goal.tag)}"]
    for line in rest:
        out.append(
            f"   {line.label + ':':<13}{line.text}" if line.produced else _omission("   ", line)
        )
    return "\n".join(out)


def _okr(block: Block, omitted: bool) -> str:
    objective, *rest = block.visible(omitted)
    out = [f"Objective {block.number}: {_tagged(objective.text, objective.tag)}"]
    out.extend(
        f"  {line.label}. {line.text}" if line.produced else _omission("  ", line) for line in rest
    )
    return "\n".join(out)


def _mbo(block: Block, omitted: bool) -> str:
    lines = {line.role: line for line in block.visible(omitted)}
    area = lines["mbo.area"]
    out = [f"{block.number}. Area: {_tagged(area.text, area.tag)}"]
    standard = lines.get("mbo.standard")
    if standard is not None:
        out.append(
            f"   Standard: {standard.text}" if standard.produced else _omission("   ", standard)
        )
    out.append(f"   Target:   {lines['mbo.target'].text}   Due: {lines['mbo.due'].text}")
    return "\n".join(out)


def _scorecard(block: Block, omitted: bool) -> str:
    rows = [
        f"  - {line.text}  →  {t.SCORECARD_TARGET}   [source: {line.tag}]" for line in block.lines
    ]
    return "\n".join([block.heading or "", *rows])


_LAYOUTS = {"smart": _smart, "okr": _okr, "mbo": _mbo, "scorecard": _scorecard}
