"""``jobframe-lint server``: a Language Server over stdin and stdout, for editors.

pygls comes with the ``server`` extra (``pip install 'jobframe-lint[server]'``): the
linter itself never imports it.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

INSTALL_HINT = (
    "jobframe-lint: the language server needs pygls, which comes with the server extra: "
    "pip install 'jobframe-lint[server]'"
)


def add_parser(commands: Any, common: argparse.ArgumentParser) -> None:
    parser = commands.add_parser(
        "server", parents=[common], help="run the language server (stdio), for editors"
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    try:
        from jobframe_lint.server.app import serve
    except ImportError as error:
        if error.name is None or error.name.split(".")[0] not in ("pygls", "lsprotocol"):
            raise
        print(INSTALL_HINT, file=sys.stderr)
        return 2
    serve()
    return 0
