"""JF103 missing-dimension: a level has no bar for a dimension its guide declares."""

from __future__ import annotations

from collections.abc import Iterator

from jobframe_lint.canon import Canon
from jobframe_lint.diagnostics import Diagnostic, Severity
from jobframe_lint.rules.base import Rule
from jobframe_lint.rules.common import documents_by_path, quoted_list
from jobframe_lint.rules.undeclared_dimension import meant_dimension


def check(canon: Canon) -> Iterator[Diagnostic]:
    documents = documents_by_path(canon)
    for guide in canon.guides:
        document = documents.get(guide.path)
        declared = list(dict.fromkeys(dimension.value for dimension in guide.dimensions))
        if document is None or not declared:
            continue
        for level in guide.levels:
            defined = {name.value for name, _ in level.bars}
            # A bar under a misspelt name is JF110's, with its did-you-mean: one finding.
            meant = {meant_dimension(name, declared) for name in defined if name not in declared}
            missing = [name for name in declared if name not in defined and name not in meant]
            if not missing:
                continue
            where = document.locate(("levels", level.code.value, "dimensions"))
            span = where.anchor if where.key is not None else level.code.span
            kept = len(declared) - len(missing)
            if len(missing) == 1:
                lacks = f"no bar for declared dimension {quoted_list(missing)}"
                rows = 'its Scorecard "Role calibration" row is omitted'
            else:
                lacks = f"no bars for declared dimensions {quoted_list(missing)}"
                rows = 'their Scorecard "Role calibration" rows are omitted'
            yield Diagnostic(
                guide.path,
                span,
                RULE.code,
                f"level {level.code.value} has {lacks}: {rows} and OKR KR2 lines can draw on "
                f"only {kept} of {len(declared)} dimensions",
                RULE.severity,
                field=("levels", level.code.value, "dimensions"),
            )


RULE = Rule(
    code="JF103",
    name="missing-dimension",
    severity=Severity.WARNING,
    summary="a level lacks a declared dimension: names the rows omitted",
    explanation=(
        "A level guide declares the dimensions it grades on; each level should set a bar for "
        "every one. A missing bar drops that dimension's Scorecard Role-calibration row on every "
        "page of the level, and OKR objective i takes the i-th bar the level does define, so "
        "fewer bars means fewer KR2 lines (see JF106). One finding per level lists the missing "
        "dimensions, at the level's `dimensions` key (or its code when it has none)."
    ),
    example=(
        "kind: levels\n"
        "dimensions: [Scope, Autonomy]\n"
        "levels:\n"
        "  P3:\n"
        "    dimensions:          # JF103: no bar for Autonomy\n"
        "      Scope: Features end-to-end"
    ),
    check=check,
)
