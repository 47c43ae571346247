"""``check --statistics`` and ``--quiet`` (as ruff's), ``schema`` and ``clean``."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import jsonschema
import pytest
import yaml

from jobframe_lint.cache import CACHE_DIR
from tests.conftest import FAMILY_YAML, ROOT, Run, write_files

CliRun = Callable[..., Run]

# Three JF108 (fixable), two JF102, one JF104 and one JF106 (not fixable).
MESSY = FAMILY_YAML.replace("- Builds the thing.", "- Builds  it.\n      - Tests  it.\n      - Ships  it.").replace(
    "levels:\n  P3:", "levels:\n  P9:\n    responsibilities: [Plans.]\n  P3:"
)  # fmt: skip


def messy(canon_dir: Path) -> Path:
    return write_files(canon_dir, {"canon/family.yaml": MESSY})


def test_statistics_count_findings_per_rule_as_ruff_prints_them(
    cli: CliRun, canon_dir: Path
) -> None:
    messy(canon_dir)
    result = cli("check", "--statistics")
    assert result.code == 1  # the exit status is the run's, whatever is printed
    assert result.out == (
        "3\tJF108\t[*] whitespace\n"
        "2\tJF102\t[ ] missing-rubric\n"
        "1\tJF104\t[ ] unknown-level\n"
        "1\tJF106\t[ ] kr-shortfall\n"
        "Found 1 error, 5 warnings and 1 info in 1 file.\n"
    )
    assert (
        cli("check", "--statistics", "--quiet").out.splitlines()[-1] == "1\tJF106\t[ ] kr-shortfall"
    )


def test_statistics_in_json(cli: CliRun, canon_dir: Path) -> None:
    messy(canon_dir)
    rows = json.loads(cli("check", "--statistics", "--format", "json").out)
    assert rows[0] == {
        "code": "JF108",
        "name": "whitespace",
        "count": 3,
        "fixable": True,
        "fixable_count": 3,
    }
    assert [(row["code"], row["count"], row["fixable"]) for row in rows[1:]] == [
        ("JF102", 2, False),
        ("JF104", 1, False),
        ("JF106", 1, False),
    ]
    assert (
        json.loads(cli("check", "--statistics", "--format", "json", "--select", "JF101").out) == []
    )


def test_statistics_in_another_format_is_a_usage_error(cli: CliRun, canon_dir: Path) -> None:
    result = cli("check", "--statistics", "--format", "sarif")
    assert (result.code, result.out) == (2, "")
    assert result.err == "jobframe-lint: --statistics prints text or json, not sarif\n"


def test_quiet_prints_the_findings_and_nothing_else(cli: CliRun, canon_dir: Path) -> None:
    messy(canon_dir)
    loud = cli("check", "--color", "never")
    quiet = cli("check", "--color", "never", "--quiet")
    assert quiet.code == loud.code == 1
    assert quiet.out == "".join(line + "\n" for line in loud.out.splitlines()[:-1])
    assert cli("check", "-q", "--select", "JF101").out == ""
    fixed = cli("check", "--fix", "-q")
    assert (fixed.err, fixed.out.count("JF108")) == ("", 0)
    assert "JF104" in fixed.out


def test_schema_prints_the_schema_check_validates_against(cli: CliRun, canon_dir: Path) -> None:
    for kind, sample in (("levels", "canon/levels.yaml"), ("family", "canon/family.yaml")):
        result = cli("schema", kind)
        assert result.code == 0
        printed = json.loads(result.out)
        assert printed == json.loads((ROOT / "schema" / f"{kind}.schema.json").read_text("utf-8"))
        data = yaml.safe_load((canon_dir / sample).read_text("utf-8"))
        jsonschema.Draft202012Validator(printed).validate(data)
        data["unknown"] = 1
        assert not jsonschema.Draft202012Validator(printed).is_valid(data)
    assert cli("schema", "guide").code == 2


def test_clean_removes_every_cache_below_and_nothing_else(
    cli: CliRun, canon_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert cli("check").code == 0
    (canon_dir / "sub").mkdir()
    write_files(
        canon_dir / "sub",
        {"canon/levels.yaml": (canon_dir / "canon/levels.yaml").read_text("utf-8")},
    )
    outside = canon_dir.parent / f"{canon_dir.name}-outside"
    (outside / CACHE_DIR).mkdir(parents=True)
    (outside / CACHE_DIR / ".gitignore").write_text(
        "# Automatically created by jobframe-lint.\n*\n"
    )
    (canon_dir / "linked").symlink_to(outside, target_is_directory=True)
    mine = canon_dir / "data" / CACHE_DIR
    mine.mkdir(parents=True)  # a folder of that name that check did not make
    (mine / "notes.txt").write_text("keep me")
    monkeypatch.chdir(canon_dir / "sub")
    assert cli("check", "canon").code == 0
    monkeypatch.chdir(canon_dir)
    assert (canon_dir / CACHE_DIR).is_dir() and (canon_dir / "sub" / CACHE_DIR).is_dir()

    result = cli("clean")
    assert result.code == 0
    assert not (canon_dir / CACHE_DIR).exists() and not (canon_dir / "sub" / CACHE_DIR).exists()
    assert result.err.count("Removing cache at: ") == 2
    assert (outside / CACHE_DIR).is_dir() and (mine / "notes.txt").is_file()
    assert (canon_dir / "canon" / "family.yaml").is_file()
    assert cli("clean").err == ""
