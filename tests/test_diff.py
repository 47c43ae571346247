"""``jobframe-lint diff`` on real git repositories: every case a canon edit can take."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import FAMILY_YAML, LEVELS_YAML, Run, git, write_files

OTHER_FAMILY = """\
kind: family
function: Engineering
family: Another Family
levels:
  P3:
    responsibilities:
      - Keeps the lights on.
"""

pytestmark = pytest.mark.usefixtures("hermetic_git")


def edit(root: Path, name: str, old: str, new: str) -> None:
    path = root / name
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def diff_json(cli: Callable[..., Run], *args: str) -> dict[str, Any]:
    result = cli("diff", "--format", "json", *args)
    assert result.code == 0, result.err
    document: dict[str, Any] = json.loads(result.out)
    return document


def changes(document: dict[str, Any], frame: str | None = None) -> list[tuple[str, str]]:
    """``(kind, where)`` of every change, optionally in one frame only."""
    return [
        (change["kind"], change["where"])
        for page in document["pages"]
        for item in page["frames"]
        if frame is None or item["frame"] == frame
        for change in item["changes"]
    ]


def test_no_change_is_an_empty_diff(git_repo: Path, cli: Callable[..., Run]) -> None:
    result = cli("diff", "--format", "text", "--exit-code")
    assert (result.code, result.err) == (0, "")
    assert result.out == "No changes to the frames (HEAD → working tree).\n"


def test_inserted_responsibility_shows_as_additions_not_a_cascade(
    git_repo: Path, cli: Callable[..., Run]
) -> None:
    edit(
        git_repo,
        "canon/family.yaml",
        "      - Builds the thing.\n",
        "      - New first.\n      - Builds the thing.\n",
    )
    document = diff_json(cli)
    smart = changes(document, "smart")
    assert smart == [
        ("produced", "Goal 1"),
        ("produced", "Goal 1 · Specific"),
        ("produced", "Goal 1 · Measurable"),
        ("produced", "Goal 1 · Achievable"),
        ("produced", "Goal 1 · Relevant"),
        ("produced", "Goal 1 · Time-bound"),
    ]
    assert ("produced", "Area 1") in changes(document, "mbo")
    assert all(kind == "produced" for kind, _ in changes(document, "mbo"))
    assert ("produced", "Internal process") in changes(document, "scorecard")
    # KR2 follows dimension order: the shifted objective really reads a new bar.
    assert ("changed", "Objective 2 · KR2") in changes(document, "okr")
    assert cli("diff", "--exit-code").code == 1


def test_edited_responsibility_is_a_word_diff(git_repo: Path, cli: Callable[..., Run]) -> None:
    edit(git_repo, "canon/family.yaml", "Builds the thing.", "Ships the thing.")
    result = cli("diff", "--format", "text")
    assert result.code == 0
    assert '~ Goal 1 · Specific: Deliver: "[-Builds-]{+Ships+} the thing."' in result.out
    assert "SMART goals: 0 produced, 0 omitted, 2 changed" in result.out
    assert "- " not in result.out.split("\n", 2)[1]  # the legend lists only "changed"
    assert "~ changed" in result.out


def test_removed_rubric_is_no_longer_produced_with_the_reason(
    git_repo: Path, cli: Callable[..., Run]
) -> None:
    edit(git_repo, "canon/family.yaml", "      complexity/problem-solving: Solves problems.\n", "")
    document = diff_json(cli)
    [change] = [c for page in document["pages"] for f in page["frames"] for c in f["changes"]]
    assert (change["kind"], change["where"]) == ("omitted", "Goal 1 · Achievable")
    assert change["old"].endswith('rubric: "Solves problems."')
    assert change["reason"].startswith('now omitted: no "complexity/problem-solving" rubric')
    text = cli("diff", "--format", "text").out
    assert "SMART goals: 0 produced, 1 omitted, 0 changed" in text


def test_removed_responsibility_names_the_canon_text_that_went(
    git_repo: Path, cli: Callable[..., Run]
) -> None:
    edit(
        git_repo,
        "canon/family.yaml",
        "      - Builds the thing.\n",
        "      - Builds the thing.\n      - Second.\n",
    )
    git(git_repo, "commit", "-q", "-am", "two")
    edit(git_repo, "canon/family.yaml", "      - Second.\n", "")
    document = diff_json(cli)
    smart = [
        c
        for p in document["pages"]
        for f in p["frames"]
        if f["frame"] == "smart"
        for c in f["changes"]
    ]
    assert {c["kind"] for c in smart} == {"omitted"}
    assert smart[0]["where"] == "Goal 2"
    assert smart[0]["reason"] == (
        "canon text removed: levels.P3.responsibilities[1] (canon/family.yaml:8)"
    )


def test_level_losing_every_responsibility_omits_whole_frames(
    git_repo: Path, cli: Callable[..., Run]
) -> None:
    edit(git_repo, "canon/family.yaml", "      - Builds the thing.\n", "")
    edit(git_repo, "canon/family.yaml", "    responsibilities:\n", "    responsibilities: []\n")
    document = diff_json(cli)
    reasons = {
        c["reason"]
        for p in document["pages"]
        for f in p["frames"]
        if f["frame"] == "smart"
        for c in f["changes"]
    }
    assert len(reasons) == 1
    assert reasons.pop().startswith("now omitted: no responsibilities for Example Family P3")


def test_family_added_untracked_and_family_removed(git_repo: Path, cli: Callable[..., Run]) -> None:
    write_files(git_repo, {"canon/other.yaml": OTHER_FAMILY})  # untracked: still part of the head
    document = diff_json(cli)
    [page] = document["pages"]
    assert (page["family"], page["status"]) == ("Another Family", "added")
    assert {kind for kind, _ in changes(document)} == {"produced"}

    (git_repo / "canon/family.yaml").unlink()
    document = diff_json(cli)
    removed = next(page for page in document["pages"] if page["status"] == "removed")
    assert removed["family"] == "Example Family"
    reasons = {c["reason"] for f in removed["frames"] for c in f["changes"]}
    assert reasons == {"family Example Family is no longer in the canon"}


def test_level_added_and_removed(git_repo: Path, cli: Callable[..., Run]) -> None:
    write_files(git_repo, {"canon/levels.yaml": LEVELS_YAML + "  P4:\n    title: Senior\n"})
    write_files(
        git_repo,
        {"canon/family.yaml": FAMILY_YAML + "  P4:\n    responsibilities:\n      - Leads.\n"},
    )
    document = diff_json(cli)
    [page] = document["pages"]
    assert (page["level"], page["status"]) == ("P4", "added")
    git(git_repo, "commit", "-q", "-am", "P4")

    write_files(git_repo, {"canon/family.yaml": FAMILY_YAML})
    document = diff_json(cli)
    [page] = document["pages"]
    assert (page["level"], page["status"]) == ("P4", "removed")
    reasons = {c["reason"] for f in page["frames"] for c in f["changes"]}
    assert reasons == {"level P4 is no longer in family Example Family"}


def test_renamed_file_is_not_a_change(git_repo: Path, cli: Callable[..., Run]) -> None:
    (git_repo / "canon/families").mkdir()
    git(git_repo, "mv", "canon/family.yaml", "canon/families/example.yaml")
    assert cli("diff", "--exit-code").code == 0
    git(git_repo, "commit", "-q", "-m", "move")
    shutil.move(git_repo / "canon/families/example.yaml", git_repo / "canon/example.yaml")
    assert cli("diff", "--exit-code").code == 0


def test_renamed_family_pairs_pages_by_file(git_repo: Path, cli: Callable[..., Run]) -> None:
    edit(git_repo, "canon/family.yaml", "family: Example Family", "family: Renamed Family")
    document = diff_json(cli)
    [page] = document["pages"]
    assert (page["status"], page["old_family"]) == ("changed", "Example Family")
    assert ("changed", "Title") in changes(document, "header")
    assert ("changed", "Goal 1 · Relevant") in changes(document, "smart")


def test_base_without_canon_and_unborn_head(canon_dir: Path, cli: Callable[..., Run]) -> None:
    git(canon_dir, "init", "-q")
    document = diff_json(cli)  # no commit at all: everything is new
    assert [page["status"] for page in document["pages"]] == ["added"]
    write_files(canon_dir, {"README": "no canon yet\n"})
    git(canon_dir, "add", "README")
    git(canon_dir, "commit", "-q", "-m", "start")
    document = diff_json(cli)  # HEAD exists, canon/ does not
    assert [page["status"] for page in document["pages"]] == ["added"]
    assert document["summary"]["omitted"] == 0


def test_between_two_revisions(git_repo: Path, cli: Callable[..., Run]) -> None:
    edit(git_repo, "canon/family.yaml", "Builds the thing.", "Ships the thing.")
    git(git_repo, "commit", "-q", "-am", "ship")
    edit(git_repo, "canon/family.yaml", "Ships the thing.", "Uncommitted.")
    document = diff_json(cli, "--base", "HEAD~1", "--head", "HEAD")
    assert (document["base"], document["head"]) == ("HEAD~1", "HEAD")
    texts = {c["new"] for p in document["pages"] for f in p["frames"] for c in f["changes"]}
    assert "Ships the thing." in texts
    assert not any("Uncommitted" in text for text in texts)


def test_staged_reads_the_index_not_the_working_tree(
    git_repo: Path, cli: Callable[..., Run]
) -> None:
    edit(git_repo, "canon/family.yaml", "Builds the thing.", "Staged edit.")
    git(git_repo, "add", "canon/family.yaml")
    edit(git_repo, "canon/family.yaml", "Staged edit.", "Unstaged edit.")
    write_files(git_repo, {"canon/other.yaml": OTHER_FAMILY})  # untracked: not staged
    document = diff_json(cli, "--staged")
    assert document["head"] == "index"
    texts = {c["new"] for p in document["pages"] for f in p["frames"] for c in f["changes"]}
    assert "Staged edit." in texts
    assert not any("Unstaged" in (text or "") for text in texts)
    assert {page["family"] for page in document["pages"]} == {"Example Family"}


def test_paths_and_subdirectories(
    git_repo: Path, cli: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    write_files(git_repo, {"canon/other.yaml": OTHER_FAMILY})
    git(git_repo, "add", "-A")
    git(git_repo, "commit", "-q", "-m", "other")
    edit(git_repo, "canon/family.yaml", "Builds the thing.", "Ships the thing.")
    edit(git_repo, "canon/other.yaml", "Keeps the lights on.", "Keeps them on.")
    monkeypatch.chdir(git_repo / "canon")
    document = diff_json(cli, "family.yaml", "levels.yaml")
    assert [page["path"] for page in document["pages"]] == ["family.yaml"]
    document = diff_json(cli, ".")
    assert [page["path"] for page in document["pages"]] == ["other.yaml", "family.yaml"]


def test_deleted_canon_directory_and_path_that_exists_nowhere(
    git_repo: Path, cli: Callable[..., Run]
) -> None:
    shutil.rmtree(git_repo / "canon")
    document = diff_json(cli)
    assert [page["status"] for page in document["pages"]] == ["removed"]
    result = cli("diff", "nowhere")
    assert result.code == 2
    assert result.err == (
        "jobframe-lint: nowhere: no such file or directory in the working tree or git\n"
    )


def test_broken_file_is_reported_and_left_out(git_repo: Path, cli: Callable[..., Run]) -> None:
    write_files(git_repo, {"canon/other.yaml": OTHER_FAMILY})
    git(git_repo, "add", "-A")
    git(git_repo, "commit", "-q", "-m", "other")
    edit(git_repo, "canon/family.yaml", "levels:\n", "levels: [\n")
    edit(git_repo, "canon/other.yaml", "Keeps the lights on.", "Keeps them on.")
    result = cli("diff", "--format", "text")
    assert result.code == 0, "the diff shows; check is the gate"
    assert "Not compared: canon/family.yaml (working tree): " in result.out
    assert ": JF001 malformed YAML: " in result.out
    assert "Example Family" not in result.out, "a broken file is not shown as all lines removed"
    assert "Another Family — P3" in result.out
    assert cli("diff", "--exit-code").code == 1


def test_broken_level_guide_leaves_out_the_pages_it_defines(
    git_repo: Path, cli: Callable[..., Run]
) -> None:
    write_files(git_repo, {"canon/levels.yaml": "kind: levels\ndimensions: [\n"})
    document = diff_json(cli)
    assert document["pages"] == []
    assert [item["path"] for item in document["not_compared"]] == ["canon/levels.yaml"]


def test_outside_a_repository_and_unknown_revision(
    canon_dir: Path, cli: Callable[..., Run]
) -> None:
    result = cli("diff")
    assert result.code == 2
    assert result.err.startswith("jobframe-lint: not a git repository")
    assert result.err.count("\n") == 1
    git(canon_dir, "init", "-q")
    git(canon_dir, "add", "-A")
    git(canon_dir, "commit", "-q", "-m", "canon")
    for option in ("--base", "--head"):
        result = cli("diff", option, "no-such-branch")
        assert (result.code, result.out) == (2, "")
        assert result.err == (
            "jobframe-lint: unknown revision 'no-such-branch': git knows no commit by that name\n"
        )
    result = cli("diff", "--base=--output=/tmp/x")
    assert result.code == 2, "a revision is never taken as a git option"


def test_one_family_path_still_reads_the_level_guides(
    git_repo: Path, cli: Callable[..., Run]
) -> None:
    write_files(git_repo, {"canon/other.yaml": OTHER_FAMILY})
    git(git_repo, "add", "-A")
    git(git_repo, "commit", "-q", "-m", "other")
    edit(git_repo, "canon/levels.yaml", "title: Mid-Level Professional", "title: Mid-Level")
    document = diff_json(cli, "canon/family.yaml")
    assert [page["family"] for page in document["pages"]] == ["Example Family"]
    assert ("changed", "Goal 1 · Relevant") in changes(document, "smart")
    assert ("changed", "Breadcrumb") in changes(document, "header")
    document = diff_json(cli)  # a level guide edit reaches every family using the level
    assert [page["family"] for page in document["pages"]] == ["Another Family", "Example Family"]


def test_unchanged_file_broken_on_both_sides_is_not_a_difference(
    git_repo: Path, cli: Callable[..., Run]
) -> None:
    write_files(git_repo, {"canon/broken.yaml": "kind: family\nfamily: [\n"})
    git(git_repo, "add", "-A")
    git(git_repo, "commit", "-q", "-m", "broken")
    assert cli("diff", "--exit-code").code == 0


def test_configured_limits_apply_to_both_sides(git_repo: Path, cli: Callable[..., Run]) -> None:
    write_files(git_repo, {"jobframe-lint.toml": "[limits]\nmax-file-bytes = 200\n"})
    edit(git_repo, "canon/family.yaml", "Builds the thing.", "Builds the thing well.")
    result = cli("diff", "--format", "text")
    assert result.code == 0, result.err
    for side in ("HEAD", "working tree"):
        assert f"Not compared: canon/family.yaml ({side}): 1:1: JF001 " in result.out
    assert "max-file-bytes" in result.out


def test_base_blobs_the_working_tree_holds_are_taken_from_it(git_repo: Path) -> None:
    """An edit leaves nearly every file alone: git need not send the base's copies."""
    from jobframe_lint.diff.gitread import object_id, revision_files

    family = (git_repo / "canon" / "family.yaml").read_bytes()
    assert object_id(family) == git(git_repo, "hash-object", "canon/family.yaml").strip()
    edit(git_repo, "canon/family.yaml", "Builds the thing.", "Builds it.")
    known = {object_id(family): family}
    assert revision_files("HEAD", ["canon"], known) == revision_files("HEAD", ["canon"])
    # The known content is what is used: git is not asked for that blob at all.
    planted = {object_id(family): b"kind: family\n"}
    assert revision_files("HEAD", ["canon"], planted)["canon/family.yaml"] == b"kind: family\n"


