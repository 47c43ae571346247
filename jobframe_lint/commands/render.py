"""``jobframe-lint render``: the frames of each (family, level), produced and omitted lines."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jobframe_lint.config import load_settings
from jobframe_lint.diagnostics import Severity
from jobframe_lint.discovery import collect, real_paths
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
    choice = None
    canon = result.canon
    if args.family is not None:
        choice = FamilyChoice(args.family, [document.path for document in canon.documents])
        canon = in_full(canon, choice, settings.limits)
    # Pages only for the chosen family: building all of a large canon's first costs seconds.
    families = [
        family
        for family in canon.families
        if family.path in targets
        and (choice is None or choice.names(family.name.value, family.path))
    ]
    pages = build_pages(canon._replace(families=families))
    pages, problem = select(pages, choice, args.level)
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


class FamilyChoice:
    """``--family``: a family name (case-insensitive) or the path of its file."""

    def __init__(self, choice: str, paths: Sequence[str]) -> None:
        self.choice = choice
        self.folded = choice.casefold()
        # realpath, unlike Path.resolve, does not raise on a symlink loop.
        real = os.path.realpath(choice)
        resolved = real_paths(paths)
        self.files = {path for path, found in zip(paths, resolved, strict=True) if found == real}

    def names(self, name: str, path: str) -> bool:
        """Whether it names the family ``name`` defined in the file ``path``."""
        return name.casefold() == self.folded or path in self.files


def in_full(canon: Canon, choice: FamilyChoice, limits: Limits) -> Canon:
    """What the pages of the families ``--family`` names need: their files, read in full,
    and the level guides. Every other family would only be built to be left out."""
    from jobframe_lint.canon import build_canon
    from jobframe_lint.loader import load_file

    def named(document: Document) -> bool:
        name = document.data.get("family") if document.data is not None else None
        return isinstance(name, str) and choice.names(name, document.path)

    guides = {guide.path for guide in canon.guides}
    return build_canon(
        document if document.path in guides else load_file(document.path, document.path, limits)
        for document in canon.documents
        if document.path in guides or named(document)
    )


def select(
    pages: list[Page], family: FamilyChoice | None, level: str | None
) -> tuple[list[Page], str]:
    """Narrow to ``--family``/``--level``; a choice that matches nothing is a usage error."""
    if family is not None:
        pages = [page for page in pages if family.names(page.family, page.path)]
        if not pages:
            return [], f"no family named {family.choice!r}"
    if level is not None:
        pages = [page for page in pages if page.code.casefold() == level.casefold()]
        if not pages:
            named = f" in family {family.choice!r}" if family else ""
            return [], f"no level {level!r}{named}"
    return pages, ""
