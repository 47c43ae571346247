"""The frame model as JSON: every line with its status, text, reason and canon sources.

The document is a list with one page per line, compact. A page is encoded by orjson
where its texts are known to need no escape beyond JSON's own (``json_inert``: nearly
every canon), else by the standard library and made safe with ``json_safe``; the two
write the same bytes for the same data. orjson took 0.1 s for the 66 MB of a 200-family
canon where ``json.dumps`` took 0.8 s and ``json_safe``'s scan as long again.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

import orjson

from jobframe_lint.canon import Text
from jobframe_lint.document import Document
from jobframe_lint.frames.model import Block, Frame, Line, Missing, Page, Status
from jobframe_lint.frames.output import EveryFile, encode, render
from jobframe_lint.terminal import json_inert, json_safe

Sources = dict[int, tuple[Text, dict[str, Any]]]
# ``Status.value`` goes through enum's descriptor: ~1 µs a line of a large render.
_STATUS = {status: status.value for status in Status}
Lines = dict[int, tuple[Line, dict[str, Any]]]


def render_json(pages: Iterable[Page]) -> str:
    """A JSON list of pages (``page_dict`` of each), one page a line."""
    return render(pages, JsonPages())


def encode_page(data: dict[str, Any], inert: bool) -> bytes:
    """``data`` as one compact line of JSON that no terminal or CI runner acts on."""
    if inert:
        return orjson.dumps(data)
    return encode(json_safe(json.dumps(data, ensure_ascii=False, separators=(",", ":"))))


class JsonPages:
    """``encode_page(page_dict(page))``, each line's dict made once however often it occurs.

    Most lines of a page are shared: the fixed ones by every page, Achievable and Standard
    by every goal of a page, the level guide's by every family at that level. Lines are
    remembered by identity (holding the line keeps its id its own), at most ``_KEEP``.
    """

    opening, separator, closing, empty = "[\n", ",\n", "\n]\n", "[]\n"
    _KEEP = 20_000

    def __init__(self) -> None:
        self.lines: Lines = {}
        self.sources: Sources = {}
        # Whether every file the page is made from, and its name, is ``json_inert``: each
        # string of the page is then a template's, a number, or a file's text.
        self.is_inert = EveryFile(_json_inert)

    def page(self, page: Page) -> bytes:
        if len(self.lines) > self._KEEP or len(self.sources) > self._KEEP:
            self.lines.clear()
            self.sources.clear()
        return encode_page(page_dict(page, self.lines, self.sources), self.is_inert(page))


def _json_inert(document: Document) -> bool:
    return document.text is not None and json_inert(document.text) and json_inert(document.path)


def page_dict(
    page: Page, lines: Lines | None = None, sources: Sources | None = None
) -> dict[str, Any]:
    """The page as data; ``lines`` and ``sources`` remember the dicts of lines and texts
    other pages share (a family's name is quoted on each of its pages)."""
    # A responsibility is the source of six lines of its page: each is located once.
    located: Sources = {} if sources is None else sources
    known: Lines = {} if lines is None else lines

    def line_dict(line: Line) -> dict[str, Any]:
        found = known.get(id(line))
        if found is None:
            texts = [_source(source, located) for source in line.sources]
            found = known[id(line)] = (line, _line_dict(line, texts))
        return found[1]

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
        "status": _STATUS[line.status],
        "text": line.text if line.status is Status.PRODUCED else None,
        "source_tag": line.tag,
        "sources": sources,
        "missing": missing_dict(line.missing),
    }


def _source(source: Text, seen: Sources) -> dict[str, Any]:
    """``source_dict``, once per text of a page (``seen`` holds the text: its id stays its own)."""
    found = seen.get(id(source))
    if found is None:
        found = seen[id(source)] = (source, source_dict(source))
    return found[1]


def source_dict(source: Text) -> dict[str, Any]:
    start = source.span.start
    return {"path": source.path, "line": start.line, "column": start.column, "field": source.field}


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
