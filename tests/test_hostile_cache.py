"""Hostile timing and hostile cache files: the cache never vouches for bytes it did not judge,
and its own files are read as warily as canon files."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

import jobframe_lint.analyse
import jobframe_lint.lint
from jobframe_lint.cache import CACHE_DIR, INDEX_NAME, Cache, shard_of
from jobframe_lint.config import Settings
from jobframe_lint.discovery import collect
from jobframe_lint.lint import lint
from tests.conftest import FAMILY_YAML, LEVELS_YAML, write_files
from tests.hostile.cases import CACHE_FILE_CASES, Case

# JF105: one responsibility twice. The clean twin has the same size.
DUPLICATED = FAMILY_YAML.replace(
    "- Builds the thing.", "- Builds the thing.\n      - Builds the thing."
)
CLEAN = FAMILY_YAML.replace("- Builds the thing.", "- Builds the thing.\n      - Tests the thing.")
# JF104 against LEVELS_YAML (no P4), clean against a guide that adds it.
AT_P4 = FAMILY_YAML.replace("P3:", "P4:")
LEVELS_WITH_P4 = (
    LEVELS_YAML + "  P4:\n    title: Senior\n    dimensions:\n      Scope: S\n      Autonomy: A\n"
)


def codes(found: list[Any]) -> list[tuple[str, str]]:
    return sorted((item.path, item.code) for item in found)


def cached_check() -> list[tuple[str, str]]:
    """A ``check`` run's findings, with the cache, as the command asks for them."""
    files = collect([], Path("canon"))
    return codes(lint(files, Cache.open(Settings()), texts=False, guides=False).diagnostics)


def uncached_check() -> list[tuple[str, str]]:
    return codes(lint(collect([], Path("canon"))).diagnostics)


def swap_on_first_read(monkeypatch: pytest.MonkeyPatch, path: Path, text: str) -> list[str]:
    """Rewrites ``path`` just before it is next read (once): a writer between a run's stamp
    and its read. Returns the paths read since, the swap marked by the swapped path."""
    real = jobframe_lint.lint.read_source
    seen: list[str] = []
    shown = path.relative_to(Path.cwd())

    def swapping(name: str, *args: Any) -> bytes | None:
        if Path(name) == shown and str(path) not in seen:
            seen.append(str(path))
            path.write_text(text, encoding="utf-8")
        seen.append(name)
        return real(name, *args)

    # The run reads in both: the files it hashes, and those it judges.
    for module in (jobframe_lint.lint, jobframe_lint.analyse):
        monkeypatch.setattr(module, "read_source", swapping)
    return seen


