"""The pre-commit hooks, proven with the real pre-commit framework.

The slow tests install the hooks the way a user's pre-commit does: into a virtualenv,
pip-installing this project from a git repository. That repository is a snapshot of this
checkout (tracked and new files, as they are on disk), so uncommitted work is what gets
tested. ``PRE_COMMIT_HOME`` is private to the test session, so hook environments are built
once per session (``try-repo`` always builds its own) and nothing outside is touched.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from tests.conftest import FAMILY_YAML, LEVELS_YAML, ROOT, write_files

MANIFEST = ROOT / ".pre-commit-hooks.yaml"
CONFIG = ROOT / ".pre-commit-config.yaml"


def pre_commit(*args: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["pre-commit", *args, "--color", "never"],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def git(cwd: Path, env: dict[str, str], *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True, timeout=60)


@pytest.fixture(scope="session")
def hook_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Hermetic git identity and configuration, and a private pre-commit store."""
    env = dict(os.environ)
    env.update(
        PRE_COMMIT_HOME=str(tmp_path_factory.mktemp("pre-commit-home")),
        GIT_CONFIG_GLOBAL=os.devnull,
        GIT_CONFIG_NOSYSTEM="1",
    )
    for role in ("AUTHOR", "COMMITTER"):
        env[f"GIT_{role}_NAME"] = "Test"
        env[f"GIT_{role}_EMAIL"] = "test@example.com"
    return env


@pytest.fixture(scope="session")
def hook_source(tmp_path_factory: pytest.TempPathFactory, hook_env: dict[str, str]) -> Path:
    """This checkout as it is on disk, committed: what pre-commit clones and installs."""
    if not (ROOT / ".git").exists():
        pytest.skip("needs a git checkout of the project")
    listing = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout
    target = tmp_path_factory.mktemp("hook-source")
    for name in dict.fromkeys(listing.decode().split("\0")):
        source = ROOT / name
        if name and (source.exists() or source.is_symlink()):
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name, follow_symlinks=False)
    git(target, hook_env, "init", "-q")
    git(target, hook_env, "add", "-A")
    git(target, hook_env, "commit", "-q", "-m", "snapshot")
    return target


@pytest.fixture
def user_repo(tmp_path: Path, hook_env: dict[str, str]) -> Path:
    """A user's repository with a small valid canon, committed."""
    write_files(tmp_path, {"canon/levels.yaml": LEVELS_YAML, "canon/family.yaml": FAMILY_YAML})
    git(tmp_path, hook_env, "init", "-q")
    git(tmp_path, hook_env, "add", "-A")
    git(tmp_path, hook_env, "commit", "-q", "-m", "canon")
    return tmp_path


def use_hooks(repo: Path, source: Path, *hooks: str) -> Path:
    """A config pointing at the snapshot, as a user's ``.pre-commit-config.yaml`` would."""
    rev = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=source, capture_output=True, text=True, check=True
    ).stdout.strip()
    config = {"repos": [{"repo": str(source), "rev": rev, "hooks": [{"id": h} for h in hooks]}]}
    path = repo.parent / f"{repo.name}-pre-commit-config.yaml"
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    return path


def test_manifest_and_config_are_valid(hook_env: dict[str, str]) -> None:
    for command, path in (("validate-manifest", MANIFEST), ("validate-config", CONFIG)):
        done = subprocess.run(
            ["pre-commit", command, str(path)],
            env=hook_env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, done.stdout + done.stderr


def test_hooks_read_the_whole_canon_and_run_on_deletions() -> None:
    hooks = {hook["id"]: hook for hook in yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))}
    assert set(hooks) == {"jobframe-lint", "jobframe-preview", "jobframe-format", "jobframe-render"}
    for hook in (hooks["jobframe-lint"], hooks["jobframe-preview"], hooks["jobframe-render"]):
        assert hook["pass_filenames"] is False, "cross-file rules need every canon file"
        assert hook["always_run"] is True, "pre-commit never passes a deleted file"
        assert hook["files"] == "^canon/"
    assert hooks["jobframe-preview"]["verbose"] is True
    assert "--staged" in hooks["jobframe-preview"]["entry"]
    assert hooks["jobframe-lint"]["entry"] == "jobframe-lint check --staged"


@pytest.mark.slow
def test_try_repo_fails_on_broken_canon_with_a_location(
    user_repo: Path, hook_source: Path, hook_env: dict[str, str]
) -> None:
    write_files(user_repo, {"canon/family.yaml": FAMILY_YAML.replace("rubrics:", "rubrics: [")})
    git(user_repo, hook_env, "add", "canon/family.yaml")  # the hook judges the index
    done = pre_commit(
        "try-repo", str(hook_source), "jobframe-lint", "--all-files", cwd=user_repo, env=hook_env
    )
    assert done.returncode == 1, done.stdout + done.stderr
    assert "jobframe-lint check" in done.stdout and "Failed" in done.stdout
    assert "canon/family.yaml:" in done.stdout and ": JF001 " in done.stdout


@pytest.mark.slow
def test_check_hook_passes_on_valid_canon_and_catches_a_deleted_level_guide(
    user_repo: Path, hook_source: Path, hook_env: dict[str, str]
) -> None:
    config = use_hooks(user_repo, hook_source, "jobframe-lint")
    done = pre_commit("run", "--config", str(config), "--all-files", cwd=user_repo, env=hook_env)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Passed" in done.stdout

    git(user_repo, hook_env, "rm", "-q", "canon/levels.yaml")  # no staged file left to pass
    done = pre_commit("run", "--config", str(config), cwd=user_repo, env=hook_env)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "canon/family.yaml:5:3: JF104 " in done.stdout


