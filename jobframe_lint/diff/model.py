"""What an edit does to the frames, independent of any output format."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

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


@dataclass(frozen=True, slots=True)
class Segment:
    op: Op
    text: str


@dataclass(frozen=True, slots=True)
class Change:
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
    sources: tuple[Text, ...] = ()


@dataclass
class FrameDiff:
    key: str
    title: str
    changes: list[Change] = field(default_factory=list)

    def count(self, kind: Kind) -> int:
        return sum(1 for change in self.changes if change.kind is kind)


class PageStatus(enum.Enum):
    ADDED = "added"
    REMOVED = "removed"
    CHANGED = "changed"


@dataclass
class PageDiff:
    """The changes to one (family, level) page; ``old_path`` is set when its file moved."""

    family: str
    code: str
    path: str
    status: PageStatus
    frames: list[FrameDiff]
    old_path: str | None = None
    old_family: str | None = None


@dataclass(frozen=True, slots=True)
class Skipped:
    """A file one side cannot load: the pages that depend on it are compared on neither side."""

    path: str
    side: str
    message: str


@dataclass
class Diff:
    base: str
    head: str
    pages: list[PageDiff] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)

    def count(self, kind: Kind) -> int:
        return sum(frame.count(kind) for page in self.pages for frame in page.frames)

    def kinds(self) -> list[Kind]:
        """The kinds of change present, in legend order."""
        return [kind for kind in Kind if self.count(kind)]

    @property
    def empty(self) -> bool:
        return not self.pages and not self.skipped
