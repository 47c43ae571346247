"""Hover: the frame lines a piece of canon text produces, or a level's omitted lines.

Built from the frame model (``frames.build.build_page``): a produced line lists in
``sources`` every canon text it quotes, so the lines of a text are those whose sources hold
it; an omitted line carries the reason naming the field it lacks. What is shown is canon
text and file names, so it goes in a fenced block, where Markdown in it stays text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

from jobframe_lint.canon import Canon, Family, Level, LevelGuide, Text
from jobframe_lint.diagnostics import Position, Span
from jobframe_lint.document import Document
from jobframe_lint.frames.build import build_page
from jobframe_lint.frames.model import Block, Frame, Line, Page
from jobframe_lint.markdown import escape
from jobframe_lint.terminal import printable

UNITS = {"smart": "Goal", "okr": "Objective", "mbo": "Area"}
# Pages named in a hover on a level guide's text before "and N more".
NAMED_PAGES = 5
BACKTICKS = re.compile(r"`{3,}")


class Hover(NamedTuple):
    markdown: str
    span: Span


def hover(canon: Canon, document: Document, position: Position) -> Hover | None:
    """What the text at ``position`` of ``document`` does to the frames, if it is canon text."""
    for family in canon.families:
        if family.document is document:
            return _in_family(canon, family, position)
    for guide in canon.guides:
        if guide.document is document:
            return _in_guide(canon, guide, position)
    return None


def _in_family(canon: Canon, family: Family, position: Position) -> Hover | None:
    for family_level in family.levels:
        rubrics_key = family.document.locate((*family_level.code.where, "rubrics")).key
        for span in (family_level.code.span, rubrics_key):
            if span is not None and _inside(position, span):
                return Hover(_level_summary(build_page(canon, family, family_level)), span)
        quoted = [*family_level.responsibilities, *family_level.rubrics.values()]
        for text in quoted:
            span = _hovered(text, position)
            if span is not None:
                page = build_page(canon, family, family_level)
                return Hover(_quoting(text, [page], f"**{_title(page)}**"), span)
    named = [family.name, *([family.function] if family.function else [])]
    for text in named:
        span = _hovered(text, position)
        if span is not None:
            pages = [build_page(canon, family, level) for level in family.levels]
            return Hover(_quoting(text, pages, f"**{escape(family.name.value)}**"), span)
    return None


def _in_guide(canon: Canon, guide: LevelGuide, position: Position) -> Hover | None:
    for level in guide.levels:
        texts = [*(bar for _, bar in level.bars), *([level.title] if level.title else [])]
        for text in texts:
            span = _hovered(text, position)
            if span is not None:
                return Hover(_level_text(canon, level, text), span)
    return None


def _level_text(canon: Canon, level: Level, text: Text) -> str:
    code = level.code.value
    found = canon.find_level(code)
    if found is None or found[1] is not level:
        first = found[1].code if found else level.code
        return (
            f"No frame line quotes this: level {escape(code)} is defined first in "
            f"{escape(first.path)}:{first.span.start.line}, and the frames use that one."
        )
    pages = [
        build_page(canon, family, family_level)
        for family in sorted(canon.families, key=lambda item: item.name.value.casefold())
        for family_level in family.levels
        if family_level.code.value == code
    ]
    names = [escape(page.family) for page in pages]
    more = len(names) - NAMED_PAGES
    named = ", ".join(names[:NAMED_PAGES]) + (f" and {more} more" if more > 0 else "")
    count = f"{len(pages)} page{'' if len(pages) == 1 else 's'}"
    heading = f"**Level {escape(code)}** — {count}" + (f": {named}" if pages else "")
    return _quoting(text, pages, heading)


def _quoting(text: Text, pages: list[Page], heading: str) -> str:
    """The lines of ``pages`` that quote ``text``, each once, with how many pages hold it."""
    counts: dict[str, int] = {}
    for page in pages:
        for place, line in _placed(page):
            if line.produced and text in line.sources:
                shown = f"{place}: {printable(line.text)}" if place else printable(line.text)
                counts[shown] = counts.get(shown, 0) + 1
    if not counts:
        return f"{heading}\n\nNo frame line quotes this text."
    lines = [
        shown if count == len(pages) else f"{shown}  (in {count} of {len(pages)} pages)"
        for shown, count in counts.items()
    ]
    return f"{heading} — frame lines quoting this:\n\n{_fenced(lines)}"


def _level_summary(page: Page) -> str:
    """How many lines the page produces, and each omitted one under the reason it is."""
    produced = 0
    by_reason: dict[str, list[str]] = {}
    for place, line in _placed(page):
        if line.produced:
            produced += 1
        elif line.missing is not None:
            by_reason.setdefault(line.missing.reason, []).append(place)
    for frame, block in _omitted_groups(page):
        missing = block.missing if block is not None else frame.missing
        if missing is not None:
            place = " · ".join(filter(None, [frame.title, block.heading if block else None]))
            by_reason.setdefault(missing.reason, []).append(place)
    omitted = sum(len(places) for places in by_reason.values())
    heading = f"**{_title(page)}**: {produced} lines produced, {omitted} omitted"
    if not by_reason:
        return heading
    lines = [
        entry
        for reason, places in by_reason.items()
        for entry in (f"[omitted] {printable(reason)}", *(f"  {place}" for place in places))
    ]
    return f"{heading}\n\n{_fenced(lines)}"


def _omitted_groups(page: Page) -> Iterator[tuple[Frame, Block | None]]:
    """Frames and Scorecard groups left out whole: they have no lines of their own."""
    for frame in page.frames:
        if not frame.produced:
            yield frame, None
            continue
        for block in frame.blocks:
            if not block.produced:
                yield frame, block


def _placed(page: Page) -> Iterator[tuple[str, Line]]:
    """Every line of the page, with where it sits (``SMART goals · Goal 2 · Achievable``)."""
    for line in (page.title, page.heading, page.breadcrumb):
        yield "Header", line
    for frame in page.frames:
        unit = UNITS.get(frame.key, "")
        for block in frame.blocks:
            group = block.heading or f"{unit} {block.number}"
            for line in block.lines:
                label = printable(line.label) if line.label and line.label != unit else None
                yield " · ".join(filter(None, [frame.title, group, label])), line


def _title(page: Page) -> str:
    return escape(page.title.text)


def _hovered(text: Text, position: Position) -> Span | None:
    """The span of ``text`` (or of its key, for a mapping value) if ``position`` is on it."""
    where = text.document.locate(text.where)
    for span in (where.value, where.key):
        if span is not None and _inside(position, span):
            return span
    return None


def _inside(position: Position, span: Span) -> bool:
    return span.start <= position <= span.end


def _fenced(lines: list[str]) -> str:
    body = "\n".join(lines)
    longest = max((len(run) for run in BACKTICKS.findall(body)), default=2)
    fence = "`" * (longest + 1)
    return f"{fence}text\n{body}\n{fence}"
