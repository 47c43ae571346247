"""Judging files: each read, loaded, validated against its schema and put through the
per-file rules, against the level guides, a batch at a time. What the cache keeps per file;
large runs are shared out to worker processes, which read the files themselves.

Imported only by runs that have files to judge: parsing (PyYAML) and validation
(jsonschema-rs) are most of a cached run's import time otherwise.
"""

from __future__ import annotations

import gc
from collections.abc import Sequence
from typing import Any

from jobframe_lint.cache import Entry, Stamp, digest
from jobframe_lint.canon import Canon, build_canon
from jobframe_lint.custom import NO_CUSTOM, CustomRules
from jobframe_lint.diagnostics import Diagnostic
from jobframe_lint.document import Document, FieldPath, Limits, read_source
from jobframe_lint.loader import load_bytes, load_file
from jobframe_lint.processes import cores, end_with_parent
from jobframe_lint.rules import RULES
from jobframe_lint.schema import validate
from jobframe_lint.suppressions import MARKER

# Below this many files to (re)load, starting worker processes costs more than it saves.
PARALLEL_FROM = 400
# Files judged together: their documents are all a process holds at once (the whole
# canon's took 1.7 GB at 20,000 files); what a batch costs beyond its files (the per-file
# rules go over the guides again) is ~0.1 ms.
BATCH = 64


# A file to judge: its display path; its bytes where the caller holds them already (a
# level guide, a file wanted in full, staged bytes), else it is read where it is judged;
# and its stamp, taken before any read of it, which its entry then carries.
Task = tuple[str, bytes | None, Stamp | None]


def analyse(
    tasks: list[Task],
    guides: list[Document],
    key: bytes,
    limits: Limits,
    custom: CustomRules = NO_CUSTOM,
) -> list[Entry]:
    """An entry for each task, in order, made from the bytes read for it (in worker
    processes when there are enough to pay for them)."""
    workers = cores()
    if len(tasks) >= PARALLEL_FROM and workers > 1:
        from concurrent.futures.process import BrokenProcessPool  # ~15 ms: only if used

        try:
            return _in_workers(tasks, guides, key, limits, workers, custom)
        except (OSError, BrokenProcessPool):
            pass  # no processes to be had (a sandbox without semaphores): slower, not wrong
    analyser = Analyser(guides, key, limits, custom)
    return [entry for batch in _batches(tasks, BATCH) for entry in analyser.entries(batch)]


def _batches(tasks: list[Task], size: int) -> list[list[Task]]:
    return [tasks[start : start + size] for start in range(0, len(tasks), size)]


