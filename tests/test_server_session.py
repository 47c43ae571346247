"""The server's canon between requests: what it keeps, and when it reads a file again."""

from __future__ import annotations

import os
from pathlib import Path

from jobframe_lint.config import Settings
from jobframe_lint.server.session import Session
from tests.conftest import FAMILY_YAML, LEVELS_YAML


def test_a_file_rewritten_with_its_size_and_time_kept_is_seen(canon_dir: Path) -> None:
    session = Session(Settings())
    family = canon_dir / "canon" / "family.yaml"
    first = session.snapshot()
    assert first.canon.families[0].name.value == "Example Family"
    # The same size and modification time, as a coarse clock or a tool restoring times
    # would leave it: only the change time (which cannot be set back) tells.
    before = family.stat()
    family.write_text(FAMILY_YAML.replace("Example Family", "Exampel Family"), "utf-8")
    os.utime(family, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert family.stat().st_size == before.st_size
    assert session.snapshot().canon.families[0].name.value == "Exampel Family"


def test_an_unchanged_canon_is_not_parsed_again(canon_dir: Path) -> None:
    session = Session(Settings())
    first = session.snapshot()
    second = session.snapshot()
    assert [id(document) for document in first.documents.values()] == [
        id(document) for document in second.documents.values()
    ]
    # A buffer is parsed from its text, and only when the text changed.
    session.buffers["canon/levels.yaml"] = LEVELS_YAML
    third = session.snapshot()
    assert third.documents["canon/family.yaml"] is first.documents["canon/family.yaml"]
    assert third.documents["canon/levels.yaml"] is not first.documents["canon/levels.yaml"]
    assert session.snapshot().documents["canon/levels.yaml"] is third.documents["canon/levels.yaml"]
