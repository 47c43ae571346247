"""``jobframe-lint format``: lay canon files out in the one canonical layout (SPEC §9).

Each file is read as ``check`` reads it; one the loader refuses (JF001-JF004) is reported
and left alone, as is one whose formatted text would not load to the same data. Writes
are atomic; ``--check`` and ``--diff`` write nothing.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from jobframe_lint.config import load_settings
from jobframe_lint.discovery import collect
from jobframe_lint.terminal import printable

if TYPE_CHECKING:
    from jobframe_lint.diagnostics import Span
    from jobframe_lint.document import Limits

# From this many files, worker processes (each importing ruamel.yaml, ~0.1 s) pay off.
PARALLEL_FROM = 50


class Outcome(NamedTuple):
    """One file: its bytes, their formatted form (None if it cannot be formatted) and why not."""

    path: str
    original: bytes
    formatted: bytes | None
    problems: tuple[str, ...] = ()

    @property
    def changed(self) -> bool:
        return self.formatted is not None and self.formatted != self.original


def add_parser(commands: Any, common: argparse.ArgumentParser) -> None:
    parser = commands.add_parser(
        "format", parents=[common], help="lay canon files out in the canonical layout"
    )
    parser.add_argument("paths", nargs="*", type=Path, metavar="PATH")
    parser.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 listing files that would change"
    )
    parser.add_argument(
        "--diff", action="store_true", help="write nothing; print a unified diff of each change"
    )
    parser.add_argument("--config", type=Path, metavar="FILE", help="configuration file to use")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    settings = load_settings(args.config)
    paths = collect(args.paths, settings.canon).targets
    dry = args.check or args.diff
    # With --diff, stdout is a patch: everything else goes to stderr.
    listing = sys.stderr if args.diff else sys.stdout
    outcomes: list[Outcome] = []
    for item in _outcomes(paths, settings.limits):
        if item.changed and not dry:
            item = _written(item)
        for problem in item.problems:
            print(problem, file=sys.stderr)
        if item.changed:
            if args.diff:
                sys.stdout.write(unified_diff(item))
            verb = "would reformat" if dry else "reformatted"
            print(f"{verb}: {printable(item.path)}", file=listing)
        outcomes.append(item)
    print(summary(outcomes, dry), file=listing)
    failed = any(item.formatted is None for item in outcomes)
    return 1 if failed or (dry and any(item.changed for item in outcomes)) else 0


def _outcomes(paths: list[str], limits: Limits) -> Iterable[Outcome]:
    """Each file's outcome, in order; many files are shared among one process per core,
    since ruamel.yaml is pure Python (~50 ms for a 10 KB family file)."""
    from jobframe_lint.processes import cores, end_with_parent

    workers = cores()
    if len(paths) >= PARALLEL_FROM and workers > 1:
        from concurrent.futures import ProcessPoolExecutor
        from concurrent.futures.process import BrokenProcessPool
        from functools import partial

        try:
            with ProcessPoolExecutor(workers, initializer=end_with_parent) as pool:
                return list(pool.map(partial(outcome, limits=limits), paths, chunksize=8))
        except (OSError, BrokenProcessPool):
            pass  # no processes to be had (a sandbox without semaphores): slower, not wrong
    return (outcome(path, limits) for path in paths)


def outcome(path: str, limits: Limits) -> Outcome:
    """Read and format one file, refusing what the loader refuses, located as ``check`` says."""
    from jobframe_lint.diagnostics import Span
    from jobframe_lint.document import Refusal, read_bytes
    from jobframe_lint.formatter import FormatError, Unloadable, format_canon

    shown = printable(path)
    not_loaded = f"{shown}: not formatted: it does not load"
    try:
        raw = read_bytes(path, limits.max_file_bytes)
    except OSError as error:
        reason = f"cannot read file: {error.strerror or type(error).__name__}"
        return Outcome(
            path, b"", None, (_located(shown, "JF001", Span.at(1, 1), reason), not_loaded)
        )
    except Refusal as refusal:
        located = _located(shown, refusal.code, refusal.span, refusal.message)
        return Outcome(path, b"", None, (located, not_loaded))
    try:
        return Outcome(path, raw, format_canon(raw, path, limits))
    except Unloadable as refused:
        lines = [
            _located(shown, item.code, item.span, item.message) for item in refused.diagnostics
        ]
        return Outcome(path, raw, None, (*lines, not_loaded))
    except FormatError as error:
        return Outcome(path, raw, None, (f"{shown}: not formatted: {printable(str(error))}",))


def _located(shown: str, code: str, span: Span, message: str) -> str:
    return f"{shown}:{span.start.line}:{span.start.column}: {code} {printable(message)}"


def unified_diff(item: Outcome) -> str:
    """The change as a patch, ``a/`` and ``b/`` left out (``patch -p0``, ``git apply -p0``)."""
    import difflib

    assert item.formatted is not None
    name = printable(item.path)
    before = _lines(item.original.decode("utf-8-sig"))
    after = _lines(item.formatted.decode("utf-8-sig"))
    diff = difflib.unified_diff(before, after, fromfile=name, tofile=name)
    return "".join(_shown(line) for line in diff)


def _lines(text: str) -> list[str]:
    """Lines split at LF only, each with its own ending (CRLF kept): as patch reads them."""
    pieces = text.split("\n")
    lines = [piece + "\n" for piece in pieces[:-1]]
    return [*lines, pieces[-1]] if pieces[-1] else lines


def _shown(line: str) -> str:
    """A diff line, control characters made visible (tabs aside: YAML text may hold them)."""
    body = line.rstrip("\r\n")
    ending = line[len(body) :]
    visible = "\t".join(printable(part) for part in body.split("\t"))
    return visible + ending if ending else f"{visible}\n\\ No newline at end of file\n"


def summary(outcomes: Sequence[Outcome], dry: bool) -> str:
    changed = sum(item.changed for item in outcomes)
    failed = sum(item.formatted is None for item in outcomes)
    same = len(outcomes) - changed - failed
    parts = [
        _files(changed, "would be reformatted" if dry else "reformatted"),
        _files(same, "already formatted" if dry else "left unchanged"),
    ]
    if failed:
        parts.append(_files(failed, "not formatted"))
    return ", ".join(parts) + "."


def _files(count: int, what: str) -> str:
    return f"{count} file{'' if count == 1 else 's'} {what}"


def _written(item: Outcome) -> Outcome:
    """``item`` once its file is replaced, or with why it could not be."""
    failure = _write(item)
    if failure is None:
        return item
    return item._replace(formatted=None, problems=(f"{printable(item.path)}: {failure}",))


def _write(item: Outcome) -> str | None:
    """Replace the file atomically (through a link, its target), unless it changed since it
    was read; None on success, else why not."""
    import stat

    from jobframe_lint.atomic import write_atomically

    assert item.formatted is not None
    target = Path(os.path.realpath(item.path))
    try:
        if target.read_bytes() != item.original:
            return "not formatted: the file changed while it was being formatted"
        mode = stat.S_IMODE(target.stat().st_mode)
        write_atomically(target, item.formatted, mode=mode, durable=True)
    except OSError as error:
        return f"not formatted: cannot write: {error.strerror or error}"
    return None
