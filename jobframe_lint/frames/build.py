"""Turn the canon into pages of frames: rows produced from canon text, or omitted with a reason.

The rule the frames live by: a line is a fixed template with canon text substituted, and a
line whose canon field is missing is omitted, never filled in with something plausible.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from functools import cache
from string import Formatter

from jobframe_lint.canon import (
    RUBRIC_COMPLEXITY,
    RUBRIC_KNOWLEDGE,
    Canon,
    Family,
    FamilyLevel,
    Level,
    LevelGuide,
    Text,
)
from jobframe_lint.frames import templates as t
from jobframe_lint.frames.model import Block, Frame, Line, Missing, Page, Piece, Status


def lower_first(name: str) -> str:
    """``Decision rights`` → ``decision rights``; an acronym first word (``AI``, ``R&D``) stays."""
    first_word = name.split(maxsplit=1)[0] if name.strip() else name
    letters = [char for char in first_word if char.isalpha()]
    if len(letters) >= 2 and all(char.isupper() for char in letters):
        return name
    return name[:1].lower() + name[1:]


def fill(template: str, **fields: tuple[str, Text]) -> tuple[Piece, ...]:
    """``template`` with each ``{name}`` replaced by (shown text, canon source), kept apart.

    The pieces joined are exactly ``template.format`` of the shown texts; keeping them apart
    lets renderers treat canon text as data and highlight only the template's placeholders.
    """
    pieces: list[Piece] = []
    for literal, name in _parse(template):
        if literal is not None:
            pieces.append(literal)
        if name is not None:
            text, source = fields[name]
            pieces.append(Piece(text, source))
    return tuple(pieces)


@cache
def _parse(template: str) -> tuple[tuple[Piece | None, str | None], ...]:
    """A template's literal runs (as ready-made pieces) and field names, parsed once."""
    return tuple(
        (Piece(literal) if literal else None, name)
        for literal, name, _spec, _conversion in Formatter().parse(template)
    )


def make_line(role: str, label: str, pieces: tuple[Piece, ...], tag: str | None = None) -> Line:
    """A produced line; its sources are the canon texts among ``pieces``, in order."""
    text = "".join([piece.text for piece in pieces])
    sources = tuple([piece.source for piece in pieces if piece.source is not None])
    return Line(role, label, text, Status.PRODUCED, sources, None, tag, pieces)


def quote_line(role: str, label: str, template: str, text: Text, tag: str | None = None) -> Line:
    """``make_line`` of a template with one field, filled with ``text`` shown verbatim.

    Most lines of a page are of this kind (one per responsibility and frame): built from
    the template's literal halves, parsed once, rather than through ``fill``.
    """
    before, after = _halves(template)
    value = text.value
    quoted = Piece(value, text)
    pieces = (
        (before, quoted, after)
        if before and after
        else tuple(filter(None, (before, quoted, after)))
    )
    full = (before.text if before else "") + value + (after.text if after else "")
    return Line(role, label, full, Status.PRODUCED, (text,), None, tag, pieces)


@cache
def _halves(template: str) -> tuple[Piece | None, Piece | None]:
    """The literal pieces before and after a one-field template's only field."""
    parts = _parse(template)
    fields = [name for _, name in parts if name is not None]
    assert len(fields) == 1 and parts[0][1] is not None, template
    after = "".join(literal.text for literal, _ in parts[1:] if literal is not None)
    return parts[0][0], Piece(after) if after else None


def _fixed(role: str, label: str, template: str) -> Line:
    return make_line(role, label, fill(template))


# Lines with no canon text are the same on every page: built once, shared by all.
_MEASURABLE = _fixed("smart.measurable", "Measurable", t.SMART_MEASURABLE)
_TIME_BOUND = _fixed("smart.time_bound", "Time-bound", t.SMART_TIME_BOUND)
_TARGET = _fixed("mbo.target", "Target", t.MBO_TARGET)
_DUE = _fixed("mbo.due", "Due", t.MBO_DUE)


def build_pages(canon: Canon) -> list[Page]:
    """Every (family, level): families by name, levels in their level guide's order."""
    builder = PageBuilder(canon.guides)
    return [
        page
        for family in sorted(canon.families, key=family_order)
        for page in builder.pages(family)
    ]


def family_order(family: Family) -> tuple[str, str]:
    """Families are shown by name, case aside; the file breaks a tie."""
    return (family.name.value.casefold(), family.path)


def level_order(guides: Sequence[LevelGuide]) -> dict[str, int]:
    """Each level code's place: in its level guide's order, the guides in theirs."""
    order: dict[str, int] = {}
    for guide in guides:
        for level in guide.levels:
            order.setdefault(level.code.value, len(order))
    return order


