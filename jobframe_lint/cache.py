"""Per-file results kept between runs, keyed by content, as ruff keeps ``.ruff_cache``.

A re-check after editing one file of a 2,000-file canon should cost what reading the files
costs, not what parsing them does. For each file the cache keeps what depends on that file
alone (plus the level guides, whose digest is part of the entry): its loader, schema and
per-file rule findings, and its outline for the cross-file rules. Commands that need every
text (render, ``--fix``) parse their few target files again: 0.5 ms a file.

Correctness, in order of importance:

- An entry is used only when the file's bytes hash to the digest it was stored under, and
  the level guides to the digest its rule findings were judged against.
- The directory an entry lives in is named by a key over the package version, the
  package's own files (rules, schemas: an edited rule is a new key even in an editable
  install), the Python version (marshal's format) and the run's settings. Entries of other
  keys are never read.
- Entries are written to a temporary file and moved into place with ``os.replace``:
  concurrent runs see a whole old entry, a whole new one, or none. Anything unreadable is
  a miss, and a cache that cannot be written is skipped silently: it is only a cache.

``marshal`` is used rather than ``pickle``: it loads plain data ~20x faster and cannot
construct arbitrary objects from a tampered file.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass, fields, is_dataclass
from pathlib import Path
from typing import Any

from jobframe_lint import __version__
from jobframe_lint.diagnostics import Diagnostic, Position, Severity, Span

CACHE_DIR = Path(".jobframe_lint_cache")
_FIELDS = tuple(item.name for item in fields(Diagnostic))
_SPAN = _FIELDS.index("span")
_SEVERITY = _FIELDS.index("severity")


def digest(data: bytes) -> bytes:
    """Names a file's content. SHA-1 runs in hardware on current CPUs (~2x BLAKE2 here);
    this guards against stale results, not against an attacker who can write the cache."""
    return hashlib.sha1(data, usedforsecurity=False).digest()


@dataclass
class Entry:
    """What one file contributes to a run, as it was when its bytes hashed to ``digest``."""

    digest: bytes
    # Names the level guides (paths and contents) the rule findings were judged against.
    guides: bytes
    kind: str | None
    # Whether the loader could give the document its text (the file's bytes, decoded).
    has_text: bool
    # Top-level scalars and their positions: the part of a file cross-file rules read.
    outline: tuple[dict[str, Any] | None, dict[Any, Any]]
    findings: list[Diagnostic]

    def dump(self) -> bytes:
        packed = [pack(item) for item in self.findings]
        return marshal.dumps(
            (self.digest, self.guides, self.kind, self.has_text, self.outline, packed)
        )

    @classmethod
    def load(cls, blob: bytes) -> Entry:
        file_digest, guides, kind, has_text, outline, packed = marshal.loads(blob)
        findings = [unpack(item) for item in packed]
        return cls(file_digest, guides, kind, has_text, outline, findings)


def pack(item: Diagnostic) -> tuple[Any, ...]:
    """A finding as marshal-able values, field by field, so a new field cannot be dropped."""
    values: list[Any] = []
    for name in _FIELDS:
        value = getattr(item, name)
        if isinstance(value, Span):
            value = (value.start.line, value.start.column, value.end.line, value.end.column)
        elif isinstance(value, Severity):
            value = value.value
        values.append(value)
    return tuple(values)


def unpack(values: tuple[Any, ...]) -> Diagnostic:
    if len(values) != len(_FIELDS):
        raise ValueError("an entry written for other fields")
    found = list(values)
    line, column, end_line, end_column = found[_SPAN]
    found[_SPAN] = Span(Position(line, column), Position(end_line, end_column))
    found[_SEVERITY] = Severity(found[_SEVERITY])
    return Diagnostic(*found)


class Cache:
    """One directory of entries, one file per canon file, for one key."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    @classmethod
    def open(cls, settings: object, root: Path = CACHE_DIR) -> Cache:
        """The cache for runs with ``settings`` (the dataclass the configuration makes)."""
        return cls(root / run_key(canonical(settings)))

    def get(self, path: str, file_digest: bytes) -> Entry | None:
        try:
            entry = Entry.load((self.directory / _name(path)).read_bytes())
        except (OSError, ValueError, EOFError, TypeError, KeyError):
            return None
        return entry if entry.digest == file_digest else None

    def put(self, path: str, entry: Entry) -> None:
        # A read-only checkout or a full disk: the run stands without its cache.
        with contextlib.suppress(OSError):
            self._write(_name(path), entry.dump())

    def _write(self, name: str, blob: bytes) -> None:
        if not self.directory.is_dir():
            self.directory.mkdir(parents=True, exist_ok=True)
            _mark_ignored(self.directory.parent)
        import tempfile  # only runs that write pay for importing it

        handle, temporary = tempfile.mkstemp(dir=self.directory, prefix=".tmp-")
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(blob)
            Path(temporary).replace(self.directory / name)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise


def _name(path: str) -> str:
    return hashlib.blake2b(path.encode("utf-8", "surrogateescape"), digest_size=16).hexdigest()


def _mark_ignored(root: Path) -> None:
    """A ``.gitignore`` of ``*`` inside the cache, as ruff writes: never committed by accident."""
    marker = root / ".gitignore"
    if not marker.exists():
        marker.write_text("# Automatically created by jobframe-lint.\n*\n", encoding="utf-8")


def canonical(value: object) -> str:
    """A repr that every process spells alike: sets sorted, as their order follows string
    hashing, which changes from one run to the next."""
    if isinstance(value, set | frozenset):
        return "{" + ", ".join(sorted(canonical(item) for item in value)) + "}"
    if isinstance(value, Mapping):
        pairs = (f"{canonical(key)}: {canonical(item)}" for key, item in value.items())
        return "{" + ", ".join(sorted(pairs)) + "}"
    if isinstance(value, list | tuple):
        return "(" + ", ".join(canonical(item) for item in value) + ")"
    if is_dataclass(value) and not isinstance(value, type):
        parts = (f"{item.name}={canonical(getattr(value, item.name))}" for item in fields(value))
        return f"{type(value).__name__}({', '.join(parts)})"
    return repr(value)


def run_key(fingerprint: str) -> str:
    """Names the directory of entries valid for this package, Python and settings."""
    key = hashlib.blake2b(digest_size=16)
    for part in (__version__, sys.version, str(marshal.version), fingerprint):
        key.update(part.encode("utf-8", "surrogateescape") + b"\0")
    key.update(_package_digest())
    return key.hexdigest()


def _package_digest() -> bytes:
    """Every module and schema of the package: a changed rule or schema is a new key."""
    package = Path(__file__).parent
    found = hashlib.blake2b(digest_size=16)
    for path in sorted([*package.rglob("*.py"), *package.rglob("*.json")]):
        found.update(path.relative_to(package).as_posix().encode() + b"\0")
        found.update(digest(path.read_bytes()))
    return found.digest()
