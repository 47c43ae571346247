"""Write a deterministic synthetic canon: one level guide and N job families.

The default (2,000 families, 8 levels each, 5-9 responsibilities a level) is the
2,001-file / ~21.7 MB corpus the performance targets are stated against; the sentence
lengths below are calibrated to that size.

    python bench/generate.py OUT [--families N] [--seed S]
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

LEVELS = ("P1", "P2", "P3", "P4", "P5", "P6", "M1", "M2")
RESPONSIBILITY_WORDS = 15
RUBRIC_WORDS = 14
DIMENSIONS = ("Scope", "Autonomy", "Complexity", "Impact", "Decision rights", "Leadership")
WORDS = (
    "designs",
    "builds",
    "operates",
    "reviews",
    "models",
    "pipelines",
    "services",
    "partners",
    "stakeholders",
    "delivers",
    "measurable",
    "outcomes",
    "across",
    "teams",
    "with",
    "independence",
    "coordinating",
    "projects",
    "mentoring",
    "associates",
    "owning",
    "decisions",
    "for",
    "production",
    "systems",
    "quality",
    "data",
    "experiments",
    "roadmaps",
    "standards",
    "customers",
    "budgets",
    "risks",
    "incidents",
    "platforms",
)


def sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def level_guide(rng: random.Random) -> str:
    lines = ["kind: levels", "dimensions:", *(f"  - {name}" for name in DIMENSIONS), "levels:"]
    for code in LEVELS:
        lines += [f"  {code}:", f"    title: Level {code}", "    dimensions:"]
        lines += [f"      {name}: {sentence(rng, 8)}" for name in DIMENSIONS]
    return "\n".join(lines) + "\n"


def family(rng: random.Random, index: int) -> str:
    lines = [
        "kind: family",
        f"function: Function {index % 17}",
        f"family: Synthetic Family {index:05d}",
        "levels:",
    ]
    for code in LEVELS:
        lines += [f"  {code}:", "    responsibilities:"]
        lines += [
            f"      - {sentence(rng, RESPONSIBILITY_WORDS)}" for _ in range(rng.randint(5, 9))
        ]
        lines += [
            "    rubrics:",
            f"      complexity/problem-solving: {sentence(rng, RUBRIC_WORDS)}",
            f"      knowledge-application: {sentence(rng, RUBRIC_WORDS)}",
        ]
    return "\n".join(lines) + "\n"


def generate(out: Path, families: int, seed: int) -> None:
    rng = random.Random(seed)
    (out / "families").mkdir(parents=True, exist_ok=True)
    (out / "levels.yaml").write_text(level_guide(rng), encoding="utf-8")
    for index in range(families):
        path = out / "families" / f"family-{index:05d}.yaml"
        path.write_text(family(rng, index), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--families", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=20261126)
    args = parser.parse_args()
    generate(args.out, args.families, args.seed)


if __name__ == "__main__":
    main()
