"""Which files a run reads: the ones it reports on, and the whole canon around them."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

YAML_SUFFIXES = (".yaml", ".yml")


class PathProblem(Exception):
    """A path the user named does not exist: a usage error (exit 2), not a finding."""


@dataclass(frozen=True)
class FileSet:
    """``targets`` are reported on; ``context`` adds the rest of the canon they belong to."""

    targets: list[Path]
    context: list[Path]

    def all(self) -> list[Path]:
        return list(dict.fromkeys([*self.context, *self.targets]))


def expand(paths: Iterable[Path]) -> list[Path]:
    """YAML files under directories (sorted, hidden folders skipped, links not followed)."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(_walk(path))
        elif path.exists() or path.is_symlink():
            found.append(path)
        else:
            raise PathProblem(f"{path}: no such file or directory")
    return list(dict.fromkeys(found))


def _walk(root: Path) -> list[Path]:
    found: list[Path] = []
    for folder, subfolders, files in os.walk(root):
        subfolders[:] = sorted(name for name in subfolders if not name.startswith("."))
        found.extend(Path(folder, name) for name in sorted(files) if name.endswith(YAML_SUFFIXES))
    return found


def collect(paths: Sequence[Path], canon_dir: Path) -> FileSet:
    """Targets from ``paths`` (the canon directory when none); context from the canon directory.

    Cross-file rules need every level guide and family even when a hook passes one file.
    """
    targets = expand(paths or [canon_dir])
    context = expand([canon_dir]) if canon_dir.is_dir() else []
    return FileSet(targets, context)
