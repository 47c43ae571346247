"""Declarative custom rules (SPEC §6): what they find and where, and how they sit among the
built-in rules: configuration, selection, suppressions, SARIF, the cache, `rules`."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest

import jobframe_lint.analyse
from jobframe_lint.config import load_settings
from jobframe_lint.discovery import collect
from jobframe_lint.lint import lint
from tests.conftest import ROOT, Run, write_files

CliRun = Callable[..., Run]

POLICY = ROOT / "examples" / "canon-rules.yaml"
LEVELS = """\
kind: levels
dimensions: [Scope]
levels:
  P1: {title: Entry, dimensions: {Scope: Tasks}}
  P2: {title: Developing, dimensions: {Scope: Features}}
  P3:
    dimensions: {Scope: Systems}
"""
ALPHA = """\
kind: family
function: Engineering
family: Alpha
levels:
  P3:
    responsibilities:
      - Be a rockstar ninja of the codebase.
      - Ships features to production every sprint.
      - Ships features.
    rubrics:
      complexity/problem-solving: Solves problems.
"""
BETA = """\
kind: family
family: Beta
levels:
  P1:
    responsibilities:
      - Ships features to production every sprint.
      - Learns the codebase from the team.
      - learns the  codebase from the team.
"""


def configured(root: Path, rules: str, extra: str = "") -> Path:
    """``root`` with the rules file ``rules.yaml`` named in its configuration."""
    write_files(root, {"rules.yaml": rules})
    (root / "jobframe-lint.toml").write_text(
        f'custom-rules = ["rules.yaml"]\n{extra}', encoding="utf-8"
    )
    return root


@pytest.fixture
def policy_canon(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The README's policy file over a canon that breaks each of its rules."""
    monkeypatch.chdir(tmp_path)
    write_files(
        tmp_path,
        {
            "canon/levels.yaml": LEVELS,
            "canon/families/a.yaml": ALPHA,
            "canon/families/b.yaml": BETA,
        },
    )
    return configured(tmp_path, POLICY.read_text(encoding="utf-8"))


def findings(cli: CliRun, *args: str) -> list[dict[str, Any]]:
    result = cli("check", "--format", "json", *args)
    assert result.code in (0, 1), result.err
    found: list[dict[str, Any]] = json.loads(result.out)
    return found


def places(found: list[dict[str, Any]], prefix: str = "ACME") -> list[tuple[Any, ...]]:
    return [
        (item["code"], item["path"], item["line"], item["column"], item["end_column"])
        for item in found
        if item["code"].startswith(prefix)
    ]


def test_the_policy_file_reports_each_breach_at_its_span(cli: CliRun, policy_canon: Path) -> None:
    found = findings(cli)
    assert places(found) == [
        ("ACME003", "canon/families/a.yaml", 3, 1, 7),  # the family key: a unit
        ("ACME005", "canon/families/a.yaml", 5, 3, 5),  # the level key
        ("ACME001", "canon/families/a.yaml", 7, 14, 22),  # "rockstar", exactly
        ("ACME001", "canon/families/a.yaml", 7, 23, 28),  # "ninja"
        ("ACME002", "canon/families/a.yaml", 9, 9, 24),  # the whole text
        ("ACME005", "canon/families/b.yaml", 4, 3, 5),  # no complexity rubric
        ("ACME005", "canon/families/b.yaml", 4, 3, 5),  # no knowledge rubric
        ("ACME004", "canon/families/b.yaml", 6, 9, 51),  # repeats a.yaml's, the later one
        ("ACME004", "canon/families/b.yaml", 8, 9, 44),  # case and spacing aside
    ]
    messages = {(item["code"], item["line"], item["column"]): item["message"] for item in found}
    assert messages["ACME001", 7, 14] == (
        'hype word "rockstar" in levels.P3.responsibilities[0]: say what the work is'
    )
    assert messages["ACME002", 9, 9] == "levels.P3.responsibilities[2] is 2 words, fewer than 4"
    assert messages["ACME003", 3, 1] == 'family "Alpha" has no levels P1, P2, P4, P5'
    assert messages["ACME004", 6, 9] == (
        "levels.P1.responsibilities[0] repeats levels.P3.responsibilities[1] "
        "(canon/families/a.yaml:8) in the canon"
    )
    assert messages["ACME004", 8, 9] == (
        "levels.P1.responsibilities[2] repeats levels.P1.responsibilities[1] (line 7) in the canon"
    )
    # Beta has no function: ACME003's `where: {function: "."}` leaves it out.
    assert not [item for item in found if item["code"] == "ACME003" and "b.yaml" in item["path"]]
    assert {item["rule"] for item in found if item["code"] == "ACME001"} == {"no-hype-words"}


