"""The check pipeline: files → documents with positions → schema → canon → rules.

Everything whose result depends on one file and the level guides (loading, schema,
per-file rules) is done file by file: that unit is what the cache keeps and what worker
processes share out on large canons. Only rules marked ``cross_file`` see the whole canon,
every run, in outline (see ``Rule.cross_file``).
"""

from __future__ import annotations

import gc
import hashlib
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jobframe_lint.cache import Cache, Entry, digest
from jobframe_lint.canon import Canon, build_canon
from jobframe_lint.diagnostics import Diagnostic
from jobframe_lint.discovery import FileSet
from jobframe_lint.loader import (
    DEFAULT_LIMITS,
    Document,
    Limits,
    Positions,
    decode_text,
    load_bytes,
    load_file,
    read_source,
)
from jobframe_lint.rules import RULES
from jobframe_lint.schema import validate

# Below this many files to (re)load, starting worker processes costs more than it saves.
PARALLEL_FROM = 400
# Files that may be level guides, loaded first because every other file is judged against
# them; a guide this misses (flow style, odd quoting) is found after loading, and the run
# then judges everything again against the full set. Not anchored to a line start: a
# literal prefix lets the regex engine skip through the 20 MB of a large canon.
_GUIDE_HINT = re.compile(rb"kind:[ \t]*[\"']?levels\b")


@dataclass
class Result:
    canon: Canon
    targets: list[str]
    diagnostics: list[Diagnostic]


@dataclass(frozen=True)
class Source:
    """A file of the run: its bytes and their digest, or None where it cannot be read."""

    path: Path
    display: str
    raw: bytes | None
    digest: bytes


def lint(
    files: FileSet,
    cache: Cache | None = None,
    texts: bool = True,
    limits: Limits = DEFAULT_LIMITS,
) -> Result:
    """Findings for the target files, judged against the whole canon around them.

    ``Result.canon`` holds the level guides in full, the targets in full with ``texts``
    (render, ``--fix``), and every other file in outline: its top-level scalars, what
    cross-file rules read. ``check`` needs findings, not texts.
    """
    # A run allocates millions of objects and frees them by reference counting; the
    # cycle collector would only rescan them, again and again (a third of the run).
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _lint(files, cache, texts, limits)
    finally:
        if collecting:
            gc.enable()


def _lint(files: FileSet, cache: Cache | None, texts: bool, limits: Limits) -> Result:
    sources = [_source(path, limits) for path in files.all()]
    guides, entries = _judged(sources, cache, limits)
    targets = [str(path) for path in files.targets]
    wanted = set(targets)
    in_full = wanted if texts else set()
    by_path = {guide.path: guide for guide in guides}
    canon = build_canon(
        by_path.get(source.display)
        or _document(source, entries[source.display], limits, source.display in in_full)
        for source in sources
    )
    found = [item for source in sources for item in entries[source.display].findings]
    found.extend(_cross_file(canon))
    reported = sorted(
        (d for d in found if d.path in wanted or not wanted.isdisjoint(d.related)),
        key=lambda d: d.sort_key,
    )
    return Result(canon, targets, reported)


def _judged(
    sources: Sequence[Source], cache: Cache | None, limits: Limits
) -> tuple[list[Document], dict[str, Entry]]:
    """The level guides, and an entry for every source judged against them."""
    cached = _lookup(sources, cache)
    guides = _guides(sources, cached, limits)
    entries = _judge(sources, cached, guides, cache, limits)
    found_kinds = {display for display, entry in entries.items() if entry.kind == "levels"}
    if found_kinds == {guide.path for guide in guides}:
        return guides, entries
    # A level guide the hint missed: judge every file again, now against all of them.
    guides = [
        _document(source, entries[source.display], limits)
        for source in sources
        if source.display in found_kinds
    ]
    return guides, _judge(sources, {}, guides, cache, limits)


