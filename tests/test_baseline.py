"""``check --write-baseline`` and the ``baseline`` setting: adopting the gate on a canon with
history, findings keyed by file, code, field and text rather than by line."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from tests.conftest import FAMILY_YAML, Run, write_files

CliRun = Callable[..., Run]
BASELINE = "jobframe-baseline.json"
SARIF_SCHEMA = Path(__file__).with_name("sarif-schema-2.1.0.json")

# Two findings with history: a doubled space (JF108, warning) and a level no guide defines
# (JF104, error); the run fails on them until they are baselined.
HISTORY = FAMILY_YAML.replace("Builds the thing.", "Builds  the thing.").replace(
    "levels:\n  P3:", "levels:\n  P9:\n    responsibilities: [Plans.]\n  P3:"
)


def codes(result: Run) -> list[str]:
    return [item["code"] for item in json.loads(result.out)]


def family(canon_dir: Path) -> Path:
    return canon_dir / "canon" / "family.yaml"


def with_history(canon_dir: Path) -> Path:
    write_files(canon_dir, {"canon/family.yaml": HISTORY})
    return canon_dir


def test_a_written_baseline_silences_todays_findings_and_says_how_many(
    cli: CliRun, canon_dir: Path
) -> None:
    with_history(canon_dir)
    before = cli("check", "--format", "json")
    assert before.code == 1
    assert sorted(codes(before)) == ["JF102", "JF102", "JF104", "JF108"]

    written = cli("check", "--write-baseline")
    assert written.code == 0
    assert written.out == "All checks passed (2 files; 4 findings baselined).\n"
    assert f"{BASELINE}: 4 findings baselined" in written.err
    entries = json.loads((canon_dir / BASELINE).read_text("utf-8"))["entries"]
    assert {
        "path": "canon/family.yaml",
        "code": "JF108",
        "field": "levels.P3.responsibilities[]",
        "text": "Builds  the thing.",
        "count": 1,
    } in entries
    assert all("line" not in entry for entry in entries)

    again = cli("check")
    assert (again.code, again.out) == (0, "All checks passed (2 files; 4 findings baselined).\n")
    assert cli("check", "--statistics").out == again.out


def test_edits_elsewhere_keep_entries_matching_and_a_new_finding_is_reported(
    cli: CliRun, canon_dir: Path
) -> None:
    with_history(canon_dir)
    cli("check", "--write-baseline")
    text = family(canon_dir).read_text("utf-8")
    # Every line moves; a new level P5 brings new findings of the same codes.
    moved = "# adopted with a baseline\n# see the README\n" + text.replace(
        "levels:\n", "levels:\n  P5:\n    responsibilities: [Runs  it.]\n"
    )
    family(canon_dir).write_text(moved, "utf-8")
    result = cli("check", "--format", "json")
    new = json.loads(result.out)
    assert result.code == 1
    assert sorted((item["code"], item["line"]) for item in new) == [
        ("JF102", 7), ("JF102", 7), ("JF104", 7), ("JF108", 8)
    ]  # fmt: skip
    summary = cli("check").out.splitlines()[-1]
    assert summary == "Found 1 error and 3 warnings in 1 file (4 more baselined)."


def test_an_edited_text_is_a_new_finding(cli: CliRun, canon_dir: Path) -> None:
    with_history(canon_dir)
    cli("check", "--write-baseline")
    text = family(canon_dir).read_text("utf-8")
    family(canon_dir).write_text(text.replace("Builds  the thing.", "Builds  a thing."), "utf-8")
    found = json.loads(cli("check", "--format", "json").out)
    assert [(item["code"], item["line"]) for item in found if item["code"] != "JF100"] == [
        ("JF108", 9)
    ]


def test_identical_findings_are_counted(cli: CliRun, canon_dir: Path) -> None:
    write_files(canon_dir, {"canon/family.yaml": FAMILY_YAML.replace(
        "- Builds the thing.", "- Builds  it.\n      - Builds  it."
    )})  # fmt: skip
    cli("check", "--write-baseline")
    (entry,) = json.loads((canon_dir / BASELINE).read_text("utf-8"))["entries"][-1:]
    assert (entry["code"], entry["count"]) == ("JF108", 2)
    text = family(canon_dir).read_text("utf-8")
    family(canon_dir).write_text(
        text.replace("- Builds  it.", "- Builds  it.\n      - Builds  it.", 1), "utf-8"
    )
    assert [item for item in codes(cli("check", "--format", "json")) if item == "JF108"] == [
        "JF108"
    ]


def test_a_stale_entry_is_reported_at_its_line_and_dropped_on_the_next_write(
    cli: CliRun, canon_dir: Path
) -> None:
    with_history(canon_dir)
    cli("check", "--write-baseline")
    text = family(canon_dir).read_text("utf-8")
    family(canon_dir).write_text(text.replace("Builds  the thing.", "Builds the thing."), "utf-8")
    result = cli("check", "--format", "json")
    assert result.code == 0
    (stale,) = json.loads(result.out)
    lines = (canon_dir / BASELINE).read_text("utf-8").splitlines()
    assert stale["code"] == "JF100" and stale["severity"] == "info"
    assert stale["path"] == BASELINE and '"JF108"' in lines[stale["line"] - 1]
    assert "levels.P3.responsibilities[]" in stale["message"]
    assert cli("check", "--ignore", "JF100", "--format", "json").out == "[]\n"

    cli("check", "--write-baseline")
    assert '"JF108"' not in (canon_dir / BASELINE).read_text("utf-8")
    assert cli("check").out == "All checks passed (2 files; 3 findings baselined).\n"


def test_a_run_over_some_files_or_rules_keeps_the_other_entries(
    cli: CliRun, canon_dir: Path
) -> None:
    with_history(canon_dir)
    write_files(canon_dir, {"canon/other.yaml": HISTORY.replace("Example Family", "Other")})
    cli("check", "--write-baseline")
    before = json.loads((canon_dir / BASELINE).read_text("utf-8"))["entries"]
    # Fixing one file and re-writing from a run over it alone, or over one rule, keeps
    # the other file's entries and the other rules' entries: they were not judged.
    text = family(canon_dir).read_text("utf-8")
    family(canon_dir).write_text(text.replace("Builds  the thing.", "Builds the thing."), "utf-8")
    assert cli("check", "canon/other.yaml", "--format", "json").out == "[]\n"
    cli("check", "--select", "JF104", "--write-baseline")
    assert json.loads((canon_dir / BASELINE).read_text("utf-8"))["entries"] == before
    cli("check", "canon/family.yaml", "--write-baseline")
    after = json.loads((canon_dir / BASELINE).read_text("utf-8"))["entries"]
    assert [entry for entry in before if entry not in after] == [
        entry
        for entry in before
        if entry["path"] == "canon/family.yaml" and entry["code"] == "JF108"
    ]


def test_the_baseline_setting_is_relative_to_the_configuration(
    cli: CliRun, canon_dir: Path, monkeypatch: Any
) -> None:
    with_history(canon_dir)
    write_files(
        canon_dir,
        {"jobframe-lint.toml": 'canon = "canon"\nbaseline = "ci/known.json"\n', "ci/.keep": ""},
    )
    cli("check", "--write-baseline")
    assert (canon_dir / "ci" / "known.json").is_file()
    assert not (canon_dir / BASELINE).exists()
    monkeypatch.chdir(canon_dir / "canon")
    assert cli("check").out == "All checks passed (2 files; 4 findings baselined).\n"


def test_a_damaged_baseline_is_a_usage_error_naming_it(cli: CliRun, canon_dir: Path) -> None:
    for damaged in ("{", '{"version": 1, "entries": [{"path": 3}]}', "[]"):
        (canon_dir / BASELINE).write_text(damaged, "utf-8")
        result = cli("check")
        assert result.code == 2
        assert result.err.startswith(f"jobframe-lint: {BASELINE}: not a jobframe-lint baseline")
        assert "Traceback" not in result.err
    (canon_dir / BASELINE).write_text('{"version": 1, "entries": [{"path": "a.yaml"}]}', "utf-8")
    result = cli("check")
    assert result.err.endswith(
        "(an entry without code, field, text, count); `check --write-baseline` writes a new one\n"
    )
    write_files(canon_dir, {"jobframe-lint.toml": "baseline = 3\n"})
    assert "baseline: expected the path of the baseline file" in cli("check").err


def test_without_a_baseline_nothing_is_written(cli: CliRun, canon_dir: Path) -> None:
    with_history(canon_dir)
    assert cli("check").code == 1
    assert not (canon_dir / BASELINE).exists()


def test_baselined_findings_are_suppressed_results_in_sarif(cli: CliRun, canon_dir: Path) -> None:
    with_history(canon_dir)
    cli("check", "--write-baseline")
    text = family(canon_dir).read_text("utf-8")
    family(canon_dir).write_text(text.replace("[Plans.]", "[Plans  ahead.]"), "utf-8")
    result = cli("check", "--format", "sarif")
    log = json.loads(result.out)
    schema = json.loads(SARIF_SCHEMA.read_text("utf-8"))
    jsonschema.Draft4Validator(schema).validate(log)
    results = log["runs"][0]["results"]
    suppressed = [item for item in results if item.get("suppressions")]
    assert len(suppressed) == 4
    assert all(item["suppressions"][0]["kind"] == "external" for item in suppressed)
    assert [item["ruleId"] for item in results if "suppressions" not in item] == ["JF108"]
    assert result.code == 0  # a new warning does not fail the run


def test_entries_of_a_deleted_file_are_stale_whatever_the_run_covers(
    cli: CliRun, canon_dir: Path
) -> None:
    with_history(canon_dir)
    write_files(canon_dir, {"canon/other.yaml": HISTORY.replace("Example Family", "Other")})
    cli("check", "--write-baseline")
    (canon_dir / "canon" / "other.yaml").unlink()
    stale = json.loads(cli("check", "canon/family.yaml", "--format", "json").out)
    assert {item["code"] for item in stale} == {"JF100"}
    assert all("canon/other.yaml" in item["message"] for item in stale)
    cli("check", "canon/family.yaml", "--write-baseline")
    assert "other.yaml" not in (canon_dir / BASELINE).read_text("utf-8")
    assert cli("check").out == "All checks passed (2 files; 4 findings baselined).\n"


def test_only_files_with_entries_of_a_findings_code_are_read_again(
    cli: CliRun, canon_dir: Path, monkeypatch: Any
) -> None:
    import jobframe_lint.anchors

    with_history(canon_dir)
    cli("check", "--write-baseline")
    write_files(canon_dir, {"canon/new.yaml": HISTORY.replace("Example Family", "New")})
    read: list[str] = []
    located = jobframe_lint.anchors.Anchors._located

    def counting(self: Any, path: str) -> Any:
        read.append(path)
        return located(self, path)

    monkeypatch.setattr(jobframe_lint.anchors.Anchors, "_located", counting)
    found = json.loads(cli("check", "--format", "json").out)
    assert {item["path"] for item in found} == {"canon/new.yaml"}
    assert set(read) == {"canon/family.yaml"}


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="file names there are Unicode")
def test_a_file_name_that_is_not_utf8_is_kept_and_matched(cli: CliRun, canon_dir: Path) -> None:
    canon = bytes(canon_dir / "canon")
    Path(os.fsdecode(canon + b"/fam-\xff.yaml")).write_text(HISTORY, "utf-8")
    (canon_dir / "canon" / "family.yaml").unlink()
    assert cli("check", "--write-baseline").code == 0
    (canon_dir / BASELINE).read_text("utf-8")  # still UTF-8 JSON
    assert cli("check").out == "All checks passed (2 files; 4 findings baselined).\n"
