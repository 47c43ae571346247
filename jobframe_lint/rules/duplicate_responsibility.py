"""JF105 duplicate-responsibility: the same responsibility twice in one level."""

from __future__ import annotations

from collections.abc import Iterator

from jobframe_lint.canon import Canon, Text
from jobframe_lint.diagnostics import Diagnostic, Severity
from jobframe_lint.rules.base import Rule
from jobframe_lint.rules.common import same_text


def check(canon: Canon) -> Iterator[Diagnostic]:
    for family in canon.families:
        for family_level in family.levels:
            first: dict[str, tuple[int, Text]] = {}
            for number, text in enumerate(family_level.responsibilities, 1):
                key = same_text(text.value)
                if key not in first:
                    first[key] = (number, text)
                    continue
                earlier, earlier_text = first[key]
                line = earlier_text.span.start.line  # spans are worked out on demand: only here
                yield Diagnostic(
                    family.path,
                    text.span,
                    RULE.code,
                    f"responsibility {number} of {family_level.code.value} repeats "
                    f"responsibility {earlier} (line {line}): the same SMART goal, OKR "
                    "objective, MBO area and Scorecard row would appear twice",
                    RULE.severity,
                )


RULE = Rule(
    code="JF105",
    name="duplicate-responsibility",
    severity=Severity.ERROR,
    summary="the same responsibility twice in a level",
    explanation=(
        "Each responsibility becomes a SMART goal, an OKR objective, an MBO area and a "
        "Scorecard row, so a repeated one shows the same goal twice on the page. Texts that "
        "differ only in letter case or spacing count as the same. The finding points at the "
        "repetition and names the line of the first occurrence."
    ),
    example=(
        "responsibilities:\n"
        "  - Leads model deployment to production.\n"
        "  - Leads model deployment to production.   # JF105"
    ),
    check=check,
)
