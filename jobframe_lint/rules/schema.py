"""JF002 schema: emitted by the schema stage (``jobframe_lint.schema``)."""

from jobframe_lint.diagnostics import Severity
from jobframe_lint.rules.base import Rule

RULE = Rule(
    code="JF002",
    name="schema",
    severity=Severity.ERROR,
    summary="a JSON Schema violation, located at the offending key or value",
    explanation=(
        "Each document is validated against the JSON Schema its `kind` selects "
        "(schema/levels.schema.json or schema/family.schema.json, draft 2020-12). An unknown key "
        "is reported at the key, a missing key at the mapping that lacks it, a wrong type at the "
        "value. Unquoted YAML 1.1 booleans and numbers in text fields (No, yes, on, 1.10) are "
        "reported with the quoting that fixes them."
    ),
    example="kind: levels\nlevels:\n  P3:\n    title: No        # read as false: quote it",
)
