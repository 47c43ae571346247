"""The plan-style diff, for a terminal (``rich``) or a pipe (``text``).

Both formats share one layout built of rich ``Text`` objects: canon text only ever enters
through ``Text(printable(...), style)`` so it can neither carry markup nor drive the
terminal. Where colour cannot show a word diff, ``[-removed-]{+added+}`` markers do.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TextIO

from rich.console import Console
from rich.padding import Padding
from rich.text import Text

from jobframe_lint.diff.model import Change, Diff, FrameDiff, Kind, Op, PageDiff, PageStatus
from jobframe_lint.terminal import printable

KIND_STYLES = {Kind.PRODUCED: "green", Kind.OMITTED: "red", Kind.CHANGED: "yellow"}
OP_STYLES = {Op.EQUAL: "", Op.DELETE: "red strike", Op.INSERT: "green bold"}
OP_MARKERS = {Op.EQUAL: ("", ""), Op.DELETE: ("[-", "-]"), Op.INSERT: ("{+", "+}")}


def render_text(diff: Diff) -> str:
    return "".join(line.plain + "\n" for line in plan(diff, markers=True))


def print_rich(diff: Diff, stream: TextIO, color: bool) -> None:
    console = Console(
        file=stream,
        force_terminal=color,
        no_color=not color,
        highlight=False,
        markup=False,
        emoji=False,
    )
    for line in plan(diff, markers=not color):
        # Wrapped lines keep their indentation, so each change stays visibly one item.
        indent = len(line.plain) - len(line.plain.lstrip(" "))
        console.print(Padding(line[indent:], (0, 0, 0, indent), expand=False))


def plan(diff: Diff, markers: bool) -> list[Text]:
    """Heading and legend, each changed page, files not compared, then the totals."""
    if diff.empty:
        return [Text(printable(f"No changes to the frames ({diff.base} → {diff.head})."))]
    heading = Text(printable(f"Frame diff: {diff.base} → {diff.head}"), "bold")
    lines = [heading, *_legend(diff), Text()]
    for page in diff.pages:
        lines.extend(_page(page, markers))
        lines.append(Text())
    for skipped in diff.skipped:
        note = f"Not compared: {skipped.path} ({skipped.side}): {skipped.message}"
        lines.append(Text(printable(note), "magenta"))
    if diff.skipped:
        lines.append(Text())
    lines.append(Text(printable(summary(diff)), "bold"))
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


def _legend(diff: Diff) -> list[Text]:
    if not diff.kinds():
        return []
    legend = Text("  ")
    for kind in diff.kinds():
        legend.append(kind.value, KIND_STYLES[kind])
        legend.append(f" {kind.meaning}   ")
    legend.rstrip()
    return [legend]


def _page(page: PageDiff, markers: bool) -> list[Text]:
    lines = [Text(printable(page_title(page)), "bold")]
    for frame in page.frames:
        lines.append(Text("  " + printable(frame_summary(frame)), "bold"))
        for change in frame.changes:
            lines.extend(_change(change, markers))
    return lines


def _change(change: Change, markers: bool) -> list[Text]:
    style = KIND_STYLES[change.kind]
    line = Text("    ")
    line.append(change.kind.value, style)
    line.append(f" {printable(change.where)}: ", style)
    if change.kind is Kind.CHANGED:
        line.append_text(words(change, markers))
    else:
        line.append(printable(change.new if change.new is not None else change.old or ""))
    lines = [line]
    if change.reason:
        lines.append(Text("        " + printable(change.reason), "dim"))
    return lines


def words(change: Change, markers: bool) -> Text:
    """The inline word diff: coloured runs, or bracketed ones where colour is off."""
    text = Text()
    for segment in change.words:
        opening, closing = OP_MARKERS[segment.op] if markers else ("", "")
        text.append(opening + printable(segment.text) + closing, OP_STYLES[segment.op])
    return text
