"""`diff` on a canon of many families: a guide edit said once, a capped summary, bounded
matching, and only the pages whose inputs differ are built."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from jobframe_lint.diff import compare
from jobframe_lint.diff.compare import MATCH_BUDGET, word_diff
from jobframe_lint.diff.model import Op
from tests.conftest import FAMILY_YAML, Run, git, write_files

LEVELS = """\
kind: levels
dimensions: [Scope]
levels:
  P1:
    title: Entry
    dimensions: {Scope: Tasks}
  P3:
    title: Mid-Level Professional
    dimensions: {Scope: Features end-to-end}
"""


def family(index: int) -> str:
    return f"""\
kind: family
function: Ops
family: Family {index:02d}
levels:
  P1:
    responsibilities: [Learns the trade {index}.]
  P3:
    responsibilities: [Builds thing {index}., Ships thing {index}.]
"""


@pytest.fixture
def many(canon_dir: Path, hermetic_git: None) -> Path:
    files = {f"canon/family-{index:02d}.yaml": family(index) for index in range(12)}
    (canon_dir / "canon" / "family.yaml").unlink()
    write_files(canon_dir, {"canon/levels.yaml": LEVELS, **files})
    git(canon_dir, "init", "-q")
    git(canon_dir, "add", "-A")
    git(canon_dir, "commit", "-q", "-m", "canon")
    retitle = (canon_dir / "canon/levels.yaml").read_text().replace("Mid-Level", "Senior")
    (canon_dir / "canon/levels.yaml").write_text(retitle)
    return canon_dir


def test_a_change_on_many_pages_is_said_once_with_its_pages(
    many: Path, cli: Callable[..., Run]
) -> None:
    out = cli("diff", "--format", "text").out
    assert out.count("[-Mid-Level-]{+Senior+}") == 3  # breadcrumb and two Relevant lines
    assert "on 12 pages: Family 00 — P3, Family 01 — P3" in out
    assert "Family 11 — P3  (" not in out  # no page has a change of its own
    assert out.rstrip().endswith("Diff: 0 produced, 0 omitted, 36 changed in 12 pages.")


def test_json_keeps_every_change_and_adds_the_groups(many: Path, cli: Callable[..., Run]) -> None:
    document = json.loads(cli("diff", "--format", "json").out)
    assert len(document["pages"]) == 12
    assert (
        sum(len(frame["changes"]) for page in document["pages"] for frame in page["frames"]) == 36
    )
    assert [(group["where"], group["count"]) for group in document["groups"]] == [
        ("Breadcrumb", 12),
        ("Goal 1 · Relevant", 12),
        ("Goal 2 · Relevant", 12),
    ]
    assert document["groups"][0]["pages"][0] == {
        "family": "Family 00",
        "level": "P3",
        "path": "canon/family-00.yaml",
    }


def test_markdown_is_cut_to_its_budget_and_says_so(many: Path, cli: Callable[..., Run]) -> None:
    for index in range(12):  # a change of its own on every family's P1 page
        path = many / f"canon/family-{index:02d}.yaml"
        path.write_text(path.read_text().replace("Learns the trade", "Learns " + "x " * 100))
    whole = cli("diff", "--format", "markdown").out
    assert "not shown" not in whole and "on 12 pages" in whole
    cut = cli("diff", "--format", "markdown", "--max-bytes", "4096").out
    assert len(whole.encode()) > 4096 >= len(cut.encode())
    assert "sections not shown: this summary is capped at 4,096 bytes (`--max-bytes`)" in cut
    assert cut.rstrip().endswith("**")  # the totals are always there
    assert cli("diff", "--format", "markdown", "--max-bytes", "10").code == 2


def test_only_pages_at_the_edited_level_are_built(
    many: Path, cli: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    built: list[tuple[str, str]] = []
    page = compare.PageBuilder.page

    def counting(self: compare.PageBuilder, *args: object) -> object:
        result = page(self, *args)  # type: ignore[arg-type]
        built.append((result.family, result.code))
        return result

    monkeypatch.setattr(compare.PageBuilder, "page", counting)
    assert cli("diff").code == 0
    assert {code for _, code in built} == {"P3"}
    assert len(built) == 24  # each family's P3 page, on both sides


def test_a_long_repetitive_edit_is_shown_replaced_whole() -> None:
    old, new = "a b " * 4000, "b a " * 4000
    assert MATCH_BUDGET < 4000 * 4000
    segments = word_diff("Keep " + old + " end", "Keep " + new + " end")
    assert [segment.op for segment in segments] == [Op.EQUAL, Op.DELETE, Op.INSERT, Op.EQUAL]
    assert segments[0].text == "Keep " and segments[-1].text.endswith("end")
    assert "".join(s.text for s in segments if s.op is not Op.INSERT) == "Keep " + old + " end"


def test_thousands_of_swapped_duplicate_responsibilities_still_diff(
    canon_dir: Path, hermetic_git: None, cli: Callable[..., Run]
) -> None:
    duplicates = "".join(f"      - Duty {index % 2}.\n" for index in range(4000))
    text = FAMILY_YAML.replace("      - Builds the thing.\n", duplicates)
    write_files(canon_dir, {"canon/family.yaml": text})
    git(canon_dir, "init", "-q")
    git(canon_dir, "add", "-A")
    git(canon_dir, "commit", "-q", "-m", "canon")
    swapped = text.replace("Duty 0.", "Duty x.").replace("Duty 1.", "Duty 0.")
    (canon_dir / "canon/family.yaml").write_text(swapped.replace("Duty x.", "Duty 1."))
    result = cli("diff", "--format", "json")
    assert result.code == 0
    assert json.loads(result.out)["summary"]["changed"] > 0