class PageBuilder:
    """Builds pages against a fixed set of level guides.

    What depends on the level guide alone (the KR2 and Role calibration lines of a level)
    is built once per level and shared by every family's page at that level: on a large
    canon that is most of the lines, and sharing immutable lines changes no output.
    """

    __slots__ = ("_levels", "_order", "guides")

    def __init__(self, guides: Sequence[LevelGuide]) -> None:
        self.guides = guides
        self._order = level_order(guides)
        self._levels: dict[str, _LevelLines] = {}

    def pages(self, family: Family) -> Iterator[Page]:
        """The family's pages, levels in their level guide's order."""
        order, last = self._order, len(self._order)
        levels = sorted(family.levels, key=lambda lvl: order.get(lvl.code.value, last))
        for family_level in levels:
            yield self.page(family, family_level)

    def page(self, family: Family, family_level: FamilyLevel) -> Page:
        return _Context(family, family_level, self._level_lines(family_level.code.value)).page()

    def _level_lines(self, code: str) -> _LevelLines:
        found = self._levels.get(code)
        if found is None:
            found = self._levels[code] = _LevelLines(self.guides, code)
        return found


def build_page(canon: Canon, family: Family, family_level: FamilyLevel) -> Page:
    return PageBuilder(canon.guides).page(family, family_level)


class _LevelLines:
    """A level's guide entry and the lines built from it alone, shared across families."""

    __slots__ = ("_bars", "_kr2", "_roles", "code", "documents", "guide", "level")

    def __init__(self, guides: Sequence[LevelGuide], code: str) -> None:
        self.code = code
        self.documents = tuple(guide.document for guide in guides)
        found = Canon([], list(guides), []).find_level(code)
        self.guide: LevelGuide | None = found[0] if found else None
        self.level: Level | None = found[1] if found else None
        self._bars: list[tuple[Text, Text]] | None = None
        self._kr2: dict[int, Line] = {}
        self._roles: Block | None = None

    def dimension_slots(self) -> list[tuple[Text, tuple[Text, Text] | None]]:
        """Each declared dimension with the level's (name, bar), or ``None`` where it has none.

        A dimension declared twice is shown once, where it is first declared (the second is
        JF112's finding): a frame never reuses a dimension. Bars for undeclared dimensions are left
        out: they are JF110's business.
        """
        if self.level is None or self.guide is None:
            return []
        bars = {name.value: (name, bar) for name, bar in self.level.bars}
        declared = {dim.value: dim for dim in reversed(self.guide.dimensions)}
        return [(dim, bars.get(dim.value)) for dim in reversed(declared.values())]

    def declared_bars(self) -> list[tuple[Text, Text]]:
        """The bars the level defines, in the guide's declared order."""
        return [found for _, found in self.dimension_slots() if found is not None]

    def kr2(self, number: int, context: _Context) -> Line:
        """Objective ``number``'s KR2: the number-th bar the level defines, or why there is none."""
        if self.level is None:  # the reason then points at the family's use of the code
            return self._kr2_line(number, context)
        found = self._kr2.get(number)
        if found is None:
            found = self._kr2[number] = self._kr2_line(number, context)
        return found

    def _kr2_line(self, number: int, context: _Context) -> Line:
        if self._bars is None:
            self._bars = self.declared_bars()
        if number <= len(self._bars):
            name, bar = self._bars[number - 1]
            return dimension_line("okr.kr2", "KR2", t.OKR_KR2, name, bar)
        declared = len({dim.value for dim in self.guide.dimensions}) if self.guide else 0
        missing = context.level_missing(
            context.level_field("dimensions"),
            f"no dimension bar left for objective {number}: level {self.code} defines "
            f"{len(self._bars)} of {declared} declared dimensions",
        )
        return Line("okr.kr2", "KR2", "", Status.OMITTED, missing=missing)

    def role_calibration(self, context: _Context) -> Block:
        if self.level is None:
            return _role_calibration(self, context)
        if self._roles is None:
            self._roles = _role_calibration(self, context)
        return self._roles


