"""The result cache: the same findings with or without it, and never a stale one."""

from __future__ import annotations

import multiprocessing
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import jobframe_lint.analyse
import jobframe_lint.cache
import jobframe_lint.lint
from jobframe_lint.cache import CACHE_DIR, Cache, Entry, canonical
from jobframe_lint.config import Settings
from jobframe_lint.discovery import FileSet, collect
from jobframe_lint.lint import Result, lint
from tests.conftest import FAMILY_YAML, Run, write_files

# A canon with findings of every origin: loader, schema, per-file rules, rules that read
# the level guide, and a cross-file rule (two families of one name).
CANON = {
    "canon/copy.yaml": FAMILY_YAML.replace("Builds the thing.", "Builds  the thing."),
    "canon/unknown.yaml": FAMILY_YAML.replace("Example Family", "Other").replace("P3:", "P9:"),
    "canon/dup.yaml": "kind: family\nfamily: F\nfamily: G\nlevels: {}\n",
    "canon/broken.yaml": "kind: family\nfamily: 'unterminated\n",
    "canon/empty.yaml": "",
    # A second level guide redefining P3: JF109 on level codes, read from outlines.
    "canon/more-levels.yaml": "kind: levels\nlevels:\n  P3:\n    title: Again\n  P4:\n    title: T\n",
}


SECRET = bytes(range(32))


def check(cli: Callable[..., Run], *args: str) -> Run:
    return cli("check", "--format", "json", "--color", "never", *args)


def entries(root: Path) -> list[Path]:
    return [path for path in (root / CACHE_DIR).rglob("*") if path.is_file()]


def key_folders(root: Path) -> list[Path]:
    """The folders of the keys runs have written (one per settings)."""
    return [path for path in (root / CACHE_DIR).iterdir() if path.is_dir()]


def test_cached_runs_report_what_uncached_runs_report(
    cli: Callable[..., Run], canon_dir: Path
) -> None:
    write_files(canon_dir, CANON)
    uncached = check(cli, "--no-cache")
    assert not (canon_dir / CACHE_DIR).exists()
    assert '"JF109"' in uncached.out and '"JF104"' in uncached.out
    writing = check(cli)
    reading = check(cli)
    assert writing == reading == uncached
    for target in ("canon/copy.yaml", "canon/more-levels.yaml", "canon/levels.yaml"):
        assert check(cli, target) == check(cli, "--no-cache", target)
    assert "level P3 is already defined in canon/levels.yaml" in check(cli).out


def test_a_run_answered_from_the_cache_parses_and_validates_nothing(canon_dir: Path) -> None:
    """The pre-commit case: parser, validator and dataclasses are ~30 ms of imports."""
    write_files(canon_dir, CANON)
    probe = (
        "import sys\n"
        "from jobframe_lint.cli import main\n"
        "main(['check', 'canon/copy.yaml'])\n"
        "heavy = ('yaml', 'jsonschema_rs', 'jsonschema', 'dataclasses', 'rich', 'json')\n"
        "print(sorted(name for name in sys.modules if name.split('.')[0] in heavy))\n"
    )

    def loaded() -> str:
        done = subprocess.run(
            [sys.executable, "-c", probe], cwd=canon_dir, capture_output=True, text=True
        )
        return done.stdout.splitlines()[-1]

    assert "'yaml'" in loaded()  # the first run parses every file and fills the cache
    assert loaded() == "[]"
    write_files(canon_dir, {"canon/copy.yaml": FAMILY_YAML.replace("thing.", "other thing.")})
    assert "'yaml'" in loaded()  # an edited file is parsed again


def test_a_changed_file_is_judged_again(cli: Callable[..., Run], canon_dir: Path) -> None:
    write_files(canon_dir, CANON)
    check(cli)
    write_files(canon_dir, {"canon/copy.yaml": FAMILY_YAML.replace("Example Family", "Fresh")})
    assert check(cli) == check(cli, "--no-cache")
    assert 'Example Family\\" is already defined' not in check(cli).out


def test_a_changed_level_guide_judges_every_family_again(
    cli: Callable[..., Run], canon_dir: Path
) -> None:
    write_files(canon_dir, CANON)
    before = check(cli)
    levels = canon_dir / "canon/levels.yaml"
    levels.write_text(levels.read_text("utf-8").replace("P3:", "P9:"), encoding="utf-8")
    after = check(cli)
    assert after == check(cli, "--no-cache")
    assert after != before


def test_a_level_guide_the_hint_misses_is_still_a_guide(
    cli: Callable[..., Run], canon_dir: Path
) -> None:
    flow = '{"kind": "levels", "levels": {"P3": {"title": "T"}}}\n'
    assert jobframe_lint.lint._GUIDE_HINT.search(flow.encode()) is None
    write_files(canon_dir, {"canon/levels.yaml": flow})
    first = check(cli)
    assert first == check(cli) == check(cli, "--no-cache")
    assert '"JF104"' not in first.out


