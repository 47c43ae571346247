"""Rule plugins (SPEC §6): installed distributions' ``jobframe_lint.rules`` entry points.

Each test installs its plugins as pip lays them out (a module and its ``*.dist-info``
folder in a folder on the path) and runs jobframe-lint as its own process, as a user does.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.conftest import ROOT, Run, run_process

BUZZ = """\
from jobframe_lint.plugin import Finding, Rule

def check(canon):
    for family in canon.families:
        for level in family.levels:
            for text in level.responsibilities:
                if "thing" in text.value:
                    yield Finding(text, f"vague word in {text.field}")
    for guide in canon.guides:
        for level in guide.levels:
            if level.title is not None and level.title.value.islower():
                yield Finding(level.title, "titles are capitalised")

RULE = Rule(code="ACME900", name="no-vague-words", severity="error",
            summary="responsibilities say what the work is", check=check,
            example="responsibilities:\\n  - Builds the thing.   # ACME900")
"""


def install(site: Path, name: str, version: str, module: str, source: str, points: str) -> None:
    """A distribution as pip installs it: ``points`` are its entry points in our group."""
    (site / f"{module}.py").write_text(textwrap.dedent(source), encoding="utf-8")
    info = site / f"{name.replace('-', '_')}-{version}.dist-info"
    info.mkdir(parents=True, exist_ok=True)
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n", encoding="utf-8"
    )
    (info / "entry_points.txt").write_text(f"[jobframe_lint.rules]\n{points}\n", encoding="utf-8")


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder of installed distributions on every jobframe-lint process's path."""
    folder = tmp_path / "site-packages"
    folder.mkdir()
    monkeypatch.setenv("PYTHONPATH", str(folder))
    return folder


def check_json(cwd: Path, *args: str) -> tuple[Run, list[dict[str, object]]]:
    result = run_process("check", "--format", "json", *args, cwd=cwd)
    assert "Traceback" not in result.err
    return result, json.loads(result.out) if result.out else []


def test_a_plugin_rule_is_run_at_its_texts_listed_and_explained(
    canon_dir: Path, site: Path
) -> None:
    install(site, "acme-plug", "1.0", "acme_plug", BUZZ, "vague = acme_plug:RULE")
    levels = canon_dir / "canon" / "levels.yaml"
    levels.write_text(
        levels.read_text("utf-8").replace("Mid-Level Professional", "mid-level"), "utf-8"
    )
    result, found = check_json(canon_dir)
    assert result.code == 1
    assert [
        (item["code"], item["rule"], item["path"], item["line"], item["column"], item["message"])
        for item in found
        if item["code"] == "ACME900"
    ] == [
        (
            "ACME900",
            "no-vague-words",
            "canon/family.yaml",
            7,
            9,
            "vague word in levels.P3.responsibilities[0]",
        ),
        ("ACME900", "no-vague-words", "canon/levels.yaml", 7, 12, "titles are capitalised"),
    ]
    listed = run_process("rules", cwd=canon_dir).out
    assert "ACME900  no-vague-words  error     plugin 'vague' (acme-plug 1.0)" in listed
    explained = run_process("rules", "ACME900", cwd=canon_dir).out
    assert explained == (
        "ACME900 no-vague-words (error, not fixable)\n\n"
        "responsibilities say what the work is\n\n"
        "From plugin 'vague' (acme-plug 1.0).\n\n"
        "Example:\n\n    responsibilities:\n      - Builds the thing.   # ACME900\n"
    )
    _, ignored = check_json(canon_dir, "--ignore", "ACME900")
    assert "ACME900" not in {item["code"] for item in ignored}
    sarif = json.loads(run_process("check", "--format", "sarif", cwd=canon_dir).out)
    rules = {rule["id"]: rule for rule in sarif["runs"][0]["tool"]["driver"]["rules"]}
    assert rules["ACME900"]["properties"]["origin"] == "plugin 'vague' (acme-plug 1.0)"


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ("    return 1 / 0", "ZeroDivisionError: division by zero"),
        (
            "    return ['not a finding']",
            "TypeError: check yielded str, not a Finding at a canon Text",
        ),
    ],
)
def test_a_plugin_that_raises_is_an_error_finding_naming_it(
    canon_dir: Path, site: Path, body: str, error: str
) -> None:
    source = (
        "from jobframe_lint.plugin import Rule\n\ndef check(canon):\n"
        f"{body}\n\nRULE = Rule('ACME901', 'broken', 'info', 'breaks', check)\n"
    )
    install(site, "acme-boom", "2.0", "acme_boom", source, "boom = acme_boom:RULE")
    result, found = check_json(canon_dir)
    assert result.code == 1, result.err
    crashes = [item for item in found if item["code"] == "ACME901"]
    message = (
        f"plugin 'boom' (acme-boom 2.0) raised {error}: its findings on this file are "
        "missing; so are those on 1 other file"
    )
    assert [(item["path"], item["severity"], item["message"]) for item in crashes] == [
        ("canon/family.yaml", "error", message)
    ]
    result, found = check_json(canon_dir, "canon/levels.yaml")
    assert [item["message"] for item in found if item["code"] == "ACME901"] == [
        f"plugin 'boom' (acme-boom 2.0) raised {error}: its findings on this file are missing"
    ]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (
            "import no_such_module\n",
            "cannot be loaded: ModuleNotFoundError: No module named 'no_such_module'",
        ),
        ("RULE = {'code': 'ACME902'}\n", "names a dict, not a jobframe_lint.plugin.Rule"),
        (
            "from jobframe_lint.plugin import Rule\nRULE = Rule('JF999', 'mine', 'error', 's', print)\n",
            "code JF999: the JF prefix is reserved for jobframe-lint's own rules",
        ),
        (
            "from jobframe_lint.plugin import Rule\nRULE = Rule('ACME902', 'x', 'fatal', 's', print)\n",
            "severity 'fatal' is not one of error, warning, info",
        ),
    ],
)
def test_a_plugin_that_cannot_be_used_is_exit_2_naming_it(
    canon_dir: Path, site: Path, source: str, expected: str
) -> None:
    install(site, "acme-bad", "0.1", "acme_bad", source, "bad = acme_bad:RULE")
    for command in (("check",), ("rules",)):
        result = run_process(*command, cwd=canon_dir)
        assert (result.code, result.out) == (2, "")
        assert result.err == f"jobframe-lint: plugin 'bad' (acme-bad 0.1): {expected}\n"


