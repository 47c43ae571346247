"""What a rendered page is made of, independent of any output format.

Every line is either produced (with the canon texts it quotes, for provenance) or
omitted (with the missing field and why); renderers only lay these out.

Records are ``NamedTuple``s, not dataclasses, for the import cost a ``render`` run pays
(see ``diagnostics``); each is built whole, so none is changed after construction.
"""

from __future__ import annotations

import enum
from typing import NamedTuple

from jobframe_lint.canon import Text
from jobframe_lint.diagnostics import Span
from jobframe_lint.document import Document


class Status(enum.Enum):
    PRODUCED = "produced"
    OMITTED = "omitted"


class Missing(NamedTuple):
    """The canon field an omitted line needed, and where it was expected."""

    field: str
    path: str
    span: Span
    reason: str


class Piece(NamedTuple):
    """A run of a line's text: quoted from ``source`` in the canon, or template text (``None``).

    Renderers style the two differently (placeholders are highlighted only in template text),
    so canon text can never be mistaken for, or styled as, a template part.
    """

    text: str
    source: Text | None = None


class Line(NamedTuple):
    """One line of a frame. ``role`` names its template, e.g. ``smart.achievable``."""

    role: str
    label: str
    text: str
    status: Status
    sources: tuple[Text, ...] = ()
    missing: Missing | None = None
    # The "[source: …]" tag some lines carry in the text layout.
    tag: str | None = None
    # ``text`` split into template and canon runs; ``"".join`` of them is ``text``.
    pieces: tuple[Piece, ...] = ()

    @property
    def produced(self) -> bool:
        return self.status is Status.PRODUCED


class Block(NamedTuple):
    """A numbered goal, objective or area; or a Scorecard group (``heading`` set).

    A group the canon cannot back has no lines and says why in ``missing``.
    """

    lines: list[Line]
    number: int | None = None
    heading: str | None = None
    missing: Missing | None = None

    @property
    def produced(self) -> bool:
        return self.missing is None

    def visible(self, omitted: bool) -> list[Line]:
        return [line for line in self.lines if omitted or line.produced]


class Frame(NamedTuple):
    key: str
    title: str
    intro: str
    blocks: list[Block]
    missing: Missing | None = None

    @property
    def produced(self) -> bool:
        return self.missing is None

    def shown_blocks(self, omitted: bool) -> list[Block]:
        return [block for block in self.blocks if omitted or block.produced]


class Page(NamedTuple):
    family: str
    code: str
    path: str
    title: Line
    heading: Line
    breadcrumb: Line
    disclaimer: str
    frames: list[Frame]
    # The files the page is made from, its family's and the level guides': every text,
    # name and reason on it is taken from these, or from templates.
    documents: tuple[Document, ...]

    def shown_frames(self) -> list[Frame]:
        return [frame for frame in self.frames if frame.produced]
