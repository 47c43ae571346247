"""``jobframe-lint schema levels|family``: the JSON Schema of a kind of canon file.

For editors outside this repository: the YAML language server completes and explains canon
keys from a schema file it is pointed at (``yaml.schemas``), and the one printed here is
the one ``check`` validates against, whichever version is installed.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

KINDS = ("levels", "family")


def add_parser(commands: Any, common: argparse.ArgumentParser) -> None:
    parser = commands.add_parser(
        "schema", parents=[common], help="print the JSON Schema of a canon file kind"
    )
    parser.add_argument("kind", choices=KINDS)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from importlib import resources

    location = resources.files("jobframe_lint") / "schema" / f"{args.kind}.schema.json"
    sys.stdout.write(location.read_text(encoding="utf-8"))
    return 0
