"""One mistake, one finding: a misspelt key is JF002 with its did-you-mean, and the
absence of the field it was meant to be is not reported again by another rule."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import FAMILY_YAML, LEVELS_YAML, Run, write_files

CliRun = Callable[..., Run]


def found(cli: CliRun) -> list[tuple[str, str, str]]:
    result = cli("check", "--format", "json")
    return [(item["path"], item["code"], item["message"]) for item in json.loads(result.out)]


@pytest.mark.parametrize(
    ("path", "wrong", "right", "where"),
    [
        (
            "canon/family.yaml",
            "    rubrics:",
            "    rubric:",
            "levels.P3: unknown key 'rubric'; did you mean 'rubrics'?",
        ),
        (
            "canon/family.yaml",
            "    responsibilities:",
            "    responsibilites:",
            "levels.P3: unknown key 'responsibilites'; did you mean 'responsibilities'?",
        ),
        (
            "canon/family.yaml",
            "      complexity/problem-solving:",
            "      complexity/problem-solvng:",
            "levels.P3.rubrics: unknown key 'complexity/problem-solvng'; did you mean 'complexity/problem-solving'?",
        ),
        (
            "canon/family.yaml",
            "function:",
            "funtion:",
            "unknown key 'funtion'; did you mean 'function'?",
        ),
        ("canon/family.yaml", "levels:", "levls:", "unknown key 'levls'; did you mean 'levels'?"),
        (
            "canon/family.yaml",
            "family: Example",
            "famliy: Example",
            "unknown key 'famliy'; did you mean 'family'?",
        ),
        (
            "canon/levels.yaml",
            "    title:",
            "    tittle:",
            "levels.P3: unknown key 'tittle'; did you mean 'title'?",
        ),
        (
            "canon/levels.yaml",
            "    dimensions:",
            "    dimensons:",
            "levels.P3: unknown key 'dimensons'; did you mean 'dimensions'?",
        ),
    ],
)
def test_a_misspelt_key_is_one_finding(
    cli: CliRun, canon_dir: Path, path: str, wrong: str, right: str, where: str
) -> None:
    source = {"canon/family.yaml": FAMILY_YAML, "canon/levels.yaml": LEVELS_YAML}[path]
    assert source.count(wrong) == 1
    write_files(canon_dir, {path: source.replace(wrong, right)})
    # Not in other files either: a guide's misspelt `dimensions` is no JF106 in the family.
    [(shown, code, message)] = found(cli)
    assert (shown, code) == (path, "JF002")
    assert message.endswith(where)


def test_a_misspelt_dimension_is_jf110_alone(cli: CliRun, canon_dir: Path) -> None:
    """Nor a JF106 in the family: its two objectives lack a KR2 only through the typo."""
    family = FAMILY_YAML.replace("      - Builds the thing.\n", "      - One.\n      - Two.\n")
    guide = LEVELS_YAML.replace("      Scope:", "      Scop:")
    write_files(canon_dir, {"canon/levels.yaml": guide, "canon/family.yaml": family})
    [(_, code, message)] = found(cli)
    assert code == "JF110" and message.endswith('(did you mean "Scope"?)')


def test_a_dimension_really_missing_beside_a_misspelt_one_is_still_reported(
    cli: CliRun, canon_dir: Path
) -> None:
    guide = LEVELS_YAML.replace("  - Autonomy\n", "  - Autonomy\n  - Impact\n").replace(
        "      Scope:", "      Scop:"
    )
    write_files(canon_dir, {"canon/levels.yaml": guide})
    codes = [(code, message) for _, code, message in found(cli)]
    assert [code for code, _ in codes] == ["JF103", "JF110"]
    assert 'no bar for declared dimension "Impact"' in codes[0][1]


def test_a_missing_field_without_a_misspelling_is_still_reported(
    cli: CliRun, canon_dir: Path
) -> None:
    """`notes:` is no misspelling of `rubrics`: both findings stand."""
    source = FAMILY_YAML.replace("    rubrics:", "    notes:")
    write_files(canon_dir, {"canon/family.yaml": source})
    codes = sorted(code for _, code, _ in found(cli))
    assert codes == ["JF002", "JF102", "JF102"]


def test_the_misspelling_beside_the_real_key_does_not_hide_its_findings(
    cli: CliRun, canon_dir: Path
) -> None:
    source = FAMILY_YAML.replace(
        "      knowledge-application: Applies knowledge.\n", "    rubric: {}\n"
    )
    write_files(canon_dir, {"canon/family.yaml": source})
    codes = sorted(code for _, code, _ in found(cli))
    assert codes == ["JF002", "JF102"]


def test_a_real_shortfall_of_bars_is_still_jf106(cli: CliRun, canon_dir: Path) -> None:
    family = FAMILY_YAML.replace(
        "      - Builds the thing.\n", "      - One.\n      - Two.\n      - Three.\n"
    )
    write_files(canon_dir, {"canon/family.yaml": family})
    assert [code for _, code, _ in found(cli)] == ["JF106"]
