"""Read both sides of a diff (a revision, the index, the working tree) and load them.

Only loading and the canon model are needed to render frames: schema and rule findings
are ``check``'s business. Each side is first read as bytes, so loading can skip work: a
file with the same bytes on both sides is parsed once for both, and not at all when it is
a family file and no level guide changed (its pages cannot differ). A one-family edit in
a canon of hundreds of families parses that family and the level guides.

A file that cannot be loaded at all (malformed YAML, refused aliases, duplicate keys) is
recorded as skipped, so its pages are compared on neither side instead of showing as
every line removed.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import NamedTuple

from jobframe_lint.canon import build_canon
from jobframe_lint.diff.compare import Side
from jobframe_lint.diff.gitread import index_files, object_id, revision_files, work_tree
from jobframe_lint.diff.model import Skipped
from jobframe_lint.discovery import PathProblem, expand, per_folder
from jobframe_lint.document import Document, Limits, read_source
from jobframe_lint.loader import load_bytes, load_file

# A top-level `kind: family` line: such a file cannot be a level guide. Anything else
# (flow style, odd quoting) is simply parsed.
_FAMILY_KIND = re.compile(rb"^kind:[ \t]*(?:family|'family'|\"family\")[ \t]*(?:#.*)?\r?$", re.M)


class Snapshot(NamedTuple):
    """One side's canon files by display path; None marks a file only ``load_file`` can
    explain (unreadable, not a regular file, too large)."""

    label: str
    files: dict[str, bytes | None]

    def by_object_id(self) -> dict[str, bytes]:
        return {object_id(raw): raw for raw in self.files.values() if raw is not None}


def worktree(paths: Sequence[Path], limits: Limits) -> Snapshot:
    """The files on disk, untracked ones included, as git sees them: a symbolic link is a
    link (its blob is the target's name, never a canon file), a nested repository or
    submodule is not this repository's files. So a clean ``git status`` is no diff."""
    top = work_tree()
    existing = [path for path in paths if path.exists() or path.is_symlink()]
    nested: dict[str, bool] = {}  # per folder, for this reading of the tree only
    found = [path for path in expand(existing) if _tracked_kind(path, top, nested)]
    files = {
        relative: read_source(path, limits)
        for path, relative in zip(found, per_folder(found, os.path.relpath), strict=True)
    }
    return Snapshot("working tree", files)


def _tracked_kind(path: str, top: str, nested: dict[str, bool]) -> bool:
    """Whether git would hold ``path`` as a file of this repository's work tree."""
    if os.path.islink(path):  # noqa: PTH114 (strings)
        return False
    folder = os.path.dirname(os.path.abspath(path))  # noqa: PTH100, PTH120 (strings)
    while folder.startswith(top) and folder != top:
        if nested.get(folder) is None:
            nested[folder] = _is_repository(folder)
        if nested[folder]:
            return False
        folder = os.path.dirname(folder)  # noqa: PTH120
    return True


def _is_repository(folder: str) -> bool:
    """A folder with its own ``.git`` (a submodule, a nested clone) inside the work tree."""
    return os.path.lexists(os.path.join(folder, ".git"))  # noqa: PTH118


def index(paths: Sequence[Path], limits: Limits) -> Snapshot:
    """The staged canon: what the next commit will contain."""
    staged = index_files([str(path) for path in paths], limits.max_file_bytes)
    return Snapshot("index", dict(staged))


def revision(
    rev: str, paths: Sequence[Path], limits: Limits, reuse: Snapshot | None = None
) -> Snapshot:
    """The canon at ``rev``; files whose content ``reuse`` (the working tree) holds as well
    are taken from it rather than read from git: an edit leaves nearly all of them alone."""
    known = {} if reuse is None else reuse.by_object_id()
    found = revision_files(rev, [str(path) for path in paths], known, limits.max_file_bytes)
    return Snapshot(rev, dict(found))


def load(base: Snapshot, head: Snapshot, limits: Limits) -> tuple[Side, Side, Unchanged]:
    """Both sides as canons, parsing only what the comparison can need.

    Family files with the same bytes on both sides are not parsed here: when no level guide
    changed their pages cannot differ, and when one did ``compare`` reads them one at a
    time (``Unchanged``), so a guide edit never holds every family of a large canon at once.
    """
    changed = {
        path
        for path in base.files.keys() | head.files.keys()
        if base.files.get(path) is None or base.files.get(path) != head.files.get(path)
    }
    old = {path: _load(path, raw, limits) for path, raw in base.files.items() if path in changed}
    new = {path: _load(path, raw, limits) for path, raw in head.files.items() if path in changed}
    guide_changed = any(document.kind == "levels" for document in (*old.values(), *new.values()))
    unchanged = [(path, raw) for path, raw in base.files.items() if path not in changed]
    families = [(path, raw) for path, raw in unchanged if _FAMILY_KIND.search(raw or b"")]
    known = {path for path, _ in families}
    shared = {path: _load(path, raw, limits) for path, raw in unchanged if path not in known}
    later = Unchanged(families if guide_changed else [], limits)
    return _side(base.label, old | shared), _side(head.label, new | shared), later


class Unchanged(NamedTuple):
    """Family files with the same bytes on both sides, loaded one at a time when asked."""

    files: list[tuple[str, bytes | None]]
    limits: Limits

    def documents(self) -> Iterator[Document]:
        for path, raw in self.files:
            yield _load(path, raw, self.limits)


def _load(path: str, raw: bytes | None, limits: Limits) -> Document:
    if raw is None:
        return load_file(Path(path), path, limits)
    return load_bytes(raw, path, limits)


def require_paths(paths: Sequence[Path], snapshots: Sequence[Snapshot]) -> None:
    """A path absent from the working tree is fine if a side has canon under it: it was deleted."""
    for path in paths:
        if path.exists() or path.is_symlink():
            continue
        name = os.path.relpath(path)
        known = (item for snapshot in snapshots for item in snapshot.files)
        if not any(item == name or item.startswith(name + "/") for item in known):
            raise PathProblem(f"{path}: no such file or directory in the working tree or git")


def _side(label: str, documents: dict[str, Document]) -> Side:
    loaded = [documents[path] for path in sorted(documents)]
    skipped = [
        Skipped(document.path, label, _first_problem(document))
        for document in loaded
        if not _comparable(document)
    ]
    return Side(label, build_canon(loaded), skipped)


def _comparable(document: Document) -> bool:
    """Loaded, and to data every YAML reader agrees on: with a key repeated, readers keep
    different values (the loader keeps the first), so its frames are not compared."""
    return document.data is not None and not any(
        problem.code == "JF003" for problem in document.diagnostics
    )


def _first_problem(document: Document) -> str:
    problems = document.diagnostics
    if document.data is not None:  # loaded, but a key is repeated
        problems = [problem for problem in problems if problem.code == "JF003"]
    if not problems:
        return "cannot be loaded"
    start = problems[0].span.start
    return f"{start.line}:{start.column}: {problems[0].code} {problems[0].message}"
