"""``jobframe-lint check``: validate canon files, as a pre-commit hook or CI gate.

Findings pass through the configuration (select, ignore, per-file ignores, severities)
and the inline suppressions before they are reported and decide the exit status.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jobframe_lint.cache import CACHE_DIR
from jobframe_lint.config import Settings, load_settings
from jobframe_lint.diagnostics import Diagnostic, Severity
from jobframe_lint.discovery import Excluded, FileSet, PathProblem, collect_canons
from jobframe_lint.reporters import FORMATS, reporter_for
from jobframe_lint.terminal import use_color

if TYPE_CHECKING:
    from jobframe_lint.lint import Result


def add_parser(commands: Any, common: argparse.ArgumentParser) -> None:
    parser = commands.add_parser(
        "check", parents=[common], help="validate canon files (schema and rules)"
    )
    parser.add_argument("paths", nargs="*", type=Path, metavar="PATH")
    parser.add_argument("--format", choices=sorted(FORMATS), default="text")
    parser.add_argument(
        "--select", metavar="CODES", help="report only these rules (comma-separated codes)"
    )
    parser.add_argument("--ignore", metavar="CODES", help="do not report these rules")
    parser.add_argument("--strict", action="store_true", help="fail on warnings too")
    parser.add_argument(
        "--exit-zero", action="store_true", help="exit 0 even when findings would fail the run"
    )
    parser.add_argument(
        "--fix", action="store_true", help="fix what can be fixed with certainty (JF108)"
    )
    parser.add_argument(
        "--staged",
        action="store_true",
        help="check the canon as staged in the git index (what the next commit contains)",
    )
    parser.add_argument("--config", type=Path, metavar="FILE", help="configuration file to use")
    parser.add_argument(
        "--no-cache",
        action="store_true",
        help=f"neither read nor write the cache ({CACHE_DIR}/ in the working directory)",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    # Imported here: every command's module is imported to build the parser, and `diff`
    # should not pay for the rules.
    from jobframe_lint.cache import Cache
    from jobframe_lint.lint import lint

    settings = load_settings(args.config).with_options(args.select, args.ignore)
    if args.staged and args.fix:
        raise PathProblem("--fix edits the files on disk, --staged checks the index: not both")
    staged: dict[str, bytes] | None = {} if args.staged else None
    excluded = settings.excluded if settings.exclude else None
    canons = collect_canons(args.paths, settings.canon, _index_listing(staged, excluded), excluded)
    checked = sum(len(files.targets) for files in canons)
    if not checked:
        # "All checks passed (0 files)" would let a gate pointed at the wrong folder pass.
        where = ", ".join(str(path) for path in args.paths or [settings.canon])
        raise PathProblem(f"no canon files under {where} (*.yaml, *.yml)")
    cache = None if args.no_cache else Cache.open(settings)
    findings: list[Diagnostic] = []
    for files in canons:  # each canon judged on its own: two canons are not one
        # --fix edits texts, so it needs them; otherwise findings and outlines suffice.
        result = lint(
            files, cache, texts=args.fix, limits=settings.limits, guides=False, staged=staged
        )
        found = reported(result, settings)
        findings.extend(_fix(files, result, found, settings) if args.fix else found)
    reporter = reporter_for(args.format)(sys.stdout, use_color(args.color, sys.stdout))
    reporter.report(findings, checked)
    return 0 if args.exit_zero else exit_status(findings, args.strict)


def _index_listing(
    staged: dict[str, bytes] | None, excluded: Excluded | None
) -> Callable[[Path], list[str]] | None:
    """With ``--staged``, the canon files under a path as the git index holds them, their
    bytes kept in ``staged``: a commit is judged by what it contains, not by the files on
    disk (an untracked draft, an unstaged edit)."""
    if staged is None:
        return None
    from jobframe_lint.diff.gitread import GitProblem, index_files

    def listing(path: Path) -> list[str]:
        try:
            found = index_files([str(path)])
        except GitProblem as problem:
            raise PathProblem(f"--staged: {problem}") from None
        named = os.path.normpath(path)
        kept = {
            name: raw
            for name, raw in found.items()
            if name == named or excluded is None or not _left_out(name, excluded)
        }
        staged.update(kept)
        return list(kept)

    return listing


def _left_out(name: str, excluded: Excluded) -> bool:
    """Whether a file the index lists is excluded, itself or by a folder it is in (a walk
    on disk would not have entered that folder)."""
    while name and name != os.sep:
        if excluded(name):
            return True
        name = os.path.dirname(name)  # noqa: PTH120 (a string from git's listing)
    return False


def reported(result: Result, settings: Settings) -> list[Diagnostic]:
    """What the run reports: enabled rules at their configured severity, unsuppressed."""
    from jobframe_lint.config import apply_settings
    from jobframe_lint.diagnostics import by_place
    from jobframe_lint.suppressions import apply_suppressions

    findings = apply_settings(result.diagnostics, settings)
    findings = apply_suppressions(findings, result.canon.documents, result.targets, settings)
    return sorted(findings, key=by_place)


def _fix(
    files: FileSet, result: Result, findings: list[Diagnostic], settings: Settings
) -> list[Diagnostic]:
    """Apply the certain fixes, say what was done (on stderr: stdout may be SARIF or JSON),
    and return what is left to report."""
    from jobframe_lint.fix import fix
    from jobframe_lint.lint import lint

    targets = set(result.targets)
    report = fix(result.canon, [item for item in findings if item.path in targets])
    for line in report.lines():
        print(line, file=sys.stderr)
    if not report.fixed:
        return findings
    return reported(lint(files, texts=False, limits=settings.limits), settings)


def exit_status(findings: Sequence[Diagnostic], strict: bool) -> int:
    """1 for errors (and warnings under ``--strict``); information never fails a run."""
    failing = Severity.WARNING.rank if strict else Severity.ERROR.rank
    worst = max((item.severity.rank for item in findings), default=-1)
    return 1 if worst >= failing else 0
