"""Which files a run reads: targets, the canon around them, each file exactly once."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from jobframe_lint.discovery import PathProblem, collect, expand
from tests.conftest import FAMILY_YAML, LEVELS_YAML, Run, write_files

CliRun = Callable[..., Run]
NO_FUNCTION = FAMILY_YAML.replace("function: Data Science & Analytics\n", "")


def test_each_file_is_read_once_whatever_its_spelling(canon_dir: Path) -> None:
    spelled = [Path("./canon/family.yaml"), (canon_dir / "canon" / "levels.yaml").resolve()]
    files = collect(spelled, Path("canon")).all()
    assert sorted(os.path.realpath(path) for path in files) == sorted(
        os.path.realpath(path) for path in spelled
    )
    assert files[-2:] == [str(path) for path in spelled]  # targets keep the user's spelling


def test_targets_default_to_the_canon_directory(canon_dir: Path) -> None:
    files = collect([], Path("canon"))
    assert files.targets == [str(Path("canon/family.yaml")), str(Path("canon/levels.yaml"))]


def test_directories_expand_to_yaml_skipping_hidden_folders(tmp_path: Path) -> None:
    for name in ("b.yml", "a.yaml", "notes.txt", ".git/x.yaml", "sub/c.yaml"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("kind: levels\n")
    assert [Path(path).relative_to(tmp_path).as_posix() for path in expand([tmp_path])] == [
        "a.yaml",
        "b.yml",
        "sub/c.yaml",
    ]


def test_missing_path_is_a_path_problem(tmp_path: Path) -> None:
    with pytest.raises(PathProblem, match="no such file or directory"):
        expand([tmp_path / "absent.yaml"])


# -- which canon a file belongs to: found from the file, never from the working directory


def _canon(root: Path, family: str = "Example Family") -> Path:
    """A valid canon in ``root/canon``, its family file under ``families/``."""
    write_files(
        root,
        {
            "canon/levels.yaml": LEVELS_YAML,
            "canon/families/x.yaml": FAMILY_YAML.replace("Example Family", family),
        },
    )
    return root / "canon"


def test_another_canon_is_not_merged_with_the_one_here(
    cli: CliRun, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    here = tmp_path / "here"
    _canon(here)
    elsewhere = _canon(tmp_path / "elsewhere")
    (elsewhere / "families" / "x.yaml").write_text(NO_FUNCTION)
    monkeypatch.chdir(here)
    result = cli("check", "--format", "json", str(elsewhere))
    found = [(item["path"], item["code"]) for item in json.loads(result.out)]
    assert found == [(str(elsewhere / "families" / "x.yaml"), "JF111")]  # no JF109 clash


@pytest.mark.parametrize("where", ["above", "inside-families", "inside-canon"])
def test_a_single_file_keeps_its_level_guide_from_anywhere(
    cli: CliRun, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    canon = _canon(tmp_path / "project")
    family = canon / "families" / "x.yaml"
    folder = {"above": tmp_path, "inside-families": family.parent, "inside-canon": canon}[where]
    monkeypatch.chdir(folder)
    result = cli("check", os.path.relpath(family))
    assert (result.code, result.out) == (0, "All checks passed (1 file).\n")
    (canon / "levels.yaml").write_text(LEVELS_YAML.replace("P3", "P4"))
    result = cli("check", "--format", "json", os.path.relpath(family))
    assert [item["code"] for item in json.loads(result.out)] == ["JF104"]


def test_the_canon_of_the_configuration_nearest_the_file(
    cli: CliRun, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_files(
        tmp_path / "project",
        {
            "pyproject.toml": '[tool.jobframe-lint]\ncanon = "hr/guides"\n',
            "hr/guides/levels.yaml": LEVELS_YAML,
            "hr/guides/families/x.yaml": FAMILY_YAML,
        },
    )
    monkeypatch.chdir(tmp_path)
    result = cli("check", "project/hr/guides/families/x.yaml")
    assert (result.code, result.out) == (0, "All checks passed (1 file).\n")


def test_two_canons_checked_together_are_judged_apart(
    cli: CliRun, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _canon(tmp_path / "a"), _canon(tmp_path / "b")  # the same family and level in each
    monkeypatch.chdir(tmp_path)
    result = cli("check", "a/canon", "b/canon/families/x.yaml")
    assert (result.code, result.out) == (0, "All checks passed (3 files).\n")


def test_the_same_file_under_two_spellings_is_checked_once(cli: CliRun, canon_dir: Path) -> None:
    absolute = str(canon_dir / "canon" / "family.yaml")
    result = cli("check", "canon/family.yaml", "./canon/family.yaml", absolute, "canon")
    assert (result.code, result.out) == (0, "All checks passed (2 files).\n")


def test_a_link_in_the_canon_to_a_target_is_that_target(canon_dir: Path) -> None:
    """Whether the walk saw the link or each file is looked at, a canon file linking to a
    target is the target: read once, not a second family of the same name (JF109)."""
    (canon_dir / "canon" / "alias.yaml").symlink_to("family.yaml")
    (canon_dir / "canon" / "sub").mkdir()
    (canon_dir / "canon" / "sub" / "family.yaml").write_text(FAMILY_YAML, "utf-8")  # its name only
    files = collect([Path("canon/family.yaml")], Path("canon"))
    assert files.links == frozenset({str(Path("canon/alias.yaml"))})
    expected = [str(Path(name)) for name in ("canon/levels.yaml", "canon/sub/family.yaml")]
    assert files.all() == [*expected, str(Path("canon/family.yaml"))]
    assert files._replace(links=None).all() == files.all()
    absolute = canon_dir / "canon" / "family.yaml"
    spelled = collect([absolute], Path("canon"))
    assert spelled.all() == [*expected, str(absolute)]
    assert spelled._replace(links=None).all() == spelled.all()
