"""JF112 duplicate-dimension: a level guide declares the same dimension twice."""

from __future__ import annotations

from collections.abc import Iterator

from jobframe_lint.canon import Canon, Text
from jobframe_lint.diagnostics import Diagnostic, Severity
from jobframe_lint.rules.base import Rule


def check(canon: Canon) -> Iterator[Diagnostic]:
    for guide in canon.guides:
        first: dict[str, Text] = {}
        for dimension in guide.dimensions:
            # Exactly the same name: the frames key bars by name, so "scope" is another one.
            earlier = first.setdefault(dimension.value, dimension)
            if earlier is dimension:
                continue
            yield Diagnostic(
                guide.path,
                dimension.span,
                RULE.code,
                f'dimension "{dimension.value}" is declared again (first at line '
                f"{earlier.span.start.line}): a dimension is never reused, so the frames keep "
                "the first and its Role calibration row and KR2 bar appear once",
                RULE.severity,
            )


RULE = Rule(
    code="JF112",
    name="duplicate-dimension",
    severity=Severity.ERROR,
    summary="a level guide declares the same dimension twice",
    explanation=(
        "The dimensions list says what the guide grades on, in display order; each dimension "
        "gives one Scorecard Role-calibration row and at most one OKR KR2 bar per level, and "
        "the frames never use a dimension twice. A name declared again is reported at the "
        "repetition, naming the line of the first; the "
        "frames keep the first occurrence and its place in the order."
    ),
    example="kind: levels\ndimensions: [Scope, Autonomy, Scope]   # JF112 at the second Scope",
    check=check,
)
