"""Read canon files as they are at a git revision or in the index, with the real ``git``.

Every call passes an argument list (never a shell string), a revision never starts with
``-`` and is always followed by ``--``, so neither a file name nor a revision can become an
option or a command. A side costs two git processes however many files the canon has: one
listing (``ls-tree`` or ``ls-files``) and one ``git cat-file --batch`` for every blob it
needs that the working tree does not hold already.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import subprocess
from collections.abc import Iterator, Mapping, Sequence
from typing import IO, NoReturn

from jobframe_lint.discovery import YAML_SUFFIXES
from jobframe_lint.document import DEFAULT_LIMITS

# Regular files only: a symlink's blob is its target's name, a gitlink is a submodule.
_FILE_MODES = frozenset({"100644", "100755"})


class GitProblem(Exception):
    """Not in a repository, or a revision git does not know: a usage error (exit 2)."""


def revision_files(
    rev: str,
    paths: Sequence[str],
    known: Mapping[str, bytes] | None = None,
    limit: int = DEFAULT_LIMITS.max_file_bytes,
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
    return _read_blobs(_canon_only(entries, paths), known or {}, limit)


def index_files(
    paths: Sequence[str], limit: int = DEFAULT_LIMITS.max_file_bytes
) -> dict[str, bytes]:
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
    return _read_blobs(_canon_only(entries, paths), {}, limit)


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


def _read_blobs(
    entries: list[tuple[str, str]], known: Mapping[str, bytes], limit: int
) -> dict[str, bytes]:
    """The content of every entry: ``known`` or through one ``git cat-file --batch``.

    Read as canon files on disk are (``document.read_bytes``): of a blob larger than
    ``limit`` only its first ``limit + 1`` bytes are kept, enough for the loader to refuse
    it, the rest read and dropped as it streams by; a 300 MB blob in history is never held.
    """
    blobs = {oid: known[oid] for _, oid in entries if oid in known}
    oids = list(dict.fromkeys(oid for _, oid in entries if oid not in blobs))
    if oids:
        blobs.update(_stream_blobs(oids, limit, entries))
    return {name: blobs[oid] for name, oid in entries}


def _stream_blobs(
    oids: list[str], limit: int, entries: list[tuple[str, str]]
) -> Iterator[tuple[str, bytes]]:
    import threading

    try:
        process = subprocess.Popen(
            ["git", "-c", "core.quotePath=false", "cat-file", "--batch"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
    except OSError as error:
        raise GitProblem(f"cannot run git: {error.strerror or error}") from None
    assert process.stdin is not None and process.stdout is not None
    # Written from a thread: git answers as it reads, and would block on a full pipe.
    request = "".join(f"{oid}\n" for oid in oids).encode()
    writer = threading.Thread(target=_send, args=(process.stdin, request), daemon=True)
    writer.start()
    try:
        for oid in oids:
            header = process.stdout.readline().split()
            if len(header) != 3:  # "<oid> missing": named by the index, absent from the store
                names = ", ".join(name for name, wanted in entries if wanted == oid)
                raise GitProblem(f"{names}: object {oid} is missing from the repository")
            yield oid, _read_capped(process.stdout, int(header[2]), limit)
            process.stdout.read(1)  # the newline after the content
    finally:
        process.stdout.close()
        writer.join()
        process.wait()


def _send(pipe: IO[bytes], request: bytes) -> None:
    with contextlib.suppress(OSError):  # git has gone: reading its output says why
        pipe.write(request)
    with contextlib.suppress(OSError):
        pipe.close()


def _read_capped(stream: IO[bytes], size: int, limit: int) -> bytes:
    """``size`` bytes of ``stream``, of which at most ``limit + 1`` are kept."""
    kept = stream.read(min(size, limit + 1))
    left = size - len(kept)
    while left > 0:
        left -= len(stream.read(min(left, 1 << 20)))
    return kept


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
