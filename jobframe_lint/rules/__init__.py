"""The rule catalogue: one module per rule, each declaring a ``RULE``.

Adding a rule means adding a module here and naming it in ``_MODULES``; its code is stable
once released.
"""

from __future__ import annotations

from collections.abc import Iterable

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
# The run's custom rules (SPEC §6), installed by the command that loaded them so that every
# output format names and describes their findings as it does the built-in ones.
_CUSTOM: dict[str, Rule] = {}


def install_custom(rules: Iterable[Rule]) -> None:
    """Makes ``rules`` the run's custom rules, in place of any a previous run installed."""
    _CUSTOM.clear()
    _CUSTOM.update((rule.code, rule) for rule in rules)


def every_rule() -> dict[str, Rule]:
    """The built-in rules, then the run's custom ones."""
    return {**RULES, **_CUSTOM}


def rule_name(code: str) -> str:
    rule = RULES.get(code) or _CUSTOM.get(code)
    return rule.name if rule else code
