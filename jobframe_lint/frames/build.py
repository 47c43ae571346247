"""Turn the canon into pages of frames: rows produced from canon text, or omitted with a reason.

The rule the frames live by: a line is a fixed template with canon text substituted, and a
line whose canon field is missing is omitted, never filled in with something plausible.
"""

from __future__ import annotations

from collections.abc import Callable
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
        if literal:
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
    text = "".join(piece.text for piece in pieces)
    sources = tuple(piece.source for piece in pieces if piece.source is not None)
    return Line(role, label, text, Status.PRODUCED, sources, tag=tag, pieces=pieces)


def build_pages(canon: Canon) -> list[Page]:
    """Every (family, level): families by name, levels in their level guide's order."""
    order = {
        level.code.value: index
        for index, (_, level) in enumerate(
            (guide, level) for guide in canon.guides for level in guide.levels
        )
    }
    pages: list[Page] = []
    for family in sorted(canon.families, key=lambda item: (item.name.value.casefold(), item.path)):
        levels = sorted(family.levels, key=lambda lvl: order.get(lvl.code.value, len(order)))
        pages.extend(build_page(canon, family, level) for level in levels)
    return pages


def build_page(canon: Canon, family: Family, family_level: FamilyLevel) -> Page:
    found = canon.find_level(family_level.code.value)
    context = _Context(family, family_level, *(found or (None, None)))
    return context.page()


