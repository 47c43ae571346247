"""Time ``format --check`` on the generated canon beside ``check`` of the same files (issue 17).

Both are whole-process runs, alternated A B A B as in ``run.py``: ``check --no-cache`` (what
a first CI run pays; the formatter has no cache) and ``format --check`` (ruamel.yaml's
pure-Python round-trip of every file, shared among one process per core), with medians
and peak memory.

    python bench/format.py [--families N] [--rounds N]   # default 2,000 families (2,001 files)
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate  # bench/ is not a package: found through sys.path
from run import OURS, Job, _ms, alternate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--families", type=int, default=2000, help="families to generate (2000)")
    parser.add_argument("--rounds", type=int, default=3, help="runs of each command (3)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        root = Path(temporary)
        generate(root / "canon", args.families, 20261126)
        files = sum(1 for _ in (root / "canon").rglob("*.yaml"))
        check = Job([(*OURS, "check", "--no-cache", "canon")], root)
        format_check = Job([(*OURS, "format", "--check", "canon")], root)
        checked, formatted = alternate([check, format_check], args.rounds)
    print(f"{os.cpu_count()} cores; medians of {args.rounds} runs on {files:,} files")
    print(f"check --no-cache: {_ms(checked.seconds)}, {checked.peak_mb:.0f} MB")
    print(
        f"format --check: {_ms(formatted.seconds)}, {formatted.peak_mb:.0f} MB "
        f"→ {formatted.seconds / checked.seconds:.1f}x check",
        flush=True,
    )


if __name__ == "__main__":
    main()
