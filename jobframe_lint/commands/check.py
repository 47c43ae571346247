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
from jobframe_lint.config import ConfigProblem, Settings, load_settings
from jobframe_lint.diagnostics import Diagnostic, Severity
from jobframe_lint.discovery import Excluded, FileSet, PathProblem, collect_canons
from jobframe_lint.reporters import FORMATS, reporter_for
from jobframe_lint.terminal import printable, use_color

if TYPE_CHECKING:
    from jobframe_lint.cache import Cache
    from jobframe_lint.lint import Result

STATISTICS_FORMATS = ("text", "json")


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
    _add_adoption_options(parser)
    parser.add_argument(
        "--watch", action="store_true", help="run again when canon or configuration files change"
    )
    parser.set_defaults(run=run)


def _add_adoption_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--output",
        action="append",
        default=[],
        type=output_spec,
        metavar="FORMAT=PATH",
        help="also write FORMAT to PATH, from the same run (repeatable)",
    )
    parser.add_argument(
        "--statistics",
        action="store_true",
        help="print counts per rule (and how many are fixable) instead of the findings",
    )
    parser.add_argument(
        "--write-baseline",
        action="store_true",
        help="record today's findings in the baseline file; later runs report only new ones",
    )
    parser.add_argument(
        "-q", "--quiet", action="store_true", help="print the findings, but nothing else"
    )


def plain_args(words: Sequence[str]) -> argparse.Namespace | None:
    """What the parser makes of ``check PATH ...`` with no option (an editor's or a
    script's call for a few files), without building it; None for anything else.

    Building it costs ~9 ms of a 60 ms run: argparse's help formatter imports shutil (and
    with it bz2 and lzma), its messages gettext's locale, and every command's module is
    imported to add its options. tests/test_cli_habits.py holds these defaults to the
    parser's.
    """
    if not words or words[0] != "check" or any(word.startswith("-") for word in words[1:]):
        return None
    return argparse.Namespace(
        command="check",
        color="auto",
        paths=[Path(word) for word in words[1:]],
        format="text",
        select=None,
        ignore=None,
        strict=False,
        exit_zero=False,
        fix=False,
        staged=False,
        config=None,
        no_cache=False,
        output=[],
        statistics=False,
        write_baseline=False,
        quiet=False,
        watch=False,
        run=run,
    )


def output_spec(text: str) -> tuple[str, Path]:
    """``sarif=results.sarif`` for ``--output``."""
    name, equals, path = text.partition("=")
    if not equals or not path:
        raise argparse.ArgumentTypeError(f"expected FORMAT=PATH, got {text!r}")
    if name not in FORMATS:
        raise argparse.ArgumentTypeError(
            f"unknown format {name!r} (choose from {', '.join(sorted(FORMATS))})"
        )
    return name, Path(path)


def run(args: argparse.Namespace) -> int:
    if args.watch:
        from jobframe_lint.watch import watch

        return watch(run, args)
    # Imported here: every command's module is imported to build the parser, and `diff`
    # should not pay for the rules.
    from jobframe_lint.cache import Cache
    from jobframe_lint.rules import install_custom

    if args.statistics and args.format not in STATISTICS_FORMATS:
        raise ConfigProblem(f"--statistics prints text or json, not {args.format}")
    settings = load_settings(args.config).with_plugins().with_options(args.select, args.ignore)
    install_custom(settings.custom.entries.values())  # every output format names them
    if args.staged and args.fix:
        raise PathProblem("--fix edits the files on disk, --staged checks the index: not both")
    staged: dict[str, bytes] | None = {} if args.staged else None
    excluded = settings.excluded if settings.exclude else None
    listing = _index_listing(staged, excluded, settings.limits.max_file_bytes)
    canons = collect_canons(args.paths, settings.canon, listing, excluded)
    targets = [path for files in canons for path in files.targets]
    if not targets:
        # "All checks passed (0 files)" would let a gate pointed at the wrong folder pass.
        where = ", ".join(str(path) for path in args.paths or [settings.canon])
        raise PathProblem(f"no canon files under {where} (*.yaml, *.yml)")
    cache = None if args.no_cache else Cache.open(settings)
    findings = judged(canons, settings, cache, staged, args.fix, args.quiet)
    baselined: list[Diagnostic] = []
    if args.write_baseline or settings.baseline.is_file():
        findings, baselined = _baseline(args, settings, targets, findings)
    for name, path in args.output:
        _write_output(name, path, findings, baselined, targets)
    if args.statistics:
        from jobframe_lint.reporters.statistics import write_statistics

        write_statistics(
            sys.stdout, args.format, findings, len(targets), len(baselined), args.quiet
        )
    else:
        reporter = reporter_for(args.format)(
            sys.stdout, use_color(args.color, sys.stdout), quiet=args.quiet
        )
        reporter.report(findings, len(targets), baselined, targets)
    return 0 if args.exit_zero else exit_status(findings, args.strict)