def test_checking_either_file_of_a_repetition_reports_it(cli: CliRun, policy_canon: Path) -> None:
    assert places(findings(cli, "canon/families/a.yaml"), "ACME004") == [
        ("ACME004", "canon/families/b.yaml", 6, 9, 51)
    ]
    assert len(places(findings(cli, "canon/families/b.yaml"), "ACME004")) == 2


TEXT_RULES = """\
rules:
  - code: ORG001
    name: short-title
    summary: level titles are short
    on: level-title
    assert: {max-length: 6}
    message: "{level}: title '{value}' is too long ({field})"
  - code: ORG002
    name: known-dimension
    summary: dimensions come from the handbook
    on: dimension
    assert: {one-of: [Scope, Impact]}
  - code: ORG003
    name: bar-starts-capital
    summary: bars start with a capital
    on: dimension-bar
    where: {level: "^P[12]$"}
    assert: {matches: "^[A-Z]"}
  - code: ORG004
    name: rubric-words
    severity: error
    summary: rubrics say enough
    on: rubric:complexity/problem-solving
    where: {family: "^Al"}
    assert: {min-words: 3}
    message: "{family} {level}: {value}"
  - code: ORG005
    name: unique-in-level
    summary: no repeats within a level
    on: responsibility
    assert: {unique: level}
  - code: ORG006
    name: no-title-missing
    severity: info
    summary: every family level has its title
    on: family-level
    assert: {requires: [title, function]}
"""


def test_each_subject_assertion_filter_and_message_field(cli: CliRun, policy_canon: Path) -> None:
    configured(policy_canon, TEXT_RULES)
    write_files(policy_canon, {"canon/levels.yaml": LEVELS.replace("Tasks", "tasks")})
    found = findings(cli)
    got = [(item["code"], item["path"], item["line"], item["message"]) for item in found]
    assert [entry for entry in got if entry[0].startswith("ORG")] == [
        (
            "ORG006",
            "canon/families/a.yaml",
            5,
            "P3 has no title in its level guide (canon/levels.yaml)",
        ),
        ("ORG004", "canon/families/a.yaml", 11, "Alpha P3: Solves problems."),
        ("ORG006", "canon/families/b.yaml", 4, "P1's family has no function"),
        (
            "ORG005",
            "canon/families/b.yaml",
            8,
            "levels.P1.responsibilities[2] repeats levels.P1.responsibilities[1] (line 7) in this level",
        ),
        ("ORG003", "canon/levels.yaml", 4, "levels.P1.dimensions.Scope does not match '^[A-Z]'"),
        ("ORG001", "canon/levels.yaml", 5, "P2: title 'Developing' is too long (levels.P2.title)"),
    ]
    severities = {item["code"]: item["severity"] for item in found}
    assert (severities["ORG004"], severities["ORG006"], severities["ORG001"]) == (
        "error",
        "info",
        "warning",
    )
    # A level guide's edit is seen through the outline too: the title finding follows it.
    write_files(policy_canon, {"canon/levels.yaml": LEVELS.replace("Developing", "Dev")})
    assert "ORG001" not in {item["code"] for item in findings(cli)}


