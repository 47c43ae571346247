"""The example GitHub Actions workflow: valid for GitHub, and calling commands that exist."""

from __future__ import annotations

import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from jobframe_lint.cli import build_parser
from tests.conftest import ROOT

WORKFLOW = ROOT / "examples" / "github-workflow.yml"


def validate(path: Path) -> subprocess.CompletedProcess[str]:
    """check-jsonschema with the GitHub workflow schema it ships (no network needed)."""
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "check_jsonschema",
            "--builtin-schema",
            "vendor.github-workflows",
            str(path),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_workflow_matches_the_github_schema() -> None:
    done = validate(WORKFLOW)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_schema_check_does_reject_a_broken_workflow(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    broken.write_text(WORKFLOW.read_text(encoding="utf-8").replace("runs-on:", "runs_on:"))
    assert validate(broken).returncode == 1


def jobframe_commands() -> list[list[str]]:
    """The arguments of every ``jobframe-lint`` step, output redirections left out."""
    steps = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))["jobs"]["canon"]["steps"]
    commands = []
    for step in steps:
        words = shlex.split(step.get("run", ""), comments=True)
        if words[:1] != ["jobframe-lint"]:
            continue
        redirect = next((i for i, word in enumerate(words) if word in (">", ">>")), len(words))
        commands.append(words[1:redirect])
    return commands


@pytest.mark.parametrize("argv", jobframe_commands(), ids=" ".join)
def test_workflow_commands_are_valid_jobframe_lint_commands(argv: list[str]) -> None:
    args = build_parser().parse_args(argv)
    assert callable(args.run)


def test_workflow_runs_the_gate_sarif_and_the_diff() -> None:
    commands = [" ".join(argv) for argv in jobframe_commands()]
    # One run: annotations on stdout, the SARIF the upload step reads written beside them.
    assert "check --format github --output sarif=jobframe-lint.sarif" in commands
    steps = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))["jobs"]["canon"]["steps"]
    uploads = [step for step in steps if "upload-sarif" in step.get("uses", "")]
    assert [step["with"]["sarif_file"] for step in uploads] == ["jobframe-lint.sarif"]
    assert uploads[0]["if"] == "${{ !cancelled() }}"  # also when the gate failed
    assert any(
        command.startswith("diff --base $BASE_SHA --head HEAD --format markdown")
        for command in commands
    )


GITLAB = ROOT / "examples" / "gitlab-ci.yml"


def test_gitlab_example_matches_the_gitlab_ci_schema_and_its_reports() -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "check_jsonschema",
            "--builtin-schema",
            "vendor.gitlab-ci",
            str(GITLAB),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    job = yaml.safe_load(GITLAB.read_text(encoding="utf-8"))["canon"]
    (command,) = [line for line in job["script"] if line.startswith("jobframe-lint")]
    args = build_parser().parse_args(shlex.split(command)[1:])
    written = {name: str(path) for name, path in args.output}
    assert job["artifacts"]["reports"] == {
        "codequality": written["gitlab"],
        "junit": written["junit"],
    }
    assert job["artifacts"]["when"] == "always"
