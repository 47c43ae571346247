"""A baseline: the findings a canon had when the tool was adopted, reported no more.

A team adopting the gate on a canon with history records today's findings once
(``check --write-baseline``) and from then on fails only on new ones, as ESLint's and
SwiftLint's baselines do. Entries are keyed by file, code and the finding's anchor (the
canon field and text, see ``anchors``), never by line, and counted: two identical findings
need two entries. An entry that matches nothing any more is reported (JF100, information),
and the next ``--write-baseline`` drops it.

The file holds one entry per line, sorted, so that its diffs in review read entry by entry.
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import NamedTuple

from jobframe_lint.anchors import Anchors
from jobframe_lint.config import ConfigProblem, Settings
from jobframe_lint.diagnostics import Diagnostic, Position, Span, by_place
from jobframe_lint.suppressions import UNUSED

VERSION = 1


class Entry(NamedTuple):
    # Relative to the baseline's folder, with ``/``: the same from any working directory.
    path: str
    code: str
    field: str | None
    text: str | None


class Split(NamedTuple):
    """A run's findings against a baseline: what is reported (new findings and stale
    entries) and what the baseline accounts for."""

    reported: list[Diagnostic]
    baselined: list[Diagnostic]


class Baseline:
    def __init__(self, path: Path, counts: Counter[Entry], lines: dict[Entry, Position]) -> None:
        self.path = path
        self.counts = counts
        # Where each entry is written, so that a stale one is reported at its line.
        self.lines = lines
        self._folder = path.parent.absolute()
        self._relative: dict[str, str] = {}

    @classmethod
    def read(cls, path: Path) -> Baseline:
        """The baseline in ``path``; an empty one if there is no such file."""
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return cls(path, Counter(), {})
        except (OSError, UnicodeDecodeError) as error:
            raise ConfigProblem(f"{path}: cannot read the baseline: {error}") from None
        try:
            counts = _counts(json.loads(text))
        except (ValueError, TypeError) as error:
            raise ConfigProblem(
                f"{path}: not a jobframe-lint baseline ({error}); "
                "`check --write-baseline` writes a new one"
            ) from None
        return cls(path, counts, _entry_lines(text))

    def entry(self, item: Diagnostic, anchors: Anchors) -> Entry:
        field, text = anchors.of(item)
        return Entry(self.relative(item.path), item.code, field, text)

    def relative(self, path: str) -> str:
        """``path`` as entries name it; asked for every finding, so worked out once a file."""
        found = self._relative.get(path)
        if found is None:
            found = Path(os.path.relpath(Path(path).absolute(), self._folder)).as_posix()
            self._relative[path] = found
        return found

    def split(
        self,
        findings: Iterable[Diagnostic],
        anchors: Anchors,
        targets: Sequence[str],
        settings: Settings,
    ) -> Split:
        left = Counter(self.counts)
        reported: list[Diagnostic] = []
        baselined: list[Diagnostic] = []
        # A finding no entry could match is not anchored: that costs reading its file.
        candidates = {(entry.path, entry.code) for entry in self.counts}
        for item in findings:
            if (self.relative(item.path), item.code) not in candidates:
                reported.append(item)
                continue
            key = self.entry(item, anchors)
            if left[key] > 0:
                left[key] -= 1
                baselined.append(item)
            else:
                reported.append(item)
        stale = [
            entry for entry in self._judged(targets, settings) if left[entry] == self.counts[entry]
        ]
        if settings.enabled(UNUSED, str(self.path)):
            reported.extend(self._stale(entry, settings) for entry in stale)
            reported.sort(key=by_place)
        return Split(reported, baselined)

    def recorded(
        self,
        findings: Iterable[Diagnostic],
        anchors: Anchors,
        targets: Sequence[str],
        settings: Settings,
    ) -> Baseline:
        """This baseline with the run's findings in place of the entries the run judged
        (its files and enabled rules): entries for files or rules not run are kept."""
        judged = set(self._judged(targets, settings))
        counts = Counter({entry: n for entry, n in self.counts.items() if entry not in judged})
        counts.update(self.entry(item, anchors) for item in findings)
        return Baseline(self.path, counts, {})

    def write(self) -> None:
        """Atomically, keeping the file's permissions (a new one gets the umask's)."""
        from jobframe_lint.atomic import write_output

        ordered = sorted(self.counts.items(), key=lambda pair: _sort_key(pair[0]))
        lines = [
            _surrogates_escaped(json.dumps({**entry._asdict(), "count": count}, ensure_ascii=False))
            for entry, count in ordered
        ]
        entries = "[\n" + ",\n".join(f"    {line}" for line in lines) + "\n  ]" if lines else "[]"
        text = f'{{\n  "version": {VERSION},\n  "entries": {entries}\n}}\n'
        try:
            write_output(self.path, text.encode("utf-8"))
        except OSError as error:
            raise ConfigProblem(f"{self.path}: cannot write the baseline: {error}") from None

    @property
    def size(self) -> int:
        return sum(self.counts.values())

    def _judged(self, targets: Sequence[str], settings: Settings) -> Iterable[Entry]:
        """The entries a run over ``targets`` decides on: those of its files and enabled
        rules, and those of files that are gone, which nothing can match any more."""
        shown: dict[str, str | None] = {self.relative(path): path for path in targets}
        for entry in self.counts:
            if entry.path not in shown:
                where = os.path.relpath(self.path.parent / entry.path)
                shown[entry.path] = None if os.path.lexists(where) else where
            path = shown[entry.path]
            if path is not None and settings.enabled(entry.code, path):
                yield entry

    def _stale(self, entry: Entry, settings: Settings) -> Diagnostic:
        from jobframe_lint.rules import RULES

        where = f" at {entry.field}" if entry.field else ""
        message = (
            f"baseline entry matches no finding any more: {entry.code} in {entry.path}{where}; "
            "`check --write-baseline` drops it"
        )
        severity = settings.severity_of(UNUSED, RULES[UNUSED].severity)
        start = self.lines.get(entry, Position(1, 1))
        return Diagnostic(str(self.path), Span(start, start), UNUSED, message, severity)


def _counts(data: object) -> Counter[Entry]:
    if not isinstance(data, dict) or data.get("version") != VERSION:
        raise ValueError(f"expected an object with version {VERSION}")
    entries = data.get("entries")
    if not isinstance(entries, list):
        raise TypeError("entries: expected a list")
    counts: Counter[Entry] = Counter()
    for number, raw in enumerate(entries):
        entry, count = _entry(raw)
        if count < 1:
            raise ValueError(f"entries[{number}].count: expected a positive number")
        counts[entry] += count
    return counts


def _entry(raw: object) -> tuple[Entry, int]:
    if not isinstance(raw, dict):
        raise TypeError("an entry is not an object")
    missing = [key for key in (*Entry._fields, "count") if key not in raw]
    if missing:
        raise ValueError(f"an entry without {', '.join(missing)}")
    path, code, field, text, count = (raw[key] for key in (*Entry._fields, "count"))
    if not (isinstance(path, str) and isinstance(code, str)):
        raise TypeError("an entry's path and code are strings")
    if not isinstance(count, int) or isinstance(count, bool):
        raise TypeError("an entry's count is a number")
    if not all(value is None or isinstance(value, str) for value in (field, text)):
        raise TypeError("field and text are strings or null")
    return Entry(path, code, field, text), count


def _entry_lines(text: str) -> dict[Entry, Position]:
    """Where each entry written one to a line (as ``write`` does) starts."""
    found: dict[Entry, Position] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip().rstrip(",")
        if not stripped.startswith("{") or not stripped.endswith("}"):
            continue
        try:
            entry, _ = _entry(json.loads(stripped))
        except (ValueError, TypeError):
            continue
        found.setdefault(entry, Position(number, len(line) - len(line.lstrip()) + 1))
    return found


def _sort_key(entry: Entry) -> tuple[str, str, str, str]:
    return (entry.path, entry.code, entry.field or "", entry.text or "")


_SURROGATE = re.compile("[\ud800-\udfff]")


def _surrogates_escaped(document: str) -> str:
    """A file name that is not UTF-8 holds lone surrogates, which UTF-8 cannot write: as
    JSON escapes they are read back to the same name, so its entries keep matching."""
    return _SURROGATE.sub(lambda found: f"\\u{ord(found.group()):04x}", document)
