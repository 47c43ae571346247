"""``jobframe-lint clean``: remove the caches under the working directory, as ``ruff clean``.

Deleting a cache is always safe (see ``cache``); this saves finding every one. Only folders
that are what ``check`` writes are removed: named as the cache is, real folders (never a
link's target), holding the ``.gitignore`` it marks its folder with.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from jobframe_lint.cache import CACHE_DIR, IGNORE_MARKER

# Folders no cache is made in, and that can be large.
_SKIPPED = {".git", ".hg", ".svn", "node_modules"}


def add_parser(commands: Any, common: argparse.ArgumentParser) -> None:
    parser = commands.add_parser(
        "clean",
        parents=[common],
        help=f"remove the caches ({CACHE_DIR}/) in the working directory and below",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    import shutil

    for folder in caches(Path()):
        print(f"Removing cache at: {folder}", file=sys.stderr)
        shutil.rmtree(folder, ignore_errors=True)
    return 0


def caches(root: Path) -> list[Path]:
    found: list[Path] = []
    for folder, subfolders, _ in os.walk(root):
        if CACHE_DIR.name in subfolders:
            candidate = Path(folder, CACHE_DIR.name)
            if not candidate.is_symlink() and _marked(candidate):
                found.append(candidate)
        subfolders[:] = [name for name in subfolders if name not in _SKIPPED | {CACHE_DIR.name}]
    return found


def _marked(folder: Path) -> bool:
    try:
        return (folder / ".gitignore").read_text(encoding="utf-8").startswith(IGNORE_MARKER)
    except (OSError, UnicodeDecodeError):
        return False