def test_two_plugins_with_one_code_are_exit_2(canon_dir: Path, site: Path) -> None:
    install(site, "acme-plug", "1.0", "acme_plug", BUZZ, "vague = acme_plug:RULE")
    install(site, "acme-copy", "1.0", "acme_copy", BUZZ, "copy = acme_copy:RULE")
    result = run_process("check", cwd=canon_dir)
    assert result.code == 2
    assert result.err == (
        "jobframe-lint: rule code ACME900 is defined twice: plugin 'copy' (acme-copy 1.0) "
        "and plugin 'vague' (acme-plug 1.0)\n"
    )


def test_nothing_in_the_checked_repository_is_loaded_as_a_plugin(
    canon_dir: Path, site: Path
) -> None:
    marker = canon_dir / "ran"
    planted = f"open({str(marker)!r}, 'w').close()\n" + BUZZ
    # A distribution committed to the repository, and a module shadowing an installed one.
    install(canon_dir, "evil", "1.0", "evil", planted, "evil = evil:RULE")
    install(
        site,
        "acme-plug",
        "1.0",
        "acme_plug",
        BUZZ.replace("ACME900", "ACME903"),
        "vague = acme_plug:RULE",
    )
    (canon_dir / "acme_plug.py").write_text(planted, encoding="utf-8")
    _, found = check_json(canon_dir)
    assert not marker.exists()
    assert "ACME900" not in {item["code"] for item in found}
    assert "ACME903" in {item["code"] for item in found}
    assert "evil" not in run_process("rules", cwd=canon_dir).out


def test_a_new_plugin_version_changes_the_next_warm_run(canon_dir: Path, site: Path) -> None:
    quiet = BUZZ.replace('"thing" in text.value', "False")
    install(site, "acme-plug", "1.0", "acme_plug", quiet, "vague = acme_plug:RULE")
    assert run_process("check", cwd=canon_dir).code == 0
    assert run_process("check", cwd=canon_dir).code == 0  # answered from the cache
    for old in site.glob("acme_plug-*.dist-info"):
        for file in old.iterdir():
            file.unlink()
        old.rmdir()
    install(site, "acme-plug", "1.1", "acme_plug", BUZZ, "vague = acme_plug:RULE")
    result = run_process("check", cwd=canon_dir)
    assert result.code == 1
    assert "canon/family.yaml:7:9: ACME900 vague word" in result.out


@pytest.mark.slow
def test_the_example_plugin_installs_and_passes_its_own_tests(tmp_path: Path) -> None:
    """``examples/acme-rules`` installed by pip, then its own test suite run against it."""
    target = tmp_path / "site-packages"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "-q",
            "--no-deps",
            "--target",
            str(target),
            str(ROOT / "examples" / "acme-rules"),
        ],
        check=True,
        timeout=300,
    )
    assert (target / "acme_rules-1.0.0.dist-info" / "entry_points.txt").is_file()
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "--basetemp",
            str(tmp_path / "tests"),
            str(ROOT / "examples" / "acme-rules" / "tests"),
        ],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(target)},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "2 passed" in done.stdout


def test_without_plugins_a_check_does_not_import_importlib_metadata(canon_dir: Path) -> None:
    """Finding that no distribution declares a plugin reads a few files; importing
    importlib.metadata to find out would cost every hook run ~20 ms."""
    from tests.test_import_cost import run_probe

    result, modules = run_probe(canon_dir, "check")
    assert result.code == 0
    assert "importlib.metadata" not in modules


def test_with_a_plugin_a_check_finds_it_through_importlib_metadata(
    canon_dir: Path, site: Path
) -> None:
    """The check above can fail: with a plugin installed, importlib.metadata reads it."""
    from tests.test_import_cost import run_probe

    install(site, "acme-plug", "1.0", "acme_plug", BUZZ, "vague = acme_plug:RULE")
    result, modules = run_probe(canon_dir, "check")
    assert result.code == 1
    assert "importlib.metadata" in modules
