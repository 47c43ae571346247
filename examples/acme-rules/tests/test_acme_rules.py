"""ACME's rules, run by jobframe-lint as a user runs it (the plugin installed)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from jobframe_lint.cli import main

LEVELS = """\
kind: levels
dimensions: [Scope]
levels:
  P1: {title: Engineer, dimensions: {Scope: Tasks}}
  P2: {title: engineer, dimensions: {Scope: Features}}
"""
FAMILY = """\
kind: family
function: Engineering
family: Platform
levels:
  P1:
    responsibilities:
      - Leverages synergy across teams.
      - Fixes bugs in the build.
"""


def findings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> list[dict[str, object]]:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "canon").mkdir()
    (tmp_path / "canon" / "levels.yaml").write_text(LEVELS, encoding="utf-8")
    (tmp_path / "canon" / "family.yaml").write_text(FAMILY, encoding="utf-8")
    main(["check", "--no-cache", "--format", "json", "--select", "ACME900,ACME901"])
    found: list[dict[str, object]] = json.loads(capsys.readouterr().out)
    return found


def test_buzzwords_and_repeated_titles_are_reported_at_their_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    found = findings(tmp_path, monkeypatch, capsys)
    assert [(item["code"], item["path"], item["line"], item["column"]) for item in found] == [
        ("ACME900", "canon/family.yaml", 7, 9),
        ("ACME901", "canon/levels.yaml", 5, 15),
    ]
    assert found[0]["message"] == 'buzzword "synergy": say what the work is'
    assert found[1]["rule"] == "distinct-level-titles"


def test_the_rules_are_listed_with_their_distribution(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules"]) == 0
    listed = capsys.readouterr().out
    assert "ACME900  no-buzzwords" in listed
    assert "plugin 'no-buzzwords' (acme-rules 1.0.0)" in listed
