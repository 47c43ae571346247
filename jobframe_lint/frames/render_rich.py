"""The terminal preview: a box per frame, placeholders highlighted, source tags dimmed.

Pages are laid out line by line here, not by rich's renderables: a large canon has
hundreds of thousands of frame lines, and ``Console.print`` of a nested table costs
90-400 µs a wrapped line (minutes for a canon). rich still decides everything it is
good at: the escape codes of every style for the console's colour system, and cell
widths (``cell_len``). Wrapping follows rich's own (words with their spaces, long words
folded), without padding lines out to the width; a test holds the two to the same lines.

Canon text only ever enters the output after ``printable`` has neutralised control
characters, and never as markup: whatever the canon says, it cannot restyle the view or
drive the terminal.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TextIO

from rich.cells import cell_len, get_character_cell_size
from rich.console import Console
from rich.text import Text

from jobframe_lint.frames import templates as t
from jobframe_lint.frames.model import Block, Frame, Line, Missing, Page
from jobframe_lint.frames.output import encode, write_pages
from jobframe_lint.terminal import console_size, printable

PLACEHOLDER = "bold magenta"
LABEL = "bold cyan"
TAG = "dim"
STRUCK = "dim strike"
REASON = "dim italic"
BORDER = "blue"
# Narrower than this, or wider, no layout is readable (COLUMNS=0, COLUMNS=99999999).
WIDTHS = (20, 1000)

# A run of text and its rich style name ("" for none).
Run = tuple[str, str]
_WORD = re.compile(r"\s*\S+\s*")
_PLACEHOLDERS = re.compile("(" + "|".join(map(re.escape, t.PLACEHOLDERS)) + ")")


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
    """Pages one after the other, separated by a blank line, each written as it is made."""
    fmt = RichPages(console, omitted)
    write_pages((fmt.page(page) for page in pages), fmt, console.file)


class RichPages:
    """The rich view of a page, for ``console``'s width and colours."""

    opening, separator, closing, empty = "", "\n", "", ""

    def __init__(self, console: Console, omitted: bool) -> None:
        self.layout = _Layout(console)
        self.omitted = omitted

    def page(self, page: Page) -> bytes:
        return encode("".join(f"{line}\n" for line in self.layout.page(page, self.omitted)))


def wrap(plain: str, width: int, single: bool | None = None) -> list[tuple[int, int]]:
    """Where ``plain`` breaks into lines of at most ``width`` cells: (start, end) offsets.

    As rich wraps (``Text.wrap`` with ``overflow="fold"``): a word with the spaces after
    it moves to the next line when it does not fit, a word longer than a line is folded;
    the spaces a line ends with are left out. ``single``: whether every character is
    known to take one cell (worked out when not given).
    """
    if single is None:
        single = single_cells(plain)
    if single and plain[:1] != " ":
        return _wrap_plain(plain, width)
    measure = len if plain.isascii() else cell_len
    lines: list[tuple[int, int]] = []
    start = used = 0
    for match in _WORD.finditer(plain):
        begin, end = match.span()
        word = plain[begin:end].rstrip()
        size = measure(word)
        if used and used + size > width:
            lines.append((start, len(plain[start:begin].rstrip()) + start))
            start, used = begin, 0
        if size > width:  # fold: as many full lines of it as it fills
            for cut in _folds(plain, begin, begin + len(word), width):
                lines.append((start, cut))
                start, used = cut, 0
            size = measure(plain[start : begin + len(word)])
        used += size + (end - begin - len(word))
    lines.append((start, len(plain[start:].rstrip()) + start))
    return lines


def single_cells(text: str) -> bool:
    """Whether every character of ``text`` takes exactly one cell (none wide, none zero)."""
    return text.isascii() or all(
        get_character_cell_size(char) == 1 for char in set(text) if not char.isascii()
    )


def _wrap_plain(plain: str, width: int) -> list[tuple[int, int]]:
    """``wrap`` of text whose characters take one cell each: at the last space that fits,
    found with ``rfind`` rather than word by word (most frame lines)."""
    lines: list[tuple[int, int]] = []
    start, end = 0, len(plain.rstrip())
    while end - start > width:
        space = plain.rfind(" ", start + 1, start + width + 1)
        if space == -1:  # a word longer than the line: folded
            space = plain.find(" ", start)
            if space == -1 or space - start > width:
                lines.append((start, start + width))
                start += width
                continue
        lines.append((start, len(plain[start:space].rstrip()) + start))
        start = space + 1
        while plain[start : start + 1] == " ":
            start += 1
    lines.append((start, end))
    return lines


