"""``jobframe-lint rules``: the rule catalogue, or one rule explained with an example."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jobframe_lint.rules.base import Rule

HEADINGS = ("code", "name", "severity", "fixable", "summary")


def add_parser(commands: Any, common: argparse.ArgumentParser) -> None:
    parser = commands.add_parser(
        "rules", parents=[common], help="list the rules, or explain one (e.g. rules JF102)"
    )
    parser.add_argument("code", nargs="?", metavar="CODE")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    # Imported here: every command's module is imported to build the parser.
    from jobframe_lint.rules import RULES

    if args.code is None:
        sys.stdout.write(table(list(RULES.values())))
        return 0
    rule = RULES.get(args.code.upper())
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
    widths = [max(len(row[column]) for row in rows) for column in range(len(HEADINGS))]
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
    example = textwrap.indent(rule.example, "    ")
    heading = f"{rule.code} {rule.name} ({rule.severity.value}, {fixable})"
    return f"{heading}\n\n{body}\n\nExample:\n\n{example}\n"