@pytest.mark.parametrize(
    ("rules", "expected"),
    [
        (
            "rules:\n  - code: ACME001\n    name: x\n    summary: x\n    on: respnsibility\n    assert: {max-length: 3}\n",
            "rules.yaml:5:9: rules[0].on: 'respnsibility' is not allowed; did you mean 'responsibility'?",
        ),
        (
            "rules:\n  - code: ACME001\n    name: x\n    summary: x\n    on: family\n    asert: {max-length: 3}\n",
            # One mistake, one finding: the misspelt key, not also the key it stands for.
            "rules.yaml:6:5: rules[0]: unknown key 'asert'; did you mean 'assert'?",
        ),
        (
            "rules:\n  - code: JF900\n    name: x\n    summary: x\n    on: family\n    assert: {max-length: 3}\n",
            "rules.yaml:2:11: rules[0].code: JF900: the JF prefix is reserved for jobframe-lint's own rules",
        ),
        (
            "rules:\n  - code: acme1\n    name: x\n    summary: x\n    on: family\n    assert: {max-length: 3}\n",
            "rules.yaml:2:11: rules[0].code: 'acme1' is not a rule code: 2-8 capital letters then 3 digits, e.g. ACME001; the JF prefix is jobframe-lint's own",
        ),
        (
            "rules:\n  - code: ACME001\n    name: x\n    summary: x\n    on: family\n    assert: {not-matches: '(open'}\n",
            "rules.yaml:6:27: rules[0].assert.not-matches: not a valid regular expression: missing ), unterminated subpattern at position 0",
        ),
        (
            "rules:\n  - code: ACME001\n    name: x\n    summary: x\n    on: family\n    assert: {max-length: '3'}\n",
            "rules.yaml:6:26: rules[0].assert.max-length: expected an integer, got '3'",
        ),
        (
            "rules:\n  - code: ACME001\n    name: x\n    summary: x\n    on: dimension\n    where: {level: P}\n    assert: {max-length: 3}\n",
            "rules.yaml:6:13: rules[0].where.level: does not apply to on: dimension",
        ),
        (
            "rules:\n  - code: ACME001\n    name: x\n    summary: x\n    on: family\n    message: '{vale}'\n    assert: {max-length: 3}\n",
            "rules.yaml:6:14: rules[0].message: unknown field {vale}; did you mean {value}?",
        ),
        (
            "rules:\n  - code: ACME001\n    name: x\n    summary: x\n    on: family-level\n    assert: {max-length: 3}\n",
            "rules.yaml:6:14: rules[0].assert.max-length: 'max-length' does not apply to on: family-level as a unit (it takes min-responsibilities, max-responsibilities, requires)",
        ),
        (
            "rules:\n  - code: ACME001\n    name: x\n    summary: x\n    on: family\n    message: '{value:d}'\n    assert: {max-length: 3}\n",
            "rules.yaml:6:14: rules[0].message: {value}: Unknown format code 'd' for object of type 'str'",
        ),
        (
            "rules:\n  - code: ACME001\n    name: x\n    summary: x\n    on: family\n    where: {family: 'a{99999999999}'}\n    assert: {max-length: 3}\n",
            "rules.yaml:6:21: rules[0].where.family: not a valid regular expression: the repetition number is too large",
        ),
        (
            "rules: [\n",
            "rules.yaml:2:1: malformed YAML: while parsing a flow node; did not find expected node content",
        ),
    ],
)
def test_a_bad_rules_file_is_exit_2_at_file_line_column(
    cli: CliRun, canon_dir: Path, rules: str, expected: str
) -> None:
    configured(canon_dir, rules)
    for command in (("check",), ("rules",), ("render",)):
        result = cli(*command)
        assert (result.code, result.out) == (2, ""), result.err
        assert result.err.splitlines() == [
            f"jobframe-lint: {line}" for line in expected.split("\n")
        ]


