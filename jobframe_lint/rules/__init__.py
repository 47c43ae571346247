"""The rule catalogue: one module per rule, each declaring a ``RULE``.

Adding a rule means adding a module here and naming it in ``_MODULES``; its code is stable
once released.
"""

from __future__ import annotations

from jobframe_lint.rules import (
    alias,
    duplicate_definition,
    duplicate_dimension,
    duplicate_key,
    duplicate_responsibility,
    kr_shortfall,
    missing_dimension,
    missing_responsibilities,
    missing_rubric,
    missing_title,
    placeholder,
    schema,
    undeclared_dimension,
    unknown_level,
    unused_suppression,
    whitespace,
    yaml_syntax,
)
from jobframe_lint.rules.base import Rule

_MODULES = (
    yaml_syntax,
    schema,
    duplicate_key,
    alias,
    unused_suppression,
    missing_responsibilities,
    missing_rubric,
    missing_dimension,
    unknown_level,
    duplicate_responsibility,
    kr_shortfall,
    placeholder,
    whitespace,
    duplicate_definition,
    undeclared_dimension,
    missing_title,
    duplicate_dimension,
)

RULES: dict[str, Rule] = {module.RULE.code: module.RULE for module in _MODULES}


def rule_name(code: str) -> str:
    rule = RULES.get(code)
    return rule.name if rule else code
