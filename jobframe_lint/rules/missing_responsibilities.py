"""JF101 missing-responsibilities: a family level with nothing to build goals from."""

from __future__ import annotations

from collections.abc import Iterator

from jobframe_lint.canon import Canon, Family, FamilyLevel
from jobframe_lint.diagnostics import Diagnostic, Severity, Span
from jobframe_lint.rules.base import Rule
from jobframe_lint.rules.common import documents_by_path, family_label, level_body, level_path


def check(canon: Canon) -> Iterator[Diagnostic]:
    documents = documents_by_path(canon)
    for family in canon.families:
        document = documents.get(family.path)
        if document is None or document.data is None:
            continue
        for family_level in family.levels:
            body = level_body(document, family_level.code.value)
            if body is None:
                continue  # not a mapping: the schema stage says so
            listed = body.get("responsibilities")
            if listed is None or listed == []:
                path = level_path(family_level, "responsibilities")
                span = document.locate(path).anchor if "responsibilities" in body else None
                yield _finding(canon, family, family_level, span or family_level.code.span)


def _finding(canon: Canon, family: Family, family_level: FamilyLevel, span: Span) -> Diagnostic:
    code = family_level.code.value
    found = canon.find_level(code)
    has_bars = found is not None and bool(found[1].bars)
    effect = (
        "its SMART, OKR and MBO frames are omitted and the Scorecard keeps only Role calibration"
        if has_bars
        else "its page has no frames at all"
    )
    return Diagnostic(
        family.path,
        span,
        RULE.code,
        f"{family_label(family)} level {code} lists no responsibilities: {effect}",
        RULE.severity,
        field=level_path(family_level, "responsibilities"),
    )


RULE = Rule(
    code="JF101",
    name="missing-responsibilities",
    severity=Severity.ERROR,
    summary="a family level lists no responsibilities: no frame can be rendered",
    explanation=(
        "Every SMART goal, OKR objective, MBO area and Scorecard Internal-process row is one of "
        "a level's responsibilities, so a level without any (the key is missing or the list is "
        "empty) has a page with nothing to set goals on: only the Scorecard's Role calibration "
        "rows can be produced, from the level guide's dimension bars. `render` refuses a canon "
        "with this error. The finding points at the empty `responsibilities` key, or at the "
        "level code when the key is missing."
    ),
    example=(
        "kind: family\n"
        "family: AI / Machine Learning Engineering\n"
        "levels:\n"
        "  P3:\n"
        "    responsibilities: []   # JF101"
    ),
    check=check,
)
