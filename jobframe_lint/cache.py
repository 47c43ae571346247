"""Per-file results kept between runs, keyed by content, as ruff keeps ``.ruff_cache``.

A re-check after editing one file of a 2,000-file canon should cost what reading the files
costs, not what parsing them does. For each file the cache keeps what depends on that file
alone (plus the level guides, whose digest is part of the entry): its loader, schema and
per-file rule findings, and its outline for the cross-file rules. Commands that need every
text (render, ``--fix``) parse their few target files again: 0.5 ms a file.

Correctness, in order of importance:

- An entry is used only when the file's bytes hash to the digest it was stored under, and
  the level guides to the digest its rule findings were judged against. A file whose
  metadata (size, modification and change times, inode) is what it was when its bytes
  were hashed, and had then been left alone for a few seconds (``lint.SETTLED_NS``), is
  not read again: as git trusts its index, and for the same reason (reading and hashing a
  20 MB canon is most of a re-check).
- A verdict (the cross-file findings of a whole canon, and which files' findings name
  which) is used only for the canon it was worked out on: every file by path and stamp,
  in order, and the custom rules (``lint.canon_digest``), so a stamp vouches for its
  file's bytes as above, and only a run whose every file had one keeps a verdict. The
  entries it is read with must carry those stamps and the guides it was judged against.
  A hook checking one unchanged file of a 20,000-file canon then reads the index and one
  shard, not every entry; a file changed anywhere is a new canon, judged in full.
- The folder the files live in is named by a key over the package version, the package's
  own files (rules, schemas: an edited rule is a new key even in an editable install),
  the Python version (marshal's format) and the run's settings. Other keys' files are
  never read.
- Each file is written to a temporary file and moved into place with ``os.replace``:
  concurrent runs read a whole old file or a whole new one, never a mix; when two write,
  the last one's entries stay (the other's are only recomputed next time). The index and
  the shards may then come from different runs: each entry says what it was made from.
  Anything unreadable is a miss, and a cache that cannot be written is skipped silently:
  it is only a cache.

The layout: ``index`` (the last few verdicts) and ``SHARDS`` shards holding the entries,
each file's shard picked by its path.
One file for everything made a one-file check of 20,000 files read 21.5 MB; one file per
entry made a cold run create and rename thousands of files.

``marshal`` is used rather than ``pickle``: it loads plain data ~20x faster and cannot
construct arbitrary objects. It is still not meant for untrusted bytes, and the cache sits
in the working tree, where a commit can plant one (``git add -f``) to hide findings from a
CI gate. So every cache file is signed (keyed BLAKE2b, a MAC, over the file's name within
the cache and its bytes) with a per-user key kept outside any checkout, and a file this
user did not sign, or signed under another name, is ignored before it is unmarshalled.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import re
import sys

# BLAKE2 from its own module, and ``hmac.compare_digest`` from where ``hmac`` takes it:
# ``import hashlib`` (and ``hmac``, which imports it) loads OpenSSL (~4 ms), which a run
# answered from the cache needs for nothing.
from _blake2 import blake2b
from _operator import _compare_digest as compare_digest
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, NamedTuple

from jobframe_lint import __version__
from jobframe_lint.atomic import write_atomically
from jobframe_lint.diagnostics import Diagnostic, Position, Severity, Span
from jobframe_lint.document import Refusal, read_bytes

CACHE_DIR = Path(".jobframe_lint_cache")
IGNORE_MARKER = "# Automatically created by jobframe-lint."
# Other keys' folders kept when a run writes its own, newest first: settings that alternate
# (two hooks with different ``--select``) keep theirs; an upgrade's or an edit's old keys go.
OTHER_KEYS_KEPT = 3
# Entries are spread over this many files: a one-file check of 20,000 files reads ~340 KB
# of them, a cold run of 200 writes 65 files.
SHARDS = 64
# Verdicts kept in the index, newest first: a few canons checked from one working tree.
VERDICTS_KEPT = 4
INDEX_NAME = "index"
_SECRET_SIZE = 32
# Far above the cache of any real canon (~0.5 KB a file): a larger file is not one of ours.
_MOST_BYTES = 256 * 1024 * 1024
_SIGNATURE_SIZE = 32
_KEY_NAME = re.compile("[0-9a-f]{32}")  # what ``run_key`` names a key's folder
_SPAN = Diagnostic._fields.index("span")
_SEVERITY = Diagnostic._fields.index("severity")
_RELATED = Diagnostic._fields.index("related")
# A lookup, not ``Severity(value)``: the enum's constructor costs ~1 µs a finding.
_SEVERITIES = {severity.value: severity for severity in Severity}


def digest(data: bytes) -> bytes:
    """Names a file's content. SHA-1 runs in hardware on current CPUs (~2x BLAKE2 here);
    this guards against stale results, not against an attacker who can write the cache.
    Imported here: only a run that reads a file pays for loading OpenSSL."""
    import hashlib

    return hashlib.sha1(data, usedforsecurity=False).digest()


# A finding as marshal-able values (see ``pack``).
Packed = tuple[Any, ...]


# A file's size, modification and change times (ns), inode and device, as ``os.stat`` gave
# them: while they are unchanged, so are the file's bytes (see ``lint``).
Stamp = tuple[int, int, int, int, int]


class Verdict(NamedTuple):
    """What a canon's files say of each other (see ``lint.canon_digest``)."""

    # The level guides (and custom rules) every file was judged against (``Entry.guides``).
    guides: bytes
    across: list[Packed]  # the cross-file findings
    # For each file per-file findings name (``Diagnostic.related``), where the files holding
    # them are in the canon's order. Places, not the findings: thousands of families name
    # the level guide, and a check of one family needs none of them.
    naming: dict[str, list[int]]


