"""``jobframe-lint rules``: the rule catalogue, or one rule explained with an example.

The catalogue includes the project's custom rules (its rules files and installed plugins),
each with where it comes from; ``--verify`` checks the custom rules' examples.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jobframe_lint.rules.base import Rule

HEADINGS = ("code", "name", "severity", "fixable", "summary")
CUSTOM_HEADINGS = ("code", "name", "severity", "from", "summary")
# How a plugin rule's origin starts (see ``custom.plugins``).
PLUGIN = "plugin "


def add_parser(commands: Any, common: argparse.ArgumentParser) -> None:
    parser = commands.add_parser(
        "rules", parents=[common], help="list the rules, or explain one (e.g. rules JF102)"
    )
    parser.add_argument("code", nargs="?", metavar="CODE")
    parser.add_argument(
        "--verify",
        action="store_true",
        help="check the custom rules' examples: valid ones pass, invalid ones are reported",
    )
    parser.add_argument("--config", type=Path, metavar="FILE", help="configuration file to use")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    # Imported here: every command's module is imported to build the parser.
    from jobframe_lint.config import load_settings
    from jobframe_lint.rules import RULES

    custom = load_settings(args.config).with_plugins().custom
    if args.verify:
        from jobframe_lint.custom.verify import verify

        failures, passed = verify(custom)
        for line in failures:
            print(line)
        print(f"{passed} examples behave, {len(failures)} do not.")
        return 1 if failures else 0
    if args.code is None:
        sys.stdout.write(table(list(RULES.values())))
        if custom.entries:
            sys.stdout.write("\nCustom rules:\n" + custom_table(list(custom.entries.values())))
        return 0
    rule = RULES.get(args.code.upper()) or custom.entries.get(args.code.upper())
    if rule is None:
        print(
            f"jobframe-lint: unknown rule code {args.code!r}; `jobframe-lint rules` lists them",
            file=sys.stderr,
        )
        return 2
    sys.stdout.write(explain(rule))
    return 0


def table(rules: list[Rule]) -> str:
    rows = [HEADINGS] + [
        (rule.code, rule.name, rule.severity.value, "yes" if rule.fixable else "no", rule.summary)
        for rule in rules
    ]
    return _aligned(rows)


def custom_table(rules: list[Rule]) -> str:
    rows = [CUSTOM_HEADINGS] + [
        (rule.code, rule.name, rule.severity.value, rule.origin, rule.summary) for rule in rules
    ]
    return _aligned(rows)


def _aligned(rows: Sequence[tuple[str, ...]]) -> str:
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    widths[-1] = 0  # the last column is not padded
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        for row in rows
    ]
    return "\n".join(lines) + "\n"


def explain(rule: Rule) -> str:
    import textwrap  # every command imports this module to build its parser: only here

    fixable = "fixable with check --fix" if rule.fixable else "not fixable"
    body = textwrap.fill(rule.explanation, width=88)
    heading = f"{rule.code} {rule.name} ({rule.severity.value}, {fixable})"
    example = textwrap.indent(rule.example, "    ")
    if rule.origin and not rule.origin.startswith(PLUGIN):
        # A rules file's rule: its example is the rule as written there.
        return f"{heading}\n\n{body}\n\nFrom {rule.origin}:\n\n{example}\n"
    origin = f"\n\nFrom {rule.origin}." if rule.origin else ""
    if not rule.example:
        return f"{heading}\n\n{body}{origin}\n"
    return f"{heading}\n\n{body}{origin}\n\nExample:\n\n{example}\n"
