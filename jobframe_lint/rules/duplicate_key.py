"""JF003 duplicate-key: emitted by the loader."""

from jobframe_lint.diagnostics import Severity
from jobframe_lint.rules.base import Rule

RULE = Rule(
    code="JF003",
    name="duplicate-key",
    severity=Severity.ERROR,
    summary="a mapping repeats a key",
    explanation=(
        "YAML readers silently keep one of two equal keys, so one of the two texts would vanish "
        "from the frames without a trace. The finding points at the second occurrence and names "
        "the line of the first."
    ),
    example="levels:\n  P3:\n    title: Mid-Level Professional\n    title: Senior   # JF003",
)
