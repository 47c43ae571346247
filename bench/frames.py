"""Time the frames path at canon scale (issue 11) against `check --no-cache` of the same canon.

Every figure is a whole-process run, the median of ``--rounds``, the commands alternated
A B A B in one run so that the machine's load hits them alike; peak memory is the largest
resident set of the process, and of the process tree: its workers' resident sets summed
(pages a worker shares with its parent count in both) and their proportional sets.
``render`` runs with the cache warm (as after a `check`, the usual order); ``diff`` after
a one-line edit of the level guide (a level's title).

    python bench/frames.py [--families N] [--rounds N]
"""

from __future__ import annotations

import argparse
import compileall
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate
from run import OURS, QUIET, ROOT, Job, Run, _ms, alternate

GIT = ("git", "-c", "user.name=bench", "-c", "user.email=bench@example.com")


def prepare(root: Path, families: int) -> None:
    generate(root / "canon", families, 20261126)
    for command in (("git", "init", "-q"), ("git", "add", "-A"), (*GIT, "commit", "-qm", "base")):
        subprocess.run(command, cwd=root, check=True, env={**os.environ, **QUIET})
    subprocess.run([*OURS, "check", "canon"], cwd=root, capture_output=True, check=False)


def retitle(root: Path) -> None:
    """One line of the level guide: the title of the third level."""
    path = root / "canon" / "levels.yaml"
    text = path.read_text("utf-8")
    path.write_text(text.replace("title: Level P3", "title: Level Three", 1), "utf-8")


def report(name: str, run: Run, check: Run, goal: str) -> None:
    ratio = run.seconds / check.seconds
    print(
        f"{name}: {_ms(run.seconds)}, {run.peak_mb:.0f} MB (process tree {run.tree_mb:.0f} MB, "
        f"{run.tree_pss_mb:.0f} MB proportional) → {ratio:.2f}x | goal {goal}",
        flush=True,
    )


def frames(root: Path, rounds: int) -> None:
    check = Job([(*OURS, "check", "--no-cache", "canon")], root)
    renders = {
        fmt: Job([(*OURS, "render", "--format", fmt, "canon")], root)
        for fmt in ("text", "markdown", "json")
    }
    rich = Job([(*OURS, "render", "--format", "rich", "--color", "always", "canon")], root)
    found = alternate([check, *renders.values(), rich], rounds)
    reference, *runs, rich_run = found
    print(
        f"check --no-cache canon: {_ms(reference.seconds)}, {reference.peak_mb:.0f} MB", flush=True
    )
    for fmt, run in zip(renders, runs, strict=True):
        report(f"1 render --format {fmt}", run, reference, "≤ 2.0x, ≤ 150 MB")
    report("2 render --format rich", rich_run, reference, "≤ 6x, ≤ 150 MB")
    retitle(root)
    diffs = {
        fmt: Job([(*OURS, "diff", "--format", fmt)], root) for fmt in ("text", "markdown", "json")
    }
    found = alternate([check, *diffs.values()], rounds)
    reference, *runs = found
    for fmt, run in zip(diffs, runs, strict=True):
        report(
            f"3 diff --format {fmt} after a level-title edit", run, reference, "≤ 2.5x, ≤ 150 MB"
        )
    markdown = subprocess.run(
        [*OURS, "diff", "--format", "markdown"], cwd=root, capture_output=True
    )
    print(f"5 diff --format markdown: {len(markdown.stdout):,} bytes | goal ≤ 1 MiB", flush=True)


def first_screen(root: Path, rounds: int) -> None:
    """Target 2: on a terminal (a pty), how long until the first page has been written."""
    import pty

    times = []
    for _ in range(rounds):
        primary, secondary = pty.openpty()
        environment = {**os.environ, **QUIET, "PAGER": "cat", "COLUMNS": "100"}
        start = time.perf_counter()
        process = subprocess.Popen(
            [*OURS, "render", "canon"], cwd=root, stdout=secondary, env=environment
        )
        os.close(secondary)
        seen = b""
        while seen.count("╰─".encode()) < 4:  # the first page's four frames have ended
            try:
                chunk = os.read(primary, 65536)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
        times.append(time.perf_counter() - start)
        process.kill()
        process.wait()
        os.close(primary)
    times.sort()
    print(f"2 first page on a terminal: {_ms(times[len(times) // 2])} | goal ≤ 300 ms", flush=True)


def big_blob(root: Path, megabytes: int) -> None:
    """Target 7: a blob far over max-file-bytes in the base: the peak memory of ``diff``."""
    path = root / "canon" / "families" / "huge.yaml"
    with path.open("w", encoding="utf-8") as handle:
        handle.write("kind: family\nfamily: Huge\nlevels: {}\n")
        for _ in range(megabytes):
            handle.write("# " + "x" * (1024 * 1024 - 3) + "\n")
    for command in (("git", "add", "-A"), (*GIT, "commit", "-qm", "huge")):
        subprocess.run(command, cwd=root, check=True, env={**os.environ, **QUIET})
    path.unlink()
    run = alternate([Job([(*OURS, "diff", "--format", "text")], root)], 1)[0]
    print(
        f"7 diff with a {megabytes} MB blob in HEAD: {_ms(run.seconds)}, {run.peak_mb:.0f} MB "
        f"(process tree {run.tree_mb:.0f} MB, {run.tree_pss_mb:.0f} MB proportional) "
        "| goal: never more than max-file-bytes of it held",
        flush=True,
    )


def matching() -> None:
    """Target 6: the word diff and the block alignment on their worst cases, in-process."""
    from jobframe_lint.diff.compare import _align, word_diff

    start = time.perf_counter()
    word_diff("a b " * 4000, "b a " * 4000)
    words = time.perf_counter() - start
    old = [f"Duty {index % 2}." for index in range(4000)]
    start = time.perf_counter()
    _align(old, old[1:] + old[:1], lambda item: item)
    align = time.perf_counter() - start
    print(
        f"6 word diff of a 32 KB repetitive edit: {_ms(words)}; "
        f"4,000 swapped duplicate blocks: {_ms(align)} | goal < 1 s each",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--families", type=int, default=200, help="families in the canon (200)")
    parser.add_argument("--rounds", type=int, default=3, help="runs of each command (3)")
    parser.add_argument(
        "--blob-mb", type=int, default=300, help="size of the blob for target 7 (0: skip)"
    )
    args = parser.parse_args()
    compileall.compile_dir(ROOT / "jobframe_lint", quiet=1)  # as bench/run.py says why
    with tempfile.TemporaryDirectory() as temporary:
        root = Path(temporary)
        prepare(root, args.families)
        print(f"{os.cpu_count()} cores; {args.families} families; medians of {args.rounds} runs")
        first_screen(root, args.rounds)
        frames(root, args.rounds)
        if args.blob_mb:
            big_blob(root, args.blob_mb)
    matching()


if __name__ == "__main__":
    main()
