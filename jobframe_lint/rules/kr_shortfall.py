"""JF106 kr-shortfall: more responsibilities than dimension bars, so some objectives lack KR2."""

from __future__ import annotations

from collections.abc import Iterator

from jobframe_lint.canon import Canon, Level, LevelGuide
from jobframe_lint.diagnostics import Diagnostic, Severity
from jobframe_lint.rules.base import Rule
from jobframe_lint.rules.common import plural


def declared_bar_count(guide: LevelGuide, level: Level) -> int:
    """Bars the OKR frame can use: those of declared dimensions (the frames' own rule)."""
    defined = {name.value for name, _ in level.bars}
    return len({dimension.value for dimension in guide.dimensions} & defined)


def check(canon: Canon) -> Iterator[Diagnostic]:
    for family in canon.families:
        for family_level in family.levels:
            found = canon.find_level(family_level.code.value)
            if found is None:
                continue  # JF104's
            guide, level = found
            bars = declared_bar_count(guide, level)
            responsibilities = family_level.responsibilities
            if len(responsibilities) <= bars:
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
