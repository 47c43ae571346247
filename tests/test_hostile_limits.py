"""Limits on one canon file (size, nesting depth, node count): configurable, located, and
the same finding in a short file and a long one (the loader once took another path over
64 KiB)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from jobframe_lint.loader import Limits, load_bytes
from tests.conftest import Run


def findings(raw: bytes, limits: Limits) -> list[tuple[str, int, int, str]]:
    document = load_bytes(raw, "x.yaml", limits)
    return [
        (d.code, d.span.start.line, d.span.start.column, d.message) for d in document.diagnostics
    ]


# Makes the file over 64 KiB; a comment adds no nodes.
PADDING = b"#" + b"-" * 70_000 + b"\n"


def test_file_size_limit() -> None:
    raw = b"kind: levels\n"
    assert findings(raw, Limits(max_file_bytes=len(raw))) == []
    [(code, line, column, message)] = findings(raw, Limits(max_file_bytes=len(raw) - 1))
    assert (code, line, column) == ("JF001", 1, 1)
    assert message.startswith("file is larger than 12 bytes") and "max-file-bytes" in message


@pytest.mark.parametrize("padding", [b"", PADDING], ids=["short", "long"])
def test_depth_limit_is_configurable_and_alike_in_short_and_long_files(padding: bytes) -> None:
    raw = b"a:\n  b:\n    c:\n      d: 1\n" + padding
    assert findings(raw, Limits(max_depth=4)) == []
    assert findings(raw, Limits(max_depth=3)) == [
        ("JF001", 4, 7, "nesting deeper than 3 levels; canon needs at most 5 (max-depth)")
    ]


@pytest.mark.parametrize("padding", [b"", PADDING], ids=["short", "long"])
def test_node_limit_is_configurable_and_alike_in_short_and_long_files(padding: bytes) -> None:
    raw = b"a: 1\nb:\n  - x\n  - y\n" + padding  # root, a, 1, b, list, x, y: 7 nodes
    assert findings(raw, Limits(max_nodes=7)) == []
    [(code, line, column, message)] = findings(raw, Limits(max_nodes=6))
    assert (code, line, column) == ("JF001", 4, 5)
    assert message.startswith("more than 6 keys, values and items") and "max-nodes" in message


@pytest.mark.parametrize(
    "values",
    [{"max_depth": 101}, {"max_depth": 0}, {"max_nodes": 0}, {"max_file_bytes": -1}],
)
def test_limits_out_of_range_are_refused(values: dict[str, int]) -> None:
    with pytest.raises(ValueError, match=r"max-depth|positive"):
        Limits(**values).checked()


def test_limits_are_configured_in_the_project_file(
    canon_dir: Path, cli: Callable[..., Run]
) -> None:
    (canon_dir / "jobframe-lint.toml").write_text("[limits]\nmax-nodes = 5\n", encoding="utf-8")
    for command in ("check", "render"):
        run = cli(command, "canon")
        assert run.code == 1
        assert (
            "canon/levels.yaml:3:5: JF001 more than 5 keys, values and items" in run.out + run.err
        )


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ("max-depth = 500", "limits: max-depth cannot exceed 100"),
        ("max-nodes = 0", "limits: limits must be positive"),
        ("max-nodes = '5'", "limits.max-nodes: expected a whole number"),
        ("max-dept = 5", "limits.max-dept: unknown limit; expected max-file-bytes"),
    ],
)
def test_bad_limits_are_a_configuration_error(
    table: str, message: str, canon_dir: Path, cli: Callable[..., Run]
) -> None:
    (canon_dir / "jobframe-lint.toml").write_text(f"[limits]\n{table}\n", encoding="utf-8")
    run = cli("check", "canon")
    assert run.code == 2
    assert message in run.err
