"""`--format sarif`: SARIF 2.1.0 that validates against the official schema.

``tests/sarif-schema-2.1.0.json`` is the OASIS SARIF 2.1.0 (errata 01) schema, as published
in the oasis-tcs/sarif-spec repository (Schemata/sarif-schema-2.1.0.json), unmodified.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import jsonschema
import pytest

from jobframe_lint.rules import RULES
from tests.conftest import FAMILY_YAML, Run, write_files

CliRun = Callable[..., Run]

SCHEMA_FILE = Path(__file__).with_name("sarif-schema-2.1.0.json")
HOSTILE_NAME = "we ird#%:,[x]é.yaml"


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft4Validator:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    assert schema["id"].endswith("/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json")
    return jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker())


def sarif(cli: CliRun, *args: str) -> dict[str, Any]:
    result = cli("check", "--format", "sarif", *args)
    assert result.code in (0, 1), result.err
    log: dict[str, Any] = json.loads(result.out)
    return log


@pytest.fixture
def noisy(canon_dir: Path) -> Path:
    hostile = FAMILY_YAML.replace("function: Data Science & Analytics\n", "").replace(
        "- Builds the thing.", '- "Builds  ⟨target⟩ \\e[31m::error::x\\n"'
    )
    write_files(canon_dir, {f"canon/{HOSTILE_NAME}": hostile.replace("Example", "Other")})
    return canon_dir


def test_clean_run_validates(cli: CliRun, canon_dir: Path, validator: Any) -> None:
    log = sarif(cli)
    validator.validate(log)
    assert log["runs"][0]["results"] == []


def test_findings_validate_with_rule_metadata(cli: CliRun, noisy: Path, validator: Any) -> None:
    log = sarif(cli)
    validator.validate(log)
    (run,) = log["runs"]
    rules = run["tool"]["driver"]["rules"]
    assert [rule["id"] for rule in rules] == list(RULES)
    whitespace = rules[list(RULES).index("JF108")]
    assert whitespace["name"] == "whitespace"
    assert whitespace["defaultConfiguration"] == {"level": "warning"}
    assert whitespace["properties"] == {"fixable": True}
    assert whitespace["help"]["text"].endswith(RULES["JF108"].example)
    results = run["results"]
    assert {result["level"] for result in results} == {"error", "warning"}
    for result in results:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]


def test_levels_map_info_to_note(cli: CliRun, canon_dir: Path, validator: Any) -> None:
    many = FAMILY_YAML.replace("- Builds the thing.", "- One.\n      - Two.\n      - Three.")
    write_files(canon_dir, {"canon/family.yaml": many})
    log = sarif(cli)
    validator.validate(log)
    ((result),) = log["runs"][0]["results"]
    assert (result["ruleId"], result["level"]) == ("JF106", "note")
    assert result["locations"][0]["physicalLocation"]["region"] == {
        "startLine": 9,
        "startColumn": 9,
        "endLine": 9,
        "endColumn": 15,
    }


def test_uris_are_percent_encoded_relative_references(cli: CliRun, noisy: Path) -> None:
    uris = {
        result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for result in sarif(cli)["runs"][0]["results"]
    }
    (uri,) = uris
    assert re.fullmatch(r"[A-Za-z0-9\-._~/%]+", uri), uri
    assert unquote(uri) == f"canon/{HOSTILE_NAME}"


def test_absolute_paths_become_file_uris(cli: CliRun, noisy: Path, validator: Any) -> None:
    log = sarif(cli, str(noisy / "canon"))
    validator.validate(log)
    uri = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert uri["uri"].startswith("file:///")


def test_the_streamed_log_is_the_log_one_result_a_line(cli: CliRun, noisy: Path) -> None:
    """Written result by result (a large canon's log is hundreds of MB), it is the same log."""
    from jobframe_lint.commands.check import reported
    from jobframe_lint.config import load_settings
    from jobframe_lint.discovery import collect
    from jobframe_lint.lint import lint
    from jobframe_lint.reporters.sarif import sarif_log

    out = cli("check", "--format", "sarif").out
    settings = load_settings()
    findings = reported(lint(collect([Path("canon")], settings.canon)), settings)
    assert json.loads(out) == sarif_log(findings)
    results = out.split('"results": [\n', 1)[1]
    assert results.count("\n") == len(findings) + 1
    assert "##[" not in out
