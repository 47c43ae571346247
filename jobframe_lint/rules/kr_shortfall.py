"""JF106 kr-shortfall: more responsibilities than dimension bars, so some objectives lack KR2."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache

from jobframe_lint.canon import Canon, Level, LevelGuide
from jobframe_lint.diagnostics import Diagnostic, Severity
from jobframe_lint.document import Document
from jobframe_lint.rules.base import Rule
from jobframe_lint.rules.common import documents_by_path, level_body, plural
from jobframe_lint.rules.undeclared_dimension import meant_dimension
from jobframe_lint.spelling import closest


def declared_bar_count(guide: LevelGuide, level: Level) -> int:
    """Bars the OKR frame can use: those of declared dimensions (the frames' own rule)."""
    defined = {name.value for name, _ in level.bars}
    return len({dimension.value for dimension in guide.dimensions} & defined)


def misspelt_bars(document: Document | None, guide: LevelGuide, level: Level) -> bool:
    """Whether the level's bars are short because of a misspelling the guide's own finding
    names: a misspelt ``dimensions`` key (JF002) or dimension name (JF110). One mistake,
    one finding: the families' objectives are not reported short of KR2 for it as well."""
    declared = [dimension.value for dimension in guide.dimensions]
    defined = {name.value for name, _ in level.bars}
    for name in defined - set(declared):
        meant = meant_dimension(name, declared)
        if meant is not None and meant not in defined:
            return True
    body = level_body(document, level.code.value) if document is not None else None
    if body is None or "dimensions" in body:
        return False
    from jobframe_lint.schema import load_schema  # only for a level without bars

    keys = sorted(load_schema("levels")["$defs"]["level"]["properties"])
    return any(closest(key, keys) == "dimensions" for key in body if key not in keys)


def check(canon: Canon) -> Iterator[Diagnostic]:
    documents = documents_by_path(canon)

    # By level code: thousands of family levels share the few definitions.
    @cache
    def defined(code: str) -> tuple[LevelGuide, Level, int] | None:
        found = canon.find_level(code)
        return None if found is None else (found[0], found[1], declared_bar_count(*found))

    @cache
    def misspelt(code: str) -> bool:
        found = defined(code)
        return found is not None and misspelt_bars(documents.get(found[0].path), *found[:2])

    for family in canon.families:
        for family_level in family.levels:
            found = defined(family_level.code.value)
            if found is None:
                continue  # JF104's
            guide, _, bars = found
            responsibilities = family_level.responsibilities
            if len(responsibilities) <= bars or misspelt(family_level.code.value):
                continue
            first, last = bars + 1, len(responsibilities)
            objectives = (
                f"objective {first} has" if first == last else f"objectives {first} to {last} have"
            )
            listed = plural(len(responsibilities), "responsibility", "responsibilities")
            yield Diagnostic(
                family.path,
                responsibilities[bars].span,
                RULE.code,
                f"{family_level.code.value} has {listed} but {plural(bars, 'dimension bar')}: "
                f"{objectives} no OKR KR2 line",
                RULE.severity,
                related=(guide.path,),
            )


RULE = Rule(
    code="JF106",
    name="kr-shortfall",
    severity=Severity.INFO,
    summary="more responsibilities than dimensions: objectives without KR2",
    explanation=(
        "OKR objective i gets a second key result from the i-th dimension bar its level "
        "defines, in the guide's declared order, and a bar is never reused. When a level has "
        "more responsibilities than bars, the last objectives have no KR2 line. This is "
        "information, not a fault: add bars to the level guide, or accept the shorter "
        "objectives. The finding points at the first responsibility without a KR2."
    ),
    example=(
        "# levels.yaml: P3 sets bars for Scope and Autonomy only\n"
        "responsibilities:\n"
        "  - Builds models.\n"
        "  - Deploys models.\n"
        "  - Mentors juniors.    # JF106: objective 3 has no OKR KR2 line"
    ),
    check=check,
)
