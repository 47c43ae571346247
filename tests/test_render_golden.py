"""`render --format text` reproduces the golden page byte for byte."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.conftest import GOLDEN, ROOT, Run, run_process

CliRun = Callable[..., Run]


def test_text_render_matches_golden_bytes(cli: CliRun, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    result = cli("render", "--format", "text", "canon")
    assert result.code == 0
    assert result.out.encode("utf-8") == GOLDEN.read_bytes()


def test_piped_render_defaults_to_text() -> None:
    result = run_process("render", cwd=ROOT)
    assert result.code == 0
    assert result.out.encode("utf-8") == GOLDEN.read_bytes()
