"""``jobframe-lint diff``: what a canon edit does to the rendered frames, like a plan.

Exit status follows ``git diff``: 0 whatever the diff holds, 1 with ``--exit-code`` when it
is not empty (a file one side cannot load counts as a difference), 2 for a usage problem
(not a git repository, an unknown revision, a path that exists nowhere). Gating on canon
errors is ``check``'s job; the preview hook relies on ``diff`` not failing on them.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jobframe_lint.config import load_settings
from jobframe_lint.terminal import printable, use_color

if TYPE_CHECKING:
    from jobframe_lint.diff.model import Diff, PageDiff
    from jobframe_lint.diff.sides import Snapshot
    from jobframe_lint.document import Limits

FORMATS = ("rich", "text", "json", "markdown")


def add_parser(commands: Any, common: argparse.ArgumentParser) -> None:
    parser = commands.add_parser(
        "diff",
        parents=[common],
        help="show what a canon edit does to the frames (between git revisions)",
    )
    parser.add_argument("paths", nargs="*", type=Path, metavar="PATH")
    parser.add_argument("--base", default="HEAD", metavar="REV", help="default: HEAD")
    head = parser.add_mutually_exclusive_group()
    head.add_argument("--head", metavar="REV", help="default: the working tree")
    head.add_argument(
        "--staged", action="store_true", help="compare the staged canon (the git index)"
    )
    parser.add_argument(
        "--format", choices=FORMATS, help="default: rich on a terminal, text otherwise"
    )
    parser.add_argument("--exit-code", action="store_true", help="exit 1 when the frames differ")
    parser.add_argument(
        "--max-bytes",
        type=_size,
        default=None,
        metavar="N",
        help="markdown: cut the output to N bytes at a page, saying what was left out "
        "(default: 1 MiB, GitHub's step-summary cap)",
    )
    parser.add_argument("--config", type=Path, metavar="FILE", help="configuration file to use")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from jobframe_lint.diff.gitread import GitProblem

    settings = load_settings(args.config)
    canon_dir = settings.canon
    targets = args.paths or [canon_dir]
    try:
        base, head = read_sides(
            targets, canon_dir, args.base, args.head, args.staged, settings.limits
        )
    except GitProblem as problem:
        print(f"jobframe-lint: {printable(str(problem))}", file=sys.stderr)
        return 2
    if not args.paths and not _anywhere(canon_dir, [base, head]):
        # The preview hook runs on every commit: a repository without canon has no frames.
        print(f"jobframe-lint: no canon at {printable(str(canon_dir))}: no frames to compare")
        return 0
    diff = compared(base, head, targets, settings.limits)
    _write(diff, args)
    return 1 if args.exit_code and not diff.empty else 0


def read_sides(
    targets: list[Path],
    canon_dir: Path,
    base: str,
    head: str | None,
    staged: bool,
    limits: Limits,
) -> tuple[Snapshot, Snapshot]:
    """The canon at ``base`` and at ``head`` (default: the working tree; ``staged``: the
    index). Level guides come from the whole canon even when a target is one family file."""
    from jobframe_lint.diff import sides

    scope = [*targets, canon_dir]
    if staged:
        new = sides.index(scope, limits)
    elif head is not None:
        new = sides.revision(head, scope, limits)
    else:
        new = sides.worktree(scope, limits)
    # Unchanged files of the working tree spare reading the base's copies from git.
    worktree = new if not staged and head is None else None
    return sides.revision(base, scope, limits, worktree), new


def compared(base: Snapshot, head: Snapshot, targets: list[Path], limits: Limits) -> Diff:
    """The frame diff of the two sides, with the pages of files under ``targets``."""
    from jobframe_lint.diff import sides
    from jobframe_lint.diff.compare import compare

    sides.require_paths(targets, [base, head])
    diff = compare(*sides.load(base, head, limits))
    diff.pages = [page for page in diff.pages if _within(page, targets)]
    return diff


def _size(text: str) -> int:
    """``--max-bytes``: a whole number of bytes, at least enough for the note that says so."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 4096:
        raise argparse.ArgumentTypeError("at least 4096 bytes")
    return value


def _anywhere(canon_dir: Path, snapshots: list[Snapshot]) -> bool:
    """Whether the canon folder exists in the working tree or holds files on a side."""
    return canon_dir.exists() or any(snapshot.files for snapshot in snapshots)


def _within(page: PageDiff, targets: list[Path]) -> bool:
    """Whether the page's file (or, for a moved family, its old file) is under a PATH.

    Compared as absolute paths: ``family.yaml`` is under ``..`` when run from its folder.
    """
    roots = [os.path.abspath(target) for target in targets]  # noqa: PTH100 (strings)
    return any(
        path == root or path.startswith(root.rstrip(os.sep) + os.sep)
        for path in map(os.path.abspath, (page.path, page.old_path or page.path))
        for root in roots
    )


def _write(diff: Diff, args: argparse.Namespace) -> None:
    # Only the chosen renderer is imported: rich costs ~30 ms, json ~1.5 ms.
    fmt = args.format or ("rich" if sys.stdout.isatty() else "text")
    if fmt == "rich":
        from jobframe_lint.diff.render_plan import print_rich

        print_rich(diff, sys.stdout, use_color(args.color, sys.stdout))
    elif fmt == "json":
        from jobframe_lint.diff.render_json import write_json

        write_json(diff, sys.stdout)
    elif fmt == "markdown":
        from jobframe_lint.diff.render_markdown import DEFAULT_MAX_BYTES, render_markdown

        sys.stdout.write(render_markdown(diff, args.max_bytes or DEFAULT_MAX_BYTES))
    else:
        from jobframe_lint.diff.render_plan import render_text

        sys.stdout.write(render_text(diff))
