"""Turn the canon into pages of frames: rows produced from canon text, or omitted with a reason.

The rule the frames live by: a line is a fixed template with canon text substituted, and a
line whose canon field is missing is omitted, never filled in with something plausible.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

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
from jobframe_lint.frames.model import Block, Frame, Line, Missing, Page, Status


def lower_first(name: str) -> str:
    """``Decision rights`` → ``decision rights``; an acronym first word (``AI``, ``R&D``) stays."""
    first_word = name.split(maxsplit=1)[0] if name.strip() else name
    letters = [char for char in first_word if char.isalpha()]
    if len(letters) >= 2 and all(char.isupper() for char in letters):
        return name
    return name[:1].lower() + name[1:]


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


@dataclass
class _Context:
    family: Family
    family_level: FamilyLevel
    guide: LevelGuide | None
    level: Level | None

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
        values = {"family": self.family.name.value, "code": self.code}
        header_sources = (self.family.name, self.family_level.code)
        page = Page(
            family=self.family.name.value,
            code=self.code,
            path=self.family.path,
            title=Line(
                "page.title", "", t.PAGE_TITLE.format(**values), Status.PRODUCED, header_sources
            ),
            heading=Line(
                "page.heading", "", t.PAGE_HEADING.format(**values), Status.PRODUCED, header_sources
            ),
            breadcrumb=self.breadcrumb(),
            disclaimer=t.DISCLAIMER,
        )
        page.frames = [self.smart(), self.okr(), self.mbo(), self.scorecard()]
        return page

    def breadcrumb(self) -> Line:
        parts: list[str] = []
        sources: list[Text] = []
        if self.family.function:
            parts.append(self.family.function.value)
            sources.append(self.family.function)
        parts.append(self.family.name.value)
        sources.append(self.family.name)
        sources.append(self.family_level.code)
        if self.title:
            parts.append(t.CODE_WITH_TITLE.format(code=self.code, title=self.title.value))
            sources.append(self.title)
        else:
            parts.append(self.code)
        text = t.BREADCRUMB_SEPARATOR.join(parts)
        return Line("page.breadcrumb", "", text, Status.PRODUCED, tuple(sources))

    # -- frames ---------------------------------------------------------------------------

    def responsibilities_frame(
        self, key: str, title: str, intro: str, block: Callable[[int, Text], Block]
    ) -> Frame:
        responsibilities = self.family_level.responsibilities
        frame = Frame(key, title, intro, [block(i, r) for i, r in enumerate(responsibilities, 1)])
        if not responsibilities:
            frame.missing = self.missing(
                f"{self.family_level.code.field}.responsibilities", "responsibilities"
            )
        return frame

    def smart(self) -> Frame:
        return self.responsibilities_frame("smart", t.SMART_TITLE, t.SMART_INTRO, self.smart_goal)

    def smart_goal(self, number: int, resp: Text) -> Block:
        tag = t.SOURCE_RESPONSIBILITY.format(code=self.code)
        lines = [
            Line("smart.goal", "", resp.value, Status.PRODUCED, (resp,), tag=tag),
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
                Line("okr.objective", "", resp.value, Status.PRODUCED, (resp,), tag=tag),
                self.produced("okr.kr1", "KR1", t.OKR_KR1, resp=resp),
            ]
            if number <= len(bars):
                name, bar = bars[number - 1]
                lines.append(self.dimension_line("okr.kr2", "KR2", t.OKR_KR2, name, bar))
            else:
                lines.append(
                    Line(
                        "okr.kr2", "KR2", "", Status.OMITTED, missing=self.kr2_missing(number, bars)
                    )
                )
            return Block(lines, number=number)

        return self.responsibilities_frame("okr", t.OKR_TITLE, t.OKR_INTRO, objective)

    def kr2_missing(self, number: int, bars: list[tuple[Text, Text]]) -> Missing:
        count = len(bars)
        defined = (
            "no dimension bars"
            if count == 0
            else f"only {count} dimension bar" + ("s" if count > 1 else "")
        )
        what = f"dimension bar left for objective {number} ({self.code} defines {defined})"
        return self.missing(self._level_field("dimensions"), what, self._level_anchor())

    def mbo(self) -> Frame:
        def area(number: int, resp: Text) -> Block:
            tag = t.SOURCE_MBO_REUSED.format(code=self.code)
            lines = [
                Line("mbo.area", "Area", resp.value, Status.PRODUCED, (resp,), tag=tag),
                self.rubric_line("mbo.standard", "Standard", t.MBO_STANDARD, RUBRIC_KNOWLEDGE),
                self.produced("mbo.target", "Target", t.MBO_TARGET),
                self.produced("mbo.due", "Due", t.MBO_DUE),
            ]
            return Block(lines, number=number)

        return self.responsibilities_frame("mbo", t.MBO_TITLE, t.MBO_INTRO, area)

    def scorecard(self) -> Frame:
        tag = t.SOURCE_RESPONSIBILITY.format(code=self.code)
        blocks = []
        if self.family_level.responsibilities:
            rows = [
                self.produced(
                    "scorecard.internal", "", t.SCORECARD_RESPONSIBILITY, tag=tag, resp=resp
                )
                for resp in self.family_level.responsibilities
            ]
            blocks.append(Block(rows, heading=t.SCORECARD_INTERNAL))
        bars = self.declared_bars()
        if bars:
            rows = [
                self.dimension_line(
                    "scorecard.role",
                    "",
                    t.SCORECARD_DIMENSION,
                    name,
                    bar,
                    tag=t.SOURCE_DIMENSION.format(dim=name.value),
                )
                for name, bar in bars
            ]
            blocks.append(Block(rows, heading=t.SCORECARD_ROLE))
        frame = Frame("scorecard", t.SCORECARD_TITLE, t.SCORECARD_INTRO, blocks)
        if not blocks:
            frame.missing = self.missing(
                f"{self.family_level.code.field}.responsibilities",
                "responsibilities or dimension bars",
            )
        return frame

    # -- lines ----------------------------------------------------------------------------

    def produced(
        self, role: str, label: str, template: str, tag: str | None = None, **fields: Text
    ) -> Line:
        text = template.format(**{name: value.value for name, value in fields.items()})
        return Line(role, label, text, Status.PRODUCED, tuple(fields.values()), tag=tag)

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
        text = template.format(dim_lc=lower_first(name.value), bar=bar.value)
        return Line(role, label, text, Status.PRODUCED, (name, bar), tag=tag)

    def declared_bars(self) -> list[tuple[Text, Text]]:
        """The level's bars in the guide's declared order; undeclared ones are JF110's."""
        if self.level is None or self.guide is None:
            return []
        bars = {name.value: (name, bar) for name, bar in self.level.bars}
        return [bars[dim.value] for dim in self.guide.dimensions if dim.value in bars]

    def _level_anchor(self) -> Text | None:
        return self.level.code if self.level else None

    def _level_field(self, name: str) -> str:
        """The field of the level guide entry that should hold ``name``."""
        return f"{self.level.code.field if self.level else f'levels.{self.code}'}.{name}"