class _Context:
    """What one page is built from: the family, its entry for the level, and the level guide's."""

    __slots__ = ("family", "family_level", "guide", "level")

    def __init__(
        self,
        family: Family,
        family_level: FamilyLevel,
        guide: LevelGuide | None,
        level: Level | None,
    ) -> None:
        self.family = family
        self.family_level = family_level
        self.guide = guide
        self.level = level

    @property
    def code(self) -> str:
        return self.family_level.code.value

    @property
    def title(self) -> Text | None:
        return self.level.title if self.level else None

    def where(self) -> str:
        span = self.family_level.span
        return f"{self.family_level.code.path}:{span.start.line}"

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
        tag = t.SOURCE_RESPONSIBILITY.format(code=self.code)
        lines = [
            make_line("smart.goal", "", (Piece(resp.value, resp),), tag=tag),
            self.produced("smart.specific", "Specific", t.SMART_SPECIFIC, resp=resp),
            self.produced("smart.measurable", "Measurable", t.SMART_MEASURABLE),
            self.rubric_line(
                "smart.achievable", "Achievable", t.SMART_ACHIEVABLE, RUBRIC_COMPLEXITY
            ),
            self.relevant(),
            self.produced("smart.time_bound", "Time-bound", t.SMART_TIME_BOUND),
        ]
        return Block(lines, number=number)

    def relevant(self) -> Line:
        function, title = self.family.function, self.title
        if function is None:
            missing = self.missing("function", "function", self.family.name)
            return Line("smart.relevant", "Relevant", "", Status.OMITTED, missing=missing)
        if title is None:
            missing = self.missing(self._level_field("title"), "level title", self._level_anchor())
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
        bars = self.declared_bars()

        def objective(number: int, resp: Text) -> Block:
            tag = t.SOURCE_RESPONSIBILITY.format(code=self.code)
            lines = [
                make_line("okr.objective", "", (Piece(resp.value, resp),), tag=tag),
                self.produced("okr.kr1", "KR1", t.OKR_KR1, resp=resp),
            ]
            if number <= len(bars):
                name, bar = bars[number - 1]
                lines.append(self.dimension_line("okr.kr2", "KR2", t.OKR_KR2, name, bar))
            else:
                missing = self.kr2_missing(number, len(bars))
                lines.append(Line("okr.kr2", "KR2", "", Status.OMITTED, missing=missing))
            return Block(lines, number=number)

        return self.responsibilities_frame("okr", t.OKR_TITLE, t.OKR_INTRO, objective)

    def kr2_missing(self, number: int, defined: int) -> Missing:
        declared = len(self.guide.dimensions) if self.guide else 0
        return self.level_missing(
            self._level_field("dimensions"),
            f"no dimension bar left for objective {number}: level {self.code} defines "
            f"{defined} of {declared} declared dimensions",
        )

    def mbo(self) -> Frame:
        def area(number: int, resp: Text) -> Block:
            tag = t.SOURCE_MBO_REUSED.format(code=self.code)
            lines = [
                make_line("mbo.area", "Area", (Piece(resp.value, resp),), tag=tag),
                self.rubric_line("mbo.standard", "Standard", t.MBO_STANDARD, RUBRIC_KNOWLEDGE),
                self.produced("mbo.target", "Target", t.MBO_TARGET),
                self.produced("mbo.due", "Due", t.MBO_DUE),
            ]
            return Block(lines, number=number)

        return self.responsibilities_frame("mbo", t.MBO_TITLE, t.MBO_INTRO, area)

    def scorecard(self) -> Frame:
        blocks = [self.internal_process(), self.role_calibration()]
        missing: Missing | None = None
        if not any(block.produced for block in blocks):
            missing = self.missing(
                f"{self.family_level.code.field}.responsibilities",
                "responsibilities or dimension bars",
            )
        return Frame("scorecard", t.SCORECARD_TITLE, t.SCORECARD_INTRO, blocks, missing)

    def internal_process(self) -> Block:
        tag = t.SOURCE_RESPONSIBILITY.format(code=self.code)
        rows = [
            self.produced("scorecard.internal", "", t.SCORECARD_RESPONSIBILITY, tag=tag, resp=resp)
            for resp in self.family_level.responsibilities
        ]
        if rows:
            return Block(rows, heading=t.SCORECARD_INTERNAL)
        missing = self.missing(
            f"{self.family_level.code.field}.responsibilities", "responsibilities"
        )
        return Block([], heading=t.SCORECARD_INTERNAL, missing=missing)

    def role_calibration(self) -> Block:
        """A row per declared dimension: produced where the level sets its bar, else omitted."""
        rows = [
            self.dimension_line(
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
                missing=self.level_missing(
                    f"{self._level_field('dimensions')}.{dim.value}",
                    f'no "{dim.value}" bar for level {self.code}',
                ),
            )
            for dim, found in self.dimension_slots()
        ]
        if any(row.produced for row in rows):
            return Block(rows, heading=t.SCORECARD_ROLE)
        missing = self.level_missing(
            self._level_field("dimensions"), f"no dimension bars for level {self.code}"
        )
        return Block([], heading=t.SCORECARD_ROLE, missing=missing)

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
        return self.produced(role, label, template, rubric=text)

    def dimension_line(
        self, role: str, label: str, template: str, name: Text, bar: Text, tag: str | None = None
    ) -> Line:
        pieces = fill(template, dim_lc=(lower_first(name.value), name), bar=(bar.value, bar))
        return make_line(role, label, pieces, tag=tag)

    def dimension_slots(self) -> list[tuple[Text, tuple[Text, Text] | None]]:
        """Each declared dimension with the level's (name, bar), or ``None`` where it has none.

        Bars for undeclared dimensions are left out: they are JF110's business.
        """
        if self.level is None or self.guide is None:
            return []
        bars = {name.value: (name, bar) for name, bar in self.level.bars}
        # A dimension declared twice is JF112's: the frames keep its first place only.
        declared: dict[str, Text] = {}
        for dim in self.guide.dimensions:
            declared.setdefault(dim.value, dim)
        return [(dim, bars.get(dim.value)) for dim in declared.values()]

    def declared_bars(self) -> list[tuple[Text, Text]]:
        """The bars the level defines, in the guide's declared order."""
        return [found for _, found in self.dimension_slots() if found is not None]

    def level_missing(self, field: str, reason: str) -> Missing:
        """A reason about the level guide's entry, pointing at it (or at the family's use)."""
        place = self.level.code if self.level else self.family_level.code
        where = f"{place.path}:{place.span.start.line}"
        return Missing(field, place.path, place.span, f"{reason} ({where})")

    def _level_anchor(self) -> Text | None:
        return self.level.code if self.level else None

    def _level_field(self, name: str) -> str:
        """The field of the level guide entry that should hold ``name``."""
        return f"{self.level.code.field if self.level else f'levels.{self.code}'}.{name}"
