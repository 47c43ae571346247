"""The diff as JSON, for bots and dashboards: every change with its reason and canon sources."""

from __future__ import annotations

import io
import json
from collections.abc import Iterable
from typing import IO, Any

from jobframe_lint.diff.group import Group, groups
from jobframe_lint.diff.model import Change, Diff, FrameDiff, Kind, PageDiff
from jobframe_lint.terminal import json_safe


def render_json(diff: Diff) -> str:
    out = io.StringIO()
    write_json(diff, out)
    return out.getvalue()


def write_json(diff: Diff, out: IO[str]) -> None:
    """The diff as one JSON object, a page (or group) a line, each encoded as it is
    written: a guide edit on a canon of thousands of families changes thousands of pages,
    and one indented document of them all cost the pure-Python encoder's time and memory."""
    head = {
        "base": diff.base,
        "head": diff.head,
        "summary": {**_counts(diff), "pages": len(diff.pages)},
    }
    out.write(_dumps(head)[:-1] + ',\n"pages": ')
    _write_list(out, (_page(page) for page in diff.pages))
    out.write(',\n"groups": ')  # changes made on several pages, also listed under each
    _write_list(out, (_group(group) for group in groups(diff)))
    skipped = [
        {"path": item.path, "side": item.side, "message": item.message} for item in diff.skipped
    ]
    out.write(f',\n"not_compared": {_dumps(skipped)}}}\n')


def _write_list(out: IO[str], items: Iterable[dict[str, Any]]) -> None:
    lead = "[\n"
    for item in items:
        out.write(lead + _dumps(item))
        lead = ",\n"
    out.write("[]" if lead == "[\n" else "\n]")


def _dumps(value: object) -> str:
    return json_safe(json.dumps(value, ensure_ascii=False))


def _group(group: Group) -> dict[str, Any]:
    return {
        "frame": group.frame,
        **_change(group.change),
        "count": len(group.pages),
        "pages": [
            {"family": page.family, "level": page.code, "path": page.path} for page in group.pages
        ],
    }


def _counts(holder: Diff | FrameDiff) -> dict[str, int]:
    return {kind.name.lower(): holder.count(kind) for kind in Kind}


def _page(page: PageDiff) -> dict[str, Any]:
    return {
        "family": page.family,
        "level": page.code,
        "path": page.path,
        "status": page.status.value,
        "old_path": page.old_path,
        "old_family": page.old_family,
        "frames": [
            {
                "frame": frame.key,
                "title": frame.title,
                **_counts(frame),
                "changes": [_change(change) for change in frame.changes],
            }
            for frame in page.frames
        ],
    }


def _change(change: Change) -> dict[str, Any]:
    return {
        "kind": change.kind.name.lower(),
        "where": change.where,
        "role": change.role,
        "old": change.old,
        "new": change.new,
        "reason": change.reason,
        "words": [{"op": segment.op.value, "text": segment.text} for segment in change.words],
        "sources": [source._asdict() for source in change.sources],
    }