def test_every_problem_of_a_rules_file_is_listed_in_file_order(
    cli: CliRun, canon_dir: Path
) -> None:
    configured(
        canon_dir,
        "rules:\n"
        "  - {code: ACME001, name: a, summary: a, on: family, assert: {matches: '['}}\n"
        "  - {code: ACME001, name: b, summary: b, on: family, assert: {min-length: 5, max-length: 2}}\n",
    )
    result = cli("check")
    assert result.code == 2
    assert result.err.splitlines() == [
        "jobframe-lint: rules.yaml:2:72: rules[0].assert.matches: not a valid regular expression: unterminated character set at position 0",
        "jobframe-lint: rules.yaml:3:12: rules[1].code: ACME001 is already defined at rules.yaml:2:5",
        "jobframe-lint: rules.yaml:3:75: rules[1].assert.min-length: 5 is more than max-length (2): nothing could pass",
    ]


def test_a_missing_rules_file_names_the_configuration_key(cli: CliRun, canon_dir: Path) -> None:
    (canon_dir / "pyproject.toml").write_text(
        '[tool.jobframe-lint]\ncustom-rules = ["policies/missing.yaml"]\n', encoding="utf-8"
    )
    result = cli("check")
    assert result.code == 2
    assert result.err == (
        "jobframe-lint: pyproject.toml: tool.jobframe-lint.custom-rules: "
        "policies/missing.yaml: no such rules file\n"
    )