@pytest.mark.slow
def test_preview_prints_the_staged_diff_and_never_fails(
    user_repo: Path, hook_source: Path, hook_env: dict[str, str]
) -> None:
    config = use_hooks(user_repo, hook_source, "jobframe-preview")
    family = user_repo / "canon/family.yaml"
    family.write_text(FAMILY_YAML.replace("Builds the thing.", "Ships the thing."), "utf-8")
    git(user_repo, hook_env, "add", "canon/family.yaml")
    family.write_text(FAMILY_YAML.replace("Builds the thing.", "Not staged."), "utf-8")
    done = pre_commit("run", "--config", str(config), cwd=user_repo, env=hook_env)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Frame diff: HEAD → index" in done.stdout
    assert '~ Goal 1 · Specific: Deliver: "[-Builds-]{+Ships+} the thing."' in done.stdout
    assert "Not staged" not in done.stdout

    family.write_text("kind: family\nfamily: [\n", "utf-8")
    git(user_repo, hook_env, "add", "canon/family.yaml")
    done = pre_commit("run", "--config", str(config), cwd=user_repo, env=hook_env)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Not compared: canon/family.yaml (index)" in done.stdout


@pytest.mark.slow
def test_format_hook_rewrites_staged_canon_files_and_then_passes(
    user_repo: Path, hook_source: Path, hook_env: dict[str, str]
) -> None:
    config = use_hooks(user_repo, hook_source, "jobframe-format")
    family = user_repo / "canon/family.yaml"
    messy = "# keep me\nfamily: Example Family\nkind: family   # the kind\nlevels: {P3: {responsibilities: [Builds.]}}\n"
    family.write_text(messy, "utf-8")
    (user_repo / "notes.yaml").write_text("b: 1\na:   [x]\n", "utf-8")  # not canon
    git(user_repo, hook_env, "add", "-A")
    done = pre_commit("run", "--config", str(config), cwd=user_repo, env=hook_env)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "files were modified by this hook" in done.stdout
    assert "reformatted: canon/family.yaml" in done.stdout
    assert family.read_text("utf-8") == (
        "# keep me\nkind: family  # the kind\nfamily: Example Family\nlevels:\n"
        "  P3:\n    responsibilities:\n      - Builds.\n"
    )
    assert (user_repo / "notes.yaml").read_text("utf-8") == "b: 1\na:   [x]\n"

    git(user_repo, hook_env, "add", "-A")
    done = pre_commit("run", "--config", str(config), cwd=user_repo, env=hook_env)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Passed" in done.stdout

    family.write_text("kind: family\nfamily: [\n", "utf-8")
    git(user_repo, hook_env, "add", "-A")
    done = pre_commit("run", "--config", str(config), cwd=user_repo, env=hook_env)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "canon/family.yaml:3:1: JF001 " in done.stdout
    assert family.read_text("utf-8") == "kind: family\nfamily: [\n"


def test_check_hook_judges_what_the_commit_contains(
    user_repo: Path, hook_source: Path, hook_env: dict[str, str]
) -> None:
    """An untracked draft does not fail a commit without it; a staged break does, even
    when the file on disk has been mended since (pre-commit leaves untracked files and,
    with --all-files, unstaged edits in place)."""
    config = use_hooks(user_repo, hook_source, "jobframe-lint")
    write_files(user_repo, {"canon/draft.yaml": "kind: family\nfamily: [\n"})
    family = user_repo / "canon/family.yaml"
    family.write_text(FAMILY_YAML.replace("Builds the thing.", "Ships the thing."), "utf-8")
    git(user_repo, hook_env, "add", "canon/family.yaml")
    done = pre_commit("run", "--config", str(config), cwd=user_repo, env=hook_env)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "draft.yaml" not in done.stdout
    git(user_repo, hook_env, "commit", "-q", "-m", "edit")

    family.write_text(FAMILY_YAML.replace("rubrics:", "rubrics: ["), "utf-8")
    git(user_repo, hook_env, "add", "canon/family.yaml")
    family.write_text(FAMILY_YAML, "utf-8")  # mended on disk, not staged
    done = pre_commit("run", "--config", str(config), "--all-files", cwd=user_repo, env=hook_env)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "canon/family.yaml:" in done.stdout and ": JF001 " in done.stdout
    assert "draft.yaml" not in done.stdout


def test_render_hook_keeps_committed_pages_in_step(
    user_repo: Path, hook_source: Path, hook_env: dict[str, str]
) -> None:
    """Pages written and the hook failed (pre-commit's convention); in step, it passes; a
    canon edit changes the page; a page whose family is gone is removed."""
    config = use_hooks(user_repo, hook_source, "jobframe-render")
    page = user_repo / "frames/example-family/P3.md"
    done = pre_commit("run", "--config", str(config), cwd=user_repo, env=hook_env)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "wrote frames/example-family/P3.md" in done.stdout
    assert "Builds the thing." in page.read_text("utf-8")
    git(user_repo, hook_env, "add", "-A")
    done = pre_commit("run", "--config", str(config), cwd=user_repo, env=hook_env)
    assert done.returncode == 0, done.stdout + done.stderr

    family = user_repo / "canon/family.yaml"
    family.write_text(FAMILY_YAML.replace("Example Family", "Renamed Family"), "utf-8")
    git(user_repo, hook_env, "add", "-A")
    done = pre_commit("run", "--config", str(config), cwd=user_repo, env=hook_env)
    assert done.returncode == 1, done.stdout + done.stderr
    assert not page.exists()
    assert (user_repo / "frames/renamed-family/P3.md").is_file()
