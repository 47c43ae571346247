"""The diff as JSON, for bots and dashboards: every change with its reason and canon sources."""

from __future__ import annotations

import json
from typing import Any

from jobframe_lint.diff.group import groups
from jobframe_lint.diff.model import Change, Diff, FrameDiff, Kind, PageDiff
from jobframe_lint.terminal import json_safe


def render_json(diff: Diff) -> str:
    document = {
        "base": diff.base,
        "head": diff.head,
        "summary": {**_counts(diff), "pages": len(diff.pages)},
        "pages": [_page(page) for page in diff.pages],
        # Changes made on several pages (each is also listed under every page above).
        "groups": [
            {
                "frame": group.frame,
                **_change(group.change),
                "count": len(group.pages),
                "pages": [
                    {"family": page.family, "level": page.code, "path": page.path}
                    for page in group.pages
                ],
            }
            for group in groups(diff)
        ],
        "not_compared": [
            {"path": item.path, "side": item.side, "message": item.message} for item in diff.skipped
        ],
    }
    return json_safe(json.dumps(document, indent=2, ensure_ascii=False)) + "\n"


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
