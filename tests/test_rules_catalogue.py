"""The rule catalogue: `jobframe-lint rules`, `rules CODE`, and the catalogue's own shape."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from jobframe_lint.diagnostics import Severity
from jobframe_lint.rules import RULES
from tests.conftest import ROOT, Run

CliRun = Callable[..., Run]

# SPEC §5 plus JF100: codes are stable once released.
CATALOGUE = {
    "JF001": ("yaml-syntax", Severity.ERROR),
    "JF002": ("schema", Severity.ERROR),
    "JF003": ("duplicate-key", Severity.ERROR),
    "JF004": ("alias", Severity.ERROR),
    "JF100": ("unused-suppression", Severity.INFO),
    "JF101": ("missing-responsibilities", Severity.ERROR),
    "JF102": ("missing-rubric", Severity.WARNING),
    "JF103": ("missing-dimension", Severity.WARNING),
    "JF104": ("unknown-level", Severity.ERROR),
    "JF105": ("duplicate-responsibility", Severity.ERROR),
    "JF106": ("kr-shortfall", Severity.INFO),
    "JF107": ("placeholder-in-canon", Severity.ERROR),
    "JF108": ("whitespace", Severity.WARNING),
    "JF109": ("duplicate-definition", Severity.ERROR),
    "JF110": ("undeclared-dimension", Severity.ERROR),
    "JF111": ("missing-title", Severity.WARNING),
    "JF112": ("duplicate-dimension", Severity.ERROR),
}


def test_catalogue_matches_the_spec() -> None:
    assert {code: (rule.name, rule.severity) for code, rule in RULES.items()} == CATALOGUE
    assert [code for code, rule in RULES.items() if rule.fixable] == ["JF108"]


@pytest.mark.parametrize("code", sorted(CATALOGUE))
def test_every_rule_is_documented(code: str) -> None:
    rule = RULES[code]
    assert rule.summary and rule.example
    assert len(rule.explanation) > 150, "a one-paragraph explanation"
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"| {code} | {rule.name} | {rule.severity.value} |" in readme


def test_rules_lists_the_table(cli: CliRun) -> None:
    result = cli("rules")
    assert result.code == 0
    lines = result.out.splitlines()
    assert lines[0].split() == ["code", "name", "severity", "fixable", "summary"]
    assert len(lines) == 1 + len(CATALOGUE)
    assert lines[13].split()[:4] == ["JF108", "whitespace", "warning", "yes"]
    assert lines[6].split()[:4] == ["JF101", "missing-responsibilities", "error", "no"]


def test_rules_code_explains_one_rule_with_an_example(cli: CliRun) -> None:
    result = cli("rules", "jf102")
    assert result.code == 0
    assert result.out.startswith("JF102 missing-rubric (warning, not fixable)\n\n")
    assert "Example:\n\n    levels:\n" in result.out


def test_rules_unknown_code_is_a_usage_error(cli: CliRun) -> None:
    result = cli("rules", "JF999")
    assert (result.code, result.out) == (2, "")
    assert "unknown rule code 'JF999'" in result.err
