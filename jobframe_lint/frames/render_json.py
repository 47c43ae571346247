"""The frame model as JSON: every line with its status, text, reason and canon sources.

The document is a list with one page per line: each page is encoded by the standard
library's C encoder, which ``indent`` would replace by its pure-Python one (~15x slower,
most of a large canon's render). ``jq`` shows it indented.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from jobframe_lint.canon import Text
from jobframe_lint.frames.model import Block, Frame, Line, Missing, Page
from jobframe_lint.frames.output import render
from jobframe_lint.terminal import json_safe


def render_json(pages: Iterable[Page]) -> str:
    """A JSON list of pages (``page_dict`` of each), one page a line."""
    return render(pages, JsonPages())


def _dumps(value: object) -> str:
    """Non-ASCII text as written, and ``json_safe``: escaped where a terminal would act on it.

    Pages are put together from these pieces, each made safe alone (a line once, however
    often it recurs): ``##[`` cannot form where two meet, as each begins or ends with JSON
    punctuation."""
    return json_safe(json.dumps(value, ensure_ascii=False))


class JsonPages:
    """``json.dumps(page_dict(page))``, with each line encoded once however often it occurs.

    Most lines of a page are shared: the fixed ones by every page, Achievable and Standard
    by every goal of a page, the level guide's by every family at that level. Lines are
    remembered by identity (holding the line keeps its id its own), at most ``_KEEP``.
    """

    opening, separator, closing, empty = "[\n", ",\n", "\n]\n", "[]\n"
    _KEEP = 20_000

    def __init__(self) -> None:
        self.lines: dict[int, tuple[Line, str]] = {}

    def page(self, page: Page) -> str:
        if len(self.lines) > self._KEEP:
            self.lines.clear()
        sources: dict[int, tuple[Text, dict[str, Any]]] = {}
        header = ", ".join(
            self.line(line, sources) for line in (page.title, page.heading, page.breadcrumb)
        )
        frames = ", ".join(self.frame(frame, sources) for frame in page.frames)
        head = _dumps({"family": page.family, "level": page.code, "path": page.path})
        return f'{head[:-1]}, "header": [{header}], "frames": [{frames}]}}'

    def frame(self, frame: Frame, sources: dict[int, tuple[Text, dict[str, Any]]]) -> str:
        blocks = ", ".join(self.block(block, sources) for block in frame.blocks)
        return _dumps(_frame_dict(frame, []))[: -len("[]}")] + f"[{blocks}]}}"

    def block(self, block: Block, sources: dict[int, tuple[Text, dict[str, Any]]]) -> str:
        lines = ", ".join(self.line(line, sources) for line in block.lines)
        return _dumps(_block_dict(block, []))[: -len("[]}")] + f"[{lines}]}}"

    def line(self, line: Line, sources: dict[int, tuple[Text, dict[str, Any]]]) -> str:
        found = self.lines.get(id(line))
        if found is None:
            located = [_source(source, sources) for source in line.sources]
            found = self.lines[id(line)] = (line, _dumps(_line_dict(line, located)))
        return found[1]


def page_dict(page: Page) -> dict[str, Any]:
    # A responsibility is the source of six lines of its page: each is located once.
    sources: dict[int, tuple[Text, dict[str, Any]]] = {}

    def line_dict(line: Line) -> dict[str, Any]:
        return _line_dict(line, [_source(source, sources) for source in line.sources])

    def block_dict(block: Block) -> dict[str, Any]:
        return _block_dict(block, [line_dict(line) for line in block.lines])

    def frame_dict(frame: Frame) -> dict[str, Any]:
        return _frame_dict(frame, [block_dict(block) for block in frame.blocks])

    return {
        "family": page.family,
        "level": page.code,
        "path": page.path,
        "header": [line_dict(line) for line in (page.title, page.heading, page.breadcrumb)],
        "frames": [frame_dict(frame) for frame in page.frames],
    }


def _frame_dict(frame: Frame, blocks: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "frame": frame.key,
        "title": frame.title,
        "status": "produced" if frame.produced else "omitted",
        "missing": missing_dict(frame.missing),
        "blocks": blocks,
    }


def _block_dict(block: Block, lines: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "number": block.number,
        "heading": block.heading,
        "status": "produced" if block.produced else "omitted",
        "missing": missing_dict(block.missing),
        "lines": lines,
    }


def _line_dict(line: Line, sources: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "role": line.role,
        "label": line.label,
        "status": line.status.value,
        "text": line.text if line.produced else None,
        "source_tag": line.tag,
        "sources": sources,
        "missing": missing_dict(line.missing),
    }


def _source(source: Text, seen: dict[int, tuple[Text, dict[str, Any]]]) -> dict[str, Any]:
    """``source_dict``, once per text of a page (``seen`` holds the text: its id stays its own)."""
    found = seen.get(id(source))
    if found is None:
        found = seen[id(source)] = (source, source_dict(source))
    return found[1]


def source_dict(source: Text) -> dict[str, Any]:
    return {
        "path": source.path,
        "line": source.span.start.line,
        "column": source.span.start.column,
        "field": source.field,
    }


def missing_dict(missing: Missing | None) -> dict[str, Any] | None:
    if missing is None:
        return None
    return {
        "field": missing.field,
        "path": missing.path,
        "line": missing.span.start.line,
        "column": missing.span.start.column,
        "reason": missing.reason,
    }
