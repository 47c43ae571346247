"""Write a seed corpus for ``fuzz_check.py``: the shipped canon and the small hostile cases.

libFuzzer grows inputs from its seeds, so the megabyte cases are left out: the mutations
that matter start from a few hundred bytes.

    python fuzz/seed.py /tmp/jobframe-corpus
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.hostile.cases import CONTENT_CASES  # noqa: E402

LARGEST_SEED = 4096


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for path in sorted((ROOT / "canon").rglob("*.yaml")):
        (out / path.name).write_bytes(path.read_bytes())
    for case in CONTENT_CASES:
        target = out / f"{case.name}.yaml"
        case.make(target)
        if target.stat().st_size > LARGEST_SEED:
            target.unlink()


if __name__ == "__main__":
    main(Path(sys.argv[1]))
