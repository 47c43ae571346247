"""Read canon files as they are at a git revision or in the index, with the real ``git``.

Every call passes an argument list (never a shell string), a revision never starts with
``-`` and is always followed by ``--``, so neither a file name nor a revision can become an
option or a command. A side costs two git processes however many files the canon has: one
listing (``ls-tree`` or ``ls-files``) and one ``git cat-file --batch`` for every blob it
needs that the working tree does not hold already.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
from collections.abc import Mapping, Sequence
from typing import NoReturn

from jobframe_lint.discovery import YAML_SUFFIXES

# Regular files only: a symlink's blob is its target's name, a gitlink is a submodule.
_FILE_MODES = frozenset({"100644", "100755"})


class GitProblem(Exception):
    """Not in a repository, or a revision git does not know: a usage error (exit 2)."""


def revision_files(
    rev: str, paths: Sequence[str], known: Mapping[str, bytes] | None = None
) -> dict[str, bytes]:
    """Canon files under ``paths`` at ``rev``, keyed by path relative to the working directory.

    ``known`` maps object ids to content already in hand (the working tree's files): those
    blobs are not read from git again. An unborn ``HEAD`` (a repository before its first
    commit) has no canon yet: empty.
    """
    if rev.startswith("-"):
        raise GitProblem(f"unknown revision {rev!r}")
    listed = _run("ls-tree", "-r", "-z", f"{rev}^{{commit}}", "--", *paths)
    if listed.returncode != 0:
        # Only now ask why (a process less on the usual path): no repository, an unknown
        # revision, or the unborn HEAD of a repository before its first commit.
        if _resolve(rev) is None:
            return {}
        _fail("ls-tree", listed)
    listing = listed.stdout
    entries = []
    for record in _records(listing):
        meta, _, name = record.partition("\t")
        mode, kind, oid = meta.split(" ")
        if kind == "blob" and mode in _FILE_MODES:
            entries.append((name, oid))
    return _read_blobs(_canon_only(entries, paths), known or {})


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
    return _read_blobs(_canon_only(entries, paths), {})


def work_tree() -> str:
    """The top folder of the working tree; a bare repository has none to compare."""
    found = _run("rev-parse", "--is-bare-repository", "--show-toplevel")
    lines = found.stdout.decode("utf-8", "surrogateescape").splitlines()
    if lines[:1] == ["true"]:
        raise GitProblem("a bare repository has no working tree: give --head REV")
    if found.returncode != 0 or len(lines) < 2:
        _git("rev-parse", "--git-dir")  # raises "not a git repository" when that is the cause
        raise GitProblem("not inside a git working tree: give --head REV")
    return os.path.abspath(lines[1])  # noqa: PTH100


def object_id(content: bytes) -> str:
    """The id git gives a blob of ``content``: a file on disk with this id is that blob."""
    found = hashlib.sha1(b"blob %d\0" % len(content), usedforsecurity=False)
    found.update(content)
    return found.hexdigest()


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
    """What ``discovery.expand`` would pick on disk: YAML files, hidden ones skipped.

    A file named directly is taken whatever its suffix, as ``check FILE`` does. git names
    files relative to the working directory (``../levels.yaml``, ``family.yaml``): names
    and roots are compared as absolute paths, so ``diff ..`` from a subfolder sees every
    file under it. Compared as strings, not Paths: a canon has thousands.
    """
    roots = [os.path.abspath(path).replace(os.sep, "/") for path in paths]  # noqa: PTH100
    return [(name, oid) for name, oid in entries if _wanted(_absolute(name), roots)]


def _absolute(name: str) -> str:
    """A name git gave (relative, with ``/``) as an absolute path with ``/``."""
    return os.path.abspath(name).replace(os.sep, "/")  # noqa: PTH100 (strings, not Paths)


def _wanted(name: str, roots: list[str]) -> bool:
    for root in roots:
        if name == root:
            return True
        prefix = root.rstrip("/") + "/"
        if name.startswith(prefix):
            parts = name[len(prefix) :].split("/")  # hidden files are not canon either
            hidden = any(part.startswith(".") for part in parts)
            return name.endswith(YAML_SUFFIXES) and not hidden
    return False


def _read_blobs(entries: list[tuple[str, str]], known: Mapping[str, bytes]) -> dict[str, bytes]:
    """The content of every entry: ``known`` or through one ``git cat-file --batch``."""
    blobs = {oid: known[oid] for _, oid in entries if oid in known}
    oids = list(dict.fromkeys(oid for _, oid in entries if oid not in blobs))
    if not oids:
        return {name: blobs[oid] for name, oid in entries}
    output = _git("cat-file", "--batch", stdin="".join(f"{oid}\n" for oid in oids).encode())
    at = 0
    for oid in oids:
        header_end = output.index(b"\n", at)
        header = output[at:header_end].split(b" ")
        if len(header) != 3:  # "<oid> missing": named by the index, absent from the store
            names = ", ".join(name for name, wanted in entries if wanted == oid)
            raise GitProblem(f"{names}: object {oid} is missing from the repository")
        size = int(header[2])
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
        _fail(args[0], done)
    return done.stdout


def _fail(command: str, done: subprocess.CompletedProcess[bytes]) -> NoReturn:
    message = done.stderr.decode("utf-8", "replace").strip().splitlines()
    reason = message[-1] if message else f"git {command} failed"
    raise GitProblem(reason.removeprefix("fatal: "))
