"""`jobframe-lint format` end to end: writes, --check, --diff, refusals, exit codes, paths."""

from __future__ import annotations

import errno
import os
import stat
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from jobframe_lint import atomic, formatter
from jobframe_lint.document import Limits
from tests.conftest import FAMILY_YAML, ROOT, Run, run_process, write_files
from tests.test_formatter import CANONICAL, MESSY

CliRun = Callable[..., Run]


@pytest.fixture
def messy(canon_dir: Path) -> Path:
    """The small canon plus one file far from the canonical layout."""
    write_files(canon_dir, {"canon/families/messy.yaml": MESSY})
    return canon_dir / "canon" / "families" / "messy.yaml"


def test_shipped_canon_is_formatted(cli: CliRun, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    result = cli("format", "--check")
    assert (result.code, result.out, result.err) == (
        0,
        "0 files would be reformatted, 2 files already formatted.\n",
        "",
    )


def test_format_rewrites_what_differs_and_a_second_run_changes_nothing(
    cli: CliRun, messy: Path
) -> None:
    untouched = (messy.parent.parent / "family.yaml").stat().st_mtime_ns
    result = cli("format")
    assert (result.code, result.err) == (0, "")
    assert result.out.splitlines() == [
        "reformatted: canon/families/messy.yaml",
        "1 file reformatted, 2 files left unchanged.",
    ]
    assert messy.read_text("utf-8") == CANONICAL
    assert (messy.parent.parent / "family.yaml").stat().st_mtime_ns == untouched
    again = cli("format")
    assert (again.code, again.out) == (0, "0 files reformatted, 3 files left unchanged.\n")


def test_check_lists_what_would_change_and_writes_nothing(cli: CliRun, messy: Path) -> None:
    result = cli("format", "--check")
    assert result.code == 1
    assert result.out.splitlines() == [
        "would reformat: canon/families/messy.yaml",
        "1 file would be reformatted, 2 files already formatted.",
    ]
    assert messy.read_text("utf-8") == MESSY
    messy.write_text(CANONICAL, "utf-8")
    assert cli("format", "--check").code == 0


@pytest.mark.usefixtures("hermetic_git")
def test_diff_is_a_patch_that_git_applies(cli: CliRun, messy: Path, canon_dir: Path) -> None:
    result = cli("format", "--diff")
    assert result.code == 1
    assert result.out.startswith(
        "--- canon/families/messy.yaml\n+++ canon/families/messy.yaml\n@@ "
    )
    assert "+kind: family\n" in result.out and "-kind: family\n" in result.out
    assert result.err.splitlines()[-1] == "1 file would be reformatted, 2 files already formatted."
    assert messy.read_text("utf-8") == MESSY
    patch = canon_dir / "format.patch"
    patch.write_text(result.out, "utf-8")
    subprocess.run(["git", "init", "-q"], cwd=canon_dir, check=True)
    subprocess.run(["git", "apply", "-p0", str(patch)], cwd=canon_dir, check=True, timeout=60)
    assert messy.read_text("utf-8") == CANONICAL


def test_diff_keeps_crlf_and_marks_a_missing_last_newline(cli: CliRun, canon_dir: Path) -> None:
    target = canon_dir / "canon" / "crlf.yaml"
    target.write_bytes(b"family: F\r\nkind: family")
    result = cli("format", "--diff", str(target))
    assert result.code == 1
    assert "+kind: family\r\n" in result.out
    assert "-kind: family\n\\ No newline at end of file\n" in result.out


def test_files_that_do_not_load_are_reported_and_left_alone(
    cli: CliRun, canon_dir: Path, messy: Path
) -> None:
    broken = "kind: family\nfamily: A\nfamily: B\n"
    write_files(canon_dir, {"canon/broken.yaml": broken})
    result = cli("format")
    assert result.code == 1
    assert result.err.splitlines() == [
        "canon/broken.yaml:3:1: JF003 duplicate key 'family' (first defined at line 2); "
        "YAML readers silently keep only one of them",
        "canon/broken.yaml: not formatted: it does not load",
    ]
    assert result.out.splitlines()[-1] == (
        "1 file reformatted, 2 files left unchanged, 1 file not formatted."
    )
    assert (canon_dir / "canon" / "broken.yaml").read_text("utf-8") == broken
    assert messy.read_text("utf-8") == CANONICAL  # the others are formatted all the same


def test_a_result_that_changes_the_data_is_not_written(
    cli: CliRun, messy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(formatter, "format_bytes", lambda raw: raw.replace(b"Ships", b"Sinks"))
    result = cli("format", "canon/families/messy.yaml")
    assert result.code == 1
    assert result.err == (
        "canon/families/messy.yaml: not formatted: "
        "the formatted text would not load to the same data\n"
    )
    assert messy.read_text("utf-8") == MESSY


def test_writes_keep_permissions_and_go_through_links(cli: CliRun, messy: Path) -> None:
    messy.chmod(0o640)
    link = messy.parent / "link.yaml"
    link.symlink_to(messy.name)
    result = cli("format", str(link))
    assert result.code == 0, result.err
    assert link.is_symlink() and messy.read_text("utf-8") == CANONICAL
    assert stat.S_IMODE(messy.stat().st_mode) == 0o640
    assert [path for path in messy.parent.iterdir() if path.name.endswith(".tmp")] == []


def test_a_file_edited_while_it_was_formatted_is_left_alone(
    cli: CliRun, messy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = formatter.format_canon

    def edited_meanwhile(raw: bytes, path: str, limits: Limits) -> bytes:
        result = original(raw, path, limits)
        messy.write_text(MESSY + "# the user's edit\n", "utf-8")
        return result

    monkeypatch.setattr(formatter, "format_canon", edited_meanwhile)
    result = cli("format", "canon/families/messy.yaml")
    assert result.code == 1
    assert result.err == (
        "canon/families/messy.yaml: not formatted: the file changed while it was being formatted\n"
    )
    assert messy.read_text("utf-8") == MESSY + "# the user's edit\n"


def test_a_failed_write_is_reported_not_a_traceback(
    cli: CliRun, messy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def read_only(*args: object, **kwargs: object) -> None:
        raise OSError(errno.EROFS, os.strerror(errno.EROFS))

    monkeypatch.setattr(atomic, "write_atomically", read_only)
    result = cli("format")
    assert result.code == 1
    assert result.err == (
        "canon/families/messy.yaml: not formatted: cannot write: Read-only file system\n"
    )
    assert messy.read_text("utf-8") == MESSY


def test_files_are_found_as_check_finds_them(cli: CliRun, canon_dir: Path) -> None:
    write_files(
        canon_dir,
        {
            "jobframe-lint.toml": 'canon = "hr/canon"\n',
            "hr/canon/family.yaml": "family: F\nkind: family\n",
            "hr/canon/notes.txt": "family: F\nkind: family\n",
            "hr/canon/.hidden/x.yaml": "family: F\nkind: family\n",
        },
    )
    result = cli("format", "--check")
    assert result.out.splitlines() == [
        "would reformat: hr/canon/family.yaml",
        "1 file would be reformatted, 0 files already formatted.",
    ]


def test_missing_path_is_a_usage_error(cli: CliRun, canon_dir: Path) -> None:
    result = cli("format", "canon/nope.yaml")
    assert (result.code, result.err) == (
        2,
        "jobframe-lint: canon/nope.yaml: no such file or directory\n",
    )


def test_control_characters_in_file_names_are_shown_escaped(cli: CliRun, canon_dir: Path) -> None:
    write_files(canon_dir, {"canon/evil\x1b[31m.yaml": "family: F\nkind: family\n"})
    result = cli("format", "--check")
    assert "would reformat: canon/evil\\x1b[31m.yaml" in result.out
    assert "\x1b" not in result.out


def test_format_runs_as_a_process(canon_dir: Path) -> None:
    write_files(
        canon_dir,
        {"canon/family.yaml": FAMILY_YAML.replace("kind: family\n", "") + "kind: family\n"},
    )
    result = run_process("format", "--check", cwd=canon_dir)
    assert (result.code, result.err) == (1, "")
    assert result.out.startswith("would reformat: canon/family.yaml\n")


def test_many_files_are_shared_among_workers_and_reported_in_order(
    cli: CliRun, canon_dir: Path
) -> None:
    from jobframe_lint.commands.format import PARALLEL_FROM

    count = PARALLEL_FROM + 10
    files = {
        f"canon/many/f{index:03d}.yaml": f"family: F{index}\nkind: family\n"
        for index in range(count)
    }
    files["canon/many/f005.yaml"] = "kind: family\nfamily: [\n"
    write_files(canon_dir, files)
    result = cli("format", "canon/many")
    assert result.code == 1
    assert result.err.startswith("canon/many/f005.yaml:3:1: JF001 ")
    listed = [line.removeprefix("reformatted: ") for line in result.out.splitlines()[:-1]]
    assert listed == sorted(name for name in files if name != "canon/many/f005.yaml")
    assert (canon_dir / "canon/many/f007.yaml").read_text("utf-8") == "kind: family\nfamily: F7\n"
    assert result.out.splitlines()[-1] == (
        f"{count - 1} files reformatted, 0 files left unchanged, 1 file not formatted."
    )


def test_diff_shows_bidi_controls_in_comments_escaped(cli: CliRun, canon_dir: Path) -> None:
    """YAML allows U+202E in a comment; printed raw it would reorder the terminal's text."""
    target = canon_dir / "canon" / "bidi.yaml"
    target.write_text("family: F  # \u202etxet\nkind: family\n", "utf-8")
    result = cli("format", "--diff", "canon/bidi.yaml")
    assert result.code == 1
    assert " family: F  # \\u202etxet\n" in result.out
    assert "\u202e" not in result.out