def test_entries_of_another_version_or_settings_are_never_read(
    canon_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_files(canon_dir, CANON)
    settings = Settings()
    cache = Cache.open(settings)
    lint(collect([], Path("canon")), cache)
    assert entries(canon_dir)
    assert Cache.open(Settings(ignore=frozenset({"JF108"}))).path != cache.path
    monkeypatch.setattr(jobframe_lint.cache, "__version__", "99.0")
    assert Cache.open(settings).path != cache.path


def test_settings_name_the_same_cache_in_every_process() -> None:
    codes = frozenset(f"JF1{number:02d}" for number in range(12))
    spelled = canonical(Settings(ignore=codes))
    assert spelled == canonical(Settings(ignore=frozenset(sorted(codes, reverse=True))))
    assert "'JF100', 'JF101', 'JF102'" in spelled


def test_entries_are_kept_by_path_once_saved(canon_dir: Path) -> None:
    store = canon_dir / "store" / "key"
    entry = Entry(b"digest-a", b"guides", "family", True, (None, {}), [])
    Cache(store, SECRET).put("canon/a.yaml", entry)
    assert Cache(store, SECRET).get("canon/a.yaml") is None  # not saved yet
    written = Cache(store, SECRET)
    written.put("canon/a.yaml", entry)
    written.save()
    stored = Cache(store, SECRET).get("canon/a.yaml")
    assert stored is not None and stored._replace(blob=None) == entry
    assert Cache(store, SECRET).get("canon/b.yaml") is None


def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files a run reads, as ``lint`` reads them."""
    seen: list[str] = []
    real = jobframe_lint.lint.read_source

    def counted(path: str, *args: Any) -> bytes | None:
        seen.append(path)
        return real(path, *args)

    monkeypatch.setattr(jobframe_lint.lint, "read_source", counted)
    return seen


def test_files_settled_since_they_were_hashed_are_not_read_again(
    canon_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_files(canon_dir, CANON)
    files = collect([], Path("canon"))

    def check_run(files: FileSet) -> Result:  # as `check` runs: findings, no texts
        return lint(files, Cache.open(Settings()), texts=False, guides=False)

    seen = reads(monkeypatch)
    expected = lint(files).diagnostics
    check_run(files)
    seen.clear()
    assert check_run(files).diagnostics == expected
    assert len(seen) == len(files.all())  # just written: too fresh to vouch for
    monkeypatch.setattr(jobframe_lint.lint, "SETTLED_NS", -(10**12))  # as if long settled
    check_run(files)
    seen.clear()
    assert check_run(files).diagnostics == expected
    assert seen == []
    write_files(canon_dir, {"canon/copy.yaml": FAMILY_YAML})
    assert check_run(files).diagnostics == lint(files).diagnostics
    assert seen.count(str(Path("canon/copy.yaml"))) == 2  # that run and the uncached one


def test_an_edit_that_keeps_size_and_modification_time_is_seen(
    canon_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(jobframe_lint.lint, "SETTLED_NS", -(10**12))
    write_files(canon_dir, CANON)
    files = collect([], Path("canon"))
    stale = lint(files, Cache.open(Settings())).diagnostics
    copy = canon_dir / "canon" / "copy.yaml"
    before = copy.stat()
    # The doubled space (JF108) goes; the size stays.
    copy.write_text(FAMILY_YAML.replace("Builds the thing.", "Builds the things."), "utf-8")
    os.utime(copy, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert copy.stat().st_size == before.st_size
    fresh = lint(files).diagnostics
    assert fresh != stale
    assert lint(files, Cache.open(Settings())).diagnostics == fresh


def test_a_damaged_entry_is_a_miss_and_nothing_is_left_half_written(
    cli: Callable[..., Run], canon_dir: Path
) -> None:
    write_files(canon_dir, CANON)
    expected = check(cli)
    stored = entries(canon_dir)
    for path in stored:
        if path.name != ".gitignore":
            path.write_bytes(path.read_bytes()[:7])
    assert check(cli) == expected
    assert not [path for path in entries(canon_dir) if path.name.endswith(".tmp")]
    assert (canon_dir / CACHE_DIR / ".gitignore").read_text("utf-8").endswith("*\n")


def _check_in_process(root: str) -> str:
    import contextlib
    import io
    import os

    from jobframe_lint.cli import main

    os.chdir(root)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        main(["check", "--format", "json", "--color", "never"])
    return out.getvalue()


def test_concurrent_runs_share_one_cache(cli: Callable[..., Run], canon_dir: Path) -> None:
    write_files(canon_dir, CANON)
    expected = check(cli, "--no-cache").out
    with multiprocessing.get_context("spawn").Pool(4) as pool:
        outputs = pool.map(_check_in_process, [str(canon_dir)] * 8)
    assert set(outputs) == {expected}
    assert check(cli).out == expected


def test_worker_processes_find_what_one_process_finds(
    canon_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_files(canon_dir, {**CANON, **{f"canon/f{n}.yaml": FAMILY_YAML for n in range(6)}})
    files = collect([], Path("canon"))
    alone = lint(files).diagnostics
    monkeypatch.setattr(jobframe_lint.analyse, "PARALLEL_FROM", 2)
    monkeypatch.setattr(jobframe_lint.analyse, "cores", lambda: 2)
    assert lint(files).diagnostics == alone


def test_files_judged_a_few_at_a_time_find_what_all_at_once_find(
    canon_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run holds one batch of documents at a time: no per-file rule may look further."""
    write_files(canon_dir, {**CANON, **{f"canon/f{n}.yaml": FAMILY_YAML for n in range(6)}})
    files = collect([], Path("canon"))
    alone = lint(files).diagnostics
    monkeypatch.setattr(jobframe_lint.analyse, "BATCH", 1)
    assert lint(files).diagnostics == alone


def test_without_worker_processes_the_run_goes_on_in_one(
    canon_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_files(canon_dir, CANON)
    files = collect([], Path("canon"))
    alone = lint(files).diagnostics

    def refused(*_: object) -> None:
        raise PermissionError("no semaphores here")

    monkeypatch.setattr(jobframe_lint.analyse, "PARALLEL_FROM", 2)
    monkeypatch.setattr(jobframe_lint.analyse, "cores", lambda: 2)
    monkeypatch.setattr(jobframe_lint.analyse, "_in_workers", refused)
    assert lint(files).diagnostics == alone


def test_a_cache_file_this_user_did_not_sign_is_ignored(
    cli: Callable[..., Run], canon_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A commit can plant a cache in the working tree to hide findings from a CI gate."""
    attacker, victim = canon_dir / "attacker-home", canon_dir / "victim-home"
    write_files(canon_dir, {"canon/copy.yaml": CANON["canon/copy.yaml"]})
    monkeypatch.setenv("XDG_CACHE_HOME", str(victim))
    honest = check(cli, "--no-cache")
    assert '"JF108"' in honest.out
    # The attacker caches a clean copy under their own key, then swaps the file's digest
    # for the broken file's, so the clean findings (none) answer for the broken bytes.
    broken = (canon_dir / "canon/copy.yaml").read_bytes()
    write_files(canon_dir, {"canon/copy.yaml": FAMILY_YAML})
    monkeypatch.setenv("XDG_CACHE_HOME", str(attacker))
    check(cli)
    (store,) = key_folders(canon_dir)
    cache = Cache(store, jobframe_lint.cache.user_secret() or b"")
    clean = cache.get("canon/copy.yaml")
    assert clean is not None
    forged = clean._replace(digest=jobframe_lint.cache.digest(broken), blob=None)
    cache.put("canon/copy.yaml", forged)
    cache.save()
    (canon_dir / "canon/copy.yaml").write_bytes(broken)
    assert '"JF108"' not in check(cli).out  # the forgery works for the key that signed it
    monkeypatch.setenv("XDG_CACHE_HOME", str(victim))
    assert check(cli) == honest


def test_without_a_private_place_for_the_key_the_run_goes_uncached(
    cli: Callable[..., Run], canon_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_files(canon_dir, CANON)
    not_a_folder = canon_dir / "home-is-a-file"
    not_a_folder.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(not_a_folder))
    assert check(cli) == check(cli, "--no-cache")
    assert not (canon_dir / CACHE_DIR).exists()


def test_the_key_is_made_once_and_readable_by_its_user_alone(
    canon_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(canon_dir / "home"))
    first = jobframe_lint.cache.user_secret()
    assert first is not None and len(first) == 32
    assert jobframe_lint.cache.user_secret() == first
    key = canon_dir / "home" / "jobframe-lint" / "cache-key"
    assert key.stat().st_mode & 0o777 == 0o600


def test_saving_prunes_other_keys_but_the_newest_few(canon_dir: Path) -> None:
    write_files(canon_dir, CANON)
    folder = canon_dir / CACHE_DIR
    folder.mkdir()
    old_keys = [folder / f"{number:032x}" for number in range(5)]
    for age, path in enumerate(old_keys):
        path.write_bytes(b"another key's entries")
        os.utime(path, ns=(10**18 - age * 10**9, 10**18 - age * 10**9))  # key 0 newest
    (folder / "notes.txt").write_text("not a key's file")
    cache = Cache.open(Settings())
    assert cache is not None
    lint(collect([], Path("canon")), cache)
    kept = sorted(path.name for path in folder.iterdir())
    newest = [path.name for path in old_keys[: jobframe_lint.cache.OTHER_KEYS_KEPT]]
    assert kept == sorted(["notes.txt", cache.path.name, *newest])
    # A run that writes nothing prunes nothing.
    (folder / old_keys[4].name).write_bytes(b"back")
    lint(collect([], Path("canon")), cache)
    assert (folder / old_keys[4].name).exists()
