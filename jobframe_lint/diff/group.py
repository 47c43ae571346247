"""Changes that repeat across pages, each said once.

A guide edit (a level title, a dimension bar) changes the same words on every family's page
at that level: listed page by page that is hundreds of identical entries. A change is the
same as another when its kind, its place on the page (``Goal 2 · Relevant``), its frame and
what it changed agree: the words taken out and put in for a changed line (the unchanged
context, which names the family, may differ), the text for a line produced or omitted.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import NamedTuple

from jobframe_lint.diff.model import Change, Diff, Kind, Op, PageDiff


class Group(NamedTuple):
    """One change made on several pages; ``change`` is its first occurrence."""

    frame: str
    change: Change
    pages: list[PageDiff]


def groups(diff: Diff) -> list[Group]:
    """Changes made on more than one page, in the order they first occur."""
    found: dict[Hashable, Group] = {}
    for page in diff.pages:
        for frame in page.frames:
            for change in frame.changes:
                key = (frame.key, _signature(change))
                group = found.get(key)
                if group is None:
                    found[key] = Group(frame.key, change, [page])
                elif group.pages[-1] is not page:
                    group.pages.append(page)
    return [group for group in found.values() if len(group.pages) > 1]


def grouped_keys(found: list[Group]) -> set[Hashable]:
    """The keys of grouped changes, to leave them out of the page-by-page listing."""
    return {(group.frame, _signature(group.change)) for group in found}


def is_grouped(frame: str, change: Change, keys: set[Hashable]) -> bool:
    return (frame, _signature(change)) in keys


def _signature(change: Change) -> Hashable:
    if change.kind is Kind.CHANGED:
        words = change.words
        edits = tuple((segment.op, segment.text) for segment in words if segment.op is not Op.EQUAL)
        return (change.kind, change.where, edits)
    return (change.kind, change.where, change.old, change.new, change.reason)
