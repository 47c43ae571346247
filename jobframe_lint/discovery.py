"""Which files a run reads: the ones it reports on, and the whole canon around them."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import NamedTuple, NoReturn

YAML_SUFFIXES = (".yaml", ".yml")


class PathProblem(Exception):
    """A path the user named does not exist: a usage error (exit 2), not a finding."""


class FileSet(NamedTuple):
    """``targets`` are reported on; ``context`` adds the rest of the canon they belong to.

    Paths are strings, as given or joined under a folder: a canon has thousands of files,
    and making and hashing a ``Path`` for each cost more than walking the folders.
    """

    targets: list[str]
    context: list[str]

    def all(self) -> list[str]:
        """Each file once, under the target's spelling when a target names a context file.

        ``./canon/a.yaml`` and ``/abs/canon/a.yaml`` are one file: loading it twice would
        make it collide with itself in the cross-file rules.
        """
        if self.targets == self.context:
            return list(self.targets)  # the whole canon checked: nothing to tell apart
        named = set(real_paths(self.targets))
        real = real_paths(self.context)
        rest = [
            path for path, resolved in zip(self.context, real, strict=True) if resolved not in named
        ]
        return [*rest, *self.targets]


def real_paths(paths: Sequence[str]) -> list[str]:
    """``os.path.realpath`` of each file: a canon has thousands of files in a few folders,
    and realpath checks every component of every path."""
    joined = per_folder(paths, os.path.realpath)
    # os.path rather than pathlib: this runs for every file and Path objects cost more.
    return [
        os.path.realpath(path) if os.path.islink(path) else resolved  # noqa: PTH114
        for path, resolved in zip(paths, joined, strict=True)
    ]


def per_folder(paths: Sequence[str], convert: Callable[[str], str]) -> list[str]:
    """Each path with its folder passed through ``convert`` (``os.path.realpath``,
    ``os.path.relpath``), once a folder rather than once a file."""
    folders: dict[str, str] = {}
    found: list[str] = []
    for path in paths:
        folder, name = os.path.split(path)
        if folder not in folders:
            folders[folder] = convert(folder or os.curdir)
        converted = folders[folder]
        joined = os.path.join(converted, name)  # noqa: PTH118
        found.append(name if converted == os.curdir else joined)
    return found


def expand(paths: Iterable[Path]) -> list[str]:
    """YAML files under directories (sorted, hidden folders skipped, links not followed)."""
    found: list[str] = []
    for path in paths:
        try:
            is_dir = path.is_dir()
            present = is_dir or path.exists() or path.is_symlink()
        except OSError as error:  # a name too long for the system, say
            raise PathProblem(f"{path}: {error.strerror or error}") from None
        if is_dir:
            found.extend(_walk(path))
        elif present:
            found.append(str(path))
        else:
            raise PathProblem(f"{path}: no such file or directory")
    return list(dict.fromkeys(found))


def _unlistable(error: OSError) -> NoReturn:
    """A folder that cannot be listed would silently drop its files from the check."""
    raise PathProblem(f"{error.filename}: cannot list directory: {error.strerror}")


def _walk(root: Path) -> list[str]:
    """The YAML files under ``root`` in ``os.walk``'s order (top down, sorted), hidden
    folders skipped and links to folders not followed.

    With a stack of folders rather than ``os.walk``, which recurses once a folder (Python
    3.11) and dies of RecursionError in a canon some 1,000 folders deep.
    """
    found: list[str] = []
    pending = [os.fspath(root)]
    while pending:
        folder = pending.pop()
        try:
            with os.scandir(folder) as listing:
                entries = list(listing)
        except OSError as error:
            _unlistable(error)
        files: list[str] = []
        subfolders: list[str] = []
        for entry in entries:
            if not _is_dir(entry):
                files.append(entry.name)
            elif not entry.name.startswith(".") and not entry.is_symlink():
                subfolders.append(entry.name)
        found.extend(
            os.path.join(folder, name)  # noqa: PTH118 (see FileSet)
            for name in sorted(files)
            if name.endswith(YAML_SUFFIXES)
        )
        pending.extend(
            os.path.join(folder, name)  # noqa: PTH118
            for name in sorted(subfolders, reverse=True)  # popped in order
        )
    return found


def _is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:  # as os.walk: what cannot be looked at is not walked into
        return False


def collect(paths: Sequence[Path], canon_dir: Path) -> FileSet:
    """Targets from ``paths`` (the canon directory when none); context from the canon directory.

    Cross-file rules need every level guide and family even when a hook passes one file.
    """
    targets = expand(paths or [canon_dir])
    if not canon_dir.is_dir():
        return FileSet(targets, [])
    if list(paths) in ([], [canon_dir]):
        return FileSet(targets, targets)  # one walk of the canon, not two
    context = expand([canon_dir])
    return FileSet(targets, context)
