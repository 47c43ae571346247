"""``--format rdjson|gitlab|junit`` and ``--output FORMAT=PATH``: reports for CI systems other
than GitHub, read back by what reads them (reviewdog's schema, a JUnit XML parser).

``tests/rdjson-schema.json`` is reviewdog's Diagnostic Format schema for a result
(proto/rdf/jsonschema/DiagnosticResult.json in the reviewdog/reviewdog repository, commit
08614ef9c4095bcacfda60090a70da8834e17019), its content unchanged.
"""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import junitparser
import pytest

from tests.conftest import FAMILY_YAML, LEVELS_YAML, Run, write_files

CliRun = Callable[..., Run]
RDJSON_SCHEMA = Path(__file__).with_name("rdjson-schema.json")
SARIF_SCHEMA = Path(__file__).with_name("sarif-schema-2.1.0.json")

# A warning on non-ASCII text (byte columns differ from character columns), an error, an
# information finding, and text that must not break the XML.
NOISY = FAMILY_YAML.replace("Builds the thing.", "Café — builds  the thing.").replace(
    "levels:\n  P3:", 'levels:\n  P9:\n    responsibilities: ["Plans \\e[31m<ahead> & ]]>"]\n  P3:'
)


@pytest.fixture
def noisy(canon_dir: Path) -> Path:
    write_files(canon_dir, {"canon/family.yaml": NOISY})
    return canon_dir


def report(cli: CliRun, name: str, *args: str) -> Any:
    result = cli("check", "--format", name, *args)
    assert result.code in (0, 1), result.err
    return result.out


def test_rdjson_validates_against_reviewdogs_schema(cli: CliRun, noisy: Path) -> None:
    schema = json.loads(RDJSON_SCHEMA.read_text("utf-8"))
    validator = jsonschema.Draft4Validator(schema)
    result = json.loads(report(cli, "rdjson"))
    validator.validate(result)
    assert json.loads(report(cli, "json")) != []
    assert result["source"] == {"name": "jobframe-lint"}
    by_code = {item["code"]["value"]: item for item in result["diagnostics"]}
    assert {"JF102", "JF104", "JF108"} <= set(by_code)
    assert by_code["JF104"]["severity"] == "ERROR"
    assert by_code["JF108"]["severity"] == "WARNING"
    # Schema-valid is not enough: the severities and columns reviewdog reads must be right.
    for bad in ({"severity": "FATAL"}, {"diagnostics": [{"severity": []}]}):
        with pytest.raises(jsonschema.ValidationError):
            validator.validate(bad)


def test_rdjson_counts_columns_in_utf8_bytes(cli: CliRun, noisy: Path) -> None:
    lines = (noisy / "canon/family.yaml").read_text("utf-8").splitlines()
    (number,) = [number for number, line in enumerate(lines, 1) if "Café" in line]
    plain = json.loads(report(cli, "json"))
    (ours,) = [item for item in plain if item["code"] == "JF108" and item["line"] == number]
    (theirs,) = [
        item
        for item in json.loads(report(cli, "rdjson"))["diagnostics"]
        if item["code"]["value"] == "JF108" and item["location"]["range"]["start"]["line"] == number
    ]
    line = lines[number - 1]
    start = theirs["location"]["range"]["start"]
    assert start["line"] == ours["line"]
    assert start["column"] == len(line[: ours["column"] - 1].encode("utf-8")) + 1
    assert start["column"] > ours["column"]  # "é" and "—" take more than one byte


def test_gitlab_fingerprints_are_unique_and_ignore_line_numbers(cli: CliRun, noisy: Path) -> None:
    before = json.loads(report(cli, "gitlab"))
    assert len({issue["fingerprint"] for issue in before}) == len(before)
    family = noisy / "canon/family.yaml"
    family.write_text("# a comment moves every line\n" + family.read_text("utf-8"), "utf-8")
    after = json.loads(report(cli, "gitlab"))
    assert [issue["location"]["positions"]["begin"]["line"] for issue in after] == [
        issue["location"]["positions"]["begin"]["line"] + 1 for issue in before
    ]
    assert [issue["fingerprint"] for issue in after] == [issue["fingerprint"] for issue in before]
    edited = family.read_text("utf-8").replace("builds  the", "builds  a")
    family.write_text(edited, "utf-8")
    changed = {issue["fingerprint"] for issue in json.loads(report(cli, "gitlab"))}
    assert len(changed - {issue["fingerprint"] for issue in before}) == 1


def test_gitlab_issues_carry_what_code_quality_reads(cli: CliRun, noisy: Path) -> None:
    issues = json.loads(report(cli, "gitlab"))
    severities = {issue["check_name"].split()[0]: issue["severity"] for issue in issues}
    assert severities["JF104"] == "major" and severities["JF108"] == "minor"
    for issue in issues:
        assert set(issue) >= {"description", "check_name", "fingerprint", "severity", "location"}
        assert issue["location"]["path"] == "canon/family.yaml"
        assert issue["location"]["positions"]["begin"]["line"] >= 1


def test_identical_findings_get_distinct_fingerprints(cli: CliRun, canon_dir: Path) -> None:
    twice = FAMILY_YAML.replace("- Builds the thing.", "- Builds  it.\n      - Builds  it.")
    write_files(canon_dir, {"canon/family.yaml": twice})
    issues = [
        issue for issue in json.loads(report(cli, "gitlab")) if "JF108" in issue["check_name"]
    ]
    assert len(issues) == 2
    assert issues[0]["fingerprint"] != issues[1]["fingerprint"]