def _baseline(
    args: argparse.Namespace, settings: Settings, targets: list[str], findings: list[Diagnostic]
) -> tuple[list[Diagnostic], list[Diagnostic]]:
    """The findings the baseline does not account for (with its stale entries), and those
    it does; written first with ``--write-baseline``."""
    from jobframe_lint.anchors import Anchors
    from jobframe_lint.baseline import Baseline

    anchors = Anchors(settings.limits)
    baseline = Baseline.read(settings.baseline)
    if args.write_baseline:
        baseline = baseline.recorded(findings, anchors, targets, settings)
        baseline.write()
        if not args.quiet:
            print(f"{baseline.path}: {baseline.size} findings baselined", file=sys.stderr)
    split = baseline.split(findings, anchors, targets, settings)
    return split.reported, split.baselined


def _write_output(
    name: str,
    path: Path,
    findings: list[Diagnostic],
    baselined: list[Diagnostic],
    targets: list[str],
) -> None:
    """One more report of the same run, written whole or not at all."""
    import io

    from jobframe_lint.atomic import write_output

    buffer = io.StringIO()
    reporter_for(name)(buffer, False).report(findings, len(targets), baselined, targets)
    try:
        write_output(path, buffer.getvalue().encode("utf-8", "backslashreplace"))
    except OSError as error:
        raise PathProblem(f"--output {path}: cannot write: {error.strerror or error}") from None


def _index_listing(
    staged: dict[str, bytes] | None, excluded: Excluded | None, limit: int
) -> Callable[[Path], list[str]] | None:
    """With ``--staged``, the canon files under a path as the git index holds them, their
    bytes kept in ``staged``: a commit is judged by what it contains, not by the files on
    disk (an untracked draft, an unstaged edit)."""
    if staged is None:
        return None
    from jobframe_lint.diff.gitread import GitProblem, index_files

    def listing(path: Path) -> list[str]:
        try:
            found = index_files([str(path)], limit)
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


def judged(
    canons: list[FileSet],
    settings: Settings,
    cache: Cache | None,
    staged: dict[str, bytes] | None = None,
    fix: bool = False,
    quiet: bool = False,
) -> list[Diagnostic]:
    """What the run reports of each canon, judged on its own: two canons are not one."""
    from jobframe_lint.lint import lint

    findings: list[Diagnostic] = []
    for files in canons:
        # --fix edits texts, so it needs them; otherwise findings and outlines suffice.
        result = lint(
            files,
            cache,
            texts=fix,
            limits=settings.limits,
            guides=False,
            custom=settings.custom,
            staged=staged,
        )
        found = reported(result, settings)
        findings.extend(_fix(files, result, found, settings, quiet) if fix else found)
    return findings


def reported(result: Result, settings: Settings) -> list[Diagnostic]:
    """What the run reports: enabled rules at their configured severity, unsuppressed."""
    from jobframe_lint.config import apply_settings
    from jobframe_lint.diagnostics import by_place
    from jobframe_lint.suppressions import apply_suppressions

    findings = apply_settings(result.diagnostics, settings)
    findings = apply_suppressions(findings, result.canon.documents, result.targets, settings)
    return sorted(findings, key=by_place)


def _fix(
    files: FileSet, result: Result, findings: list[Diagnostic], settings: Settings, quiet: bool
) -> list[Diagnostic]:
    """Apply the certain fixes, say what was done (on stderr: stdout may be SARIF or JSON),
    and return what is left to report."""
    from jobframe_lint.fix import fix
    from jobframe_lint.lint import lint

    targets = set(result.targets)
    report = fix(result.canon, [item for item in findings if item.path in targets])
    if not quiet:
        for line in report.lines():
            print(printable(line), file=sys.stderr)
    if not report.fixed:
        return findings
    again = lint(files, texts=False, limits=settings.limits, custom=settings.custom)
    return reported(again, settings)


def exit_status(findings: Sequence[Diagnostic], strict: bool) -> int:
    """1 for errors (and warnings under ``--strict``); information never fails a run."""
    failing = Severity.WARNING.rank if strict else Severity.ERROR.rank
    worst = max((item.severity.rank for item in findings), default=-1)
    return 1 if worst >= failing else 0