def _folds(plain: str, begin: int, end: int, width: int) -> Iterator[int]:
    """Offsets where the word ``plain[begin:end]``, from a line's start, is cut into lines."""
    used = 0
    for offset in range(begin, end):
        size = get_character_cell_size(plain[offset])
        if used and used + size > width:
            yield offset
            used = 0
        used += size


class _Layout:
    """Lays out pages for one console: its width, its colour system's escape codes."""

    def __init__(self, console: Console) -> None:
        self.console = console
        self.width = min(max(console.width, WIDTHS[0]), WIDTHS[1])
        self.codes: dict[str, tuple[str, str]] = {}
        self.cells: dict[tuple[str, str, bool, int], str] = {}
        # Lines shared by many pages (fixed, per level, per page) are laid out once;
        # holding the line keeps its id its own.
        self.laid: dict[tuple[int, int, str], tuple[Line, list[str]]] = {}

    # -- styling ----------------------------------------------------------------------

    def styled(self, text: str, style: str) -> str:
        if not style or not text:
            return text
        codes = self.codes.get(style)
        if codes is None:
            with self.console.capture() as captured:
                self.console.print(Text("\0", style=style), end="")
            before, _, after = captured.get().partition("\0")
            codes = self.codes[style] = (before, after)
        return f"{codes[0]}{text}{codes[1]}"

    def lines(self, runs: Sequence[Run], width: int) -> list[str]:
        """``runs`` wrapped to ``width`` cells, each line styled."""
        plain = "".join(text for text, _ in runs)
        # Template runs recur (rich caches their widths); canon runs are mostly ASCII.
        single = all(single_cells(text) for text, _ in runs)
        breaks = wrap(plain, max(width, 1), single)
        if len(breaks) == 1 and breaks[0][1] == len(plain):
            return ["".join(self.styled(text, style) for text, style in runs)]
        out: list[str] = []
        first, first_at = 0, 0  # the first run that is not wholly before the line
        for start, end in breaks:
            while first < len(runs) and first_at + len(runs[first][0]) <= start:
                first_at += len(runs[first][0])
                first += 1
            parts: list[str] = []
            index, at = first, first_at
            while index < len(runs) and at < end:
                text, style = runs[index]
                parts.append(self.styled(text[max(start - at, 0) : end - at], style))
                at += len(text)
                index += 1
            out.append("".join(parts))
        return out

    def row(self, prefix: str, marker: str, runs: Sequence[Run], hang: int) -> list[str]:
        """``marker`` (``hang`` cells wide) then ``runs``, continued under the runs."""
        body = self.lines(runs, self.width - cell_len(prefix) - hang)
        indent = prefix + " " * hang
        return [f"{prefix}{marker}{body[0]}", *(f"{indent}{line}" for line in body[1:])]

    # -- a page -----------------------------------------------------------------------

    def page(self, page: Page, omitted: bool) -> list[str]:
        out = self.lines(line_runs(page.title, "bold"), self.width)
        out += self.lines(line_runs(page.heading), self.width)
        out += self.lines(line_runs(page.breadcrumb, "cyan"), self.width)
        out += ["", *self.lines([(page.disclaimer, REASON)], self.width), ""]
        for frame in page.frames if omitted else page.shown_frames():
            out += self.frame(frame, omitted)
        return out

    def frame(self, frame: Frame, omitted: bool) -> list[str]:
        produced = frame.missing is None
        border = BORDER if produced else "dim"
        side = self.styled("│", border) + " "
        top = (
            self.styled("╭─", border)
            + " "
            + self.styled(frame.title, "bold" if produced else STRUCK)
        )
        body: list[str] = []
        if frame.missing is not None:
            body += self.row(side, "", [omission(frame.missing)], 0)
        else:
            body += self.row(side, "", [(frame.intro, REASON)], 0)
            for block in frame.shown_blocks(omitted):
                body.append(side.rstrip())
                body += self.block(frame.key, block, omitted, side)
        return [top, *body, self.styled("╰─", border)]

    def block(self, key: str, block: Block, omitted: bool, side: str) -> list[str]:
        lines = block.visible(omitted)
        if key == "scorecard":
            return self.scorecard(block, lines, side)
        if key == "mbo":
            return self.numbered(f"{block.number}.", [], lines, side)
        head, *rest = lines
        marker = "Objective" if key == "okr" else ""
        return self.numbered(
            f"{marker} {block.number}:" if marker else f"{block.number}.", [head], rest, side
        )

    def numbered(
        self, marker: str, heads: list[Line], labelled: list[Line], side: str
    ) -> list[str]:
        """A hanging indent: the marker, the head lines beside it, then ``Label  text`` rows."""
        hang = cell_len(marker) + 1
        out: list[str] = []
        lead = self.styled(marker, "bold") + " "
        for head in heads:
            out += self.shared(head, side, lead, hang, tagged)
            lead = " " * hang
        column = max((cell_len(line.label) for line in labelled), default=0)
        for line in labelled:
            cell = self.label_cell(lead, line.label, line.produced, column)
            out += self.shared(line, side, cell, hang + column + 2, _labelled_runs)
            lead = " " * hang
        return out

    def label_cell(self, lead: str, label: str, produced: bool, column: int) -> str:
        """``lead`` and the label, styled and padded to ``column`` and two spaces."""
        key = (lead, label, produced, column)
        found = self.cells.get(key)
        if found is None:
            shown = printable(label)
            padding = " " * (column - cell_len(shown) + 2)
            found = lead + self.styled(shown, LABEL if produced else STRUCK) + padding
            self.cells[key] = found
        return found

    def scorecard(self, block: Block, lines: list[Line], side: str) -> list[str]:
        heading = self.styled(block.heading or "", "bold" if block.missing is None else STRUCK)
        out = [side + heading]
        cross = self.styled("✗", TAG) + " "
        if block.missing is not None:
            return [*out, *self.row(side, cross, [omission(block.missing)], 2)]
        for line in lines:
            if line.produced:
                out += self.shared(line, side, "• ", 2, scorecard_runs)
            else:
                out += self.shared(line, side, cross, 2, _struck_runs)
        return out

    def shared(
        self, line: Line, side: str, marker: str, hang: int, runs: Callable[[Line], list[Run]]
    ) -> list[str]:
        """``row`` of a frame line, laid out once for every place it recurs alike."""
        key = (id(line), hang, marker)
        found = self.laid.get(key)
        if found is None:
            if len(self.laid) > 20_000:
                self.laid.clear()
            found = self.laid[key] = (line, self.row(side, marker, runs(line), hang))
        return found[1]