@pytest.fixture
def settled(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every file counts as long settled, so the cache's stamps vouch for it at once."""
    monkeypatch.setattr(jobframe_lint.lint, "SETTLED_NS", -(10**12))


@pytest.mark.usefixtures("settled")
def test_a_family_edited_while_a_guide_edit_rejudges_it_is_kept_under_the_bytes_judged(
    canon_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The family is vouched for by its stamp, then read only when the edited guide makes it
    stale; an edit in between, then undone (a ``git stash pop``), must not leave the edit's
    findings under the original's digest: a cached pass of a file with an error."""
    family = canon_dir / "canon" / "family.yaml"
    family.write_text(DUPLICATED, encoding="utf-8")
    assert ("canon/family.yaml", "JF105") in cached_check()
    (canon_dir / "canon" / "levels.yaml").write_text(LEVELS_YAML + "# edited\n", "utf-8")
    seen = swap_on_first_read(monkeypatch, family, CLEAN)
    assert ("canon/family.yaml", "JF105") not in cached_check()
    assert str(family) in seen  # the swap happened inside the run
    family.write_text(DUPLICATED, encoding="utf-8")  # the undo
    assert cached_check() == uncached_check()
    assert ("canon/family.yaml", "JF105") in cached_check()


@pytest.mark.usefixtures("settled")
def test_a_guide_edited_while_it_is_read_for_a_rejudge_keys_the_findings_it_gave(
    canon_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Guides too: findings judged against a guide's new bytes are not kept under its old
    digest, where putting the old guide back would find them again."""
    levels = canon_dir / "canon" / "levels.yaml"
    family = canon_dir / "canon" / "family.yaml"
    assert cached_check() == []
    family.write_text(AT_P4, encoding="utf-8")  # stale: judged against the guide this run
    swap_on_first_read(monkeypatch, levels, LEVELS_WITH_P4)
    assert ("canon/family.yaml", "JF104") not in cached_check()
    levels.write_text(LEVELS_YAML, encoding="utf-8")  # the undo
    assert cached_check() == uncached_check()
    assert ("canon/family.yaml", "JF104") in cached_check()


@pytest.mark.usefixtures("settled")
def test_a_target_shown_in_full_is_judged_from_the_bytes_shown(
    canon_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """render and ``--fix`` read their targets' text: findings and text of the same bytes."""
    family = canon_dir / "canon" / "family.yaml"
    family.write_text(DUPLICATED, encoding="utf-8")
    assert ("canon/family.yaml", "JF105") in cached_check()
    swap_on_first_read(monkeypatch, family, CLEAN)
    files = collect([Path("canon/family.yaml")], Path("canon"))
    result = lint(files, Cache.open(Settings()))
    shown = next(doc for doc in result.canon.documents if doc.path == "canon/family.yaml")
    assert shown.text == CLEAN
    assert ("canon/family.yaml", "JF105") not in codes(result.diagnostics)


# -- a real writer against real runs ----------------------------------------------------------

# The runs trust a file 0.2 s after its last change instead of 3 s, so that stamps vouch for
# files within the test's few seconds; still above the kernel's coarsest timestamp tick.
_DRIVER = (
    "import sys, jobframe_lint.lint as lint; lint.SETTLED_NS = 200_000_000; "
    "from jobframe_lint.cli import main; sys.exit(main(sys.argv[1:]))"
)
RUNNERS = 4
SECONDS = 6.0


def _driven(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", _DRIVER, "check", "--format", "json", *args],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _write(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")


class _Timeline:
    """When the writer changed the files, and what each run reported: a run that began and
    ended while the family held the error must report it, cache or no cache."""

    def __init__(self) -> None:
        self.writes: list[tuple[float, float, str]] = []  # (began, ended, family text)
        self.runs: list[tuple[float, float, bool]] = []  # (began, ended, reported JF105)
        self.failures: list[str] = []

    def write(self, path: Path, text: str, family: str) -> None:
        began = time.monotonic()
        _write(path, text)
        self.writes.append((began, time.monotonic(), family))

    def false_passes(self) -> list[tuple[float, float]]:
        missed = []
        for began, ended, reported in self.runs:
            before = [write for write in self.writes if write[1] <= began]
            during = [write for write in self.writes if write[0] < ended and write[1] > began]
            if before and not during and before[-1][2] == DUPLICATED and not reported:
                missed.append((began, ended))
        return missed


@pytest.mark.slow
def test_parallel_runs_and_a_writer_leave_no_cached_false_pass(canon_dir: Path) -> None:
    """Runs in parallel while a writer does what makes the race: a guide edit (every family
    judged again), the family changed and changed back while runs judge it (an undo, a
    ``git stash pop``), then quiet. Every run in the quiet reports the error; so does a
    cached run at the end, as an uncached one does."""
    levels, family = canon_dir / "canon" / "levels.yaml", canon_dir / "canon" / "family.yaml"
    timeline = _Timeline()
    timeline.write(family, DUPLICATED, DUPLICATED)
    time.sleep(0.3)
    deadline = time.monotonic() + SECONDS

    def runner() -> None:
        while time.monotonic() < deadline:
            began = time.monotonic()
            done = _driven(canon_dir)
            if done.returncode not in (0, 1) or "Traceback" in done.stderr:
                timeline.failures.append(done.stderr[-2000:])
            timeline.runs.append((began, time.monotonic(), '"JF105"' in done.stdout))

    def writer() -> None:
        edits = 0
        while time.monotonic() < deadline:
            edits += 1
            timeline.write(levels, LEVELS_YAML + "# edited\n" * (edits % 2), DUPLICATED)
            time.sleep(0.03 * (edits % 4))  # runs start with the family vouched for
            timeline.write(family, CLEAN, CLEAN)
            time.sleep(0.06)  # while they judge it
            timeline.write(family, DUPLICATED, DUPLICATED)  # the undo
            time.sleep(0.4)  # quiet, and long enough for the family to settle

    threads = [threading.Thread(target=runner) for _ in range(RUNNERS)]
    threads.append(threading.Thread(target=writer))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert timeline.failures == []
    assert timeline.false_passes() == []
    time.sleep(0.3)
    expected = json.loads(_driven(canon_dir, "--no-cache").stdout)
    assert any(item["code"] == "JF105" for item in expected)
    for _ in range(2):  # the first run may store stamps, the second trusts them
        assert json.loads(_driven(canon_dir).stdout) == expected


# -- the cache's own files --------------------------------------------------------------------


def _cache_file(root: Path, which: str) -> Path:
    """The index of the one key's folder, or the shard holding the family's entry."""
    (folder,) = [path for path in (root / CACHE_DIR).iterdir() if path.name != ".gitignore"]
    shard = f"entries-{shard_of('canon/family.yaml'):02x}"
    return folder / (INDEX_NAME if which == "index" else shard)


@pytest.mark.parametrize("which", ["index", "shard"])
@pytest.mark.parametrize("case", CACHE_FILE_CASES, ids=[case.name for case in CACHE_FILE_CASES])
def test_a_hostile_cache_file_is_ignored_and_rebuilt(
    case: Case, which: str, canon_dir: Path
) -> None:
    """A FIFO would block the open and the read, /dev/zero would fill memory, a sparse 20 GB
    file would be read whole: each is a miss, in bounded time, and the run goes on."""
    write_files(canon_dir, {"canon/family.yaml": DUPLICATED})
    time.sleep(0.3)  # settled: the run keeps a verdict, in the index
    expected = _driven(canon_dir, "--no-cache")
    assert expected.returncode == 1
    assert _driven(canon_dir).stdout == expected.stdout
    stored = _cache_file(canon_dir, which)
    stored.unlink()
    case.make(stored)
    again = _driven(canon_dir)
    assert (again.returncode, again.stdout) == (1, expected.stdout), again.stderr[-2000:]
    assert "Traceback" not in again.stderr


@pytest.mark.parametrize("case", CACHE_FILE_CASES, ids=[case.name for case in CACHE_FILE_CASES])
def test_a_hostile_signing_key_is_no_key(
    case: Case, canon_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The key file is read as warily: what is not a 32-byte regular file costs the run its
    cache, not a hang."""
    home = canon_dir / "home"
    (home / "jobframe-lint").mkdir(parents=True)
    case.make(home / "jobframe-lint" / "cache-key")
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    done = _driven(canon_dir)
    assert (done.returncode, done.stdout.strip()) == (0, "[]"), done.stderr[-2000:]
    assert not (canon_dir / CACHE_DIR).exists()
