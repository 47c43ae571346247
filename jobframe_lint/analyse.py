"""Judging files: each loaded, validated against its schema and put through the per-file
rules, against the level guides. What the cache keeps per file; large batches are shared
out to worker processes.

Imported only by runs that have files to judge: parsing (PyYAML) and validation
(jsonschema-rs) are most of a cached run's import time otherwise.
"""

from __future__ import annotations

import gc
from collections.abc import Sequence
from typing import Any

from jobframe_lint.cache import Entry
from jobframe_lint.canon import Canon, build_canon
from jobframe_lint.custom import NO_CUSTOM, CustomRules
from jobframe_lint.diagnostics import Diagnostic
from jobframe_lint.document import Document, FieldPath, Limits
from jobframe_lint.loader import load_bytes
from jobframe_lint.processes import cores
from jobframe_lint.rules import RULES
from jobframe_lint.schema import validate
from jobframe_lint.suppressions import MARKER

# Below this many files to (re)load, starting worker processes costs more than it saves.
PARALLEL_FROM = 400


# A file to work out: its display path, bytes and their digest.
Task = tuple[str, bytes, bytes]


def analyse(
    tasks: list[Task],
    guides: list[Document],
    key: bytes,
    limits: Limits,
    custom: CustomRules = NO_CUSTOM,
) -> list[tuple[str, Entry]]:
    """Entries for ``tasks``, in worker processes when there are enough to pay for them."""
    workers = cores()
    if len(tasks) >= PARALLEL_FROM and workers > 1:
        from concurrent.futures.process import BrokenProcessPool  # ~15 ms: only if used

        try:
            return _in_workers(tasks, guides, key, limits, workers, custom)
        except (OSError, BrokenProcessPool):
            pass  # no processes to be had (a sandbox without semaphores): slower, not wrong
    return Analyser(guides, key, limits, custom).entries(tasks)


def _in_workers(
    tasks: list[Task],
    guides: list[Document],
    key: bytes,
    limits: Limits,
    workers: int,
    custom: CustomRules,
) -> list[tuple[str, Entry]]:
    from concurrent.futures import ProcessPoolExecutor

    # Each worker loads the guides again from their text (documents do not pickle cheaply).
    guide_texts = [(guide.path, guide.text or "") for guide in guides]
    size = -(-len(tasks) // (workers * 4))
    batches = [tasks[start : start + size] for start in range(0, len(tasks), size)]
    with ProcessPoolExecutor(
        workers, initializer=_start, initargs=(guide_texts, key, limits, custom)
    ) as pool:
        # Unpacked as batches arrive, while the workers go on with the next ones.
        done = [Entry.load(blob) for blobs in pool.map(_work, batches) for blob in blobs]
    return [(task[0], entry) for task, entry in zip(tasks, done, strict=True)]


# A worker process's analyser, set up by ``_start``.
_ANALYSER: list[Analyser] = []


def _start(
    guide_texts: list[tuple[str, str]], key: bytes, limits: Limits, custom: CustomRules
) -> None:
    gc.disable()
    guides = [load_bytes(text.encode("utf-8"), path, limits) for path, text in guide_texts]
    _ANALYSER[:] = [Analyser(guides, key, limits, custom)]


def _work(batch: list[Task]) -> list[bytes]:
    return [entry.dump() for _, entry in _ANALYSER[0].entries(batch)]


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

    def entries(self, tasks: Sequence[Task]) -> list[tuple[str, Entry]]:
        documents = [load_bytes(raw, display, self.limits) for display, raw, _ in tasks]
        entries = self.judge(documents, [file_digest for _, _, file_digest in tasks])
        return [(document.path, entry) for document, entry in zip(documents, entries, strict=True)]

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
