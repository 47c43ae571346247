"""A canon file as the stages after parsing see it: its bytes read safely, its data and the
position of every key, value and item.

Kept apart from ``loader`` (which parses with PyYAML) so that a run answered from the
cache, the usual pre-commit case, never imports a YAML parser: ~15 ms of a ~60 ms budget.
"""

from __future__ import annotations

import codecs
import os
import re
import stat
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, NamedTuple

from jobframe_lint.diagnostics import Diagnostic, Position, Span

FieldPath = tuple[str | int, ...]

# A key that reads the same in a field name without quoting.
_PLAIN_KEY = re.compile(r"[\w/-]+")
# Deeper nesting than this would strain the stages that recurse through the data (schema
# validation): not configurable past it.
DEPTH_CEILING = 100


def field_name(path: FieldPath) -> str:
    """``levels.P3.responsibilities[2]``: the path as a user would type it."""
    parts: list[str] = []
    for element in path:
        if isinstance(element, int):
            parts.append(f"[{element}]")
        elif _PLAIN_KEY.fullmatch(element):
            parts.append(f".{element}" if parts else element)
        else:
            import json  # a key with spaces or dots: rare enough to import for

            parts.append(f"[{json.dumps(element, ensure_ascii=False)}]")
    return "".join(parts) or "the document"


class Limits(NamedTuple):
    """What one canon file may ask of a run, far above any real canon (a large family is
    ~10 KB, ~300 nodes, 5 levels deep), so that a hostile file is refused in bounded time
    and memory instead of exhausting either."""

    max_file_bytes: int = 1024 * 1024
    max_depth: int = 64
    max_nodes: int = 10_000

    def checked(self) -> Limits:
        """These limits, or ValueError saying why a run could not honour them."""
        if min(self) < 1:
            raise ValueError("limits must be positive")
        if self.max_depth > DEPTH_CEILING:
            raise ValueError(f"max-depth cannot exceed {DEPTH_CEILING}")
        return self


DEFAULT_LIMITS = Limits()


class NodeSpan(NamedTuple):
    """Where a value sits, and where the key that holds it sits (None for items and the root)."""

    value: Span
    key: Span | None = None

    @property
    def anchor(self) -> Span:
        """The span a finding about this value as a whole should point at."""
        return self.key or self.value


# 0-based (line, column, end line, end column) of a value, followed for a mapping value
# by the same four for its key: a file has hundreds of positions and a run needs a few.
RawSpan = tuple[int, ...]


class Positions(Mapping[FieldPath, NodeSpan]):
    """Field path → ``NodeSpan``, kept as plain int tuples and turned into spans on lookup.

    Building two ``Position`` objects for every node cost more than parsing the file;
    plain tuples also go into the cache and across worker processes as they are.
    """

    __slots__ = ("raw",)

    def __init__(self, raw: dict[FieldPath, RawSpan] | None = None) -> None:
        self.raw: dict[FieldPath, RawSpan] = {} if raw is None else raw

    def __getitem__(self, path: FieldPath) -> NodeSpan:
        return _node_span(self.raw[path])

    def __iter__(self) -> Iterator[FieldPath]:
        return iter(self.raw)

    def __len__(self) -> int:
        return len(self.raw)


def _node_span(raw: RawSpan) -> NodeSpan:
    value = Span(Position(raw[0] + 1, raw[1] + 1), Position(raw[2] + 1, raw[3] + 1))
    if len(raw) == 4:
        return NodeSpan(value)
    return NodeSpan(value, Span(Position(raw[4] + 1, raw[5] + 1), Position(raw[6] + 1, raw[7] + 1)))


