"""The terminal preview: one panel per frame, placeholders highlighted, source tags dimmed.

Canon text only ever enters rich as the plain string of a ``Text`` (never as markup),
after ``printable`` has neutralised control characters: whatever the canon says, it
cannot restyle the view or drive the terminal.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TextIO

from rich.cells import cell_len
from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from jobframe_lint.frames import templates as t
from jobframe_lint.frames.model import Block, Frame, Line, Missing, Page
from jobframe_lint.terminal import console_size, printable

PLACEHOLDER = "bold magenta"
LABEL = "bold cyan"
TAG = "dim"
STRUCK = "dim strike"
REASON = "dim italic"
BORDER = "blue"


def make_console(file: TextIO, color: bool, width: int | None = None) -> Console:
    """A console that styles only when ``color`` says so and never reads markup or emoji.

    ``color`` is decided by ``terminal.use_color`` (``--color``, NO_COLOR, FORCE_COLOR), so
    rich's own reading of the environment is overridden both ways.
    """
    columns, lines = console_size()
    return Console(
        file=file,
        width=width or columns,
        height=lines,
        force_terminal=True if color else None,
        color_system="auto" if color else None,
        no_color=False,
        markup=False,
        emoji=False,
        highlight=False,
    )


def render_rich(pages: Iterable[Page], console: Console, omitted: bool = False) -> None:
    """Pages one after the other, separated by a blank line."""
    for index, page in enumerate(pages):
        if index:
            console.print()
        console.print(page_view(page, omitted))


def page_view(page: Page, omitted: bool) -> Group:
    frames = page.frames if omitted else page.shown_frames()
    return Group(
        line_text(page.title, style="bold"),
        line_text(page.heading),
        line_text(page.breadcrumb, style="cyan"),
        Text(),
        Text(page.disclaimer, style=REASON),
        Text(),
        *(frame_view(frame, omitted) for frame in frames),
    )


def frame_view(frame: Frame, omitted: bool) -> Panel:
    if frame.missing is not None:
        return Panel(
            omission(frame.missing),
            title=Text(frame.title, style=STRUCK),
            title_align="left",
            border_style="dim",
        )
    layout = _LAYOUTS[frame.key]
    blocks = [layout(block, omitted) for block in frame.shown_blocks(omitted)]
    return Panel(
        Group(Text(frame.intro, style=REASON), *blocks),
        title=Text(frame.title, style="bold"),
        title_align="left",
        border_style=BORDER,
    )


def line_text(line: Line, style: str = "") -> Text:
    """Template runs with their placeholders highlighted; canon runs as plain, printable text."""
    text = Text(style=style)
    for piece in line.pieces:
        if piece.source is not None:
            text.append(printable(piece.text))
        else:
            text.append_text(template_text(piece.text))
    return text


def template_text(fixed: str) -> Text:
    text = Text(fixed)
    text.highlight_words(t.PLACEHOLDERS, PLACEHOLDER)
    return text


def tagged(line: Line, text: Text | None = None) -> Text:
    """``text`` (default: the line's) followed by the line's dimmed ``[source: …]`` tag."""
    text = line_text(line) if text is None else text
    if line.tag:
        text.append(f"  [source: {printable(line.tag)}]", style=TAG)
    return text


def omission(missing: Missing | None) -> Text:
    reason = printable(missing.reason) if missing else ""
    return Text(f"omitted: {reason}", style=REASON)


def labelled(lines: Sequence[Line]) -> Table:
    """``Label  text`` rows; an omitted line keeps its place, struck, with its reason."""
    grid = Table.grid(padding=(0, 2, 0, 0))
    # Fixed widths spare rich from measuring every cell of nested grids again and again.
    grid.add_column(no_wrap=True, width=max((cell_len(line.label) for line in lines), default=0))
    grid.add_column(overflow="fold")
    for line in lines:
        if line.produced:
            grid.add_row(Text(printable(line.label), style=LABEL), tagged(line))
        else:
            grid.add_row(Text(printable(line.label), style=STRUCK), omission(line.missing))
    return grid


def numbered(marker: str, body: RenderableType) -> Table:
    """A hanging indent: the marker on the left, the body wrapping beside it."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True, justify="right", style="bold", width=cell_len(marker))
    grid.add_column(overflow="fold")
    grid.add_row(marker, body)
    return grid


def _spaced(renderable: RenderableType) -> Group:
    return Group(Text(), renderable)


def _smart(block: Block, omitted: bool) -> Group:
    goal, *rest = block.visible(omitted)
    return _spaced(numbered(f"{block.number}.", Group(tagged(goal), labelled(rest))))


def _okr(block: Block, omitted: bool) -> Group:
    objective, *rest = block.visible(omitted)
    return _spaced(numbered(f"Objective {block.number}:", Group(tagged(objective), labelled(rest))))


def _mbo(block: Block, omitted: bool) -> Group:
    return _spaced(numbered(f"{block.number}.", labelled(block.visible(omitted))))


def _scorecard(block: Block, omitted: bool) -> Group:
    heading = Text(block.heading or "", style="bold")
    if block.missing is not None:
        heading.stylize(STRUCK)
        return _spaced(Group(heading, numbered("✗", omission(block.missing))))
    rows = Table.grid(padding=(0, 1))
    rows.add_column(no_wrap=True, width=1)
    rows.add_column(overflow="fold")
    for line in block.visible(omitted):
        if line.produced:
            rows.add_row("•", scorecard_row(line))
        else:
            label = Text(printable(line.label), style=STRUCK)
            rows.add_row(Text("✗", style=TAG), Text.assemble(label, " ", omission(line.missing)))
    return _spaced(Group(heading, rows))


def scorecard_row(line: Line) -> Text:
    text = line_text(line)
    text.append("  →  ")
    text.append_text(template_text(t.SCORECARD_TARGET))
    return tagged(line, text)


_LAYOUTS = {"smart": _smart, "okr": _okr, "mbo": _mbo, "scorecard": _scorecard}
