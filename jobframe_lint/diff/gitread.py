"""Read canon files as they are at a git revision or in the index, with the real ``git``.

Every call passes an argument list (never a shell string) and a revision is resolved to a
commit id before it is used, so neither a file name nor a revision can become an option or
a command. All blobs of a side are read by one ``git cat-file --batch`` process: a side
costs three git processes however many files the canon has.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Sequence
from pathlib import PurePosixPath

from jobframe_lint.discovery import YAML_SUFFIXES

# Regular files only: a symlink's blob is its target's name, a gitlink is a submodule.
_FILE_MODES = frozenset({"100644", "100755"})


class GitProblem(Exception):
    """Not in a repository, or a revision git does not know: a usage error (exit 2)."""


def revision_files(rev: str, paths: Sequence[str]) -> dict[str, bytes]:
    """Canon files under ``paths`` at ``rev``, keyed by path relative to the working directory.

    An unborn ``HEAD`` (a repository before its first commit) has no canon yet: empty.
    """
    commit = _resolve(rev)
    if commit is None:
        return {}
    listing = _git("ls-tree", "-r", "-z", commit, "--", *paths)
    entries = []
    for record in _records(listing):
        meta, _, name = record.partition("\t")
        mode, kind, oid = meta.split(" ")
        if kind == "blob" and mode in _FILE_MODES:
            entries.append((name, oid))
    return _read_blobs(_canon_only(entries, paths))


def index_files(paths: Sequence[str]) -> dict[str, bytes]:
    """Canon files under ``paths`` as staged: what the next commit will contain.

    Only stage 0 is read; a file with unresolved conflicts has no staged content yet.
    """
    listing = _git("ls-files", "--stage", "-z", "--", *paths)
    entries = []
    for record in _records(listing):
        meta, _, name = record.partition("\t")
        mode, oid, stage = meta.split(" ")
        if stage == "0" and mode in _FILE_MODES:
            entries.append((name, oid))
    return _read_blobs(_canon_only(entries, paths))


def _resolve(rev: str) -> str | None:
    """The commit ``rev`` names; None for the unborn ``HEAD`` of a fresh repository."""
    if rev.startswith("-"):
        raise GitProblem(f"unknown revision {rev!r}")
    found = _run("rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}")
    if found.returncode == 0:
        return found.stdout.decode().strip()
    _git("rev-parse", "--git-dir")  # raises "not a git repository" when that is the cause
    if rev == "HEAD":
        return None
    raise GitProblem(f"unknown revision {rev!r}: git knows no commit by that name")


def _canon_only(entries: list[tuple[str, str]], paths: Sequence[str]) -> list[tuple[str, str]]:
    """What ``discovery.expand`` would pick on disk: YAML files, hidden folders skipped.

    A file named directly is taken whatever its suffix, as ``check FILE`` does.
    """
    roots = [PurePosixPath(os.path.relpath(path)) for path in paths]
    return [(name, oid) for name, oid in entries if _wanted(PurePosixPath(name), roots)]


def _wanted(name: PurePosixPath, roots: list[PurePosixPath]) -> bool:
    for root in roots:
        if name == root:
            return True
        if root in name.parents:
            below = name.relative_to(root)
            hidden = any(part.startswith(".") for part in below.parent.parts)
            return name.suffix in YAML_SUFFIXES and not hidden
    return False


def _read_blobs(entries: list[tuple[str, str]]) -> dict[str, bytes]:
    """The content of every entry, through one ``git cat-file --batch`` process."""
    if not entries:
        return {}
    oids = list(dict.fromkeys(oid for _, oid in entries))
    output = _git("cat-file", "--batch", stdin="".join(f"{oid}\n" for oid in oids).encode())
    blobs: dict[str, bytes] = {}
    at = 0
    for oid in oids:
        header_end = output.index(b"\n", at)
        size = int(output[at:header_end].split(b" ")[2])
        blobs[oid] = output[header_end + 1 : header_end + 1 + size]
        at = header_end + 1 + size + 1
    return {name: blobs[oid] for name, oid in entries}


def _records(listing: bytes) -> list[str]:
    """NUL-separated records; names are taken as UTF-8 with undecodable bytes escaped."""
    return [item.decode("utf-8", "surrogateescape") for item in listing.split(b"\0") if item]


def _run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(
            ["git", "-c", "core.quotePath=false", *args],
            input=stdin,
            capture_output=True,
            check=False,
        )
    except OSError as error:
        raise GitProblem(f"cannot run git: {error.strerror or error}") from None


def _git(*args: str, stdin: bytes | None = None) -> bytes:
    done = _run(*args, stdin=stdin)
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        reason = message[-1] if message else f"git {args[0]} failed"
        raise GitProblem(reason.removeprefix("fatal: "))
    return done.stdout
