"""``jobframe-lint``: dispatch to one module per subcommand."""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from jobframe_lint import __version__
from jobframe_lint.commands import check
from jobframe_lint.config import ConfigProblem
from jobframe_lint.discovery import PathProblem
from jobframe_lint.terminal import printable

_INVALID_CHOICE = re.compile(r"invalid choice: '(?P<typed>[^']*)'")


class _Parser(argparse.ArgumentParser):
    """argparse with a did-you-mean for a mistyped subcommand or option value (``chek``)."""

    def error(self, message: str) -> NoReturn:
        found = _INVALID_CHOICE.search(message)
        if found is not None:
            from jobframe_lint.spelling import closest

            choices = re.findall(r"'([^']*)'", message[found.end() :])
            close = closest(found.group("typed"), choices)
            if close:
                message += f"; did you mean '{close}'?"
        super().error(message)


def build_parser() -> argparse.ArgumentParser:
    # The other commands' modules are imported here: ``check PATH ...`` is parsed without
    # the parser (see ``check.plain_args``).
    from jobframe_lint.commands import clean, diff, format, render, rules, schema
    from jobframe_lint.commands import server as server_command

    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--color",
        choices=("auto", "always", "never"),
        default="auto",
        help="colour output (auto follows NO_COLOR, FORCE_COLOR and whether output is a terminal)",
    )
    parser = _Parser(
        prog="jobframe-lint",
        description="Validate a job-architecture canon and render its goal frames.",
    )
    parser.add_argument("-V", "--version", action="version", version=f"jobframe-lint {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for command in (check, render, diff, rules, format, schema, clean, server_command):
        command.add_parser(commands, common)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    if sys.stdout is None or sys.stderr is None:  # started with `>&-`: nowhere to report to
        if sys.stderr is not None:
            print("jobframe-lint: standard output is closed", file=sys.stderr)
        return 2
    _utf8_output()
    given = sys.argv[1:] if argv is None else list(argv)
    args = check.plain_args(given)
    if args is None:
        parser = build_parser()
        if not given:
            # As ruff does: a bare command shows what it can do, as a usage error (exit 2).
            parser.print_help(sys.stderr)
            return 2
        args, unknown = parser.parse_known_args(given)
        if unknown:
            _unrecognized(parser, args.command, unknown)
    try:
        Path.cwd()
    except OSError:
        print("jobframe-lint: the working directory no longer exists", file=sys.stderr)
        return 2
    try:
        code: int = args.run(args)
        if not sys.stdout.closed:  # the language server closes it when its client leaves
            sys.stdout.flush()  # a full disk or a dead terminal shows here, not at exit
    except (PathProblem, ConfigProblem) as problem:
        # One line per problem: a rules file may have several (each its own argument).
        for line in problem.args or ("",):
            print(f"jobframe-lint: {printable(str(line))}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # Output piped into `head` and closed early: not an error worth a traceback.
        sys.stderr.close()
        return 1
    except OSError as error:
        print(f"jobframe-lint: {printable(_system_problem(error))}", file=sys.stderr)
        return 2
    return code


def _system_problem(error: OSError) -> str:
    """What went wrong, said without a traceback. Files we open name themselves in the
    error; a write to a stream names none: the output cannot be written (``> /dev/full``,
    a terminal gone), and what is still buffered is dropped, or exiting would fail on it."""
    reason = error.strerror or str(error)
    if error.filename is not None:
        return f"{error.filename}: {reason}"
    with contextlib.suppress(OSError, ValueError):  # no descriptor under a test's capture
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return f"cannot write output: {reason}"


def _unrecognized(parser: argparse.ArgumentParser, command: str, unknown: list[str]) -> None:
    """argparse's own error for arguments no option takes, with a did-you-mean for a
    mistyped option of the subcommand (``--selct``)."""
    from jobframe_lint.spelling import closest

    subparser = _subcommand(parser, command)
    options = [option for action in subparser._actions for option in action.option_strings]
    message = f"unrecognized arguments: {' '.join(unknown)}"
    typed = next((word.split("=")[0] for word in unknown if word.startswith("--")), None)
    close = closest(typed, options) if typed else None
    subparser.error(message + (f"; did you mean {close}?" if close else ""))


def _subcommand(parser: argparse.ArgumentParser, command: str) -> argparse.ArgumentParser:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            found: argparse.ArgumentParser = action.choices[command]
            return found
    return parser


def _utf8_output() -> None:
    """Canon text is UTF-8 and so is our output, whatever the locale says (e.g. LANG=C)."""
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "")
        if encoding != "utf8" and isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(encoding="utf-8", errors="backslashreplace")
