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
    # The context's symbolic links, where a walk saw them (for nothing: a folder listing
    # says which names are links); None where not known, and each file is looked at.
    links: frozenset[str] | None = None

    def all(self) -> list[str]:
        """Each file once, under the target's spelling when a target names a context file.

        ``./canon/a.yaml`` and ``/abs/canon/a.yaml`` are one file: loading it twice would
        make it collide with itself in the cross-file rules.
        """
        if self.targets == self.context:
            return list(self.targets)  # the whole canon checked: nothing to tell apart
        named = set(real_paths(self.targets))
        maybe = self._maybe_targets()
        same = {path for path, real in zip(maybe, real_paths(maybe), strict=True) if real in named}
        return [*(path for path in self.context if path not in same), *self.targets]

    def _maybe_targets(self) -> list[str]:
        """The context files that can be targets: spelled as one, or bearing the name of
        one spelled otherwise, or a link (of any name). The others are not resolved: a
        hook's one file in a canon of 20,000 cost 0.1 s of looking at every file."""
        context = set(self.context)
        maybe = [path for path in self.targets if path in context]
        apart = real_paths([path for path in self.targets if path not in context])
        names = {os.path.basename(path) for path in apart}  # noqa: PTH119 (see above)
        if self.links is None:  # not known: each file is looked at
            maybe.extend(path for path in self.context if _named(path, names) or _is_link(path))
            return maybe
        maybe.extend(context.intersection(self.links))
        if names:
            maybe.extend(path for path in self.context if _named(path, names))
        return maybe


def _named(path: str, names: set[str]) -> bool:
    return os.path.basename(path) in names  # noqa: PTH119 (see FileSet)


def _is_link(path: str) -> bool:
    return os.path.islink(path)  # noqa: PTH114 (see FileSet)


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


# Whether a file or folder found under a directory is left out (``exclude`` settings).
Excluded = Callable[[str], bool]


def expand(
    paths: Iterable[Path], excluded: Excluded | None = None, links: set[str] | None = None
) -> list[str]:
    """YAML files under directories (sorted, hidden files and folders and ``excluded`` ones
    skipped, links not followed); a file named directly is always taken, as in ruff. The
    files found under a directory that are links are added to ``links``."""
    found: list[str] = []
    for path in paths:
        try:
            is_dir = path.is_dir()
            present = is_dir or path.exists() or path.is_symlink()
        except OSError as error:  # a name too long for the system, say
            raise PathProblem(f"{path}: {error.strerror or error}") from None
        if is_dir:
            found.extend(_walk(path, excluded, links))
        elif present:
            found.append(str(path))
        else:
            raise PathProblem(f"{path}: no such file or directory")
    return list(dict.fromkeys(found))


def _unlistable(error: OSError) -> NoReturn:
    """A folder that cannot be listed would silently drop its files from the check."""
    raise PathProblem(f"{error.filename}: cannot list directory: {error.strerror}")


def _walk(root: Path, excluded: Excluded | None, links: set[str] | None = None) -> list[str]:
    """The YAML files under ``root`` in ``os.walk``'s order (top down, sorted), hidden
    files and folders skipped (`.pre-commit-config.yaml`, `.github/` are not canon), the
    excluded left out, and links to folders not followed.

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
        names: list[str] = []  # the YAML files, as the folder joined with each name
        subfolders: list[str] = []
        for entry in entries:
            name = entry.name
            if not _is_dir(entry):
                if name.endswith(YAML_SUFFIXES) and not name.startswith("."):
                    names.append(entry.path)
                    if links is not None and entry.is_symlink():
                        links.add(entry.path)
            elif not name.startswith(".") and not entry.is_symlink():
                subfolders.append(name)
        names.sort()  # one folder's: as sorting their names
        if excluded is not None:
            subfolders = [
                name
                for name in subfolders
                if not excluded(os.path.join(folder, name))  # noqa: PTH118
            ]
            names = [name for name in names if not excluded(name)]
        found.extend(names)
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


def collect(paths: Sequence[Path], canon_dir: Path, excluded: Excluded | None = None) -> FileSet:
    """Targets from ``paths`` (the canon directory when none), and the canons they are in."""
    canons = collect_canons(paths, canon_dir, excluded=excluded)
    if len(canons) == 1:
        return canons[0]
    targets = [path for files in canons for path in files.targets]
    context = [path for files in canons for path in files.context]
    return FileSet(targets, context)


def collect_canons(
    paths: Sequence[Path],
    canon_dir: Path,
    listing: Callable[[Path], list[str]] | None = None,
    excluded: Excluded | None = None,
) -> list[FileSet]:
    """The targets of ``paths`` (the canon directory when none), one set per canon they
    belong to, each with that whole canon as context.

    Cross-file rules need every level guide and family even when a hook passes one file,
    and only those of the file's own canon: two canons checked together are not one.
    ``listing`` lists the canon files under a path (default: on disk; ``check --staged``
    lists the git index).
    """
    links: set[str] | None = None if listing else set()
    files_under = listing or (lambda path: expand([path], excluded, links))
    if list(paths) in ([], [canon_dir]):
        targets = files_under(canon_dir)
        return [FileSet(targets, targets)]  # one walk of the canon, not two
    roots: dict[str, list[str]] = {}
    for path in paths:
        by_folder: dict[str, str] = {}  # a folder's files share a canon
        for target in files_under(path):
            folder = os.path.dirname(target)  # noqa: PTH120 (see FileSet)
            if folder not in by_folder:
                by_folder[folder] = _canon_of(target, path, canon_dir)
            roots.setdefault(by_folder[folder], []).append(target)
    canons: list[FileSet] = []
    seen: set[str] = set()
    for root, found in roots.items():
        # The same file under two spellings (`canon/a.yaml`, `./canon/a.yaml`) is one file.
        targets = []
        for target, real in zip(found, real_paths(found), strict=True):
            if real not in seen:
                seen.add(real)
                targets.append(target)
        context = targets if root in found else files_under(Path(root))
        canons.append(FileSet(targets, context, None if links is None else frozenset(links)))
    return canons


def _canon_of(target: str, given: Path, canon_dir: Path) -> str:
    """The canon ``target`` belongs to, found from the file as ruff finds its settings,
    never from the working directory: the configured canon directory if the file is in it;
    else the canon of the configuration nearest the file; else the nearest folder named
    as the canon directory is; else the directory given (a lone file is its own canon)."""
    from jobframe_lint.config import canon_near

    folder = os.path.realpath(os.path.dirname(target) or os.curdir)  # noqa: PTH120
    if _within(folder, canon_dir):
        return str(canon_dir)
    nearest = canon_near(Path(folder))
    if nearest is not None and _within(folder, nearest):
        return str(nearest)
    for ancestor in (Path(folder), *Path(folder).parents):
        if ancestor.name == canon_dir.name:
            return _shown(ancestor, given)
    return str(given) if given.is_dir() else target


def _within(folder: str, directory: Path) -> bool:
    root = os.path.realpath(directory)
    return folder == root or folder.startswith(root.rstrip(os.sep) + os.sep)


def _shown(folder: Path, given: Path) -> str:
    """A found folder spelled as the user spelled the path: relative if it was."""
    if given.is_absolute():
        return str(folder)
    try:
        return os.path.relpath(folder)
    except ValueError:  # on another Windows drive
        return str(folder)
