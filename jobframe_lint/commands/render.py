"""``jobframe-lint render``: the frames of each (family, level), produced and omitted lines."""

from __future__ import annotations

import argparse
import contextlib
import itertools
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, NamedTuple

from jobframe_lint.config import load_settings
from jobframe_lint.diagnostics import Severity
from jobframe_lint.discovery import PathProblem, collect, real_paths
from jobframe_lint.terminal import printable, use_color

if TYPE_CHECKING:
    from jobframe_lint.canon import Family, LevelGuide
    from jobframe_lint.diagnostics import Diagnostic
    from jobframe_lint.document import Limits
    from jobframe_lint.frames.model import Page
    from jobframe_lint.frames.output import PageFormat

# Findings after which frames cannot be trusted: unreadable or refused files, a level
# with nothing to render, or a level no guide defines.
BLOCKING = frozenset({"JF001", "JF002", "JF003", "JF004", "JF101", "JF104"})
FORMATS = ("rich", "text", "json", "markdown")
# From this many families, pages are made in worker processes, one per core: starting them
# costs ~0.1 s, a family's pages ~5 ms.
PARALLEL_FROM = 60
# Batches of families each worker may have rendered ahead of what has been written.
AHEAD = 2


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
    parser.add_argument("--config", type=Path, metavar="FILE", help="configuration file to use")
    parser.add_argument(
        "--output-dir",
        type=Path,
        metavar="DIR",
        help="write one file per page under DIR (markdown, or text with --format text)",
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="with --output-dir: write nothing, exit 1 listing the files that would change",
    )
    parser.add_argument(
        "--watch", action="store_true", help="run again when canon or configuration files change"
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if args.watch:
        from jobframe_lint.watch import watch

        return watch(run, args)
    # Imported here: every command's module is imported to build the parser, and `check`
    # should not pay for the frames.
    import gc

    from jobframe_lint.frames.output import write_pages

    if args.check and args.output_dir is None:
        raise PathProblem("--check goes with --output-dir")
    file_format = _file_format(args.format) if args.output_dir is not None else None
    # Pages are made, written and dropped by reference counting; the cycle collector would
    # only rescan the canon's texts again and again (half of a large render).
    gc.disable()
    chosen = prepare(args.paths, args.family, args.config)
    refused = bool(chosen.blocking)
    if refused:
        _say_refused(chosen.blocking, args.color)
    if file_format is not None:
        from jobframe_lint.pages import write_page_files

        spec = FormatSpec(file_format, omitted=args.omitted)
        rendered = _rendered(chosen, args.level, spec)
        every = args.family is None and args.level is None
        changed = write_page_files(rendered, args.output_dir, spec.name, args.check, every)
        # 1 when a page file was (or would be) written or removed: a new page file is one
        # pre-commit's own check for modified files cannot see.
        return 1 if refused or changed else 0
    fmt = args.format or default_format()
    with _output(fmt, args.color) as (out, spec):
        spec = spec._replace(omitted=args.omitted)
        rendered = _rendered(chosen, args.level, spec)
        first = next(rendered, None)
        if first is None and args.level is not None and chosen.families:
            named = f" in family {args.family!r}" if args.family is not None else ""
            print(f"jobframe-lint: no level {args.level!r}{named}", file=sys.stderr)
            return 2
        shown = rendered if first is None else itertools.chain([first], rendered)
        write_pages((page.data for page in shown), page_format(spec), out)
    return 1 if refused else 0


class Chosen(NamedTuple):
    """What a render is made from: the families to render (in page order, those with
    blocking errors left out), the level guides, and the blocking findings."""

    families: list[Family]
    guides: list[LevelGuide]
    blocking: list[Diagnostic]
    limits: Limits


def prepare(paths: Sequence[Path], family: str | None, config: Path | None) -> Chosen:
    """The canon linted as ``check`` lints it (families in outline: each is read in full
    only when its pages are made), and the families to render; a ``family`` that names
    none is a usage error.

    A blocking finding is one ``check`` would report as an error (configuration and
    suppressions applied), so ``render`` refuses exactly what the gate fails.
    """
    from jobframe_lint.cache import Cache
    from jobframe_lint.commands.check import reported
    from jobframe_lint.frames.build import family_order
    from jobframe_lint.lint import lint

    settings = load_settings(config).with_plugins()
    files = collect(paths, settings.canon, settings.excluded if settings.exclude else None)
    # Custom rules are judged as check judges them: the cache is shared.
    result = lint(
        files, Cache.open(settings), texts=False, limits=settings.limits, custom=settings.custom
    )
    targets = set(result.targets)
    families = [item for item in result.canon.families if item.path in targets]
    if family is not None:
        choice = FamilyChoice(family, [document.path for document in result.canon.documents])
        named = [item for item in families if choice.names(item.name.value, item.path)]
        if not named:
            raise PathProblem(f"no family named {family!r}{_did_you_mean(choice, families)}")
        families = named
    blocking = [
        item
        for item in reported(result, settings)
        if item.code in BLOCKING and item.severity is Severity.ERROR and item.path in targets
    ]
    refused = {item.path for item in blocking}
    kept = sorted((item for item in families if item.path not in refused), key=family_order)
    return Chosen(kept, result.canon.guides, blocking, settings.limits)


def _did_you_mean(choice: FamilyChoice, families: list[Family]) -> str:
    from jobframe_lint.spelling import closest

    names = {family.name.value.casefold(): family.name.value for family in families}
    close = closest(choice.folded, names)
    return f"; did you mean {names[close]!r}?" if close else ""


def _say_refused(blocking: list[Diagnostic], color: str) -> None:
    """The files whose pages cannot be trusted, said on stderr; the other families render."""
    from jobframe_lint.reporters.text import TextReporter

    refused = {item.path for item in blocking}
    TextReporter(sys.stderr, use_color(color, sys.stderr)).report(blocking, len(refused))
    count = f"{len(refused)} file{'' if len(refused) == 1 else 's'}"
    print(
        f"jobframe-lint: not rendered: {count} with errors the frames cannot be built past "
        f"(fix them, then render again): {', '.join(printable(path) for path in sorted(refused))}",
        file=sys.stderr,
    )


def _file_format(fmt: str | None) -> str:
    """Page files are Markdown (for a wiki or the repository's own browser), or text."""
    if fmt in (None, "markdown", "text"):
        return fmt or "markdown"
    raise PathProblem(f"--output-dir writes markdown or text pages, not {fmt}")


def default_format() -> str:
    """The rich view for a person at a terminal; plain text for pipes, files and CI."""
    return "rich" if sys.stdout.isatty() else "text"


class Rendered(NamedTuple):
    """A page as its format renders it (UTF-8), and which page it is."""

    family: str
    code: str
    data: bytes


class FormatSpec(NamedTuple):
    """What a page format is made from: sent to worker processes, which make their own."""

    name: str
    omitted: bool = False
    color: bool = False
    width: int | None = None


def page_format(spec: FormatSpec) -> PageFormat:
    """The format's renderer. Only the chosen one is imported: rich costs ~30 ms."""
    if spec.name == "rich":
        import io

        from jobframe_lint.frames.render_rich import RichPages, make_console

        return RichPages(make_console(io.StringIO(), spec.color, spec.width), spec.omitted)
    if spec.name == "json":
        from jobframe_lint.frames.render_json import JsonPages

        return JsonPages()
    if spec.name == "markdown":
        from jobframe_lint.frames.render_markdown import MarkdownPages

        return MarkdownPages(spec.omitted)
    from jobframe_lint.frames.render_text import TextPages

    return TextPages(spec.omitted)


@contextlib.contextmanager
def _output(fmt: str, color: str) -> Iterator[tuple[IO[str], FormatSpec]]:
    """Where the pages go, and the format they are made in: the rich view of a terminal
    goes through the user's pager, at the terminal's width."""
    if fmt != "rich":
        yield sys.stdout, FormatSpec(fmt)
        return
    from jobframe_lint.pager import paged

    colored = use_color(color, sys.stdout)
    with paged(sys.stdout) as (out, width):
        yield out, FormatSpec(fmt, color=colored, width=width)


def _rendered(chosen: Chosen, level: str | None, spec: FormatSpec) -> Iterator[Rendered]:
    """Every page, rendered, in order: in worker processes when the canon is large enough
    to pay for them (a page costs the same wherever it is made), else here."""
    from jobframe_lint.processes import cores

    guides, limits = chosen.guides, chosen.limits
    paths = [family.path for family in chosen.families]
    if len(paths) >= PARALLEL_FROM and cores() > 1:
        return _in_workers(guides, paths, limits, level, spec)
    fmt = page_format(spec)
    return (_render(page, fmt) for page in _pages(guides, paths, limits, level))


def _render(page: Page, fmt: PageFormat) -> Rendered:
    return Rendered(page.family, page.code, fmt.page(page))


def _pages(
    guides: Sequence[LevelGuide], paths: list[str], limits: Limits, level: str | None
) -> Iterator[Page]:
    """Each family's pages, its file read in full just before: one family held at a time.

    ``--level`` is matched case aside, as ``--family`` is.
    """
    from jobframe_lint.canon import build_canon
    from jobframe_lint.frames.build import PageBuilder
    from jobframe_lint.loader import load_file

    builder = PageBuilder(guides)
    wanted = level.casefold() if level is not None else None
    for path in paths:
        for family in build_canon([load_file(path, path, limits)]).families:
            if wanted is not None:
                levels = [lvl for lvl in family.levels if lvl.code.value.casefold() == wanted]
                family = family._replace(levels=levels)
            yield from builder.pages(family)


def _in_workers(
    guides: list[LevelGuide], paths: list[str], limits: Limits, level: str | None, spec: FormatSpec
) -> Iterator[Rendered]:
    """Batches of families rendered in workers and yielded in order, at most ``AHEAD``
    batches a worker ahead of what has been written: a slow reader (a pager, a pipe)
    would otherwise have every page of the canon pile up here."""
    from collections import deque
    from concurrent.futures import Future, ProcessPoolExecutor

    from jobframe_lint.processes import cores

    workers = cores()
    # Each worker loads the guides again from their text (documents do not pickle cheaply).
    guide_texts = [(guide.path, guide.document.text or "") for guide in guides]
    size = max(1, min(8, len(paths) // (workers * 4)))
    batches = (paths[start : start + size] for start in range(1, len(paths), size))
    fmt = page_format(spec)
    try:
        pool = ProcessPoolExecutor(
            workers, initializer=_start, initargs=(guide_texts, limits, level, spec)
        )
    except (OSError, NotImplementedError):  # no processes to be had: slower, not wrong
        yield from (_render(page, fmt) for page in _pages(guides, paths, limits, level))
        return
    with pool:
        # Submitted: the workers start on them at once.
        pending: deque[Future[list[Rendered]]] = deque(
            pool.submit(_work, batch) for batch in itertools.islice(batches, AHEAD * workers)
        )
        # The first family here, meanwhile: its pages are written (or paged) without
        # waiting for the workers to start.
        yield from (_render(page, fmt) for page in _pages(guides, paths[:1], limits, level))
        while pending:
            done = pending.popleft().result()
            pending.extend(pool.submit(_work, batch) for batch in itertools.islice(batches, 1))
            yield from done


# A worker process's guides, limits, level and format, set up by ``_start``.
_WORKER: list[tuple[list[LevelGuide], Limits, str | None, PageFormat]] = []


def _start(
    guide_texts: list[tuple[str, str]], limits: Limits, level: str | None, spec: FormatSpec
) -> None:
    import gc

    from jobframe_lint.canon import build_canon
    from jobframe_lint.loader import load_bytes
    from jobframe_lint.processes import end_with_parent

    end_with_parent()
    gc.disable()
    documents = [load_bytes(text.encode("utf-8"), path, limits) for path, text in guide_texts]
    _WORKER[:] = [(build_canon(documents).guides, limits, level, page_format(spec))]


def _work(batch: list[str]) -> list[Rendered]:
    guides, limits, level, fmt = _WORKER[0]
    return [_render(page, fmt) for page in _pages(guides, batch, limits, level)]


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
