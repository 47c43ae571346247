"""The frame model as JSON: every line with its status, text, reason and canon sources."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from jobframe_lint.canon import Text
from jobframe_lint.frames.model import Block, Frame, Line, Missing, Page
from jobframe_lint.terminal import json_safe


def render_json(pages: Iterable[Page]) -> str:
    document = json.dumps([page_dict(page) for page in pages], indent=2, ensure_ascii=False)
    return json_safe(document) + "\n"


def page_dict(page: Page) -> dict[str, Any]:
    return {
        "family": page.family,
        "level": page.code,
        "path": page.path,
        "header": [line_dict(line) for line in (page.title, page.heading, page.breadcrumb)],
        "frames": [frame_dict(frame) for frame in page.frames],
    }


def frame_dict(frame: Frame) -> dict[str, Any]:
    return {
        "frame": frame.key,
        "title": frame.title,
        "status": "produced" if frame.produced else "omitted",
        "missing": missing_dict(frame.missing),
        "blocks": [block_dict(block) for block in frame.blocks],
    }


def block_dict(block: Block) -> dict[str, Any]:
    return {
        "number": block.number,
        "heading": block.heading,
        "status": "produced" if block.produced else "omitted",
        "missing": missing_dict(block.missing),
        "lines": [line_dict(line) for line in block.lines],
    }


def line_dict(line: Line) -> dict[str, Any]:
    return {
        "role": line.role,
        "label": line.label,
        "status": line.status.value,
        "text": line.text if line.produced else None,
        "source_tag": line.tag,
        "sources": [source_dict(source) for source in line.sources],
        "missing": missing_dict(line.missing),
    }


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
