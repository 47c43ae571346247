"""``jobframe-lint check``: validate canon files, as a pre-commit hook or CI gate."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from jobframe_lint.config import Settings
from jobframe_lint.diagnostics import Severity
from jobframe_lint.discovery import collect
from jobframe_lint.lint import lint
from jobframe_lint.reporters import REPORTERS
from jobframe_lint.terminal import use_color


def add_parser(commands: Any, common: argparse.ArgumentParser) -> None:
    parser = commands.add_parser(
        "check", parents=[common], help="validate canon files (schema and rules)"
    )
    parser.add_argument("paths", nargs="*", type=Path, metavar="PATH")
    parser.add_argument("--format", choices=sorted(REPORTERS), default="text")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    settings = Settings()
    result = lint(collect(args.paths, settings.canon))
    reporter = REPORTERS[args.format](sys.stdout, use_color(args.color, sys.stdout))
    reporter.report(result.diagnostics, len(result.targets))
    worst = max((item.severity.rank for item in result.diagnostics), default=-1)
    return 1 if worst >= Severity.ERROR.rank else 0