def test_a_file_with_a_repeated_key_is_not_compared(
    git_repo: Path, cli: Callable[..., Run]
) -> None:
    """YAML readers disagree on which value a repeated key has: no frames are shown for it."""
    edit(git_repo, "canon/family.yaml", "Builds the thing.", "Ships the thing.")
    with (git_repo / "canon/family.yaml").open("a", encoding="utf-8") as handle:
        handle.write("family: Again\n")
    document = diff_json(cli)
    assert document["pages"] == []
    assert document["not_compared"] == [
        {
            "path": "canon/family.yaml",
            "side": "working tree",
            "message": "11:1: JF003 duplicate key 'family' (first defined at line 3); "
            "YAML readers silently keep only one of them",
        }
    ]
    assert cli("diff", "--exit-code").code == 1


def test_a_path_above_the_working_directory_is_compared(
    git_repo: Path, cli: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    edit(git_repo, "canon/family.yaml", "Builds the thing.", "Ships the thing.")
    (git_repo / "canon/sub").mkdir()
    monkeypatch.chdir(git_repo / "canon/sub")
    for path in ("..", "../family.yaml", "../../canon"):
        document = diff_json(cli, path)
        assert document["summary"]["changed"] == 6, path


def test_no_canon_in_the_repository_is_no_frames_and_no_failure(
    tmp_path: Path, hermetic_git: None, cli: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The preview hook runs on every commit: a repository without canon/ passes it."""
    monkeypatch.chdir(tmp_path)
    git(tmp_path, "init", "-q")
    result = cli("diff", "--staged", "--format", "text")
    assert (result.code, result.out) == (
        0,
        "jobframe-lint: no canon at canon: no frames to compare\n",
    )
    assert cli("diff", "canon").code == 2  # a path the user names must exist


def test_the_working_tree_is_read_as_git_sees_it(
    git_repo: Path, cli: Callable[..., Run], tmp_path_factory: pytest.TempPathFactory
) -> None:
    """A committed symlink to a file outside, and a nested repository: clean status, no diff."""
    outside = tmp_path_factory.mktemp("outside") / "elsewhere.yaml"
    outside.write_text(FAMILY_YAML.replace("Example Family", "Outside Family"), encoding="utf-8")
    (git_repo / "canon/link.yaml").symlink_to(outside)
    nested = git_repo / "canon/vendor"
    write_files(nested, {"family.yaml": FAMILY_YAML.replace("Example Family", "Nested")})
    git(nested, "init", "-q")
    git(git_repo, "add", "canon/link.yaml")
    git(git_repo, "commit", "-q", "-m", "link")
    assert git(git_repo, "status", "--porcelain", "--untracked-files=no") == ""
    result = cli("diff", "--exit-code", "--format", "text")
    assert (result.code, result.out) == (0, "No changes to the frames (HEAD → working tree).\n")


def test_a_bare_repository_is_refused_not_shown_as_every_line_removed(
    git_repo: Path,
    cli: Callable[..., Run],
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    bare = tmp_path_factory.mktemp("bare") / "canon.git"
    git(git_repo, "clone", "-q", "--bare", str(git_repo), str(bare))
    monkeypatch.chdir(bare)
    result = cli("diff", "--format", "text")
    assert result.code == 2
    assert "a bare repository has no working tree: give --head REV" in result.err
    assert cli("diff", "--head", "HEAD", "--format", "text").code == 0


def test_a_blob_larger_than_the_limit_is_refused_not_held(
    git_repo: Path, cli: Callable[..., Run]
) -> None:
    """As on disk: of a blob over max-file-bytes only enough to refuse it is read."""
    write_files(
        git_repo, {"pyproject.toml": "[tool.jobframe-lint.limits]\nmax-file-bytes = 4096\n"}
    )
    big = FAMILY_YAML.replace("family: Example Family", "family: Big") + "# " + "x" * 200_000 + "\n"
    write_files(git_repo, {"canon/big.yaml": big})
    git(git_repo, "add", "-A")
    git(git_repo, "commit", "-q", "-m", "big")
    (git_repo / "canon/big.yaml").unlink()
    document = diff_json(cli)
    assert document["pages"] == []
    assert document["not_compared"] == [
        {
            "path": "canon/big.yaml",
            "side": "HEAD",
            "message": "1:1: JF001 file is larger than 4,096 bytes, the limit for a canon file "
            "(max-file-bytes)",
        }
    ]


def test_a_capped_read_keeps_one_byte_more_than_the_limit() -> None:
    import io

    from jobframe_lint.diff.gitread import _read_capped

    stream = io.BytesIO(b"a" * 10_000 + b"\nnext")
    assert _read_capped(stream, 10_000, 100) == b"a" * 101
    assert stream.read() == b"\nnext"  # the rest of the blob was read past, not kept
    assert _read_capped(io.BytesIO(b"small"), 5, 100) == b"small"