def test_rules_files_are_found_from_the_configuration_folder(
    cli: CliRun, policy_canon: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(policy_canon / "canon")
    result = cli("check", ".")
    assert result.code == 1
    assert "families/a.yaml:7:14: ACME001" in result.out


def test_custom_codes_are_selected_ignored_and_configured_like_built_in_ones(
    cli: CliRun, policy_canon: Path
) -> None:
    assert {item["code"] for item in findings(cli, "--select", "ACME001,JF102")} == {
        "ACME001",
        "JF102",
    }
    assert "ACME001" not in {item["code"] for item in findings(cli, "--ignore", "ACME001")}
    result = cli("check", "--select", "ACME01")
    assert (result.code, result.err) == (
        2,
        "jobframe-lint: --select: unknown rule code 'ACME01'; did you mean ACME001?\n",
    )
    configured(
        policy_canon,
        POLICY.read_text(encoding="utf-8"),
        '[severity]\nACME001 = "error"\n[per-file-ignores]\n"b.yaml" = ["ACME004"]\n',
    )
    found = findings(cli)
    assert {item["severity"] for item in found if item["code"] == "ACME001"} == {"error"}
    assert not [item for item in found if item["code"] == "ACME004"]


def test_an_unknown_custom_code_in_the_configuration_is_exit_2(
    cli: CliRun, policy_canon: Path
) -> None:
    configured(policy_canon, POLICY.read_text(encoding="utf-8"), 'ignore = ["ACME009"]\n')
    result = cli("check")
    assert result.code == 2
    assert result.err.startswith("jobframe-lint: jobframe-lint.toml: ignore: unknown rule code")


def test_inline_suppressions_and_jf100_know_custom_codes(cli: CliRun, policy_canon: Path) -> None:
    alpha = ALPHA.replace(
        "      - Be a rockstar ninja of the codebase.",
        "      - Be a rockstar ninja of the codebase.  # jobframe-lint: disable=ACME001\n"
        "      - Owns the build end to end.  # jobframe-lint: disable=ACME002,ACME077",
    )
    write_files(policy_canon, {"canon/families/a.yaml": alpha})
    found = [item for item in findings(cli) if item["path"] == "canon/families/a.yaml"]
    assert "ACME001" not in {item["code"] for item in found}
    unused = [item["message"] for item in found if item["code"] == "JF100"]
    assert unused == [
        "unused suppression: no ACME002 finding on this line",
        "unknown rule code 'ACME077' in a suppression",
    ]


def test_sarif_describes_custom_rules(cli: CliRun, policy_canon: Path) -> None:
    result = cli("check", "--format", "sarif")
    log = json.loads(result.out)
    schema = json.loads((ROOT / "tests" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    jsonschema.Draft4Validator(schema).validate(log)
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    described = {rule["id"]: rule for rule in rules}
    hype = described["ACME001"]
    assert hype["name"] == "no-hype-words"
    assert hype["shortDescription"]["text"] == "responsibilities avoid hype words"
    assert hype["fullDescription"]["text"].startswith("Hype words read as advertising")
    assert hype["defaultConfiguration"]["level"] == "warning"
    assert hype["properties"]["origin"] == "rules.yaml:5:5"
    assert "not-matches:" in hype["help"]["text"]
    for result_ in run["results"]:
        assert rules[result_["ruleIndex"]]["id"] == result_["ruleId"]
    assert "ACME001" in {result_["ruleId"] for result_ in run["results"]}


def test_an_edited_rule_changes_the_next_warm_run(cli: CliRun, policy_canon: Path) -> None:
    cold = cli("check")
    assert cli("check").out == cold.out == cli("check", "--no-cache").out
    rules = policy_canon / "rules.yaml"
    rules.write_text(
        rules.read_text(encoding="utf-8").replace("max-length: 200", "max-length: 20"),
        encoding="utf-8",
    )
    edited = cli("check")
    assert edited.out != cold.out
    assert edited.out == cli("check", "--no-cache").out
    assert "levels.P3.responsibilities[0] is 36 characters, more than 20" in edited.out


def test_render_and_check_share_the_cache_without_losing_findings(
    cli: CliRun, policy_canon: Path
) -> None:
    expected = cli("check", "--no-cache").out
    assert cli("render", "--format", "text").code == 0
    assert cli("check").out == expected


def test_a_canon_wide_rule_answered_from_the_cache_sees_an_edit_in_one_file(
    cli: CliRun, policy_canon: Path
) -> None:
    cli("check")
    alpha = policy_canon / "canon/families/a.yaml"
    alpha.write_text(
        ALPHA.replace(
            "Ships features to production every sprint.", "Learns the codebase from the team."
        ),
        encoding="utf-8",
    )
    repeated = [item for item in findings(cli) if item["code"] == "ACME004"]
    assert [(item["path"], item["line"]) for item in repeated] == [
        ("canon/families/b.yaml", 7),
        ("canon/families/b.yaml", 8),
    ]


def test_worker_processes_run_custom_rules_as_one_process_does(
    policy_canon: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_files(
        policy_canon,
        {f"canon/families/f{n}.yaml": ALPHA.replace("Alpha", f"F{n}") for n in range(4)},
    )
    settings = load_settings()
    files = collect([], settings.canon)
    alone = lint(files, custom=settings.custom).diagnostics
    assert {item.code for item in alone} >= {"ACME001", "ACME002", "ACME004"}
    monkeypatch.setattr(jobframe_lint.analyse, "PARALLEL_FROM", 2)
    monkeypatch.setattr(jobframe_lint.analyse, "cores", lambda: 2)
    assert lint(files, custom=settings.custom).diagnostics == alone


def test_rules_lists_custom_rules_with_their_origin(cli: CliRun, policy_canon: Path) -> None:
    result = cli("rules")
    assert result.code == 0
    built_in, custom = result.out.split("\nCustom rules:\n")
    assert "ACME" not in built_in
    lines = custom.splitlines()
    assert lines[0].split() == ["code", "name", "severity", "from", "summary"]
    assert lines[1].split()[:4] == ["ACME001", "no-hype-words", "warning", "rules.yaml:5:5"]
    assert len(lines) == 6


def test_rules_code_explains_a_custom_rule_with_its_definition(
    cli: CliRun, policy_canon: Path
) -> None:
    result = cli("rules", "acme002")
    assert result.code == 0
    assert result.out.startswith(
        "ACME002 responsibility-length (warning, not fixable)\n\nA responsibility becomes"
    )
    assert (
        "From rules.yaml:20:5:\n\n    code: ACME002\n    name: responsibility-length\n"
        in result.out
    )
    assert "ACME003" not in result.out


VERIFIED = """\
rules:
  - code: ORG001
    name: no-hype
    summary: no hype
    on: responsibility
    where: {level: "^M"}
    assert: {not-matches: '(?i)ninja', max-words: 6}
    examples:
      valid: ["Leads model deployment.", "Owns it."]
      invalid: ["Ninja of deployment.", "One two three four five six seven."]
"""


def test_verify_passes_when_every_example_behaves(cli: CliRun, canon_dir: Path) -> None:
    configured(canon_dir, VERIFIED)
    result = cli("rules", "--verify")
    assert (result.code, result.out) == (0, "4 examples behave, 0 do not.\n")


def test_verify_names_each_example_that_misbehaves(cli: CliRun, canon_dir: Path) -> None:
    configured(
        canon_dir,
        VERIFIED.replace('"Owns it."', '"A ninja."').replace(
            '"Ninja of deployment."', '"Fine words only."'
        ),
    )
    result = cli("rules", "--verify")
    assert result.code == 1
    assert result.out.splitlines() == [
        "rules.yaml:9:42: ORG001 no-hype: valid example 'A ninja.' is reported: \"ninja\" is not allowed in the example",
        "rules.yaml:10:17: ORG001 no-hype: invalid example 'Fine words only.' is not reported",
        "2 examples behave, 2 do not.",
    ]


def test_examples_of_a_unit_rule_are_refused(cli: CliRun, canon_dir: Path) -> None:
    configured(
        canon_dir,
        "rules:\n  - code: ORG001\n    name: x\n    summary: x\n    on: family-level\n"
        "    assert: {min-responsibilities: 2}\n    examples: {valid: [x]}\n",
    )
    result = cli("rules", "--verify")
    assert result.code == 2
    assert result.err.startswith(
        "jobframe-lint: rules.yaml:7:5: rules[0].examples: examples are texts"
    )


def test_the_shipped_policy_verifies_and_validates_against_its_schema(
    cli: CliRun, canon_dir: Path
) -> None:
    import yaml

    schema = json.loads((ROOT / "schema" / "rules.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    data = yaml.safe_load(POLICY.read_text(encoding="utf-8"))
    # YAML 1.1 reads the key `on` as true: the loader jobframe-lint uses keeps it as text.
    for rule in data["rules"]:
        rule["on"] = rule.pop(True)
    jsonschema.Draft202012Validator(schema).validate(data)
    configured(canon_dir, POLICY.read_text(encoding="utf-8"))
    result = cli("rules", "--verify")
    assert (result.code, result.out) == (0, "5 examples behave, 0 do not.\n")


def test_the_readme_shows_the_shipped_policy_file_as_it_is() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"```yaml\n{POLICY.read_text(encoding='utf-8')}```\n" in readme


def test_a_canon_wide_message_quotes_the_text_from_the_cache_too(
    cli: CliRun, policy_canon: Path
) -> None:
    configured(
        policy_canon,
        "rules:\n  - code: ORG010\n    name: once\n    summary: once\n    on: responsibility\n"
        "    message: '\"{value}\" again, in {family} {level} ({field})'\n"
        "    assert: {unique: canon}\n",
    )
    expected = [
        '"Ships features to production every sprint." again, in Beta P1 (levels.P1.responsibilities[0])',
        '"learns the  codebase from the team." again, in Beta P1 (levels.P1.responsibilities[2])',
    ]
    for _ in ("cold", "warm"):
        assert [item["message"] for item in findings(cli) if item["code"] == "ORG010"] == expected
    # Read in full, as --fix reads its targets, the texts are gathered on the spot.
    assert cli("check", "--fix").out.count("ORG010") == 2


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"rules: [\xff]\n", "rules.yaml:1:9: not valid UTF-8: byte 0xff cannot be decoded"),
        (
            b"rules:\n  - &a {code: ACME001}\n  - *a\n",
            "rules.yaml:2:5: anchor '&a' is not allowed in canon: write the text out",
        ),
        (b"", "rules.yaml:1:1: the file holds no document: expected a mapping"),
    ],
)
def test_a_rules_file_that_does_not_load_is_exit_2_without_a_traceback(
    cli: CliRun, canon_dir: Path, content: bytes, expected: str
) -> None:
    configured(canon_dir, "")
    (canon_dir / "rules.yaml").write_bytes(content)
    result = cli("check")
    assert (result.code, result.out, result.err) == (2, "", f"jobframe-lint: {expected}\n")
