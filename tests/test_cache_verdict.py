"""The cache's verdict on a whole canon: a check whose every file is vouched for by its
stamp is answered from the index, the verdict and the entries of the files concerned, and
reports exactly what a run without the cache reports."""

from __future__ import annotations

import marshal
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import jobframe_lint.cache
import jobframe_lint.lint
from jobframe_lint.cache import INDEX_NAME, Cache, shard_of
from jobframe_lint.config import Settings, load_settings
from jobframe_lint.diagnostics import Diagnostic
from jobframe_lint.discovery import collect
from jobframe_lint.lint import lint
from tests.conftest import FAMILY_YAML, Run, write_files
from tests.test_cache import CANON, key_folders
from tests.test_custom_rules import POLICY, configured

# Each target reports findings of another kind: its own (JF108), a level guide's findings
# in the families (JF104 names the guide), a cross-file clash (JF109, both files).
TARGETS = ["canon/copy.yaml", "canon/levels.yaml", "canon/family.yaml", "canon/more-levels.yaml"]


@pytest.fixture(autouse=True)
def settled(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every file counts as long settled, so stamps vouch for it at once."""
    monkeypatch.setattr(jobframe_lint.lint, "SETTLED_NS", -(10**12))


@pytest.fixture
def canon(canon_dir: Path) -> Path:
    write_files(canon_dir, CANON)
    return canon_dir


def warm(*targets: str) -> list[Diagnostic]:
    """A ``check`` run's findings (no texts, guides in outline), with the cache."""
    files = collect([Path(target) for target in targets], Path("canon"))
    return lint(files, Cache.open(Settings()), texts=False, guides=False).diagnostics


def cold(*targets: str) -> list[Diagnostic]:
    return lint(collect([Path(target) for target in targets], Path("canon"))).diagnostics


@pytest.fixture
def answered(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[object]]:
    """Counts the runs answered from a verdict (the cross-file rules then never run), by
    calling the fast path's result through."""
    seen: list[object] = []
    real = jobframe_lint.lint._answered

    def counted(*args: Any) -> object:
        found = real(*args)
        if found is not None:
            seen.append(found)
        return found

    monkeypatch.setattr(jobframe_lint.lint, "_answered", counted)
    yield seen


def test_a_warm_one_file_check_reports_what_a_cold_one_does(
    canon: Path, answered: list[object], monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = {target: cold(target) for target in TARGETS}
    codes = {item.code for found in expected.values() for item in found}
    assert codes >= {"JF104", "JF108", "JF109"}
    ran: list[object] = []
    real = jobframe_lint.lint.cross_file

    def counted(*args: Any) -> list[Diagnostic]:
        ran.append(args)
        return real(*args)

    monkeypatch.setattr(jobframe_lint.lint, "cross_file", counted)
    for target in TARGETS:
        assert warm(target) == expected[target]  # judged, and the verdict kept
        answered.clear()
        ran.clear()
        assert warm(target) == expected[target]
        assert (len(answered), ran) == (1, [])  # answered, without the cross-file rules


def test_only_the_files_concerned_are_read_from_the_shards(
    canon: Path, answered: list[object], monkeypatch: pytest.MonkeyPatch
) -> None:
    warm("canon/copy.yaml")
    asked: list[str] = []
    real = Cache.get

    def counted(cache: Cache, path: str) -> Any:
        asked.append(path)
        return real(cache, path)

    monkeypatch.setattr(Cache, "get", counted)
    warm("canon/copy.yaml")
    assert answered
    # copy.yaml's own entry, and family.yaml's: the other half of the JF109 clash.
    assert sorted(asked) == ["canon/copy.yaml", "canon/family.yaml"]


def test_an_edit_elsewhere_that_changes_a_cross_file_finding_is_seen(
    canon: Path, answered: list[object]
) -> None:
    target = "canon/unknown.yaml"  # family "Other": no clash yet
    assert warm(target) == warm(target) == cold(target)
    assert answered and "JF109" not in {item.code for item in warm(target)}
    answered.clear()
    # Another file takes the target's family name, its size and modification time kept:
    # only its change time tells. The clash is reported from either file.
    other = canon / "canon" / "family.yaml"
    before = other.stat()
    line = "family: Example Family"
    renamed = FAMILY_YAML.replace(line, "family: Other #".ljust(len(line), "x"))
    other.write_text(renamed, "utf-8")
    os.utime(other, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert other.stat().st_size == before.st_size
    found = warm(target)
    assert answered == []
    assert found == cold(target)
    assert "JF109" in {item.code for item in found}
    assert warm(target) == found and answered  # judged again once, then answered


def test_a_changed_level_guide_judges_the_families_against_it(
    canon: Path, answered: list[object]
) -> None:
    target = "canon/unknown.yaml"  # uses P9, which no guide defines: JF104
    assert warm(target) == warm(target) == cold(target)
    assert "JF104" in {item.code for item in warm(target)}
    guide = canon / "canon" / "levels.yaml"
    guide.write_text(guide.read_text("utf-8") + "  P9:\n    title: Ninth\n", "utf-8")
    assert warm(target) == cold(target)
    assert "JF104" not in {item.code for item in warm(target)}


def hidden(folder: Path) -> bytes:
    """The index's verdicts without their cross-file findings (JF109), unsigned."""
    verdicts = Cache(folder, jobframe_lint.cache.user_secret() or b"")._stored_verdicts()
    assert verdicts
    return marshal.dumps(
        {name: (guides, [], naming) for name, (guides, _, naming) in verdicts.items()}
    )


def _only_folder(root: Path) -> Path:
    (folder,) = key_folders(root)
    return folder


def test_a_shard_older_than_the_index_is_not_trusted(canon: Path, answered: list[object]) -> None:
    """Two runs writing at once can leave one's index beside the other's shard: the entry
    is used only where it agrees with the index."""
    target = "canon/copy.yaml"
    warm(target)
    shard = _only_folder(canon) / f"entries-{shard_of(target):02x}"
    older = shard.read_bytes()
    write_files(canon, {target: FAMILY_YAML.replace("Builds the thing.", "Builds  it.")})
    fresh = warm(target)
    assert fresh == cold(target)
    shard.write_bytes(older)  # signed by us, for the same path: only older
    answered.clear()
    assert warm(target) == fresh
    assert answered == []  # not answered from the stale entry
    assert warm(target) == fresh and answered  # the shard mended


@pytest.mark.parametrize("damage", ["flipped byte", "other key", "other folder"])
def test_a_tampered_or_foreign_cache_file_is_ignored(
    canon: Path, answered: list[object], damage: str
) -> None:
    """A verdict that hides the clash, signed by another key or altered, or an entry that
    hides a finding, taken from another key's folder, is not read."""
    target = "canon/copy.yaml"
    honest = cold(target)
    assert {"JF108", "JF109"} <= {item.code for item in honest}
    warm(target)
    folder = _only_folder(canon)
    index = folder / INDEX_NAME
    if damage == "flipped byte":
        signed = bytearray(index.read_bytes())
        signed[-1] ^= 1
        index.write_bytes(bytes(signed))
    elif damage == "other key":  # an attacker's own key
        Cache(folder, bytes(range(32)))._write(INDEX_NAME, hidden(folder))
    else:  # signed by us, for the same file, but in another key's folder (other settings)
        ours = Cache(folder, jobframe_lint.cache.user_secret() or b"")
        entry = ours.get(target)
        assert entry is not None
        other = Cache(folder.with_name("0" * 32), ours.secret)
        other.put(target, entry._replace(packed=[], blob=None))  # its findings gone
        other.save()
        shard = f"entries-{shard_of(target):02x}"
        shutil.copyfile(other.path / shard, folder / shard)
    answered.clear()
    assert warm(target) == honest
    assert answered == []


def test_a_verdict_is_what_the_answer_is_made_of(canon: Path, answered: list[object]) -> None:
    """The forgery above would work if it were signed with this user's key: the test of it
    can fail."""
    target = "canon/family.yaml"
    warm(target)
    folder = _only_folder(canon)
    Cache(folder, jobframe_lint.cache.user_secret() or b"")._write(INDEX_NAME, hidden(folder))
    found = warm(target)
    assert answered
    assert "JF109" in {item.code for item in cold(target)} - {item.code for item in found}


def test_entries_judged_against_the_guides_in_another_order_are_not_read_with_it(
    canon: Path, answered: list[object]
) -> None:
    """Checking a guide alone puts it last, and two guides define P3: every file is judged
    again against them in that order, under the same stamps. The verdict on the first
    order then finds entries it was not made with."""
    target = "canon/copy.yaml"
    warm(target)
    warm("canon/levels.yaml")
    answered.clear()
    assert warm(target) == cold(target)
    assert answered == []


def test_an_edited_custom_rule_is_a_new_verdict(
    cli: Callable[..., Run], canon: Path, answered: list[object]
) -> None:
    """The rules file is not a canon file: no stamp of the canon tells it changed."""
    configured(canon, POLICY.read_text("utf-8"))
    write_files(canon, {"canon/long.yaml": FAMILY_YAML.replace("Builds the thing.", "B" * 30)})
    target = "canon/long.yaml"
    check = ("check", "--format", "json", target)
    first = cli(*check)
    assert cli(*check) == first and answered
    rules = canon / "rules.yaml"
    rules.write_text(rules.read_text("utf-8").replace("max-length: 200", "max-length: 20"), "utf-8")
    answered.clear()
    edited = cli(*check)
    assert answered == []
    assert edited == cli(*check, "--no-cache") != first


def test_other_custom_rules_are_another_canon(canon: Path, answered: list[object]) -> None:
    """Called with custom rules beside settings that do not name them (the API), a verdict
    is still kept for those rules alone."""
    configured(canon, POLICY.read_text("utf-8"))
    write_files(canon, {"canon/long.yaml": FAMILY_YAML.replace("Builds the thing.", "B" * 300)})
    files = collect([Path("canon/long.yaml")], Path("canon"))
    custom = load_settings(None).custom

    def run(**options: Any) -> list[Diagnostic]:
        return lint(files, Cache.open(Settings()), texts=False, guides=False, **options).diagnostics

    ruled = run(custom=custom)
    assert run(custom=custom) == ruled and answered
    answered.clear()
    plain = run()
    assert answered == []
    assert plain == cold("canon/long.yaml") != ruled
