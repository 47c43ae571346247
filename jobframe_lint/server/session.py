"""The canon as the editor sees it: the files on disk, overlaid by the buffers open in it.

Findings are those of ``check`` on the same bytes: each file loaded, validated and put
through the per-file rules against the level guides (``analyse.Analyser``), the rules that
compare files run over the whole canon, then the configuration and the inline suppressions
(``commands.check.reported``). Everything parsed is kept between requests: a file on disk
while its metadata is unchanged, a buffer while its text is, a file's per-file findings
while its bytes and the level guides are. So a keystroke in one family of a large canon
parses that buffer again and nothing else.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import NamedTuple

from jobframe_lint.analyse import Analyser
from jobframe_lint.cache import Stamp, digest
from jobframe_lint.canon import Canon, build_canon
from jobframe_lint.commands.check import reported
from jobframe_lint.config import Settings
from jobframe_lint.diagnostics import Diagnostic
from jobframe_lint.discovery import YAML_SUFFIXES, PathProblem, expand, per_folder
from jobframe_lint.document import Document, read_source
from jobframe_lint.lint import SETTLED_NS, Result, cross_file
from jobframe_lint.loader import load_bytes, load_file


class Loaded(NamedTuple):
    """A file as last parsed, and what it was parsed from: its buffer's text, or the stamp
    of the file on disk (None: not to be trusted, see ``Session._from_disk``).

    ``part`` is the canon of this file alone: the snapshot's canon is put together from the
    parts, since building the typed canon of 200 families again costs ~50 ms a keystroke.
    """

    source: Stamp | str | None
    digest: bytes
    document: Document
    part: Canon

    @classmethod
    def of(cls, source: Stamp | str | None, file_digest: bytes, document: Document) -> Loaded:
        return cls(source, file_digest, document, build_canon([document]))


class Snapshot(NamedTuple):
    """The canon at one moment: every file, each from its buffer if open, else from disk."""

    canon: Canon
    documents: dict[str, Document]
    digests: dict[str, bytes]
    guides_key: bytes


def local(paths: Sequence[str]) -> list[str]:
    """Paths as the session names files: relative to the working directory, from the real
    path of their folder. The editor's path and the canon walk's then agree on a file even
    where one reaches its folder through a link (macOS's /tmp), and a file is never loaded
    twice, which would make it clash with itself as a duplicate definition."""
    real = per_folder(paths, os.path.realpath)
    return [os.path.normpath(path) for path in per_folder(real, os.path.relpath)]


class Session:
    """Open buffers by path (as ``local`` names them: as ``check`` prints them)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.buffers: dict[str, str] = {}
        self._loaded: dict[str, Loaded] = {}
        # path → (digest, guides key, per-file findings)
        self._judged: dict[str, tuple[bytes, bytes, list[Diagnostic]]] = {}
        self._analyser: tuple[bytes, Analyser] | None = None

    def configure(self, settings: Settings) -> None:
        """New settings: what was parsed stays valid unless the loader's limits changed."""
        if settings.limits != self.settings.limits:
            self._loaded.clear()
            self._judged.clear()
            self._analyser = None
        self.settings = settings

    def owns(self, path: str) -> bool:
        """Whether ``path`` is a canon file: YAML under the canon directory, not hidden."""
        canon = os.path.relpath(os.path.realpath(self.settings.canon))
        parts = Path(os.path.relpath(path, canon)).parts
        return (
            path.endswith(YAML_SUFFIXES)
            and parts[0] != os.pardir
            and not any(part.startswith(".") for part in parts[:-1])
        )

    def snapshot(self) -> Snapshot:
        files: dict[str, Loaded] = {}
        for path in self._paths():
            loaded = self._from_buffer(path) if path in self.buffers else self._from_disk(path)
            if loaded is not None:
                files[path] = loaded
        for gone in self._loaded.keys() - files.keys():
            del self._loaded[gone]
        for gone in self._judged.keys() - files.keys():
            del self._judged[gone]
        key = hashlib.blake2b(digest_size=16)
        for path, loaded in files.items():
            if loaded.document.kind == "levels":
                key.update(path.encode("utf-8", "surrogateescape") + b"\0" + loaded.digest)
        canon = Canon(
            [loaded.document for loaded in files.values()],
            [guide for loaded in files.values() for guide in loaded.part.guides],
            [family for loaded in files.values() for family in loaded.part.families],
        )
        documents = {path: loaded.document for path, loaded in files.items()}
        digests = {path: loaded.digest for path, loaded in files.items()}
        return Snapshot(canon, documents, digests, key.digest())

    def findings(self, snapshot: Snapshot, paths: Sequence[str]) -> dict[str, list[Diagnostic]]:
        """What ``check`` reports on each of ``paths``, judged against the whole snapshot."""
        wanted = [path for path in paths if path in snapshot.documents]
        found = [item for path in wanted for item in self._judge(snapshot, path)]
        found.extend(item for item in cross_file(snapshot.canon) if item.path in wanted)
        by_path: dict[str, list[Diagnostic]] = {path: [] for path in paths}
        for item in reported(Result(snapshot.canon, wanted, found), self.settings):
            if item.path in by_path:
                by_path[item.path].append(item)
        return by_path

    def _paths(self) -> Iterable[str]:
        """The canon's files as ``check`` walks them, then open buffers not yet on disk."""
        on_disk: list[str] = []
        if self.settings.canon.is_dir():
            try:
                on_disk = local(expand([self.settings.canon]))
            except PathProblem:
                on_disk = []  # a folder that cannot be listed: check reports it, we skip it
        known = set(on_disk)
        return [
            *on_disk,
            *(path for path in self.buffers if path not in known and self.owns(path)),
        ]

    def _from_buffer(self, path: str) -> Loaded:
        text = self.buffers[path]
        loaded = self._loaded.get(path)
        if loaded is not None and loaded.source == text:
            return loaded
        # A lone surrogate (JSON allows "\ud800") is kept, and refused as UTF-8 by the loader.
        raw = text.encode("utf-8", "surrogatepass")
        loaded = Loaded.of(text, digest(raw), load_bytes(raw, path, self.settings.limits))
        self._loaded[path] = loaded
        return loaded

    def _from_disk(self, path: str) -> Loaded | None:
        """The file as last parsed while its metadata vouches for its bytes, as in ``lint``:
        only metadata older than ``SETTLED_NS`` does (a write in the same tick of a coarse
        clock would go unseen), so a file just written is read again, and parsed again
        only if its bytes changed."""
        try:
            info = os.stat(path)  # noqa: PTH116 (one per file per keystroke: kept cheap)
        except OSError:
            return None
        stamp = (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino, info.st_dev)
        loaded = self._loaded.get(path)
        if loaded is not None and loaded.source == stamp:
            return loaded
        settled = max(info.st_mtime_ns, info.st_ctime_ns) < time.time_ns() - SETTLED_NS
        trusted = stamp if settled else None
        limits = self.settings.limits
        raw = read_source(path, limits)
        if raw is None:  # not a regular file, unreadable: the loader says why
            loaded = Loaded.of(trusted, b"", load_file(path, path, limits))
        elif loaded is not None and loaded.digest == digest(raw):
            loaded = loaded._replace(source=trusted)
        else:
            loaded = Loaded.of(trusted, digest(raw), load_bytes(raw, path, limits))
        self._loaded[path] = loaded
        return loaded

    def _judge(self, snapshot: Snapshot, path: str) -> list[Diagnostic]:
        """Loader, schema and per-file rule findings of one file, kept while still valid."""
        file_digest = snapshot.digests[path]
        judged = self._judged.get(path)
        if judged is not None and judged[:2] == (file_digest, snapshot.guides_key):
            return judged[2]
        entry = self._analyser_for(snapshot).judge([snapshot.documents[path]], [file_digest])[0]
        findings = entry.findings
        self._judged[path] = (file_digest, snapshot.guides_key, findings)
        return findings

    def _analyser_for(self, snapshot: Snapshot) -> Analyser:
        if self._analyser is None or self._analyser[0] != snapshot.guides_key:
            guides = [doc for doc in snapshot.documents.values() if doc.kind == "levels"]
            analyser = Analyser(guides, snapshot.guides_key, self.settings.limits)
            self._analyser = (snapshot.guides_key, analyser)
        return self._analyser[1]