def test_junit_has_one_test_case_per_file(cli: CliRun, noisy: Path, tmp_path: Path) -> None:
    write_files(noisy, {"canon/info.yaml": FAMILY_YAML.replace("Example Family", "Info").replace(
        "      - Builds the thing.", "      - Builds the thing.\n      - Tests it.\n      - Ships it."
    )})  # fmt: skip
    xml = tmp_path / "junit.xml"
    xml.write_text(report(cli, "junit"), "utf-8")
    suite = next(iter(junitparser.JUnitXml.fromfile(str(xml))))
    cases = {case.name: case for case in suite}
    assert set(cases) == {"canon/family.yaml", "canon/levels.yaml", "canon/info.yaml"}
    assert (suite.tests, suite.failures, suite.errors) == (3, 1, 0)
    assert cases["canon/levels.yaml"].is_passed
    (failure,) = cases["canon/family.yaml"].result
    assert isinstance(failure, junitparser.Failure)
    assert failure.type == "error" and failure.message == "1 error, 4 warnings"
    assert "canon/family.yaml:5:3: JF104 level P9 is not defined" in failure.text
    # Information (JF106: more responsibilities than dimensions) never fails a test case.
    assert cases["canon/info.yaml"].is_passed
    assert "JF106" in cases["canon/info.yaml"].system_out


def test_junit_of_a_hostile_file_name_is_well_formed(
    cli: CliRun, canon_dir: Path, tmp_path: Path
) -> None:
    name = "canon/we\x1bird <&]]>.yaml"
    write_files(
        canon_dir, {name: FAMILY_YAML.replace("Example Family", "Other").replace("P3", "P9")}
    )
    xml = tmp_path / "junit.xml"
    xml.write_text(report(cli, "junit"), "utf-8")
    suite = next(iter(junitparser.JUnitXml.fromfile(str(xml))))
    (case,) = [case for case in suite if not case.is_passed]
    assert case.name == "canon/we\\x1bird <&]]>.yaml"
    assert case.result[0].text.startswith("canon/we\\x1bird <&]]>.yaml:5:3: JF104 ")


def test_several_outputs_from_one_run(cli: CliRun, noisy: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    result = cli(
        "check",
        "--format", "github",
        "--output", f"sarif={out}/check.sarif",
        "--output", f"junit={out}/junit.xml",
        "--output", f"json={out}/check.json",
    )  # fmt: skip
    assert result.code == 1
    assert result.out == cli("check", "--format", "github").out
    assert (out / "check.json").read_text("utf-8") == cli("check", "--format", "json").out
    sarif = json.loads((out / "check.sarif").read_text("utf-8"))
    jsonschema.Draft4Validator(json.loads(SARIF_SCHEMA.read_text("utf-8"))).validate(sarif)
    junitparser.JUnitXml.fromfile(str(out / "junit.xml"))
    mode = stat.S_IMODE((out / "check.json").stat().st_mode)
    umask = os.umask(0)
    os.umask(umask)
    assert mode == 0o666 & ~umask


def test_output_mistakes_are_usage_errors(cli: CliRun, canon_dir: Path) -> None:
    for bad in ("sarif", "yaml=out.yaml", "sarif="):
        result = cli("check", "--output", bad)
        assert result.code == 2 and "--output" in result.err, bad
    result = cli("check", "--output", "sarif=no/such/folder/x.sarif")
    assert result.code == 2
    assert result.err.startswith("jobframe-lint: --output no/such/folder/x.sarif: cannot write")
    assert not list(canon_dir.glob("**/*.sarif*"))


@pytest.mark.slow
def test_the_hostile_corpus_through_the_baseline_and_every_ci_format(tmp_path: Path) -> None:
    """Reading files again for anchors and byte columns must be as guarded as the first read:
    pipes, links to /dev/zero and huge files among them, in a memory-capped subprocess."""
    from tests.test_hostile import ALL_CASES, _applicable, _place, _run

    write_files(tmp_path, {"canon/levels.yaml": LEVELS_YAML, "canon/family.yaml": FAMILY_YAML})
    for case in (case for case in ALL_CASES if _applicable(case)):
        _place(case, tmp_path / "canon", f"{case.name}.yaml")
    outputs = [f"--output={name}=out.{name}" for name in ("rdjson", "gitlab", "junit", "sarif")]
    for args in (("--write-baseline",), ()):
        run = _run("check", "canon", *args, *outputs, cwd=tmp_path)
        assert "Traceback" not in run.err, run.err[-2000:]
        assert run.code == 0, run.err[-2000:]
        assert "findings baselined" in run.out
    for name in ("rdjson", "gitlab", "sarif"):
        json.loads((tmp_path / f"out.{name}").read_text("utf-8"))
    junitparser.JUnitXml.fromfile(str(tmp_path / "out.junit"))


def test_the_readme_documents_the_gitlab_severities() -> None:
    from jobframe_lint.diagnostics import Severity
    from jobframe_lint.reporters.gitlab import SEVERITIES
    from tests.conftest import ROOT

    readme = " ".join((ROOT / "README.md").read_text("utf-8").split())
    words = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "information"}
    for severity, name in SEVERITIES.items():
        assert f"{words[severity]} → `{name}`" in readme