def _source(path: Path, limits: Limits) -> Source:
    raw = read_source(path, limits)
    return Source(path, str(path), raw, b"" if raw is None else digest(raw))


def _lookup(sources: Sequence[Source], cache: Cache | None) -> dict[str, Entry]:
    if cache is None:
        return {}
    hits = ((source.display, cache.get(source.display, source.digest)) for source in sources)
    return {display: entry for display, entry in hits if entry is not None}


def _guides(sources: Sequence[Source], cached: dict[str, Entry], limits: Limits) -> list[Document]:
    """The level guides: known from the cache, else files the hint picks that load as one."""
    guides: list[Document] = []
    for source in sources:
        entry = cached.get(source.display)
        if entry is not None and entry.kind == "levels":
            guides.append(_document(source, entry, limits))
        elif entry is None and source.raw is not None and _GUIDE_HINT.search(source.raw):
            document = load_bytes(source.raw, source.display, limits)
            if _kind(document) == "levels":
                guides.append(document)
    return guides


def _guides_digest(guides: Sequence[Document], sources: Sequence[Source]) -> bytes:
    """Names the set of level guides and their contents: per-file rule findings hold while
    it is unchanged."""
    paths = {guide.path for guide in guides}
    key = hashlib.blake2b(digest_size=16)
    for source in sources:
        if source.display in paths:
            key.update(source.display.encode("utf-8", "surrogateescape") + b"\0" + source.digest)
    return key.digest()


def _judge(
    sources: Sequence[Source],
    cached: dict[str, Entry],
    guides: list[Document],
    cache: Cache | None,
    limits: Limits,
) -> dict[str, Entry]:
    """An entry for every source: from the cache where still valid, else worked out."""
    key = _guides_digest(guides, sources)
    entries = {display: entry for display, entry in cached.items() if entry.guides == key}
    stale = [source for source in sources if source.display not in entries]
    fresh = _analyse([source for source in stale if source.raw is not None], guides, key, limits)
    entries.update(fresh)
    if cache is not None:
        for display, entry in fresh:
            if entry.kind is not None:  # refused files are cheap to refuse again
                cache.put(display, entry)
        cache.save()
    unreadable = [
        load_file(source.path, source.display, limits) for source in stale if source.raw is None
    ]
    judged = Analyser(guides, key, limits).judge(unreadable, [b""] * len(unreadable))
    entries.update(
        (document.path, entry) for document, entry in zip(unreadable, judged, strict=True)
    )
    return entries


# A file to work out: its display path, bytes and their digest.
Task = tuple[str, bytes, bytes]


def _analyse(
    sources: list[Source], guides: list[Document], key: bytes, limits: Limits
) -> list[tuple[str, Entry]]:
    """Entries for ``sources``, in worker processes when there are enough to pay for them."""
    tasks = [(source.display, source.raw or b"", source.digest) for source in sources]
    workers = _cores()
    if len(tasks) >= PARALLEL_FROM and workers > 1:
        from concurrent.futures.process import BrokenProcessPool  # ~15 ms: only if used

        try:
            return _in_workers(tasks, guides, key, limits, workers)
        except (OSError, BrokenProcessPool):
            pass  # no processes to be had (a sandbox without semaphores): slower, not wrong
    return Analyser(guides, key, limits).entries(tasks)


