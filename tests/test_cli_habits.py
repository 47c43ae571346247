"""Command-line habits of ruff and git users: hidden files, excludes, help, -V, did-you-mean."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import FAMILY_YAML, Run, git, run_process, write_files

CliRun = Callable[..., Run]
BROKEN = "kind: family\nfamily: [\n"


def paths(cli: CliRun, *args: str) -> tuple[int, list[str]]:
    result = cli("check", "--format", "json", *args)
    assert result.code in (0, 1), result.err
    return result.code, sorted({item["path"] for item in json.loads(result.out)})


def test_hidden_files_and_folders_are_not_canon(cli: CliRun, canon_dir: Path) -> None:
    write_files(
        canon_dir,
        {
            ".pre-commit-config.yaml": "repos: []\n",
            ".github/workflows/ci.yml": "on: push\n",
            "canon/.draft.yaml": BROKEN,
        },
    )
    result = cli("check", ".")
    assert (result.code, result.out) == (0, "All checks passed (2 files).\n")
    assert paths(cli, "canon/.draft.yaml") == (1, ["canon/.draft.yaml"])  # named: checked


def test_hidden_files_are_not_canon_in_the_index_either(cli: CliRun, git_repo: Path) -> None:
    write_files(git_repo, {"canon/.draft.yaml": BROKEN})
    git(git_repo, "add", "-f", "canon/.draft.yaml")
    assert paths(cli, "--staged") == (0, [])


@pytest.mark.parametrize("key", ["exclude", "extend-exclude"])
def test_excluded_files_and_folders_are_not_canon(cli: CliRun, canon_dir: Path, key: str) -> None:
    write_files(
        canon_dir,
        {
            "jobframe-lint.toml": f'{key} = ["canon/drafts", "*.wip.yaml"]\n',
            "canon/drafts/family.yaml": FAMILY_YAML,  # would clash with canon/family.yaml
            "canon/drafts/broken.yaml": BROKEN,
            "canon/next.wip.yaml": BROKEN,
        },
    )
    result = cli("check")
    assert (result.code, result.out) == (0, "All checks passed (2 files).\n")
    assert paths(cli, "canon/next.wip.yaml") == (1, ["canon/next.wip.yaml"])  # named: checked
    git(canon_dir, "init", "-q")
    git(canon_dir, "add", "-A")
    assert paths(cli, "--staged") == (0, [])


def test_exclude_must_be_a_list_of_globs(cli: CliRun, canon_dir: Path) -> None:
    write_files(canon_dir, {"jobframe-lint.toml": 'exclude = "canon/drafts"\n'})
    result = cli("check")
    assert result.code == 2
    assert result.err.startswith("jobframe-lint: jobframe-lint.toml: exclude: expected a list")


def test_a_bare_command_prints_help_as_a_usage_error(tmp_path: Path) -> None:
    result = run_process(cwd=tmp_path)
    assert result.code == 2 and result.out == ""
    assert result.err.startswith("usage: jobframe-lint")
    assert all(command in result.err for command in ("check", "render", "diff", "rules"))


@pytest.mark.parametrize("option", ["-V", "--version"])
def test_version(cli: CliRun, option: str) -> None:
    result = cli(option)
    assert result.code == 0 and result.out.startswith("jobframe-lint ")


@pytest.mark.parametrize(
    ("args", "hint"),
    [
        (("check", "--selct", "JF1"), "unrecognized arguments: --selct; did you mean --select?"),
        (("check", "--exit-zreo"), "did you mean --exit-zero?"),
        (("render", "--levle=P3"), "unrecognized arguments: --levle=P3; did you mean --level?"),
        (("chek",), "invalid choice: 'chek'"),
        (("check", "--format", "jsn"), "did you mean 'json'?"),
    ],
)
def test_a_mistyped_option_or_command_gets_a_did_you_mean(
    cli: CliRun, canon_dir: Path, args: tuple[str, ...], hint: str
) -> None:
    result = cli(*args)
    assert result.code == 2
    assert hint in result.err
    if args == ("chek",):
        assert result.err.rstrip().endswith("did you mean 'check'?")


def test_an_unknown_option_without_a_close_one(cli: CliRun, canon_dir: Path) -> None:
    result = cli("check", "--zzzzzz")
    assert result.code == 2
    assert result.err.rstrip().endswith("unrecognized arguments: --zzzzzz")


def test_level_matches_case_insensitively(cli: CliRun, canon_dir: Path) -> None:
    upper, lower = (
        cli("render", "--format", "text", "--level", "P3"),
        cli("render", "--format", "text", "--level", "p3"),
    )
    assert lower.code == 0 and lower.out == upper.out != ""


@pytest.mark.parametrize(
    "words",
    [["check"], ["check", "canon/a.yaml"], ["check", "a b.yaml", "canon/", ""], ["check", "check"]],
)
def test_check_with_paths_alone_is_read_as_the_parser_reads_it(words: list[str]) -> None:
    """``check PATH ...`` is read without building the parser (see ``plain_args``): to the
    same arguments, defaults included, as the parser gives."""
    from jobframe_lint.cli import build_parser
    from jobframe_lint.commands.check import plain_args

    parsed, unknown = build_parser().parse_known_args(words)
    plain = plain_args(words)
    assert unknown == [] and plain is not None
    assert vars(plain) == vars(parsed)


@pytest.mark.parametrize(
    "words", [[], ["check", "--fix"], ["check", "a.yaml", "-q"], ["check", "-"], ["render", "a"]]
)
def test_anything_but_paths_goes_to_the_parser(words: list[str]) -> None:
    from jobframe_lint.commands.check import plain_args

    assert plain_args(words) is None
