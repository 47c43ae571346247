"""JF110 undeclared-dimension: a level sets a bar for a dimension its guide does not declare."""

from __future__ import annotations

from collections.abc import Iterator

from jobframe_lint.canon import Canon
from jobframe_lint.diagnostics import Diagnostic, Severity
from jobframe_lint.rules.base import Rule
from jobframe_lint.spelling import closest


def check(canon: Canon) -> Iterator[Diagnostic]:
    for guide in canon.guides:
        declared = [dimension.value for dimension in guide.dimensions]
        for level in guide.levels:
            for name, _ in level.bars:
                if name.value in declared:
                    continue
                yield Diagnostic(
                    guide.path,
                    name.span,
                    RULE.code,
                    f'level {level.code.value} sets a bar for "{name.value}", which this level '
                    "guide does not declare: the bar is never rendered"
                    + _hint(name.value, declared),
                    RULE.severity,
                )


def _hint(name: str, declared: list[str]) -> str:
    if not declared:
        return " (it declares no dimensions)"
    close = meant_dimension(name, declared)
    return f' (did you mean "{close}"?)' if close else ""


def meant_dimension(name: str, declared: list[str]) -> str | None:
    """The declared dimension an undeclared bar name most likely misspells (JF103 does not
    report that one missing as well)."""
    return closest(name, declared)


RULE = Rule(
    code="JF110",
    name="undeclared-dimension",
    severity=Severity.ERROR,
    summary="a level sets a dimension its guide does not declare",
    explanation=(
        "The OKR KR2 lines and Scorecard Role-calibration rows follow the dimensions the level "
        "guide declares, in their order; a bar under any other name (often a typo, or a "
        "dimension renamed in the list but not in the levels) is never rendered. The finding "
        "points at the dimension key and suggests the closest declared name."
    ),
    example=(
        "kind: levels\n"
        "dimensions: [Scope, Autonomy]\n"
        "levels:\n"
        "  P3:\n"
        "    dimensions:\n"
        "      Scop: Features end-to-end   # JF110"
    ),
    check=check,
)
