"""``check --watch`` and ``render --watch``: run again whenever the canon or the
configuration changes, on a cleared screen, as ``ruff check --watch`` does; Ctrl-C stops.

The watched folder is the project's (the configuration file's, where there is one, else the
working directory), and only changes to canon YAML files or to a configuration file start a
run: editors write swap and backup files beside the ones they save.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from jobframe_lint.config import OWN_FILE, PYPROJECT, ConfigProblem, find_config, load_settings
from jobframe_lint.discovery import YAML_SUFFIXES, PathProblem
from jobframe_lint.terminal import printable

if TYPE_CHECKING:
    from watchfiles import Change

CLEAR = "\x1b[2J\x1b[3J\x1b[H"
# How often the watcher checks in while nothing changes: the first time it does, it is
# known to be watching, and says so.
READY_MS = 200


def watch(run: Callable[[argparse.Namespace], int], args: argparse.Namespace) -> int:
    """``run`` once, then again on every relevant change, until interrupted (exit 0)."""
    import watchfiles  # ~10 ms: only a watching run pays

    once = argparse.Namespace(**{**vars(args), "watch": False})
    roots, relevant = _scope(args)
    try:
        _start("Starting in watch mode...")
        run(once)  # a missing path or a bad configuration here is a usage error: exit 2
        ready = False
        for changes in watchfiles.watch(
            *roots,
            watch_filter=relevant,
            yield_on_timeout=True,
            rust_timeout=READY_MS,
        ):
            if not changes:
                if not ready:
                    _status("Watching for file changes.")
                    ready = True
                continue
            _start("File change detected...")
            _run_again(run, once)
            _status("Watching for file changes.")
    except KeyboardInterrupt:
        sys.stdout.flush()
    return 0


def _scope(
    args: argparse.Namespace,
) -> tuple[list[str], Callable[[Change, str], bool]]:
    """The folders to watch, and which changed files start a run."""
    from watchfiles import DefaultFilter

    explicit = getattr(args, "config", None)
    found = find_config(Path.cwd()) if explicit is None else (explicit, {})
    settings = load_settings(explicit)
    # Real paths: the watcher reports changes under the real path of what it watches.
    canon = [os.path.realpath(path) for path in (args.paths or [settings.canon])]
    configs = {os.path.realpath(name) for name in (OWN_FILE, PYPROJECT)}
    # The project's folder (the configuration's, else the working directory, where one
    # would be found) holds the configuration and usually the canon, as ruff's does.
    project = os.path.realpath(Path(found[0]).parent if found else os.curdir)
    if found:
        configs.add(os.path.realpath(found[0]))
    roots = [project, *(path for path in canon if not _within(path, project))]
    ignored = DefaultFilter()

    def relevant(change: Change, path: str) -> bool:
        if path in configs:
            return True
        in_canon = any(_within(path, root) for root in canon)
        return in_canon and path.endswith(YAML_SUFFIXES) and ignored(change, path)

    return [root for root in roots if Path(root).exists()], relevant


def _within(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def _run_again(run: Callable[[argparse.Namespace], int], once: argparse.Namespace) -> None:
    """A run after a change: a path or configuration problem is shown, and watching goes on
    (the next save may well fix it)."""
    try:
        run(once)
    except (PathProblem, ConfigProblem) as problem:
        print(f"jobframe-lint: {printable(str(problem))}", file=sys.stderr)


def _start(message: str) -> None:
    if sys.stdout.isatty():
        sys.stdout.write(CLEAR)
        sys.stdout.flush()
    _status(message)


def _status(message: str) -> None:
    sys.stdout.flush()
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)
