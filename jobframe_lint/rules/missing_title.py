"""JF111 missing-title: no level title or family function, so the Relevant line is omitted."""

from __future__ import annotations

from collections.abc import Iterator

from jobframe_lint.canon import Canon
from jobframe_lint.diagnostics import Diagnostic, Severity
from jobframe_lint.rules.base import Rule
from jobframe_lint.rules.common import documents_by_path, family_label, level_body

RELEVANT = 'the SMART "Relevant" line is omitted'


def check(canon: Canon) -> Iterator[Diagnostic]:
    documents = documents_by_path(canon)
    for guide in canon.guides:
        document = documents.get(guide.path)
        for level in guide.levels:
            body = level_body(document, level.code.value) if document else None
            if body is None or "title" in body:
                continue  # a title of the wrong type is the schema's
            yield Diagnostic(
                guide.path,
                level.code.span,
                RULE.code,
                f"level {level.code.value} has no title: the breadcrumb shows the bare code "
                f"and {RELEVANT} on every page of the level",
                RULE.severity,
                field=("levels", level.code.value, "title"),
            )
    for family in canon.families:
        document = documents.get(family.path)
        if document is None or document.data is None or "function" in document.data:
            continue
        yield Diagnostic(
            family.path,
            document.locate(("family",)).anchor,
            RULE.code,
            f"{family_label(family)} has no function: the breadcrumb drops it and {RELEVANT} "
            "on every page of the family",
            RULE.severity,
            field=("function",),
        )


RULE = Rule(
    code="JF111",
    name="missing-title",
    severity=Severity.WARNING,
    summary="a level has no title, or a family no function: Relevant line omitted",
    explanation=(
        "Every SMART goal's Relevant line reads \"Advances the {function} · {family} mandate "
        "for a {code} — {title}.\" and needs both the family's function and the level's "
        "title; without either it is omitted, and the page breadcrumb drops the missing part. "
        "A missing title is reported at the level code in the level guide, a missing function "
        "at the family's `family` key."
    ),
    example=(
        "kind: levels\n"
        "dimensions: [Scope]\n"
        "levels:\n"
        "  P3:              # JF111: no title\n"
        "    dimensions:\n"
        "      Scope: Features end-to-end"
    ),
    check=check,
)