class Document:
    """A loaded canon file. ``data`` is None when the file could not be read as a mapping.

    The loader fills it in as it goes (text, then data, then findings), so it is a plain
    mutable class.
    """

    __slots__ = ("data", "diagnostics", "implicit_scalars", "path", "positions", "text")

    def __init__(
        self,
        path: str,
        text: str | None = None,
        data: dict[str, Any] | None = None,
        positions: Positions | None = None,
        diagnostics: list[Diagnostic] | None = None,
    ) -> None:
        self.path = path
        self.text = text
        self.data = data
        self.positions = Positions() if positions is None else positions
        # Plain scalars that YAML resolved to something other than text (`No`, `1.10`),
        # by field path, with their source text: the schema stage tells users to quote them.
        self.implicit_scalars: dict[FieldPath, str] = {}
        self.diagnostics = [] if diagnostics is None else diagnostics

    @property
    def kind(self) -> str | None:
        """``levels`` or ``family`` (or whatever else the file claims), if it says."""
        kind = self.data.get("kind") if self.data is not None else None
        return kind if isinstance(kind, str) else None

    def locate(self, path: FieldPath) -> NodeSpan:
        """The position of ``path``, or of its nearest ancestor that has one."""
        raw = self.positions.raw
        for cut in range(len(path), -1, -1):
            found = raw.get(path[:cut])
            if found is not None:
                return _node_span(found)
        return NodeSpan(Span.at(1, 1))


class Refusal(Exception):
    """Stops loading a document at the first thing that makes its tree untrustworthy."""

    def __init__(self, code: str, span: Span, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.span = span
        self.message = message


_FILE_KINDS = {
    stat.S_IFDIR: "a directory",
    stat.S_IFIFO: "a named pipe",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
    stat.S_IFSOCK: "a socket",
}


def read_bytes(path: str | Path, limit: int) -> bytes:
    """The bytes of a regular file, at most one more than ``limit`` (enough to refuse it).

    Opened without blocking and checked before reading: a named pipe would block the open
    and the read forever, and a link to /dev/zero would fill memory.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    handle = os.open(path, flags)
    try:
        info = os.fstat(handle)
        if not stat.S_ISREG(info.st_mode):
            kind = _FILE_KINDS.get(stat.S_IFMT(info.st_mode), "something else")
            raise Refusal(
                "JF001", Span.at(1, 1), f"{kind}, not a regular file: canon files are plain files"
            )
        return _read_up_to(handle, min(info.st_size, limit) + 1, limit + 1)
    finally:
        os.close(handle)


def _read_up_to(handle: int, expected: int, most: int) -> bytes:
    """At most ``most`` bytes, asking first for the ``expected`` size: a buffered read of
    ``most`` bytes would allocate (and fault in) a megabyte for every 10 KB file, which
    made reading a canon four times slower than hashing it."""
    chunks: list[bytes] = []
    total = 0
    wanted = expected
    while total < most:
        chunk = os.read(handle, min(wanted, most - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
        wanted = 64 * 1024  # the file grew since it was measured: read on in blocks
    return b"".join(chunks)


def read_source(path: str | Path, limits: Limits = DEFAULT_LIMITS) -> bytes | None:
    """The bytes ``load_file`` would parse, or None where it refuses the file unread (missing,
    not a regular file): callers that hash files first then let ``load_file`` say why."""
    try:
        return read_bytes(path, limits.max_file_bytes)
    except (OSError, Refusal):
        return None


def decode(raw: bytes) -> str:
    """The text of ``raw``: UTF-8, a leading BOM dropped; Refusal where it is not UTF-8."""
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8) :]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        bad = raw[error.start : error.start + 1].hex()
        raise Refusal(
            "JF001",
            byte_span(raw, error.start),
            f"not valid UTF-8: byte 0x{bad} cannot be decoded",
        ) from None


def byte_span(raw: bytes, offset: int) -> Span:
    """The line and character column of byte ``offset`` in UTF-8 ``raw``."""
    line_start = raw.rfind(b"\n", 0, offset) + 1
    line = raw.count(b"\n", 0, offset) + 1
    column = len(raw[line_start:offset].decode("utf-8", "replace")) + 1
    return Span.at(line, column)
