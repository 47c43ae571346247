"""Coverage-guided fuzzing of the whole command line with atheris (run by hand, not in CI).

Each input becomes one canon file beside a valid level guide and family; ``check`` and
``render`` then run in-process in every output format. Any exception, an exit status
outside 0/1/2, a control character reaching text output, or JSON that does not parse is a
crash. (``diff`` is left to the hypothesis test: it starts git processes, ~50 ms a run.)

    pip install atheris
    python fuzz/seed.py /tmp/jobframe-corpus
    python fuzz/fuzz_check.py /tmp/jobframe-corpus -artifact_prefix="$PWD/" \\
        -max_total_time=600 -rss_limit_mb=2048 -timeout=30

libFuzzer adds what it finds to the corpus directory and writes a crash to ``crash-*``
under the artifact prefix (the run itself works in a temporary directory, where the
cache goes); ``python fuzz/fuzz_check.py crash-...`` replays one.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import sys
import tempfile
from pathlib import Path

import atheris

with atheris.instrument_imports():
    from jobframe_lint.cli import main

ROOT = Path(__file__).resolve().parent.parent
WORKDIR = Path(tempfile.mkdtemp(prefix="jobframe-fuzz-"))
CANON = WORKDIR / "canon"
TARGET = CANON / "fuzzed.yaml"
COMMANDS = (
    ("check", "--format", "text"),
    ("check", "--format", "json"),
    ("check", "--format", "sarif"),
    ("check", "--format", "github"),
    ("render", "--format", "text", "--omitted"),
    ("render", "--format", "json"),
    ("render", "--format", "markdown", "--omitted"),
    ("render", "--format", "rich", "--omitted"),
)
JSON_FORMATS = ("json", "sarif")
# What must never reach a terminal from text output: C0 controls but newline, DEL, C1.
CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")


def setup() -> None:
    os.chdir(WORKDIR)  # the cache directory goes here, not into the checkout
    CANON.mkdir()
    for name in ("levels.yaml", "families/ai-machine-learning-engineering.yaml"):
        (CANON / name).parent.mkdir(parents=True, exist_ok=True)
        (CANON / name).write_bytes((ROOT / "canon" / name).read_bytes())


def run(args: tuple[str, ...]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([*args, "--color", "never", str(CANON)])
    return code, out.getvalue(), err.getvalue()


def test_one_input(data: bytes) -> None:
    TARGET.write_bytes(data)
    for args in COMMANDS:
        code, out, err = run(args)
        if code not in (0, 1, 2):
            raise RuntimeError(f"{args}: exit status {code}")
        structured = args[2] in JSON_FORMATS
        if structured and out:
            json.loads(out)
        text = err if structured else out + err
        if CONTROL.search(text):
            raise RuntimeError(f"{args}: control character in output: {text!r}")


if __name__ == "__main__":
    setup()
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()
