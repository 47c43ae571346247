"""`check --staged`: the canon as the git index holds it, what the next commit contains."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import FAMILY_YAML, LEVELS_YAML, Run, git, write_files

CliRun = Callable[..., Run]


def codes(cli: CliRun, *args: str) -> tuple[int, list[tuple[str, str]]]:
    result = cli("check", "--staged", "--format", "json", *args)
    assert result.code in (0, 1), result.err
    return result.code, [(item["path"], item["code"]) for item in json.loads(result.out)]


def test_an_untracked_draft_is_not_judged(cli: CliRun, git_repo: Path) -> None:
    write_files(git_repo, {"canon/draft.yaml": "kind: family\nfamily: [\n"})
    assert codes(cli) == (0, [])
    assert cli("check").code == 1  # on disk it is there


def test_the_staged_bytes_are_judged_not_the_file_on_disk(cli: CliRun, git_repo: Path) -> None:
    family = git_repo / "canon" / "family.yaml"
    family.write_text(FAMILY_YAML.replace("rubrics:", "rubrics: ["))
    git(git_repo, "add", "canon/family.yaml")
    family.write_text(FAMILY_YAML)  # mended, not staged
    assert cli("check").code == 0
    assert codes(cli) == (1, [("canon/family.yaml", "JF001")])
    git(git_repo, "add", "canon/family.yaml")
    assert codes(cli) == (0, [])


def test_a_staged_deletion_of_the_level_guide(cli: CliRun, git_repo: Path) -> None:
    git(git_repo, "rm", "-q", "--cached", "canon/levels.yaml")  # still on disk
    assert codes(cli) == (1, [("canon/family.yaml", "JF104")])


def test_from_a_subfolder_with_a_file_named(
    cli: CliRun, git_repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_files(git_repo, {"canon/families/x.yaml": FAMILY_YAML.replace("Example", "Other")})
    git(git_repo, "add", "-A")
    write_files(git_repo, {"canon/levels.yaml": LEVELS_YAML.replace("P3", "P4")})  # unstaged
    monkeypatch.chdir(git_repo / "canon" / "families")
    assert codes(cli, "x.yaml") == (0, [])
    assert cli("check", os.curdir).code == 1


def test_the_cache_does_not_confuse_the_index_with_the_disk(cli: CliRun, git_repo: Path) -> None:
    family = git_repo / "canon" / "family.yaml"
    family.write_text(FAMILY_YAML.replace("rubrics:", "rubrics: ["))
    git(git_repo, "add", "canon/family.yaml")
    family.write_text(FAMILY_YAML)
    for _ in range(2):
        assert cli("check").code == 0
        assert codes(cli)[0] == 1


def test_outside_a_repository_is_a_usage_error(cli: CliRun, canon_dir: Path) -> None:
    result = cli("check", "--staged")
    assert result.code == 2
    assert result.err.startswith("jobframe-lint: --staged: not a git repository")


def test_nothing_staged_is_no_canon_files(cli: CliRun, git_repo: Path) -> None:
    git(git_repo, "rm", "-q", "-r", "--cached", "canon")
    result = cli("check", "--staged")
    assert (result.code, result.err) == (
        2,
        "jobframe-lint: no canon files under canon (*.yaml, *.yml)\n",
    )


def test_staged_and_fix_are_not_both_taken(cli: CliRun, git_repo: Path) -> None:
    result = cli("check", "--staged", "--fix")
    assert result.code == 2 and "not both" in result.err
