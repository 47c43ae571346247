"""JF001 yaml-syntax: emitted by the loader."""

from jobframe_lint.diagnostics import Severity
from jobframe_lint.rules.base import Rule

RULE = Rule(
    code="JF001",
    name="yaml-syntax",
    severity=Severity.ERROR,
    summary="the file is not well-formed YAML, not UTF-8, or not a mapping",
    explanation=(
        "A canon file must be UTF-8 (a BOM and CRLF line endings are fine) holding exactly one "
        "YAML document whose top level is a mapping with a `kind`. Anything else cannot be read "
        "as canon, so no other rule runs on the file and no frame is rendered from it. The "
        "finding points at the parser's own position of the problem."
    ),
    example='kind: family\nfamily: "AI / ML\nlevels: {}   # unterminated quote: JF001',
)