class Entry(NamedTuple):
    """What one file contributes to a run, as it was when its bytes hashed to ``digest``.

    Findings stay packed until asked for: a re-check of a large canon reports those of one
    file, or prints thousands, and building each finding's objects is most of the cost.
    """

    digest: bytes
    # Names the level guides (paths and contents) the rule findings were judged against.
    guides: bytes
    kind: str | None
    # Whether the file's text holds a suppression comment: only then is it read for them.
    directed: bool
    # Top-level scalars and their positions: the part of a file cross-file rules read.
    outline: tuple[dict[str, Any] | None, dict[Any, Any]]
    packed: list[Packed]
    # The file's metadata when its bytes were hashed, if it had been settled for long
    # enough to vouch for them; None otherwise.
    stamp: Stamp | None = None
    # The entry as stored: kept from ``load`` so that storing it again costs nothing.
    blob: bytes | None = None

    @classmethod
    def make(
        cls,
        file_digest: bytes,
        guides: bytes,
        kind: str | None,
        directed: bool,
        outline: tuple[dict[str, Any] | None, dict[Any, Any]],
        findings: Iterable[Diagnostic],
    ) -> Entry:
        return cls(file_digest, guides, kind, directed, outline, [pack(item) for item in findings])

    def stamped(self, stamp: Stamp | None) -> Entry:
        return self._replace(stamp=stamp, blob=None)

    @property
    def findings(self) -> list[Diagnostic]:
        return [unpack(item) for item in self.packed]

    def related_to(self, paths: set[str]) -> list[Diagnostic]:
        """The findings that depend on one of ``paths`` (besides their own file)."""
        return [unpack(item) for item in self.packed if not paths.isdisjoint(item[_RELATED])]

    def named(self) -> set[str]:
        """The other files its findings depend on (``Diagnostic.related``)."""
        return {path for item in self.packed for path in item[_RELATED]}

    def dump(self) -> bytes:
        return self.blob or marshal.dumps(self[:-1])

    @classmethod
    def load(cls, blob: bytes) -> Entry:
        file_digest, guides, kind, directed, outline, packed, stamp = marshal.loads(blob)
        if not all(len(item) == len(Diagnostic._fields) for item in packed):
            raise ValueError("an entry written for other fields")
        return cls(file_digest, guides, kind, directed, outline, packed, stamp, blob)


def pack(item: Diagnostic) -> Packed:
    """A finding as marshal-able values, field by field, so a new field cannot be dropped."""
    values = list(item)
    span = item.span
    values[_SPAN] = (span.start.line, span.start.column, span.end.line, span.end.column)
    values[_SEVERITY] = item.severity.value
    return tuple(values)


def unpack(values: Packed) -> Diagnostic:
    found = list(values)
    line, column, end_line, end_column = found[_SPAN]
    found[_SPAN] = Span(Position(line, column), Position(end_line, end_column))
    found[_SEVERITY] = _SEVERITIES[found[_SEVERITY]]
    return Diagnostic(*found)