def _role_calibration(shared: _LevelLines, context: _Context) -> Block:
    """A row per declared dimension: produced where the level sets its bar, else omitted."""
    rows = [
        dimension_line(
            "scorecard.role",
            dim.value,
            t.SCORECARD_DIMENSION,
            *found,
            tag=t.SOURCE_DIMENSION.format(dim=found[0].value),
        )
        if found
        else Line(
            "scorecard.role",
            dim.value,
            "",
            Status.OMITTED,
            missing=context.level_missing(
                f"{context.level_field('dimensions')}.{dim.value}",
                f'no "{dim.value}" bar for level {shared.code}',
            ),
        )
        for dim, found in shared.dimension_slots()
    ]
    if any(row.produced for row in rows):
        return Block(rows, heading=t.SCORECARD_ROLE)
    missing = context.level_missing(
        context.level_field("dimensions"), f"no dimension bars for level {shared.code}"
    )
    return Block([], heading=t.SCORECARD_ROLE, missing=missing)


def dimension_line(
    role: str, label: str, template: str, name: Text, bar: Text, tag: str | None = None
) -> Line:
    pieces = fill(template, dim_lc=(lower_first(name.value), name), bar=(bar.value, bar))
    return make_line(role, label, pieces, tag=tag)


class _Context:
    """What one page is built from: the family, its entry for the level, and the level guide's.

    The lines that are the same for every goal of the page (Achievable, Relevant, Standard)
    are built once per page, and so are its source tags.
    """

    __slots__ = (
        "_achievable",
        "_relevant",
        "_standard",
        "family",
        "family_level",
        "responsibility_tag",
        "shared",
    )

    def __init__(self, family: Family, family_level: FamilyLevel, shared: _LevelLines) -> None:
        self.family = family
        self.family_level = family_level
        self.shared = shared
        self.responsibility_tag = t.SOURCE_RESPONSIBILITY.format(code=family_level.code.value)
        self._achievable: Line | None = None
        self._relevant: Line | None = None
        self._standard: Line | None = None

    @property
    def code(self) -> str:
        return self.family_level.code.value

    @property
    def level(self) -> Level | None:
        return self.shared.level

    @property
    def title(self) -> Text | None:
        return self.shared.level.title if self.shared.level else None

    def missing(self, field: str, what: str, anchor: Text | None = None) -> Missing:
        """A reason naming the field, for whom, and where it was expected."""
        place = anchor or self.family_level.code
        reason = (
            f"no {what} for {self.family.name.value} {self.code} "
            f"({place.path}:{place.span.start.line})"
        )
        return Missing(field, place.path, place.span, reason)

    def page(self) -> Page:
        family, code = self.family.name, self.family_level.code
        return Page(
            family=family.value,
            code=code.value,
            path=self.family.path,
            title=self.produced("page.title", "", t.PAGE_TITLE, family=family, code=code),
            heading=self.produced("page.heading", "", t.PAGE_HEADING, family=family, code=code),
            breadcrumb=self.breadcrumb(),
            disclaimer=t.DISCLAIMER,
            frames=[self.smart(), self.okr(), self.mbo(), self.scorecard()],
            documents=(family.document, *self.shared.documents),
        )

    def breadcrumb(self) -> Line:
        """``{function} · {family} · {code} — {title}``, less any missing part and its separator."""
        code = self.family_level.code
        parts = [
            (Piece(self.family.function.value, self.family.function),)
            if self.family.function
            else (),
            (Piece(self.family.name.value, self.family.name),),
            self.fields(t.CODE_WITH_TITLE, code=code, title=self.title)
            if self.title
            else (Piece(code.value, code),),
        ]
        pieces: list[Piece] = []
        for part in filter(None, parts):
            if pieces:
                pieces.append(Piece(t.BREADCRUMB_SEPARATOR))
            pieces.extend(part)
        return make_line("page.breadcrumb", "", tuple(pieces))

    # -- frames ---------------------------------------------------------------------------

    def responsibilities_frame(
        self, key: str, title: str, intro: str, block: Callable[[int, Text], Block]
    ) -> Frame:
        responsibilities = self.family_level.responsibilities
        blocks = [block(i, r) for i, r in enumerate(responsibilities, 1)]
        missing: Missing | None = None
        if not responsibilities:
            missing = self.missing(
                f"{self.family_level.code.field}.responsibilities", "responsibilities"
            )
        return Frame(key, title, intro, blocks, missing)

    def smart(self) -> Frame:
        return self.responsibilities_frame("smart", t.SMART_TITLE, t.SMART_INTRO, self.smart_goal)

    def smart_goal(self, number: int, resp: Text) -> Block:
        tag = self.responsibility_tag
        lines = [
            quote_line("smart.goal", "", "{resp}", resp, tag),
            quote_line("smart.specific", "Specific", t.SMART_SPECIFIC, resp),
            _MEASURABLE,
            self.achievable(),
            self.relevant(),
            _TIME_BOUND,
        ]
        return Block(lines, number=number)

    def achievable(self) -> Line:
        if self._achievable is None:
            self._achievable = self.rubric_line(
                "smart.achievable", "Achievable", t.SMART_ACHIEVABLE, RUBRIC_COMPLEXITY
            )
        return self._achievable

    def relevant(self) -> Line:
        if self._relevant is None:
            self._relevant = self._relevant_line()
        return self._relevant

    def _relevant_line(self) -> Line:
        function, title = self.family.function, self.title
        if function is None:
            missing = self.missing("function", "function", self.family.name)
            return Line("smart.relevant", "Relevant", "", Status.OMITTED, missing=missing)
        if title is None:
            anchor = self.level.code if self.level else None
            missing = self.missing(self.level_field("title"), "level title", anchor)
            return Line("smart.relevant", "Relevant", "", Status.OMITTED, missing=missing)
        return self.produced(
            "smart.relevant",
            "Relevant",
            t.SMART_RELEVANT,
            function=function,
            family=self.family.name,
            code=self.family_level.code,
            title=title,
        )

    def okr(self) -> Frame:
        def objective(number: int, resp: Text) -> Block:
            tag = self.responsibility_tag
            lines = [
                quote_line("okr.objective", "", "{resp}", resp, tag),
                quote_line("okr.kr1", "KR1", t.OKR_KR1, resp),
                self.shared.kr2(number, self),
            ]
            return Block(lines, number=number)

        return self.responsibilities_frame("okr", t.OKR_TITLE, t.OKR_INTRO, objective)

    def mbo(self) -> Frame:
        tag = t.SOURCE_MBO_REUSED.format(code=self.code)

        def area(number: int, resp: Text) -> Block:
            lines = [
                quote_line("mbo.area", "Area", "{resp}", resp, tag),
                self.standard(),
                _TARGET,
                _DUE,
            ]
            return Block(lines, number=number)

        return self.responsibilities_frame("mbo", t.MBO_TITLE, t.MBO_INTRO, area)

    def standard(self) -> Line:
        if self._standard is None:
            self._standard = self.rubric_line(
                "mbo.standard", "Standard", t.MBO_STANDARD, RUBRIC_KNOWLEDGE
            )
        return self._standard

    def scorecard(self) -> Frame:
        blocks = [self.internal_process(), self.shared.role_calibration(self)]
        missing: Missing | None = None
        if not any(block.produced for block in blocks):
            missing = self.missing(
                f"{self.family_level.code.field}.responsibilities",
                "responsibilities or dimension bars",
            )
        return Frame("scorecard", t.SCORECARD_TITLE, t.SCORECARD_INTRO, blocks, missing)

    def internal_process(self) -> Block:
        tag = self.responsibility_tag
        rows = [
            quote_line("scorecard.internal", "", t.SCORECARD_RESPONSIBILITY, resp, tag)
            for resp in self.family_level.responsibilities
        ]
        if rows:
            return Block(rows, heading=t.SCORECARD_INTERNAL)
        missing = self.missing(
            f"{self.family_level.code.field}.responsibilities", "responsibilities"
        )
        return Block([], heading=t.SCORECARD_INTERNAL, missing=missing)

    # -- lines ----------------------------------------------------------------------------

    def produced(
        self, role: str, label: str, template: str, tag: str | None = None, **fields: Text
    ) -> Line:
        return make_line(role, label, self.fields(template, **fields), tag=tag)

    @staticmethod
    def fields(template: str, **fields: Text) -> tuple[Piece, ...]:
        """``template`` filled with canon texts shown verbatim."""
        return fill(template, **{name: (text.value, text) for name, text in fields.items()})

    def rubric_line(self, role: str, label: str, template: str, rubric: str) -> Line:
        text = self.family_level.rubrics.get(rubric)
        if text is None:
            field = f"{self.family_level.code.field}.rubrics.{rubric}"
            missing = self.missing(field, f'"{rubric}" rubric')
            return Line(role, label, "", Status.OMITTED, missing=missing)
        return quote_line(role, label, template, text)

    def level_missing(self, field: str, reason: str) -> Missing:
        """A reason about the level guide's entry, pointing at it (or at the family's use)."""
        place = self.level.code if self.level else self.family_level.code
        where = f"{place.path}:{place.span.start.line}"
        return Missing(field, place.path, place.span, f"{reason} ({where})")

    def level_field(self, name: str) -> str:
        """The field of the level guide entry that should hold ``name``."""
        return f"{self.level.code.field if self.level else f'levels.{self.code}'}.{name}"
