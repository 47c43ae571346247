"""What an edit does to the frames, independent of any output format.

Records are ``NamedTuple``s (``Diff`` and ``FrameDiff``, which a tuple's ``count`` would
clash with, are small plain classes), not dataclasses: a ``diff`` run pays for importing
``dataclasses`` and for defining each one (see ``diagnostics``).
"""

from __future__ import annotations

import enum
from typing import NamedTuple

from jobframe_lint.canon import Text


class Kind(enum.Enum):
    """Ordered as the legend and the summaries list them."""

    PRODUCED = "+"
    OMITTED = "-"
    CHANGED = "~"

    @property
    def meaning(self) -> str:
        return _MEANINGS[self]


_MEANINGS = {
    Kind.PRODUCED: "newly produced",
    Kind.OMITTED: "no longer produced",
    Kind.CHANGED: "changed",
}


class Op(enum.Enum):
    """One run of a word diff: text kept, taken out or put in."""

    EQUAL = "equal"
    DELETE = "delete"
    INSERT = "insert"


class Segment(NamedTuple):
    op: Op
    text: str


class Place(NamedTuple):
    """Where a change's canon text is: located when the change is made, so a diff keeps no
    parsed document alive (a large canon's pages are compared one family at a time)."""

    path: str
    line: int
    column: int
    field: str

    @classmethod
    def of(cls, text: Text) -> Place:
        start = text.span.start
        return cls(text.path, start.line, start.column, text.field)


class Change(NamedTuple):
    """One line of a frame that is produced on one side only, or produced differently.

    ``where`` says which line (``Goal 2 · Achievable``); ``reason`` says why a line is no
    longer produced, or that a newly produced one used to be omitted; ``sources`` are the
    canon texts of the side the line is produced on (the head, except for removals).
    """

    kind: Kind
    where: str
    role: str
    old: str | None
    new: str | None
    reason: str | None = None
    words: tuple[Segment, ...] = ()
    sources: tuple[Place, ...] = ()


class FrameDiff:
    __slots__ = ("changes", "key", "title")

    def __init__(self, key: str, title: str, changes: list[Change]) -> None:
        self.key = key
        self.title = title
        self.changes = changes

    def count(self, kind: Kind) -> int:
        return sum(1 for change in self.changes if change.kind is kind)


class PageStatus(enum.Enum):
    ADDED = "added"
    REMOVED = "removed"
    CHANGED = "changed"


class PageDiff(NamedTuple):
    """The changes to one (family, level) page; ``old_path`` is set when its file moved."""

    family: str
    code: str
    path: str
    status: PageStatus
    frames: list[FrameDiff]
    old_path: str | None = None
    old_family: str | None = None


class Skipped(NamedTuple):
    """A file one side cannot load: the pages that depend on it are compared on neither side."""

    path: str
    side: str
    message: str


class Diff:
    """The whole comparison; ``pages`` is filled in page by page."""

    __slots__ = ("base", "head", "pages", "skipped")

    def __init__(
        self,
        base: str,
        head: str,
        pages: list[PageDiff] | None = None,
        skipped: list[Skipped] | None = None,
    ) -> None:
        self.base = base
        self.head = head
        self.pages: list[PageDiff] = [] if pages is None else pages
        self.skipped: list[Skipped] = [] if skipped is None else skipped

    def count(self, kind: Kind) -> int:
        return sum(frame.count(kind) for page in self.pages for frame in page.frames)

    def kinds(self) -> list[Kind]:
        """The kinds of change present, in legend order."""
        return [kind for kind in Kind if self.count(kind)]

    @property
    def empty(self) -> bool:
        return not self.pages and not self.skipped
