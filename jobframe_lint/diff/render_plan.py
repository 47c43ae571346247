"""The plan-style diff, for a terminal (``rich``) or a pipe (``text``).

Both formats share one layout: lines of styled runs, ``(text, style)`` pairs with rich style
names. Canon text only ever enters a run through ``printable(...)``, so it can neither carry
markup nor drive the terminal. ``text`` joins the runs' text; only ``rich`` imports rich
(~30 ms), to style them. Where colour cannot show a word diff, ``[-removed-]{+added+}``
markers do.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TextIO

from jobframe_lint.diff.group import Group, grouped_keys, groups, is_grouped
from jobframe_lint.diff.model import Change, Diff, FrameDiff, Kind, Op, PageDiff, PageStatus
from jobframe_lint.terminal import console_size, printable

KIND_STYLES = {Kind.PRODUCED: "green", Kind.OMITTED: "red", Kind.CHANGED: "yellow"}
OP_STYLES = {Op.EQUAL: "", Op.DELETE: "red strike", Op.INSERT: "green bold"}
OP_MARKERS = {Op.EQUAL: ("", ""), Op.DELETE: ("[-", "-]"), Op.INSERT: ("{+", "+}")}

# A run of a line's text and its rich style ("" for none); a line is its runs in order.
Run = tuple[str, str]
PlanLine = tuple[Run, ...]


def render_text(diff: Diff) -> str:
    return "".join(_plain(line) + "\n" for line in plan(diff, markers=True))


def print_rich(diff: Diff, stream: TextIO, color: bool) -> None:
    from rich.console import Console
    from rich.padding import Padding
    from rich.text import Text

    width, height = console_size()
    console = Console(
        file=stream,
        width=width,
        height=height,
        force_terminal=color,
        no_color=not color,
        highlight=False,
        markup=False,
        emoji=False,
    )
    for line in plan(diff, markers=not color):
        text = Text.assemble(*line)
        # Wrapped lines keep their indentation, so each change stays visibly one item.
        indent = len(text.plain) - len(text.plain.lstrip(" "))
        console.print(Padding(text[indent:], (0, 0, 0, indent), expand=False))


def _plain(line: PlanLine) -> str:
    return "".join(text for text, _ in line)


def plan(diff: Diff, markers: bool) -> list[PlanLine]:
    """Heading and legend, each changed page, files not compared, then the totals."""
    if diff.empty:
        return [((printable(f"No changes to the frames ({diff.base} → {diff.head})."), ""),)]
    heading = ((printable(f"Frame diff: {diff.base} → {diff.head}"), "bold"),)
    lines: list[PlanLine] = [heading, *_legend(diff), ()]
    repeated = groups(diff)
    if repeated:
        lines.append((("Changes made on several pages, each shown once:", "bold"),))
        for group in repeated:
            lines.extend(_change(group.change, markers))
            lines.append((("        " + printable(pages_list(group)), "dim"),))
        lines.append(())
    keys = grouped_keys(repeated)
    for page in diff.pages:
        shown = _page(page, markers, keys)
        if shown:
            lines.extend(shown)
            lines.append(())
    for skipped in diff.skipped:
        note = f"Not compared: {skipped.path} ({skipped.side}): {skipped.message}"
        lines.append(((printable(note), "magenta"),))
    if diff.skipped:
        lines.append(())
    lines.append(((printable(summary(diff)), "bold"),))
    return lines


def summary(diff: Diff) -> str:
    pages = len(diff.pages)
    counts = _counts(diff.count)
    return f"Diff: {counts} in {pages} page{'s' if pages != 1 else ''}."


def frame_summary(frame: FrameDiff) -> str:
    return f"{frame.title}: {_counts(frame.count)}"


def page_title(page: PageDiff) -> str:
    notes = {
        PageStatus.ADDED: "new page",
        PageStatus.REMOVED: "page removed",
        PageStatus.CHANGED: "",
    }
    parts = [notes[page.status]]
    if page.old_family:
        parts.append(f"was family {page.old_family}")
    if page.old_path:
        parts.append(f"moved from {page.old_path}")
    extra = "; ".join(part for part in parts if part)
    return f"{page.family} — {page.code}  ({page.path}{'; ' + extra if extra else ''})"


def _counts(count: Callable[[Kind], int]) -> str:
    produced, omitted, changed = (count(kind) for kind in Kind)
    return f"{produced} produced, {omitted} omitted, {changed} changed"


def _legend(diff: Diff) -> list[PlanLine]:
    kinds = diff.kinds()
    if not kinds:
        return []
    runs: list[Run] = [("  ", "")]
    for kind in kinds:
        runs.append((kind.value, KIND_STYLES[kind]))
        runs.append((f" {kind.meaning}   ", ""))
    runs[-1] = (runs[-1][0].rstrip(), "")  # no trailing spaces after the last entry
    return [tuple(runs)]


def pages_list(group: Group) -> str:
    """``on 200 pages: Data — P3, Design — P3, …``: every page the change is made on."""
    named = ", ".join(f"{page.family} — {page.code}" for page in group.pages)
    return f"on {len(group.pages)} pages: {named}"


def _page(page: PageDiff, markers: bool, grouped: set[Hashable]) -> list[PlanLine]:
    """The page's changes that are its own (those on several pages are listed once above)."""
    lines: list[PlanLine] = []
    for frame in page.frames:
        own = [change for change in frame.changes if not is_grouped(frame.key, change, grouped)]
        if not own:
            continue
        lines.append((("  " + printable(frame_summary(frame)), "bold"),))
        for change in own:
            lines.extend(_change(change, markers))
    return [((printable(page_title(page)), "bold"),), *lines] if lines else []


def _change(change: Change, markers: bool) -> list[PlanLine]:
    style = KIND_STYLES[change.kind]
    runs: list[Run] = [
        ("    ", ""),
        (change.kind.value, style),
        (f" {printable(change.where)}: ", style),
    ]
    if change.kind is Kind.CHANGED:
        runs.extend(words(change, markers))
    else:
        runs.append((printable(change.new if change.new is not None else change.old or ""), ""))
    lines: list[PlanLine] = [tuple(runs)]
    if change.reason:
        lines.append((("        " + printable(change.reason), "dim"),))
    return lines


def words(change: Change, markers: bool) -> list[Run]:
    """The inline word diff: coloured runs, or bracketed ones where colour is off."""
    runs: list[Run] = []
    for segment in change.words:
        opening, closing = OP_MARKERS[segment.op] if markers else ("", "")
        runs.append((opening + printable(segment.text) + closing, OP_STYLES[segment.op]))
    return runs
