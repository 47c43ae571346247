"""JF102 missing-rubric: a rubric the SMART Achievable or MBO Standard lines quote is absent."""

from __future__ import annotations

from collections.abc import Iterator

from jobframe_lint.canon import RUBRIC_COMPLEXITY, RUBRIC_KNOWLEDGE, Canon
from jobframe_lint.diagnostics import Diagnostic, Severity
from jobframe_lint.rules.base import Rule
from jobframe_lint.rules.common import documents_by_path, level_path

# Rubric → the frame lines that quote it, one per responsibility.
LINES = {
    RUBRIC_COMPLEXITY: 'SMART "Achievable"',
    RUBRIC_KNOWLEDGE: 'MBO "Standard"',
}


def check(canon: Canon) -> Iterator[Diagnostic]:
    documents = documents_by_path(canon)
    for family in canon.families:
        document = documents.get(family.path)
        if document is None:
            continue
        for family_level in family.levels:
            count = len(family_level.responsibilities)
            if count == 0:
                continue  # no lines to lose: JF101 has the level
            if all(rubric in family_level.rubrics for rubric in LINES):
                continue  # the usual case: no position to work out
            where = document.locate(level_path(family_level, "rubrics"))
            span = where.anchor if where.key is not None else family_level.code.span
            for rubric, lines in LINES.items():
                if rubric in family_level.rubrics:
                    continue
                what = f"the {lines} line" if count == 1 else f"the {count} {lines} lines"
                yield Diagnostic(
                    family.path,
                    span,
                    RULE.code,
                    f'no "{rubric}" rubric for {family_level.code.value}: {what} will be omitted',
                    RULE.severity,
                    field=level_path(family_level, "rubrics", rubric),
                )


RULE = Rule(
    code="JF102",
    name="missing-rubric",
    severity=Severity.WARNING,
    summary="a rubric is absent: names the lines omitted (Achievable / Standard)",
    explanation=(
        "Each SMART goal's Achievable line quotes the level's complexity/problem-solving rubric "
        "and each MBO area's Standard line quotes its knowledge-application rubric. Without the "
        "rubric those lines are omitted (never invented), one per responsibility, and the "
        "finding says how many. It points at the `rubrics` key, or at the level code when the "
        "level has no rubrics at all. A level without responsibilities loses no lines here: "
        "it is JF101's."
    ),
    example=(
        "levels:\n"
        "  P3:\n"
        "    responsibilities: [...]\n"
        "    rubrics:             # JF102: no knowledge-application rubric\n"
        "      complexity/problem-solving: Evaluates identifiable factors ..."
    ),
    check=check,
)
