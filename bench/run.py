"""Time jobframe-lint's performance targets (issues 6, 14 and 18) against check-jsonschema and
yamllint, and the cost of custom rules.

Every figure is a whole-process run (interpreter start included, as a hook or CI pays it),
the contenders alternated A B A B so that drift in machine load hits both alike; each
figure is the median of ``--rounds`` runs. Peak memory is given twice: the largest resident
set of any one process (``ru_maxrss``), and the peak of the summed resident sets of the
process and all its descendants (worker processes), sampled every few milliseconds: the
memory a run takes from the machine. Installs nothing: it runs ``python -m jobframe_lint``
with this interpreter and check-jsonschema/yamllint from PATH, leaving out a comparison
whose tool is missing.

    python bench/run.py [--rounds N] [--workdir DIR] [--large]
"""

from __future__ import annotations

import argparse
import compileall
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
POLICY = ROOT / "examples" / "canon-rules.yaml"
SCHEMAS = ROOT / "jobframe_lint" / "schema"
OURS = (sys.executable, "-m", "jobframe_lint")
# What every Python process pays before its first line: the interpreter and site-packages'
# .pth files. Timed beside the absolute targets, since it differs a lot between machines.
FLOOR = (sys.executable, "-c", "pass")
EDITED = "families/family-00007.yaml"
# Environment for every run: no colour codes, and git without the user's configuration.
QUIET = {"NO_COLOR": "1", "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}

sys.path.insert(0, str(ROOT / "bench"))
from generate import generate  # noqa: E402  (bench/ is not a package)


@dataclass(frozen=True)
class Run:
    seconds: float
    peak_mb: float
    tree_mb: float = 0.0
    cpu_seconds: float = 0.0
    # The tree's proportional set: a page shared by n processes counts 1/n in each, where
    # summed resident sets count a forked worker's inherited pages twice.
    tree_pss_mb: float = 0.0


def _kib(path: str, field: str) -> int:
    """A ``field: N kB`` line of a /proc file; 0 once the process has gone (or for a zombie)."""
    try:
        status = Path(path).read_text("ascii", errors="replace")
    except OSError:
        return 0
    for line in status.splitlines():
        if line.startswith(field):
            return int(line.split()[1])
    return 0


def _children(pid: int) -> list[int]:
    """The child processes of every thread of ``pid``: the kernel lists a child under the
    thread that started it, which need not be the main one."""
    found: list[int] = []
    try:
        tasks = list(Path(f"/proc/{pid}/task").iterdir())
    except OSError:
        return found
    for task in tasks:
        try:
            found.extend(int(child) for child in (task / "children").read_text("ascii").split())
        except OSError:
            continue
    return found


def tree_kib(pid: int) -> tuple[int, int]:
    """The summed resident and proportional sets of ``pid`` and its descendants, in KiB."""
    rss, pss, pending = 0, 0, [pid]
    while pending:
        current = pending.pop()
        rss += _kib(f"/proc/{current}/status", "VmRSS:")
        pss += _kib(f"/proc/{current}/smaps_rollup", "Pss:")
        pending.extend(_children(current))
    return rss, pss


class TreeSampler(threading.Thread):
    """Samples a process tree's resident set every ``interval`` seconds until stopped:
    ``ru_maxrss`` is one process's peak, and misses the workers' memory held at once."""

    def __init__(self, pid: int, interval: float = 0.005) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.interval = interval
        self.peak_kib = 0
        self.peak_pss_kib = 0
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.is_set():
            rss, pss = tree_kib(self.pid)
            self.peak_kib, self.peak_pss_kib = max(self.peak_kib, rss), max(self.peak_pss_kib, pss)
            self.stopped.wait(self.interval)

    def stop(self) -> tuple[float, float]:
        """Stops sampling; the peaks (resident, proportional) in MB."""
        self.stopped.set()
        self.join()
        return self.peak_kib / 1024, self.peak_pss_kib / 1024


@dataclass(frozen=True)
class Job:
    """Commands run one after the other and timed as one (check-jsonschema takes one schema
    a run, so checking both kinds of file takes two); ``before`` is untimed set-up."""

    commands: Sequence[Sequence[str]]
    cwd: Path
    before: Callable[[], None] | None = None
    env: Mapping[str, str] = field(default_factory=dict)

    def run(self) -> Run:
        if self.before is not None:
            self.before()
        seconds, cpu, peak, tree, pss = 0.0, 0.0, 0, 0.0, 0.0
        for command in self.commands:
            start = time.perf_counter()
            process = subprocess.Popen(
                command,
                cwd=self.cwd,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                env={**os.environ, **QUIET, **self.env},
            )
            sampler = TreeSampler(process.pid)
            sampler.start()
            _, status, usage = os.wait4(process.pid, 0)
            seconds += time.perf_counter() - start
            tree_rss, tree_pss = sampler.stop()
            tree, pss = max(tree, tree_rss), max(pss, tree_pss)
            process.returncode = os.waitstatus_to_exitcode(status)
            # The process's and its waited-for children's (the workers').
            cpu += usage.ru_utime + usage.ru_stime
            peak = max(peak, usage.ru_maxrss)  # KiB on Linux
        return Run(seconds, peak / 1024, tree, cpu, pss)


def alternate(jobs: Sequence[Job], rounds: int) -> list[Run]:
    """The median run of each job, the jobs taking turns: A B A B ..."""
    runs: list[list[Run]] = [[] for _ in jobs]
    for _ in range(rounds):
        for job, done in zip(jobs, runs, strict=True):
            done.append(job.run())
    return [
        Run(
            statistics.median(run.seconds for run in done),
            statistics.median(run.peak_mb for run in done),
            statistics.median(run.tree_mb for run in done),
            statistics.median(run.cpu_seconds for run in done),
            statistics.median(run.tree_pss_mb for run in done),
        )
        for done in runs
    ]


def _tool(name: str) -> str | None:
    """The tool installed beside this interpreter, else on PATH: a version manager's shim
    on PATH (pyenv's is a shell script) would add its own start-up to every run timed."""
    beside = Path(sys.executable).parent / name
    return str(beside) if beside.is_file() else shutil.which(name)


class Bench:
    def __init__(self, workdir: Path, rounds: int) -> None:
        self.rounds = rounds
        self.big = workdir / "big"
        self.small = workdir / "small"
        self.cjs = _tool("check-jsonschema")
        self.yamllint = _tool("yamllint")

    def prepare(self) -> None:
        generate(self.big / "canon", 2000, 20261126)
        generate(self.small / "canon", 200, 20261126)
        git = ("git", "-c", "user.name=bench", "-c", "user.email=bench@example.com")
        for command in (
            ("git", "init", "-q"),
            ("git", "add", "-A"),
            (*git, "commit", "-qm", "base"),
        ):
            subprocess.run(command, cwd=self.small, check=True, env={**os.environ, **QUIET})

    def reference(self, root: Path, files: Sequence[str]) -> list[Job]:
        """check-jsonschema (per schema) and yamllint on ``files`` under ``root``."""
        jobs: list[Job] = []
        if self.cjs:
            levels = [name for name in files if name.endswith("levels.yaml")]
            families = [name for name in files if name not in levels]
            commands = [
                (self.cjs, "--schemafile", str(SCHEMAS / f"{kind}.schema.json"), *names)
                for kind, names in (("levels", levels), ("family", families))
                if names
            ]
            jobs.append(Job(commands, root))
        if self.yamllint:
            jobs.append(Job([(self.yamllint, *files)], root))
        return jobs

    def names(self) -> list[str]:
        tools = (("check-jsonschema", self.cjs), ("yamllint", self.yamllint))
        return [name for name, found in tools if found]

    def report(self, target: str, ours: Run, others: Sequence[Run], goal: str) -> None:
        figure = f"{target}: {_ms(ours.seconds)}, {ours.peak_mb:.0f} MB"
        ratios = [
            f"{name} {_ms(run.seconds)} → {ours.seconds / run.seconds:.3f}x"
            for name, run in zip(self.names(), others, strict=True)
        ]
        print(" | ".join([figure, *ratios, f"goal {goal}"]), flush=True)

    def cold_canon(self) -> None:
        """Target 1: the 2,001-file canon, no cache yet (it is written, as in a fresh CI)."""
        files = sorted(str(path.relative_to(self.big)) for path in self.big.rglob("*.yaml"))
        ours = Job([(*OURS, "check", "canon")], self.big, before=self._clear(self.big))
        found = alternate([ours, *self.reference(self.big, files)], self.rounds)
        self.report("1 cold check of 2,001 files", found[0], found[1:], "≤ 0.025x, ≤ 200 MB")

    def policy(self) -> None:
        """Target 7: the cold check of target 1 with the README's policy file (custom rules,
        one of them canon-wide) against the same check without it."""
        folder = self.big.parent / "policy"
        folder.mkdir(exist_ok=True)
        shutil.copy(POLICY, folder / POLICY.name)
        canon = f'canon = "{(self.big / "canon").as_posix()}"\n'
        (folder / "plain.toml").write_text(canon, "utf-8")
        (folder / "policy.toml").write_text(f'{canon}custom-rules = ["{POLICY.name}"]\n', "utf-8")
        plain, policy = (
            Job([(*OURS, "check", "--config", name)], folder, before=self._clear(folder))
            for name in ("plain.toml", "policy.toml")
        )
        found = alternate([plain, policy], self.rounds)
        print(
            f"7 cold check of 2,001 files with the policy file: {_ms(found[1].seconds)}, "
            f"without {_ms(found[0].seconds)} → {found[1].seconds / found[0].seconds:.2f}x "
            "| goal ≤ 1.3x",
            flush=True,
        )

    def one_file(self) -> Run | None:
        """Target 2: one family file, its 200-family canon as context, as a hook runs it;
        warm: the canon checked, then this file once (which keeps the cache's verdict on
        the canon as a check of this file reads it)."""
        target = f"canon/{EDITED}"
        for command in ((*OURS, "check"), (*OURS, "check", target)):
            subprocess.run(command, cwd=self.small, capture_output=True, check=False)
        warm = Job([(*OURS, "check", target)], self.small)
        cold = Job([(*OURS, "check", "--no-cache", target)], self.small)
        found = alternate([warm, cold, *self.reference(self.small, [target])], self.rounds)
        goal = "≤ 0.25x check-jsonschema"
        self.report("2 one file in a 200-family canon, cache warm", found[0], found[2:], goal)
        self.report("2 one file in a 200-family canon, --no-cache", found[1], found[2:], goal)
        return found[2] if self.cjs else None

    def one_file_of_many(self) -> None:
        """Target 8 (issue 18): one unchanged family file of a 20,000-family canon, cache
        warm as in target 2, beside check-jsonschema on the same file. Generating the canon
        and its first check take minutes: only with ``--large``."""
        root = self.big.parent / "large"
        generate(root / "canon", 20000, 20261126)
        target = f"canon/{EDITED}"
        # A file vouches for its bytes once settled (lint.SETTLED_NS): the cold check may
        # reach the newest files too early, the first one-file check then stamps them.
        for command in ((*OURS, "check"), (*OURS, "check", target), (*OURS, "check", target)):
            subprocess.run(command, cwd=root, capture_output=True, check=False)
        warm = Job([(*OURS, "check", target)], root)
        found = alternate([warm, *self.reference(root, [target])], self.rounds)
        self.report(
            "8 one file in a 20,000-family canon, cache warm", found[0], found[1:], "< 300 ms"
        )

    def recheck(self) -> None:
        """Target 3: the 2,001-file canon again after one file changed (cache warm)."""
        subprocess.run([*OURS, "check"], cwd=self.big, capture_output=True, check=False)
        cached = Job([(*OURS, "check", "canon")], self.big, before=self._edit(self.big))
        uncached = Job([(*OURS, "check", "--no-cache", "canon")], self.big)
        found = alternate([cached, uncached], self.rounds)
        print(
            f"3 re-check of 2,001 files after one edit: {_ms(found[0].seconds)} "
            f"(--no-cache {_ms(found[1].seconds)}) | goal ≤ 300 ms",
            flush=True,
        )

    def frames(self, one_file_reference: Run | None) -> None:
        """Target 4: render and diff of one family, diff of the canon with one edit."""
        target = f"canon/{EDITED}"
        self._edit(self.small)()
        subprocess.run([*OURS, "check"], cwd=self.small, capture_output=True, check=False)
        jobs = {
            "4 render of one family": (*OURS, "render", "--family", target, "--format", "text"),
            "4 diff of one edited family": (*OURS, "diff", target, "--format", "text"),
            "4 diff of the 200-family canon, one edit": (*OURS, "diff", "--format", "text"),
            "python -c pass": FLOOR,
        }
        found = alternate([Job([command], self.small) for command in jobs.values()], self.rounds)
        *runs, floor = found
        goals = ("< 100 ms", "< 100 ms", "< 1 s")
        for name, run, goal in zip(jobs, runs, goals, strict=False):
            versus = ""
            if one_file_reference is not None:
                ratio = run.seconds / one_file_reference.seconds
                versus = f" | check-jsonschema one file → {ratio:.3f}x"
            above = f"{_ms(run.seconds - floor.seconds)} above python -c pass"
            print(f"{name}: {_ms(run.seconds)} ({above}){versus} | goal {goal}", flush=True)
        print(f"  python -c pass here: {_ms(floor.seconds)}", flush=True)

    def output(self) -> None:
        """Target 5: printing thousands of findings against the same run printing none."""
        printed = Job([(*OURS, "check", "--no-cache", "canon")], self.big)
        silent = Job([(*OURS, "check", "--no-cache", "--ignore", "JF106", "canon")], self.big)
        count = subprocess.run(
            [*OURS, "check", "--no-cache", "canon"], cwd=self.big, capture_output=True, text=True
        ).stdout.count("\n")
        found = alternate([printed, silent], self.rounds)
        print(
            f"5 check printing {count - 1:,} findings: {_ms(found[0].seconds)}, the same run "
            f"printing none {_ms(found[1].seconds)} → {found[0].seconds / found[1].seconds:.2f}x "
            "| goal < 2x",
            flush=True,
        )
        # The same findings from the cache, on a terminal that takes colour, with and without.
        subprocess.run([*OURS, "check", "canon"], cwd=self.big, capture_output=True, check=False)
        terminal = {"NO_COLOR": "", "TERM": "xterm-256color"}
        coloured, plain = (
            Job([(*OURS, "check", "--color", color, "canon")], self.big, env=terminal)
            for color in ("always", "never")
        )
        found = alternate([coloured, plain], self.rounds)
        print(
            f"5 the same findings coloured, cache warm: {_ms(found[0].seconds)} "
            f"({_ms(found[0].cpu_seconds)} cpu), plain {_ms(found[1].seconds)} "
            f"({_ms(found[1].cpu_seconds)} cpu) → {found[0].seconds / found[1].seconds:.2f}x "
            f"wall, {found[0].cpu_seconds / found[1].cpu_seconds:.2f}x cpu | goal ≤ 1.2x",
            flush=True,
        )

    def memory(self, large: bool) -> None:
        """Target 9 (issue 18): the peak memory of the whole process tree, workers included,
        of a cold check (its cache written) on every core and on one; with ``large`` once
        more at 20,001 files (run once)."""
        canons = [(self.big, "2,001", self.rounds)]
        if large:
            folder = self.big.parent / "large"
            generate(folder / "canon", 20000, 20261126)
            canons.append((folder, "20,001", 1))
        for root, size, rounds in canons:
            check = (*OURS, "check", "canon")
            jobs = [
                Job([command], root, before=self._clear(root))
                for command in (check, ("taskset", "-c", "0", *check))
            ]
            for cores, run in zip(("all cores", "one core"), alternate(jobs, rounds), strict=True):
                print(
                    f"9 cold check of {size} files, {cores}: {_ms(run.seconds)} wall, "
                    f"{_ms(run.cpu_seconds)} cpu, process tree {run.tree_mb:.0f} MB "
                    f"({run.tree_pss_mb:.0f} MB proportional, largest process "
                    f"{run.peak_mb:.0f} MB) | goal ≤ 200 MB",
                    flush=True,
                )

    def _clear(self, root: Path) -> Callable[[], None]:
        return lambda: shutil.rmtree(root / ".jobframe_lint_cache", ignore_errors=True)

    def _edit(self, root: Path) -> Callable[[], None]:
        """Changes one responsibility of one family, differently at each call."""
        path = root / "canon" / EDITED
        original = path.read_text("utf-8")
        count = [0]

        def edit() -> None:
            count[0] += 1
            path.write_text(original.replace(".\n", f" (edit {count[0]}).\n", 1), "utf-8")

        return edit


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds < 10 else f"{seconds:.1f} s"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="runs of each contender (5)")
    parser.add_argument("--workdir", type=Path, help="keep the canons here (default: temporary)")
    parser.add_argument(
        "--large",
        action="store_true",
        help="also time one file of a 20,000-family canon (target 8) and measure memory at "
        "20,001 files (target 9): minutes to set up",
    )
    args = parser.parse_args()
    # pip byte-compiles the packages it installs (check-jsonschema's included); an editable
    # checkout run with PYTHONDONTWRITEBYTECODE set never is, and would compile every module
    # on every run (~40 ms) as no installed copy does.
    compileall.compile_dir(ROOT / "jobframe_lint", quiet=1)
    with tempfile.TemporaryDirectory() as temporary:
        bench = Bench(args.workdir or Path(temporary), args.rounds)
        bench.prepare()
        print(f"{os.cpu_count()} cores; medians of {args.rounds} runs, alternated A B A B")
        bench.cold_canon()
        bench.policy()
        one_reference = bench.one_file()
        bench.recheck()
        bench.frames(one_reference)
        bench.output()
        if args.large:
            bench.one_file_of_many()
        bench.memory(args.large)


if __name__ == "__main__":
    main()