def _in_workers(
    tasks: list[Task],
    guides: list[Document],
    key: bytes,
    limits: Limits,
    workers: int,
) -> list[tuple[str, Entry]]:
    from concurrent.futures import ProcessPoolExecutor

    # Each worker loads the guides again from their text (documents do not pickle cheaply).
    guide_texts = [(guide.path, guide.text or "") for guide in guides]
    size = -(-len(tasks) // (workers * 4))
    batches = [tasks[start : start + size] for start in range(0, len(tasks), size)]
    with ProcessPoolExecutor(
        workers, initializer=_start, initargs=(guide_texts, key, limits)
    ) as pool:
        # Unpacked as batches arrive, while the workers go on with the next ones.
        done = [Entry.load(blob) for blobs in pool.map(_work, batches) for blob in blobs]
    return [(task[0], entry) for task, entry in zip(tasks, done, strict=True)]


def _cores() -> int:
    affinity = getattr(os, "sched_getaffinity", None)
    return len(affinity(0)) if affinity else os.cpu_count() or 1


# A worker process's analyser, set up by ``_start``.
_ANALYSER: list[Analyser] = []


def _start(guide_texts: list[tuple[str, str]], key: bytes, limits: Limits) -> None:
    gc.disable()
    guides = [load_bytes(text.encode("utf-8"), path, limits) for path, text in guide_texts]
    _ANALYSER[:] = [Analyser(guides, key, limits)]


def _work(batch: list[Task]) -> list[bytes]:
    return [entry.dump() for _, entry in _ANALYSER[0].entries(batch)]


class Analyser:
    """Loads files and judges each against the level guides: what the cache keeps per file."""

    def __init__(self, guides: list[Document], key: bytes, limits: Limits) -> None:
        self.guides = build_canon(guides)
        self.key = key
        self.limits = limits
        self.rules = [rule.check for rule in RULES.values() if rule.check and not rule.cross_file]

    def entries(self, tasks: Sequence[Task]) -> list[tuple[str, Entry]]:
        documents = [load_bytes(raw, display, self.limits) for display, raw, _ in tasks]
        entries = self.judge(documents, [file_digest for _, _, file_digest in tasks])
        return [(document.path, entry) for document, entry in zip(documents, entries, strict=True)]

    def judge(self, documents: Sequence[Document], digests: Sequence[bytes]) -> list[Entry]:
        found = self._rules(documents)
        return [
            Entry(
                file_digest,
                self.key,
                _kind(document),
                document.text is not None,
                _outline(document),
                [*document.diagnostics, *validate(document), *found.get(document.path, [])],
            )
            for document, file_digest in zip(documents, digests, strict=True)
        ]

    def _rules(self, documents: Sequence[Document]) -> dict[str, list[Diagnostic]]:
        """Per-file rules over the guides and ``documents``, in one pass: findings on a file
        depend on it and the guides only, so judging many at once is judging each alone,
        without going over the guides again for every file."""
        guide_paths = {document.path for document in self.guides.documents}
        own = build_canon(document for document in documents if document.path not in guide_paths)
        canon = Canon([*self.guides.documents, *own.documents], self.guides.guides, own.families)
        wanted = {document.path for document in documents}
        found: dict[str, list[Diagnostic]] = {}
        for check in self.rules:
            for item in check(canon):
                if item.path in wanted:
                    found.setdefault(item.path, []).append(item)
        return found


def _kind(document: Document) -> str | None:
    kind = document.data.get("kind") if document.data is not None else None
    return kind if isinstance(kind, str) else None


def _outline(document: Document) -> tuple[dict[str, Any] | None, dict[Any, Any]]:
    """Top-level scalars (kind, family, function) and their positions, with the root's."""
    if document.data is None:
        return None, {}
    raw = document.positions.raw
    data = {
        key: value for key, value in document.data.items() if not isinstance(value, dict | list)
    }
    positions = {path: raw[path] for path in [(), *((key,) for key in data)] if path in raw}
    return data, positions


def _document(source: Source, entry: Entry, limits: Limits, full: bool = True) -> Document:
    """The document an entry was made from (loaded again), or (not ``full``) its outline."""
    if source.raw is None:
        return load_file(source.path, source.display, limits)
    if full:
        return load_bytes(source.raw, source.display, limits)
    data, positions = entry.outline
    text = decode_text(source.raw) if entry.has_text else None
    return Document(source.display, text, data, Positions(positions))


def _cross_file(canon: Canon) -> list[Diagnostic]:
    return [
        item
        for rule in RULES.values()
        if rule.check is not None and rule.cross_file
        for item in rule.check(canon)
    ]
