"""Which files a run reads: targets, the canon around them, each file exactly once."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from jobframe_lint.discovery import PathProblem, collect, expand


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
