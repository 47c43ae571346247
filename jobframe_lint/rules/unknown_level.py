"""JF104 unknown-level: a family uses a level code that no level guide defines."""

from __future__ import annotations

from collections.abc import Iterator

from jobframe_lint.canon import Canon
from jobframe_lint.diagnostics import Diagnostic, Severity
from jobframe_lint.rules.base import Rule
from jobframe_lint.spelling import closest


def check(canon: Canon) -> Iterator[Diagnostic]:
    known = [level.code.value for guide in canon.guides for level in guide.levels]
    # Every guide decides the finding: checking any of them (an edit that removed a level)
    # reports the families it breaks.
    guides = tuple(dict.fromkeys(guide.path for guide in canon.guides))
    for family in canon.families:
        for family_level in family.levels:
            code = family_level.code.value
            if code in known:
                continue
            yield Diagnostic(
                family.path,
                family_level.code.span,
                RULE.code,
                f"level {code} is not defined by any level guide{_hint(code, known)}: its page "
                "would have no title, no Relevant line, no KR2 lines and no Role calibration rows",
                RULE.severity,
                related=guides,
            )


def _hint(code: str, known: list[str]) -> str:
    if not known:
        return " (the canon has none)"
    close = closest(code, known, cutoff=0.5)
    return f" (did you mean {close}?)" if close else ""


RULE = Rule(
    code="JF104",
    name="unknown-level",
    severity=Severity.ERROR,
    summary="a family uses a level code no level guide defines",
    explanation=(
        "A family level's page takes its title and dimension bars from the level guide that "
        "defines its code. An undefined code (a typo, or a level removed from a guide) leaves "
        "the page without title, Relevant line, KR2 lines and Role-calibration rows, so "
        "`render` refuses the canon. The finding is in the family file, at the level code; "
        "it is also reported when only a level guide is checked, so a pre-commit hook on a "
        "guide edit names the families the edit breaks."
    ),
    example=(
        "# levels.yaml defines P1-P5\n"
        "kind: family\n"
        "family: AI / Machine Learning Engineering\n"
        "levels:\n"
        "  P6:            # JF104\n"
        "    responsibilities: [...]"
    ),
    check=check,
)
