"""``jobframe-lint render``: the frames of each (family, level), produced and omitted lines."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jobframe_lint.config import load_settings
from jobframe_lint.diagnostics import Severity
from jobframe_lint.discovery import collect
from jobframe_lint.terminal import use_color

if TYPE_CHECKING:
    from jobframe_lint.canon import Canon
    from jobframe_lint.document import Document, Limits
    from jobframe_lint.frames.model import Page

# Findings after which frames cannot be trusted: unreadable or refused files, a level
# with nothing to render, or a level no guide defines.
BLOCKING = frozenset({"JF001", "JF002", "JF003", "JF004", "JF101", "JF104"})
FORMATS = ("rich", "text", "json", "markdown")


def add_parser(commands: Any, common: argparse.ArgumentParser) -> None:
    parser = commands.add_parser(
        "render", parents=[common], help="render the goal frames of each family and level"
    )
    parser.add_argument("paths", nargs="*", type=Path, metavar="PATH")
    parser.add_argument("--family", help="family name (case-insensitive) or the path of its file")
    parser.add_argument("--level", help="level code, e.g. P3")
    parser.add_argument(
        "--format",
        choices=FORMATS,
        default=None,
        help="rich on a terminal, text otherwise (the default); json is the frame model",
    )
    parser.add_argument(
        "--omitted", action="store_true", help="also list omitted lines with their reasons"
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    # Imported here: every command's module is imported to build the parser, and `check`
    # should not pay for the frames.
    from jobframe_lint.cache import Cache
    from jobframe_lint.frames.build import build_pages
    from jobframe_lint.lint import lint
    from jobframe_lint.reporters.text import TextReporter

    settings = load_settings()
    files = collect(args.paths, settings.canon)
    # With --family only that family's file is read again in full (below), not every target.
    chosen = args.family is not None
    result = lint(files, Cache.open(settings), texts=not chosen, limits=settings.limits)
    blocking = [item for item in result.diagnostics if item.code in BLOCKING]
    if any(item.severity is Severity.ERROR for item in blocking):
        TextReporter(sys.stderr, use_color(args.color, sys.stderr)).report(
            blocking, len(result.targets)
        )
        return 1
    targets = set(result.targets)
    canon = in_full(result.canon, args.family, settings.limits) if chosen else result.canon
    # Pages only for the chosen family: building all of a large canon's first costs seconds.
    families = [
        family
        for family in canon.families
        if family.path in targets
        and (args.family is None or is_family(family.name.value, family.path, args.family))
    ]
    pages = build_pages(canon._replace(families=families))
    pages, problem = select(pages, args.family, args.level)
    if problem:
        print(f"jobframe-lint: {problem}", file=sys.stderr)
        return 2
    write(pages, args.format or default_format(), args.omitted, args.color)
    return 0


def default_format() -> str:
    """The rich view for a person at a terminal; plain text for pipes, files and CI."""
    return "rich" if sys.stdout.isatty() else "text"


def write(pages: list[Page], fmt: str, omitted: bool, color: str) -> None:
    # Only the chosen renderer is imported: rich costs ~30 ms, json ~1.5 ms.
    if fmt == "rich":
        from jobframe_lint.frames.render_rich import make_console, render_rich

        render_rich(pages, make_console(sys.stdout, use_color(color, sys.stdout)), omitted)
    elif fmt == "json":
        from jobframe_lint.frames.render_json import render_json

        sys.stdout.write(render_json(pages))
    elif fmt == "markdown":
        from jobframe_lint.frames.render_markdown import render_markdown

        sys.stdout.write(render_markdown(pages, omitted))
    else:
        from jobframe_lint.frames.render_text import render_pages

        sys.stdout.write(render_pages(pages, omitted))


def in_full(canon: Canon, choice: str, limits: Limits) -> Canon:
    """``canon`` with the files of the families ``--family choice`` names read in full."""
    from jobframe_lint.canon import build_canon
    from jobframe_lint.loader import load_file

    def named(document: Document) -> bool:
        name = document.data.get("family") if document.data is not None else None
        return isinstance(name, str) and is_family(name, document.path, choice)

    return build_canon(
        load_file(Path(document.path), document.path, limits) if named(document) else document
        for document in canon.documents
    )


def is_family(name: str, path: str, choice: str) -> bool:
    """Whether ``--family choice`` names the family ``name`` defined in ``path``."""
    # realpath, unlike Path.resolve, does not raise on a symlink loop.
    return name.casefold() == choice.casefold() or os.path.realpath(path) == os.path.realpath(
        choice
    )


def select(pages: list[Page], family: str | None, level: str | None) -> tuple[list[Page], str]:
    """Narrow to ``--family``/``--level``; a choice that matches nothing is a usage error."""
    if family is not None:
        pages = [page for page in pages if is_family(page.family, page.path, family)]
        if not pages:
            return [], f"no family named {family!r}"
    if level is not None:
        pages = [page for page in pages if page.code == level]
        if not pages:
            return [], f"no level {level!r}" + (f" in family {family!r}" if family else "")
    return pages, ""