class Cache:
    """Every entry of one key: the index read when a verdict is asked for, each shard when
    one of its entries is; what changed written once, at the end of the run."""

    def __init__(self, path: Path, secret: bytes) -> None:
        self.path = path  # the key's folder
        self.secret = secret
        self._verdicts: dict[bytes, Any] | None = None  # as marshal gives them: tuples
        self._shards: dict[int, dict[str, bytes]] = {}
        self._fresh: dict[str, Entry] = {}
        self._fresh_verdicts: dict[bytes, Verdict] = {}

    @classmethod
    def open(cls, settings: object, root: Path = CACHE_DIR) -> Cache | None:
        """The cache for runs with ``settings`` (the record the configuration makes).

        None when there is no private place for the signing key: the run goes without.
        """
        secret = user_secret()
        if secret is None:
            return None
        return cls(root / run_key(canonical(settings)), secret)

    def verdict(self, canon: bytes) -> Verdict | None:
        """The verdict kept on the canon ``canon`` names (see ``lint.canon_digest``)."""
        found = self._stored_verdicts().get(canon)
        try:
            return None if found is None else Verdict(*found)
        except TypeError:  # not a verdict of this version's shape
            return None

    def get(self, path: str) -> Entry | None:
        """The entry kept for ``path``: the caller decides whether it still holds."""
        blob = self._shard(shard_of(path)).get(path)
        if blob is None:
            return None
        try:
            return Entry.load(blob)
        except (ValueError, EOFError, TypeError, KeyError):
            return None

    def put(self, path: str, entry: Entry) -> None:
        """Keeps ``entry`` for ``save``."""
        self._fresh[path] = entry

    def keep_verdict(self, canon: bytes, verdict: Verdict) -> None:
        """Keeps ``verdict`` on the canon ``canon`` names for ``save``."""
        if self.verdict(canon) != verdict:
            self._fresh_verdicts[canon] = verdict

    def save(self) -> None:
        """Writes the shards of the entries put since they were read, and the index if a
        verdict was kept."""
        if not self._fresh and not self._fresh_verdicts:
            return
        # A read-only checkout or a full disk: the run stands without its cache.
        with contextlib.suppress(OSError):
            self._make_folder()
            # The shards before the index: a verdict is never read before the entries of
            # the run that kept it are in place.
            self._write_shards()
            self._write_index()
            self._prune()
        self._fresh, self._fresh_verdicts = {}, {}

    def _write_shards(self) -> None:
        changed: dict[int, dict[str, bytes]] = {}
        for path, entry in self._fresh.items():
            changed.setdefault(shard_of(path), {})[path] = entry.dump()
        for shard, blobs in changed.items():
            merged = {**self._shard(shard), **blobs}
            self._write(_shard_name(shard), marshal.dumps(merged))
            self._shards[shard] = merged

    def _write_index(self) -> None:
        """The verdicts kept, newest first, with the newest of those already there."""
        if not self._fresh_verdicts:
            return
        # marshal takes plain tuples, not NamedTuples.
        fresh = {canon: tuple(verdict) for canon, verdict in self._fresh_verdicts.items()}
        kept = dict(list({**fresh, **self._stored_verdicts()}.items())[:VERDICTS_KEPT])
        self._write(INDEX_NAME, marshal.dumps(kept))
        self._verdicts = kept

    def _stored_verdicts(self) -> dict[bytes, Any]:
        if self._verdicts is None:
            stored = self._read(INDEX_NAME)
            self._verdicts = stored if isinstance(stored, dict) else {}
        return self._verdicts

    def _shard(self, shard: int) -> dict[str, bytes]:
        if shard not in self._shards:
            stored = self._read(_shard_name(shard))
            self._shards[shard] = stored if isinstance(stored, dict) else {}
        return self._shards[shard]

    def _read(self, name: str) -> Any:
        """What the cache file ``name`` holds, if this user signed it under that name;
        None for anything else."""
        try:
            signed = _read_own(self.path / name, _MOST_BYTES)
            signature, blob = signed[:_SIGNATURE_SIZE], signed[_SIGNATURE_SIZE:]
            if compare_digest(signature, self._sign(name, blob)):
                return marshal.loads(blob)
        except (OSError, Refusal, ValueError, EOFError, TypeError):
            pass
        return None

    def _make_folder(self) -> None:
        if not self.path.parent.is_dir():
            self.path.parent.mkdir(parents=True, exist_ok=True)
            _mark_ignored(self.path.parent)
        self.path.mkdir(exist_ok=True)

    def _write(self, name: str, blob: bytes) -> None:
        write_atomically(self.path / name, self._sign(name, blob) + blob)

    def _prune(self) -> None:
        """Remove other keys' folders but the newest few (see ``OTHER_KEYS_KEPT``)."""
        others = []
        with os.scandir(self.path.parent) as listing:
            for entry in listing:
                if entry.name != self.path.name and _KEY_NAME.fullmatch(entry.name):
                    with contextlib.suppress(OSError):  # gone already: another run pruned it
                        others.append((entry.stat(follow_symlinks=False).st_mtime_ns, entry.path))
        for _, path in sorted(others, reverse=True)[OTHER_KEYS_KEPT:]:
            _remove(Path(path))

    def _sign(self, name: str, blob: bytes) -> bytes:
        """A MAC over the file's name in the cache and its bytes: a file signed as one
        shard, or under another key, is not taken for another."""
        mac = blake2b(key=self.secret, digest_size=_SIGNATURE_SIZE)
        mac.update(f"{self.path.name}/{name}\0".encode())
        mac.update(blob)
        return mac.digest()


