"""The gate holds: no option, setting or comment hides a file that did not load, an empty
selection is a usage error, and a run over no files does not pass."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import FAMILY_YAML, Run, write_files

CliRun = Callable[..., Run]

# One file for each loader code: not YAML, a schema violation, a duplicate key, an alias.
BROKEN = {
    "JF001": "kind: [\n",
    "JF002": FAMILY_YAML.replace("family: Example Family\n", "family: Example Family\ncolour: x\n"),
    "JF003": FAMILY_YAML.replace("family: Example Family\n", "family: A\nfamily: B\n"),
    "JF004": FAMILY_YAML.replace("function: Data Science & Analytics", "function: &f Data"),
}


def codes(cli: CliRun, *args: str) -> tuple[int, list[str]]:
    result = cli("check", "--format", "json", *args)
    items: list[dict[str, Any]] = json.loads(result.out)
    return result.code, [item["code"] for item in items]


@pytest.mark.parametrize("code", sorted(BROKEN))
@pytest.mark.parametrize(
    ("hiding", "args"),
    [
        ("select", ("--select", "JF102")),
        ("select-prefix", ("--select", "JF1")),
        ("ignore", ("--ignore", "JF001,JF002,JF003,JF004")),
        ("config", ()),
        ("file-suppression", ()),
        ("line-suppression", ()),
    ],
)
def test_a_file_that_did_not_load_is_always_reported(
    cli: CliRun, canon_dir: Path, code: str, hiding: str, args: tuple[str, ...]
) -> None:
    source = BROKEN[code]
    everything = "JF001,JF002,JF003,JF004"
    if hiding == "config":
        write_files(
            canon_dir,
            {
                "jobframe-lint.toml": f"""\
                    select = ["JF102"]
                    ignore = {everything.split(",")!r}
                    [per-file-ignores]
                    "family.yaml" = {everything.split(",")!r}
                    """.replace("'", '"')
            },
        )
    elif hiding == "file-suppression":
        source += f"# jobframe-lint: disable-file={everything}\n"
    elif hiding == "line-suppression":
        lines = source.splitlines()
        source = "\n".join(f"{line}  # jobframe-lint: disable={everything}" for line in lines)
    write_files(canon_dir, {"canon/family.yaml": source + "\n"})
    exit_code, found = codes(cli, *args)
    assert exit_code == 1
    assert code in found


def test_a_suppression_of_a_load_error_says_it_cannot_be(cli: CliRun, canon_dir: Path) -> None:
    write_files(canon_dir, {"canon/family.yaml": "kind: [\n# jobframe-lint: disable-file=JF001\n"})
    result = cli("check", "--format", "json")
    assert result.code == 1
    items = json.loads(result.out)
    assert [(item["code"], item["line"]) for item in items] == [("JF100", 2), ("JF001", 3)]
    assert "JF001 cannot be suppressed" in items[0]["message"]


def test_a_load_error_keeps_its_severity(cli: CliRun, canon_dir: Path) -> None:
    write_files(canon_dir, {"jobframe-lint.toml": '[severity]\nJF001 = "info"\n'})
    result = cli("check")
    assert result.code == 2
    assert "severity.JF001: JF001 to JF004 are always errors" in result.err


@pytest.mark.parametrize("value", ["", " ", ","])
def test_an_empty_selection_is_a_usage_error(cli: CliRun, canon_dir: Path, value: str) -> None:
    write_files(canon_dir, {"canon/family.yaml": "kind: [\n"})
    result = cli("check", "--select", value)
    assert result.code == 2
    assert result.err == (
        "jobframe-lint: --select: no rule codes given; omit --select to run every rule\n"
    )


def test_an_empty_ignore_ignores_nothing(cli: CliRun, canon_dir: Path) -> None:
    source = FAMILY_YAML.replace("function: Data Science & Analytics\n", "")
    write_files(canon_dir, {"canon/family.yaml": source})
    assert codes(cli, "--ignore", "")[1] == codes(cli)[1] == ["JF111"]


EVERY = ["JF103", "JF106", "JF108", "JF110", "JF111", "JF111"]


@pytest.mark.parametrize(
    ("selector", "expected"),
    [
        ("JF111", ["JF111", "JF111"]),
        ("jf111", ["JF111", "JF111"]),
        ("JF11", ["JF110", "JF111", "JF111"]),
        ("JF10", ["JF103", "JF106", "JF108"]),
        ("JF1", EVERY),
        ("ALL", EVERY),
        ("JF108,JF11", ["JF108", "JF110", "JF111", "JF111"]),
    ],
)
def test_select_takes_codes_prefixes_and_all(
    cli: CliRun, canon_dir: Path, selector: str, expected: list[str]
) -> None:
    source = FAMILY_YAML.replace("function: Data Science & Analytics\n", "").replace(
        "Builds the thing.", "Builds  the thing."
    )
    guide = "kind: levels\ndimensions: [Scope]\nlevels:\n  P3:\n    dimensions:\n      Reach: x\n"
    write_files(canon_dir, {"canon/family.yaml": source, "canon/levels.yaml": guide})
    assert sorted(codes(cli)[1]) == EVERY
    assert sorted(codes(cli, "--select", selector)[1]) == expected


def test_prefixes_work_in_the_configuration_too(cli: CliRun, canon_dir: Path) -> None:
    source = FAMILY_YAML.replace("function: Data Science & Analytics\n", "")
    write_files(
        canon_dir, {"canon/family.yaml": source, "jobframe-lint.toml": 'ignore = ["JF11"]\n'}
    )
    assert codes(cli)[1] == []


def test_a_prefix_matching_nothing_is_a_usage_error(cli: CliRun, canon_dir: Path) -> None:
    result = cli("check", "--select", "JF9")
    assert result.code == 2
    assert result.err.startswith("jobframe-lint: --select: unknown rule code 'JF9'")


@pytest.mark.parametrize("where", ["empty", "empty/sub", "notes.txt-only"])
def test_checking_no_files_is_a_usage_error(cli: CliRun, tmp_path: Path, where: str) -> None:
    folder = tmp_path / where.split("-")[0]
    folder.mkdir(parents=True)
    (folder / "notes.txt").write_text("kind: levels\n")
    result = cli("check", str(folder))
    assert result.code == 2
    assert result.err == f"jobframe-lint: no canon files under {folder} (*.yaml, *.yml)\n"
    assert result.out == ""


def test_the_default_canon_with_no_files_is_a_usage_error(
    cli: CliRun, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "canon").mkdir()
    monkeypatch.chdir(tmp_path)
    result = cli("check")
    assert (result.code, result.err) == (
        2,
        "jobframe-lint: no canon files under canon (*.yaml, *.yml)\n",
    )