def _in_workers(
    tasks: list[Task],
    guides: list[Document],
    key: bytes,
    limits: Limits,
    workers: int,
    custom: CustomRules,
) -> list[Entry]:
    from concurrent.futures import ProcessPoolExecutor

    # Each worker loads the guides again from their text (documents do not pickle cheaply).
    guide_texts = [(guide.path, guide.text or "") for guide in guides]
    # Enough batches for the workers to finish together, none larger than BATCH.
    size = min(BATCH, -(-len(tasks) // (workers * 4)))
    with ProcessPoolExecutor(
        workers, initializer=_start, initargs=(guide_texts, key, limits, custom)
    ) as pool:
        # Kept as sent while the workers run: a third of the size of the entries they
        # stand for (the workers' memory and the parent's are held at once).
        blobs = [blob for batch in pool.map(_work, _batches(tasks, size)) for blob in batch]
    # Each keeps its blob, which the cache then stores as it is.
    return [Entry.load(blob) for blob in blobs]


# A worker process's analyser, set up by ``_start``.
_ANALYSER: list[Analyser] = []


def _start(
    guide_texts: list[tuple[str, str]], key: bytes, limits: Limits, custom: CustomRules
) -> None:
    """The pool's initializer: each worker's set-up, before its first batch."""
    end_with_parent()
    gc.disable()
    guides = [load_bytes(text.encode("utf-8"), path, limits) for path, text in guide_texts]
    _ANALYSER[:] = [Analyser(guides, key, limits, custom)]


def _work(batch: list[Task]) -> list[bytes]:
    return [entry.dump() for entry in _ANALYSER[0].entries(batch)]


class Analyser:
    """Loads files and judges each against the level guides: what the cache keeps per file."""

    def __init__(
        self,
        guides: list[Document],
        key: bytes,
        limits: Limits,
        custom: CustomRules = NO_CUSTOM,
    ) -> None:
        self.guides = build_canon(guides)
        self.key = key
        self.limits = limits
        self.rules = [rule.check for rule in RULES.values() if rule.check and not rule.cross_file]
        self.rules.extend(custom.per_file)
        # What custom cross-file rules gather of every file into its outline.
        self.collectors = custom.collectors

    def entries(self, tasks: Sequence[Task]) -> list[Entry]:
        """Entries for ``tasks``, stamped: but where a file could not be read."""
        loaded = [self._load(display, raw) for display, raw, _ in tasks]
        judged = self.judge([document for document, _ in loaded], [found for _, found in loaded])
        return [
            entry.stamped(stamp) if entry.digest else entry
            for entry, (_, _, stamp) in zip(judged, tasks, strict=True)
        ]

    def _load(self, display: str, raw: bytes | None) -> tuple[Document, bytes]:
        """The file (its bytes as read now, unless given) and their digest: empty where it
        cannot be read, and the document says why."""
        if raw is None:
            raw = read_source(display, self.limits)
        if raw is None:
            return load_file(display, display, self.limits), b""
        return load_bytes(raw, display, self.limits), digest(raw)

    def judge(self, documents: Sequence[Document], digests: Sequence[bytes]) -> list[Entry]:
        canon = self._canon(documents)
        found = self._rules(canon, {document.path for document in documents})
        gathered: dict[str, dict[str, Any]] = {}
        for collector in self.collectors:
            for path, items in collector.collect(canon).items():
                gathered.setdefault(path, {})[collector.key] = items
        return [
            Entry.make(
                file_digest,
                self.key,
                document.kind,
                document.text is not None and MARKER in document.text,
                _outline(document, gathered.get(document.path)),
                one_per_mistake(
                    [*document.diagnostics, *validate(document), *found.get(document.path, [])]
                ),
            )
            for document, file_digest in zip(documents, digests, strict=True)
        ]

    def _canon(self, documents: Sequence[Document]) -> Canon:
        """The guides and ``documents``, judged in one pass: findings on a file depend on it
        and the guides only, so judging many at once is judging each alone, without going
        over the guides again for every file."""
        guide_paths = {document.path for document in self.guides.documents}
        own = build_canon(document for document in documents if document.path not in guide_paths)
        return Canon([*self.guides.documents, *own.documents], self.guides.guides, own.families)

    def _rules(self, canon: Canon, wanted: set[str]) -> dict[str, list[Diagnostic]]:
        """Per-file rules' findings on the files ``wanted``."""
        found: dict[str, list[Diagnostic]] = {}
        for check in self.rules:
            for item in check(canon):
                if item.path in wanted:
                    found.setdefault(item.path, []).append(item)
        return found


def one_per_mistake(findings: list[Diagnostic]) -> list[Diagnostic]:
    """Without the findings of an absent field that a misspelt key stands for: `rubric:`
    is JF002 with its did-you-mean, not also JF102 for each rubric it holds."""
    meant = [item.field for item in findings if item.code == "JF002" and item.field]
    if not meant:
        return findings
    return [
        item
        for item in findings
        if item.code == "JF002" or not any(item.field[: len(field)] == field for field in meant)
    ]


def _outline(
    document: Document, gathered: dict[str, Any] | None = None
) -> tuple[dict[str, Any] | None, dict[Any, Any]]:
    """Top-level scalars (kind, family, function) and a level guide's level codes, with
    their positions and the root's: what cross-file rules read of a file; and what custom
    cross-file rules ``gathered`` of it (by key; each item ends with its field path)."""
    if document.data is None:
        return None, {}
    raw = document.positions.raw
    data: dict[str, Any] = {
        key: value for key, value in document.data.items() if not isinstance(value, dict | list)
    }
    paths: list[FieldPath] = [(), *((key,) for key in data)]
    levels = document.data.get("levels")
    if document.kind == "levels" and isinstance(levels, dict):
        data["levels"] = dict.fromkeys(levels)
        paths.extend([("levels",), *(("levels", code) for code in levels)])
    if gathered:
        data.update(gathered)
        paths.extend(item[-1] for items in gathered.values() for item in items)
    positions = {path: raw[path] for path in paths if path in raw}
    return data, positions
