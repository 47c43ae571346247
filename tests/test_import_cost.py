"""What a ``render`` or ``diff`` run imports: each CLI run pays for every module it loads.

``dataclasses`` (~7 ms, it imports ``inspect`` and ``ast``) and rich (~30 ms) are left to
the runs that need them: the records are ``NamedTuple``s and only the ``rich`` format
imports rich. Checked in a fresh interpreter, as a hook or CI runs the command; no timings.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import Run, git

# Runs the CLI, then lists every module the process has loaded on stderr after a marker.
PROBE = """\
import sys
from jobframe_lint.cli import main
code = main(sys.argv[1:])
sys.stdout.flush()
print("--modules--", *sorted(sys.modules), sep="\\n", file=sys.stderr)
sys.exit(code)
"""
AVOIDED = ("dataclasses", "rich")


def run_probe(cwd: Path, *args: str) -> tuple[Run, set[str]]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    err, _, modules = done.stderr.partition("--modules--\n")
    return Run(done.returncode, done.stdout, err), set(modules.split())


def avoided(modules: set[str]) -> list[str]:
    return sorted(name for name in modules if name.split(".")[0] in AVOIDED)


def test_text_render_imports_neither_dataclasses_nor_rich(canon_dir: Path) -> None:
    for _ in ("cold cache", "warm cache"):
        result, modules = run_probe(canon_dir, "render", "--format", "text")
        assert (result.code, result.err) == (0, "")
        assert result.out.startswith("Example Family — P3\n")
        assert avoided(modules) == []
    assert not {"json", "jsonschema_rs"} & modules  # warm: nothing is validated again


@pytest.mark.usefixtures("hermetic_git")
def test_text_diff_imports_neither_dataclasses_nor_rich(git_repo: Path) -> None:
    family = git_repo / "canon" / "family.yaml"
    family.write_text(
        family.read_text("utf-8").replace("Builds the thing.", "Builds the other thing."), "utf-8"
    )
    assert "family.yaml" in git(git_repo, "status", "--porcelain")
    result, modules = run_probe(git_repo, "diff", "--format", "text")
    assert (result.code, result.err) == (0, "")
    assert "~ Goal 1: Builds the {+other +}thing." in result.out
    assert avoided(modules) == []


def test_the_probe_sees_rich_where_it_is_used(canon_dir: Path) -> None:
    """The check above can fail: the rich view does import rich."""
    result, modules = run_probe(canon_dir, "render", "--format", "rich", "--color", "never")
    assert result.code == 0
    assert "rich" in avoided(modules)


def test_check_never_imports_ruamel(canon_dir: Path) -> None:
    """ruamel.yaml is the formatter's alone: `check` (cold or cached) stays as fast as it was."""
    for _ in ("cold cache", "warm cache"):
        result, modules = run_probe(canon_dir, "check")
        assert (result.code, result.err) == (0, "")
        assert not any(name.split(".")[0] == "ruamel" for name in modules)
    result, modules = run_probe(canon_dir, "format", "--check")
    assert result.code == 0, result.err
    assert "ruamel.yaml" in modules  # the probe does see it where it is used


# As PROBE, with every file counting as long settled: the cache's stamps vouch at once.
SETTLED_PROBE = PROBE.replace(
    "from jobframe_lint.cli import main",
    "import jobframe_lint.lint\njobframe_lint.lint.SETTLED_NS = -(10**12)\nfrom jobframe_lint.cli import main",
)
# What a check answered from the cache has no use for: OpenSSL (the cache signs and names
# with BLAKE2), argparse's help formatter's shutil, the parser and the validator.
UNNEEDED = {"_hashlib", "hashlib", "shutil", "bz2", "lzma", "yaml", "jsonschema_rs"}


def test_a_check_answered_from_the_cache_imports_no_openssl_parser_or_validator(
    canon_dir: Path,
) -> None:
    def probe(*args: str) -> set[str]:
        done = subprocess.run(
            [sys.executable, "-c", SETTLED_PROBE, "check", *args, "canon/family.yaml"],
            cwd=canon_dir,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        return set(done.stderr.partition("--modules--\n")[2].split())

    # What the interpreter has imported before the first line (site-packages' .pth files
    # may import shutil, say) is no cost of a check's.
    started = subprocess.run(
        [sys.executable, "-c", "import sys; print(*sys.modules)"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert probe("--no-cache") >= UNNEEDED - set(started)  # the probe sees them where used
    probe()  # judged, its verdict kept
    assert probe() & UNNEEDED - set(started) == set()
