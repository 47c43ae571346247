"""`check --fix`: only the fixed characters change, atomically, idempotently, and never
without --fix."""

from __future__ import annotations

import difflib
import json
import stat
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import Run, write_files

CliRun = Callable[..., Run]

MESSY = """\
# yaml-language-server: $schema=../schema/family.schema.json
kind: family   # a comment that must keep its column
function: 'Data  Science'
family: "Example Family "
levels:
  P3:
    responsibilities:
      - Builds  the   thing.   # trailing comment
      - "  Tests it."
      - "Ships\\tit."
      - >-
        Folded  text
        over two lines.
    rubrics:
      complexity/problem-solving: Solves.
      knowledge-application: Applies.
"""

FIXED = """\
# yaml-language-server: $schema=../schema/family.schema.json
kind: family   # a comment that must keep its column
function: 'Data Science'
family: "Example Family"
levels:
  P3:
    responsibilities:
      - Builds the thing.   # trailing comment
      - "Tests it."
      - "Ships\\tit."
      - >-
        Folded  text
        over two lines.
    rubrics:
      complexity/problem-solving: Solves.
      knowledge-application: Applies.
"""


@pytest.fixture
def messy(canon_dir: Path) -> Path:
    write_files(canon_dir, {"canon/family.yaml": MESSY})
    return canon_dir / "canon" / "family.yaml"


def test_fix_deletes_only_the_stray_spaces(cli: CliRun, messy: Path) -> None:
    result = cli("check", "--fix", "--color", "never")
    after = messy.read_text(encoding="utf-8")
    assert after == FIXED
    matcher = difflib.SequenceMatcher(None, MESSY, after, autojunk=False)
    removed = [MESSY[i1:i2] for tag, i1, i2, _, _ in matcher.get_opcodes() if tag != "equal"]
    assert all(tag in ("equal", "delete") for tag, *_ in matcher.get_opcodes())
    assert set("".join(removed)) == {" "}
    assert (
        result.err == "canon/family.yaml: fixed 4 findings (JF108)\nFixed 4 findings in 1 file.\n"
    )
    # What cannot be fixed with certainty is still reported, and decides the exit status.
    assert result.code == 0
    remaining = [line.split(" ")[1] for line in result.out.splitlines()[:-1]]
    assert remaining == ["JF106", "JF108", "JF108"]  # 4 objectives for 2 bars; tab; fold


def test_fix_is_idempotent(cli: CliRun, messy: Path) -> None:
    cli("check", "--fix")
    before = messy.stat().st_mtime_ns
    again = cli("check", "--fix")
    assert again.err == "Fixed 0 findings in 0 files.\n"
    assert messy.read_text(encoding="utf-8") == FIXED
    assert messy.stat().st_mtime_ns == before


def test_without_fix_nothing_is_written(cli: CliRun, messy: Path) -> None:
    before = (messy.read_bytes(), messy.stat().st_mtime_ns)
    result = cli("check", "--format", "json")
    assert '"fixable": true' in result.out
    assert (messy.read_bytes(), messy.stat().st_mtime_ns) == before
    assert sorted(path.name for path in messy.parent.iterdir()) == ["family.yaml", "levels.yaml"]


def test_fix_keeps_permissions_line_endings_and_bom(cli: CliRun, canon_dir: Path) -> None:
    path = canon_dir / "canon" / "family.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + MESSY.replace("\n", "\r\n").encode("utf-8"))
    path.chmod(0o640)
    cli("check", "--fix")
    assert path.read_bytes() == b"\xef\xbb\xbf" + FIXED.replace("\n", "\r\n").encode("utf-8")
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert not list(path.parent.glob("*.tmp"))


def test_fix_through_a_link_edits_the_file_and_keeps_the_link(cli: CliRun, canon_dir: Path) -> None:
    real = canon_dir / "real.yaml"
    real.write_text(MESSY, encoding="utf-8")
    (canon_dir / "canon" / "family.yaml").unlink()
    (canon_dir / "canon" / "family.yaml").symlink_to(real)
    cli("check", "canon/family.yaml", "--fix")
    assert (canon_dir / "canon" / "family.yaml").is_symlink()
    assert real.read_text(encoding="utf-8") == FIXED


def test_suppressed_and_ignored_findings_are_not_fixed(cli: CliRun, messy: Path) -> None:
    source = MESSY.replace("'Data  Science'", "'Data  Science'  # jobframe-lint: disable=JF108")
    messy.write_text(source, encoding="utf-8")
    cli("check", "--fix")
    assert "'Data  Science'  # jobframe-lint" in messy.read_text(encoding="utf-8")
    messy.write_text(MESSY, encoding="utf-8")
    result = cli("check", "--fix", "--ignore", "JF108")
    assert messy.read_text(encoding="utf-8") == MESSY
    assert result.err == "Fixed 0 findings in 0 files.\n"


def test_fix_only_touches_the_files_checked(cli: CliRun, messy: Path, canon_dir: Path) -> None:
    other = canon_dir / "canon" / "other.yaml"
    other.write_text(MESSY.replace("Example Family", "Other Family"), encoding="utf-8")
    cli("check", "canon/family.yaml", "--fix")
    assert messy.read_text(encoding="utf-8") == FIXED
    assert "Data  Science" in other.read_text(encoding="utf-8")


def test_a_fix_that_would_collide_is_refused(cli: CliRun, canon_dir: Path) -> None:
    """Two dimension keys that become one after the fix: the file is left as it was."""
    guide = (
        "kind: levels\ndimensions: [Scope]\nlevels:\n  P3:\n    title: Mid\n    dimensions:\n"
        '      Scope: A\n      "Scope ": B\n'
    )
    write_files(canon_dir, {"canon/levels.yaml": guide})
    result = cli("check", "--fix")
    assert (canon_dir / "canon" / "levels.yaml").read_text(encoding="utf-8") == guide
    assert result.err.startswith(
        "canon/levels.yaml: not fixed: the edited file would not load cleanly\n"
    )


def test_fix_keeps_machine_output_pure(cli: CliRun, messy: Path) -> None:
    """The fix summary goes to stderr: stdout stays one JSON (or SARIF) document."""
    result = cli("check", "--fix", "--format", "json")
    assert [item["code"] for item in json.loads(result.out)] == ["JF106", "JF108", "JF108"]
    assert result.err.endswith("Fixed 4 findings in 1 file.\n")


def test_fix_edits_a_level_guide_answered_from_the_cache(cli: CliRun, canon_dir: Path) -> None:
    """A warm cache keeps guides in outline for `check`; --fix needs their text."""
    levels = canon_dir / "canon" / "levels.yaml"
    levels.write_text(
        levels.read_text("utf-8").replace("Works independently", "Works  independently"),
        encoding="utf-8",
    )
    assert " JF108 " in cli("check", "--color", "never", "canon/levels.yaml").out  # cache warm
    result = cli("check", "--fix", "--color", "never", "canon/levels.yaml")
    assert result.err.startswith("canon/levels.yaml: fixed 1 finding (JF108)")
    assert "Works independently" in levels.read_text("utf-8")
