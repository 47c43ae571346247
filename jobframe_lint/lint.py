"""The check pipeline: files → documents with positions → schema → canon → rules."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from jobframe_lint.canon import Canon, build_canon
from jobframe_lint.diagnostics import Diagnostic
from jobframe_lint.discovery import FileSet
from jobframe_lint.loader import Document, load_file
from jobframe_lint.rules import run_rules
from jobframe_lint.schema import validate


@dataclass
class Result:
    canon: Canon
    targets: list[str]
    diagnostics: list[Diagnostic]


def load_documents(paths: Iterable[Path]) -> list[Document]:
    return [load_file(path) for path in paths]


def lint(files: FileSet) -> Result:
    """Findings for the target files, judged against the whole canon around them."""
    documents = load_documents(files.all())
    found: list[Diagnostic] = []
    for document in documents:
        found.extend(document.diagnostics)
        found.extend(validate(document))
    canon = build_canon(documents)
    found.extend(run_rules(canon))
    targets = [str(path) for path in files.targets]
    wanted = set(targets)
    reported = sorted((d for d in found if d.path in wanted), key=lambda d: d.sort_key)
    return Result(canon, targets, reported)
