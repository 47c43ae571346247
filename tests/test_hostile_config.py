"""Hostile configuration: every bad file is exit 2 naming the file and the key, in bounded
time, and a file above the repository cannot decide a run inside it."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from jobframe_lint.globs import Glob, GlobError
from tests.conftest import FAMILY_YAML, LEVELS_YAML, Run, git, run_process, write_files
from tests.hostile.cases import (
    CONFIG_CASES,
    DEEP_FAMILY,
    FILESYSTEM_CASES,
    LONG_NAME,
    Case,
    ConfigCase,
    can_bypass_permissions,
    unreadable,
)

# A family with a JF102 warning (a rubric missing) for the globs to be asked about.
UNRUBRICKED = FAMILY_YAML.replace("      knowledge-application: Applies knowledge.\n", "")
# A family with a JF105 error (a responsibility twice).
DUPLICATED = FAMILY_YAML.replace(
    "- Builds the thing.", "- Builds the thing.\n      - Builds the thing."
)


@pytest.mark.parametrize("case", CONFIG_CASES, ids=[case.name for case in CONFIG_CASES])
def test_each_hostile_configuration(case: ConfigCase, canon_dir: Path) -> None:
    write_files(
        canon_dir,
        {"jobframe-lint.toml": case.text, DEEP_FAMILY: UNRUBRICKED, LONG_NAME: UNRUBRICKED},
    )
    done = run_process("check", "--no-cache", cwd=canon_dir, timeout=60)
    assert "Traceback" not in done.err and "Warning" not in done.err, done.err
    if case.error is None:
        assert done.code == 1
        assert f"{DEEP_FAMILY}:" in done.out and f"{LONG_NAME}:" in done.out
    else:
        assert (done.code, done.out) == (2, "")
        assert done.err.startswith(f"jobframe-lint: {case.error}"), done.err
        assert done.err.count("\n") == 1


@pytest.mark.parametrize("case", FILESYSTEM_CASES, ids=[case.name for case in FILESYSTEM_CASES])
def test_a_configuration_file_that_is_not_a_plain_file(case: Case, canon_dir: Path) -> None:
    """Read as canon files are: a 20 GB file is refused unread, a FIFO or a device is not a
    configuration file, and none of them hangs the run."""
    if unreadable(case) and can_bypass_permissions():
        pytest.skip("running as root: permissions cannot make a file unreadable")
    case.make(canon_dir / "pyproject.toml")
    done = run_process("check", "--no-cache", cwd=canon_dir, timeout=60)
    assert "Traceback" not in done.err
    assert done.code in (0, 2), done.err
    assert done.code == 0 or done.err.startswith("jobframe-lint: pyproject.toml"), done.err


def _backtracking(pattern: str) -> re.Pattern[str]:
    """The regular expression globs were translated to before: the reference for what a
    glob means, on inputs small enough for it to answer."""
    parts = []
    for token in re.findall(r"\*\*/|\*\*|\*|\?|\[[^\]]*\]|[^*?\[]+|\[", pattern):
        if token == "**/":
            parts.append("(?:.*/)?")
        elif token == "**":
            parts.append(".*")
        elif token == "*":
            parts.append("[^/]*")
        elif token == "?":
            parts.append("[^/]")
        elif token.startswith("[") and token.endswith("]") and len(token) > 2:
            members = token[1:-1].replace("\\", "\\\\")
            parts.append("[" + ("^" + members[1:] if members.startswith("!") else members) + "]")
        else:
            parts.append(re.escape(token))
    return re.compile("".join(parts))


_GLOB_PIECES = st.sampled_from(["**/", "**", "*", "?", "[ab]", "[!a]", "a", "b", "/", ".", "["])
_PATH_PIECES = st.sampled_from(["a", "b", "/", ".", "c"])


@given(
    st.lists(_GLOB_PIECES, max_size=7).map("".join), st.lists(_PATH_PIECES, max_size=8).map("".join)
)
def test_globs_mean_what_they_meant(pattern: str, path: str) -> None:
    try:
        glob = Glob(pattern)
    except GlobError:  # `[[ab]`: Python warns that later versions will read it otherwise
        assume(False)
    assert glob.matches(path) == bool(_backtracking(pattern).fullmatch(path))


@pytest.mark.parametrize(
    ("pattern", "path", "matched"),
    [
        ("**/x.yaml", "x.yaml", True),
        ("**/x.yaml", "a/b/x.yaml", True),
        ("**/x.yaml", "a/bx.yaml", False),
        ("canon/*.yaml", "canon/a/b.yaml", False),
        ("canon/**", "canon/a/b.yaml", True),
        ("[]", "[]", True),
        ("a[", "a[", True),
        ("[!a].yaml", "b.yaml", True),
    ],
)
def test_glob_examples(pattern: str, path: str, matched: bool) -> None:
    assert Glob(pattern).matches(path) is matched


def _layout(root: Path) -> Path:
    """A shared folder above a checkout, holding a configuration that ignores the error of
    the checkout's canon. Returns the checkout."""
    write_files(
        root,
        {
            "shared/jobframe-lint.toml": 'ignore = ["JF105"]\n',
            "shared/repo/canon/family.yaml": DUPLICATED,
            "shared/repo/canon/levels.yaml": LEVELS_YAML,
        },
    )
    return root / "shared" / "repo"


@pytest.mark.usefixtures("hermetic_git")
def test_a_configuration_above_the_repository_is_not_used(
    tmp_path: Path, cli: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = _layout(tmp_path)
    git(repo, "init", "-q")
    monkeypatch.chdir(repo)
    assert cli("check", "--no-cache").code == 1


def test_a_worktree_root_stops_the_walk_too(
    tmp_path: Path, cli: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A linked worktree or a submodule has a ``.git`` file, not a folder."""
    repo = _layout(tmp_path)
    (repo / ".git").write_text("gitdir: /elsewhere/.git/worktrees/repo\n", encoding="utf-8")
    monkeypatch.chdir(repo)
    assert cli("check", "--no-cache").code == 1


def test_outside_any_repository_the_walk_goes_up(
    tmp_path: Path, cli: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(_layout(tmp_path))
    assert cli("check", "--no-cache").code == 0
