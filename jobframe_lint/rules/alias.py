"""JF004 alias: emitted by the loader."""

from jobframe_lint.diagnostics import Severity
from jobframe_lint.rules.base import Rule

RULE = Rule(
    code="JF004",
    name="alias",
    severity=Severity.ERROR,
    summary="anchors, aliases or non-core tags",
    explanation=(
        "Canon text must read the same in every tool and be diffable line by line: anchors and "
        "aliases make one text appear in places that do not show it, and tags beyond the core "
        "ones (str, int, float, bool, null, map, seq) ask a YAML reader to construct objects. "
        "Such a file is refused before it is composed, so an alias bomb costs nothing."
    ),
    example=(
        "rubrics:\n"
        "  knowledge-application: &k Applies ...\n"
        "  complexity/problem-solving: *k   # JF004"
    ),
)