def shard_of(path: str) -> int:
    """The shard ``path``'s entry is kept in: the same in every process."""
    return blake2b(path.encode("utf-8", "surrogateescape"), digest_size=1).digest()[0] % SHARDS


def _shard_name(shard: int) -> str:
    return f"entries-{shard:02x}"


def _remove(path: Path) -> None:
    """Another key's folder (or an older version's single file), as far as it goes."""
    with contextlib.suppress(OSError):
        if path.is_dir() and not path.is_symlink():
            import shutil  # only a run that prunes a folder pays for it

            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink()


def user_secret() -> bytes | None:
    """This user's key for signing cache files, made on first use; None if it cannot be kept.

    It lives in the user's cache folder (``$XDG_CACHE_HOME``, else ``~/.cache``), readable by
    the user alone, so no repository, workspace or other user can sign a cache file.
    """
    try:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    except RuntimeError:  # no home directory to be found
        return None
    path = base / "jobframe-lint" / "cache-key"
    try:
        secret = _read_own(path, _SECRET_SIZE)
    except FileNotFoundError:
        secret = _new_secret(path)
    except (OSError, Refusal, ValueError):
        return None
    return secret if len(secret) == _SECRET_SIZE else None


def _read_own(path: Path, most: int) -> bytes:
    """The bytes of one of the cache's files, read as canon files are (``read_bytes``): a
    named pipe planted there would block the run, a link to /dev/zero fill its memory.
    ValueError for a file larger than ``most``, checked before it is read."""
    if path.stat().st_size > most:
        raise ValueError(f"{path}: larger than any file of ours")
    raw = read_bytes(path, most)
    if len(raw) > most:  # grown since
        raise ValueError(f"{path}: larger than any file of ours")
    return raw


def _new_secret(path: Path) -> bytes:
    """Create the key; when another run creates it first, read theirs (possibly not yet
    written, which costs that run its cache, nothing more)."""
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        try:
            return _read_own(path, _SECRET_SIZE)
        except (OSError, Refusal, ValueError):  # a dangling link, say: no key, no cache
            return b""
    except OSError:
        return b""
    secret = os.urandom(_SECRET_SIZE)
    with os.fdopen(handle, "wb") as stream:
        stream.write(secret)
    return secret


def _mark_ignored(root: Path) -> None:
    """A ``.gitignore`` of ``*`` inside the cache, as ruff writes: never committed by accident."""
    marker = root / ".gitignore"
    if not marker.exists():
        marker.write_text(f"{IGNORE_MARKER}\n*\n", encoding="utf-8")


def canonical(value: object) -> str:
    """A repr that every process spells alike: sets sorted, as their order follows string
    hashing, which changes from one run to the next."""
    if isinstance(value, set | frozenset):
        return "{" + ", ".join(sorted(canonical(item) for item in value)) + "}"
    if isinstance(value, Mapping):
        pairs = (f"{canonical(key)}: {canonical(item)}" for key, item in value.items())
        return "{" + ", ".join(sorted(pairs)) + "}"
    names = getattr(value, "_fields", None)  # a NamedTuple: the settings and their parts
    if isinstance(value, tuple) and names is not None:
        parts = (f"{name}={canonical(item)}" for name, item in zip(names, value, strict=True))
        return f"{type(value).__name__}({', '.join(parts)})"
    if isinstance(value, list | tuple):
        return "(" + ", ".join(canonical(item) for item in value) + ")"
    return repr(value)


def run_key(fingerprint: str) -> str:
    """Names the folder of entries valid for this package, Python and settings."""
    key = blake2b(digest_size=16)
    for part in (__version__, sys.version, str(marshal.version), fingerprint):
        key.update(part.encode("utf-8", "surrogateescape") + b"\0")
    key.update(_package_digest())
    return key.hexdigest()


def _package_digest() -> bytes:
    """Every module and schema of the package by name, size and modification time: a
    changed rule or schema is a new key, in an editable install too. Their metadata rather
    than their bytes: ~0.3 ms against ~4 ms, and an edit, a reinstall or a checkout each
    give a file a new modification time."""
    found = blake2b(digest_size=16)
    for name, info in _package_files(Path(__file__).parent, ""):
        found.update(f"{name}\0{info.st_size}\0{info.st_mtime_ns}\0".encode())
    return found.digest()


def _package_files(folder: Path, prefix: str) -> Iterator[tuple[str, os.stat_result]]:
    with os.scandir(folder) as listing:
        entries = sorted(listing, key=lambda entry: entry.name)
    for entry in entries:
        if entry.is_dir() and entry.name != "__pycache__":
            yield from _package_files(Path(entry.path), f"{prefix}{entry.name}/")
        elif entry.name.endswith((".py", ".json")):
            yield f"{prefix}{entry.name}", entry.stat()
