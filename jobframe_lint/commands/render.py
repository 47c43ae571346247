"""``jobframe-lint render``: the frames of each (family, level), produced and omitted lines."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from jobframe_lint.config import Settings
from jobframe_lint.diagnostics import Severity
from jobframe_lint.discovery import collect
from jobframe_lint.frames.build import build_pages
from jobframe_lint.frames.model import Page
from jobframe_lint.frames.render_json import render_json
from jobframe_lint.frames.render_text import render_pages
from jobframe_lint.lint import lint
from jobframe_lint.reporters.text import TextReporter

# Findings after which frames cannot be trusted: unreadable or refused files, a level
# with nothing to render, or a level no guide defines.
BLOCKING = frozenset({"JF001", "JF002", "JF003", "JF004", "JF101", "JF104"})
FORMATS = ("text", "json")


def add_parser(commands: Any, common: argparse.ArgumentParser) -> None:
    parser = commands.add_parser(
        "render", parents=[common], help="render the goal frames of each family and level"
    )
    parser.add_argument("paths", nargs="*", type=Path, metavar="PATH")
    parser.add_argument("--family", help="family name (case-insensitive) or the path of its file")
    parser.add_argument("--level", help="level code, e.g. P3")
    parser.add_argument("--format", choices=FORMATS, default=None)
    parser.add_argument(
        "--omitted", action="store_true", help="also list omitted lines with their reasons"
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    settings = Settings()
    result = lint(collect(args.paths, settings.canon))
    blocking = [item for item in result.diagnostics if item.code in BLOCKING]
    if any(item.severity is Severity.ERROR for item in blocking):
        TextReporter(sys.stderr, color=False).report(blocking, len(result.targets))
        return 1
    targets = set(result.targets)
    pages = [page for page in build_pages(result.canon) if page.path in targets]
    pages, problem = select(pages, args.family, args.level)
    if problem:
        print(f"jobframe-lint: {problem}", file=sys.stderr)
        return 2
    fmt = args.format or "text"
    if fmt == "json":
        sys.stdout.write(render_json(pages))
    else:
        sys.stdout.write(render_pages(pages, omitted=args.omitted))
    return 0


def select(pages: list[Page], family: str | None, level: str | None) -> tuple[list[Page], str]:
    """Narrow to ``--family``/``--level``; a choice that matches nothing is a usage error."""
    if family is not None:
        wanted = family.casefold()
        as_path = Path(family)
        pages = [
            page
            for page in pages
            if page.family.casefold() == wanted or Path(page.path).resolve() == as_path.resolve()
        ]
        if not pages:
            return [], f"no family named {family!r}"
    if level is not None:
        pages = [page for page in pages if page.code == level]
        if not pages:
            return [], f"no level {level!r}" + (f" in family {family!r}" if family else "")
    return pages, ""
