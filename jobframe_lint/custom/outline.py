"""The texts a custom cross-file rule compares (``unique: canon``), kept in each file's
outline: a run answered from the cache then compares them without parsing any file."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from jobframe_lint.custom.declarative import RUBRICS
from jobframe_lint.document import Document, FieldPath


def add_subjects(
    document: Document, outline: dict[str, Any], subjects: frozenset[str]
) -> list[FieldPath]:
    """Copies the texts of ``subjects`` from ``document`` into ``outline`` (its top-level
    scalars, and for a level guide its level codes) and returns their field paths."""
    data = document.data
    levels = data.get("levels") if data is not None else None
    if data is None or not isinstance(levels, dict):
        return []
    paths: list[FieldPath] = []
    if document.kind == "family":
        wanted = [
            key
            for key, needed in (
                ("responsibilities", "responsibility" in subjects),
                ("rubrics", not subjects.isdisjoint(RUBRICS)),
            )
            if needed
        ]
        if wanted:
            outline["levels"] = dict(_levels(levels, wanted, paths))
    elif document.kind == "levels":
        wanted = [
            key
            for key, needed in (
                ("title", "level-title" in subjects),
                ("dimensions", "dimension-bar" in subjects),
            )
            if needed
        ]
        if wanted:
            outline["levels"] = dict(_levels(levels, wanted, paths))
        if "dimension" in subjects and isinstance(data.get("dimensions"), list):
            outline["dimensions"] = list(data["dimensions"])
            paths.extend(_within(("dimensions",), outline["dimensions"]))
    if paths:
        paths.append(("levels",))
    return paths


def _levels(
    levels: dict[str, Any], wanted: list[str], paths: list[FieldPath]
) -> Iterator[tuple[str, dict[str, Any] | None]]:
    for code, body in levels.items():
        if not isinstance(body, dict):
            yield code, None
            continue
        kept = {key: body[key] for key in wanted if key in body}
        paths.append(("levels", code))
        for key, value in kept.items():
            paths.extend(_within(("levels", code, key), value))
        yield code, kept


def _within(path: FieldPath, value: object) -> Iterator[FieldPath]:
    """``path`` and the paths of the items or entries of the value it holds."""
    yield path
    if isinstance(value, list):
        yield from ((*path, index) for index in range(len(value)))
    elif isinstance(value, dict):
        yield from ((*path, key) for key in value)