def _labelled_runs(line: Line) -> list[Run]:
    return tagged(line) if line.produced else [omission(line.missing)]


def _struck_runs(line: Line) -> list[Run]:
    return [(printable(line.label), STRUCK), (" ", ""), omission(line.missing)]


def line_runs(line: Line, style: str = "") -> list[Run]:
    """Template runs with their placeholders highlighted; canon runs as plain, printable text."""
    runs: list[Run] = []
    for piece in line.pieces:
        if piece.source is not None:
            runs.append((printable(piece.text), style))
            continue
        for part in _PLACEHOLDERS.split(piece.text):
            if part:
                runs.append((part, PLACEHOLDER if part in t.PLACEHOLDERS else style))
    return runs


def tagged(line: Line) -> list[Run]:
    """The line's runs followed by its dimmed ``[source: …]`` tag."""
    runs = line_runs(line)
    if line.tag:
        runs.append((f"  [source: {printable(line.tag)}]", TAG))
    return runs


def scorecard_runs(line: Line) -> list[Run]:
    runs = line_runs(line)
    runs.append(("  →  ", ""))
    runs.extend(
        (part, PLACEHOLDER if part in t.PLACEHOLDERS else "")
        for part in _PLACEHOLDERS.split(t.SCORECARD_TARGET)
        if part
    )
    if line.tag:
        runs.append((f"  [source: {printable(line.tag)}]", TAG))
    return runs


def omission(missing: Missing | None) -> Run:
    return (f"omitted: {printable(missing.reason) if missing else ''}", REASON)
