"""Property: whatever the canon holds, every command ends in diagnostics and an exit code of
0, 1 or 2 — never an exception — and text output never carries a control character.

Two sources of canon: well-formed YAML generated from a model of the canon with hostile
text and wrong-typed values in it, and that YAML mutated byte by byte with the fragments
most likely to break a parser. ``fuzz/fuzz_check.py`` is the long-running counterpart.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jobframe_lint.cli import main
from tests.conftest import FAMILY_YAML, LEVELS_YAML, write_files

CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
COMMANDS = (
    ("check", "--format", "json"),
    ("check", "--format", "github"),
    ("check", "--format", "text"),
    ("render", "--format", "text", "--omitted"),
    ("render", "--format", "json"),
    ("render", "--format", "markdown", "--omitted"),
    ("diff", "--format", "text"),
)
FRAGMENTS = [
    *(b"&a ", b"*a", b"!!python/object/apply:os.system ", b"!x ", b"<<: "),
    *(b"[", b"]", b"{", b"}", b"- ", b"? ", b": ", b", ", b"#", b"|\n", b">-\n", b"~"),
    *(b"'", b'"', b"\\", b"\\x1b", b"\t", b"\r\n", b"\r", b"\n", b"\n---\n", b"\n...\n"),
    *(b"\xff", b"\xc3", b"\xef\xbb\xbf", b"\x00", b"\x1b]0;t\x07", b"\xc2\x85", b"%YAML 1.1\n"),
    *(b"  ", b"P3", b"kind", b"levels", b"family", b"responsibilities", b"rubrics", b"No"),
]
TEXT = st.text(st.characters(codec="utf-8"), max_size=30)
JUNK = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
    max_leaves=6,
)
CODES = st.from_regex(r"[A-Z]{1,3}[0-9]{1,2}", fullmatch=True)


def _maybe(value: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Usually the right shape, sometimes junk: the schema stage must take both."""
    return st.one_of(value, value, value, JUNK)


@st.composite
def generated(draw: st.DrawFn) -> dict[str, bytes]:
    dimensions = draw(st.lists(TEXT, max_size=4))
    codes = draw(st.lists(CODES | TEXT, min_size=1, max_size=3))
    levels = {
        "kind": "levels",
        "dimensions": draw(_maybe(st.just(dimensions))),
        "levels": {
            code: {
                "title": draw(_maybe(TEXT)),
                "dimensions": {name: draw(_maybe(TEXT)) for name in draw(st.lists(TEXT))},
            }
            for code in codes
        },
    }
    family = {
        "kind": draw(_maybe(st.just("family"))),
        "function": draw(_maybe(TEXT)),
        "family": draw(_maybe(TEXT)),
        "levels": {
            code: {
                "responsibilities": draw(_maybe(st.lists(TEXT, max_size=4))),
                "rubrics": draw(
                    _maybe(
                        st.fixed_dictionaries(
                            {},
                            optional={
                                "complexity/problem-solving": TEXT,
                                "knowledge-application": TEXT,
                            },
                        )
                    )
                ),
            }
            for code in draw(st.lists(st.sampled_from(codes) | CODES, max_size=3))
        },
    }
    return {
        "levels.yaml": yaml.safe_dump(levels, allow_unicode=True).encode(),
        "family.yaml": yaml.safe_dump(family, allow_unicode=draw(st.booleans())).encode(),
    }


@st.composite
def mutated(draw: st.DrawFn) -> dict[str, bytes]:
    files = draw(generated())
    name = draw(st.sampled_from(sorted(files)))
    raw = bytearray(files[name])
    for _ in range(draw(st.integers(1, 4))):
        start = draw(st.integers(0, len(raw)))
        end = draw(st.integers(start, min(len(raw), start + 8)))
        piece = draw(st.sampled_from(FRAGMENTS) | st.binary(max_size=4))
        raw[start:end] = piece if draw(st.booleans()) else b""
    return {**files, name: bytes(raw)}


@pytest.fixture
def repository(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A git working copy whose HEAD holds a valid canon: the base side of ``diff``."""
    write_files(tmp_path, {"canon/levels.yaml": LEVELS_YAML, "canon/family.yaml": FAMILY_YAML})
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@t", "-c", "commit.gpgsign=false"]
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "base"]):
        subprocess.run([*git, *args], cwd=tmp_path, check=True)
    monkeypatch.chdir(tmp_path)
    yield tmp_path


def _run_everything(root: Path, files: dict[str, bytes]) -> None:
    for name, raw in files.items():
        (root / "canon" / name).write_bytes(raw)
    for args in COMMANDS:
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main([*args, "--color", "never", "canon"])
        assert code in (0, 1, 2), (args, code)
        if "json" in args and (args[0] == "check" or code == 0):
            json.loads(out.getvalue())
        else:
            assert CONTROL.search(out.getvalue()) is None, (args, out.getvalue())
        assert CONTROL.search(err.getvalue()) is None, (args, err.getvalue())


FUZZ = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.mark.slow
@FUZZ
@given(files=generated())
def test_generated_canon(repository: Path, files: dict[str, bytes]) -> None:
    _run_everything(repository, files)


@pytest.mark.slow
@FUZZ
@given(files=mutated())
def test_mutated_canon(repository: Path, files: dict[str, bytes]) -> None:
    _run_everything(repository, files)
