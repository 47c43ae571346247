"""The commands as functions: the same findings, pages and diff the command line shows."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from jobframe_lint import api
from jobframe_lint.diff.model import Kind
from jobframe_lint.frames.render_json import render_json
from tests.conftest import FAMILY_YAML, Run, git, write_files


def test_check_returns_what_the_command_reports(canon_dir: Path, cli: Callable[..., Run]) -> None:
    write_files(canon_dir, {"canon/family.yaml": FAMILY_YAML.replace("rubrics:", "rubric:")})
    found = api.check()
    shown = json.loads(cli("check", "--format", "json").out)
    assert [(item.path, item.span.start.line, item.code) for item in found] == [
        (item["path"], item["line"], item["code"]) for item in shown
    ]
    assert [item.code for item in api.check(["canon"], select="JF002")] == ["JF002"]
    with pytest.raises(api.UsageError):
        api.check(["missing"])


def test_render_returns_the_pages_the_command_shows(
    canon_dir: Path, cli: Callable[..., Run]
) -> None:
    second = FAMILY_YAML.replace("Example Family", "Another").replace("P3:", "P9:")  # refused
    write_files(canon_dir, {"canon/another.yaml": second})
    pages = api.render()
    assert [(page.family, page.code) for page in pages] == [("Example Family", "P3")]
    assert json.loads(render_json(pages)) == json.loads(cli("render", "--format", "json").out)
    assert render_json(api.render(family="example family", level="p3")) == render_json(pages)
    with pytest.raises(api.UsageError):
        api.render(family="Nobody")


def test_diff_returns_the_comparison(git_repo: Path) -> None:
    family = git_repo / "canon/family.yaml"
    family.write_text(FAMILY_YAML.replace("Builds the thing.", "Ships the thing."), "utf-8")
    found = api.diff()
    assert [(page.family, page.code) for page in found.pages] == [("Example Family", "P3")]
    assert found.count(Kind.CHANGED) == 6
    git(git_repo, "add", "-A")
    assert api.diff(staged=True).pages[0].family == "Example Family"
    assert api.diff(head="HEAD").empty
    with pytest.raises(api.UsageError):
        api.diff(base="no-such-revision")
