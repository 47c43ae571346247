"""``check --fix``: apply the fixes that are certain, touching nothing else in the file.

A fix here is the deletion of characters the finding located exactly (JF108's stray spaces
in a one-line scalar whose source reads as its value). Deleting them from the source keeps
every comment, quote, key order, indentation and line ending byte for byte, which a YAML
round-trip writer cannot promise (ruamel.yaml, for one, re-pads trailing comments and
re-folds block scalars). Before anything is written, the edited text is loaded again and
must hold the same data, less those spaces, without a new finding; the file is then
replaced atomically with its permissions kept. Without ``--fix`` nothing is ever written.
"""

from __future__ import annotations

import codecs
import os
import re
import stat
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from jobframe_lint.atomic import write_atomically
from jobframe_lint.canon import Canon, Text
from jobframe_lint.diagnostics import Diagnostic, Span
from jobframe_lint.document import Document, Refusal, read_bytes
from jobframe_lint.loader import load_bytes
from jobframe_lint.rules import whitespace
from jobframe_lint.rules.common import canon_texts

# The line breaks libyaml counts lines by.
LINE_BREAK = re.compile(r"\r\n|[\r\n\x85\u2028\u2029]")
SPACES = re.compile(r" {2,}")


@dataclass
class FixReport:
    # path → code → findings fixed
    fixed: dict[str, Counter[str]] = field(default_factory=dict)
    # path → why it was left as it was
    failed: dict[str, str] = field(default_factory=dict)

    def lines(self) -> list[str]:
        done = [
            f"{path}: fixed {_findings(sum(codes.values()))} ({', '.join(sorted(codes))})"
            for path, codes in self.fixed.items()
        ]
        left = [f"{path}: not fixed: {why}" for path, why in self.failed.items()]
        total = sum(sum(codes.values()) for codes in self.fixed.values())
        files = len(self.fixed)
        summary = f"Fixed {_findings(total)} in {files} file{'' if files == 1 else 's'}."
        return [*done, *left, summary]


def _findings(count: int) -> str:
    return f"{count} finding{'' if count == 1 else 's'}"


def fix(canon: Canon, findings: Iterable[Diagnostic]) -> FixReport:
    """Fix ``findings`` (those the run reports; others are left alone) in their files."""
    wanted: dict[str, set[Span]] = defaultdict(set)
    for item in findings:
        if item.fixable and item.code == whitespace.RULE.code:
            wanted[item.path].add(item.span)
    report = FixReport()
    if not wanted:
        return report
    texts: dict[str, list[Text]] = defaultdict(list)
    for text in canon_texts(canon):
        if text.path in wanted:
            texts[text.path].append(text)
    for document in canon.documents:
        if document.path in wanted:
            _fix_file(document, texts[document.path], wanted[document.path], report)
    return report


def _fix_file(
    document: Document, texts: Sequence[Text], spans: set[Span], report: FixReport
) -> None:
    planned = plan(document, texts, spans)
    if planned is None:
        return
    why = planned.unsafe
    if why is None:
        why = _write(Path(document.path), planned.loaded, planned.edited)
    if why is None:
        report.fixed[document.path] = Counter({whitespace.RULE.code: planned.fixed})
    else:
        report.failed[document.path] = why


class Plan(NamedTuple):
    """The fix of some findings in one file: what it deletes, and why it must not, if so."""

    deletions: list[Span]
    fixed: int
    loaded: str
    edited: str
    unsafe: str | None


def plan(document: Document, texts: Sequence[Text], spans: set[Span]) -> Plan | None:
    """The fix of the findings at ``spans`` among ``texts`` (the file's), None if none is
    certain. ``check --fix`` writes it; the language server offers it as an edit."""
    deletions: list[Span] = []
    fixed = 0
    for text in texts:
        for problem in whitespace.problems(document, text):
            if problem.deletions and problem.span in spans:
                deletions.extend(problem.deletions)
                fixed += 1
    if not deletions or document.text is None:
        return None
    edited = _delete(document.text, deletions)
    return Plan(deletions, fixed, document.text, edited, _unsafe(document, edited))


def _delete(text: str, spans: Iterable[Span]) -> str:
    """``text`` without the characters of ``spans`` (each within one line)."""
    starts = [0] + [match.end() for match in LINE_BREAK.finditer(text)]
    cuts = sorted(
        (
            starts[span.start.line - 1] + span.start.column - 1,
            starts[span.end.line - 1] + span.end.column - 1,
        )
        for span in set(spans)
    )
    pieces: list[str] = []
    position = 0
    for start, end in cuts:
        pieces.append(text[position:start])
        position = max(position, end)
    pieces.append(text[position:])
    return "".join(pieces)


def _unsafe(document: Document, edited: str) -> str | None:
    """Why ``edited`` must not be written, if it must not: it has to load cleanly to the
    same data, where only spaces at the edges or in runs inside a text can differ."""
    after = load_bytes(edited.encode("utf-8"), document.path)
    if after.data is None or len(after.diagnostics) > len(document.diagnostics):
        return "the edited file would not load cleanly"
    if _squash(after.data) != _squash(document.data):
        return "the edit would change more than stray spaces"
    return None


def _squash(value: object) -> object:
    if isinstance(value, str):
        return SPACES.sub(" ", value).strip(whitespace.EDGE)
    if isinstance(value, dict):
        return {_squash(key): _squash(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_squash(item) for item in value]
    return value


def _write(path: Path, loaded: str, edited: str) -> str | None:
    """Replace the file atomically, unless it changed since it was read or cannot be
    replaced as it is (see ``_unreplaceable``); None on success."""
    target = Path(os.path.realpath(path))  # through a link: edit the file, keep the link
    try:
        info = target.stat()
        why = _unreplaceable(target, info)
        if why is not None:
            return why
        # As canon files are read: a named pipe put in its place would block the run.
        raw = read_bytes(target, len(codecs.BOM_UTF8) + len(loaded.encode("utf-8")))
        bom = codecs.BOM_UTF8 if raw.startswith(codecs.BOM_UTF8) else b""
        if raw[len(bom) :].decode("utf-8") != loaded:
            return "the file changed while it was being checked"
        write_atomically(target, bom + edited.encode("utf-8"), like=info, durable=True)
    except Refusal:
        return "the file changed while it was being checked"
    except (OSError, UnicodeDecodeError) as error:
        return f"cannot write: {getattr(error, 'strerror', None) or error}"
    return None


def _unreplaceable(target: Path, info: os.stat_result) -> str | None:
    """Why a new file must not take the place of ``target``: it is no longer the file that
    was checked, another name for it would keep the old text (a hard link), or its
    read-only mode says it is not to be edited (which a rename into its folder would not
    ask)."""
    if not stat.S_ISREG(info.st_mode):
        return "it is not a regular file any more"
    if info.st_nlink > 1:
        return f"it has {info.st_nlink} hard links, which a fix would split: fix it by hand"
    if not info.st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH):
        return "it is read-only"
    if not os.access(target, os.W_OK):
        return "it is not writable by this user"
    return None
