"""``rules --verify``: each rule's examples against its text assertions.

An example is a text on its own, so what it is checked against is what a text alone can
fail (``matches`` ... ``one-of``); ``where`` filters and ``unique`` need the canon around
a text and are left out.
"""

from __future__ import annotations

from jobframe_lint.custom import CustomRules
from jobframe_lint.custom.declarative import text_problems


def verify(custom: CustomRules) -> tuple[list[str], int]:
    """A line for every example that misbehaves, and how many behave."""
    failures: list[str] = []
    passed = 0
    for rule, examples in custom.examples:
        for example in examples:
            problems = [
                f"{before}the example{after}"
                for _, before, after, _ in text_problems(rule.assertions, [example.text])
            ]
            label = f"{example.where}: {rule.code} {rule.name}:"
            if example.valid and problems:
                failures.append(
                    f"{label} valid example {example.text!r} is reported: {problems[0]}"
                )
            elif not example.valid and not problems:
                failures.append(f"{label} invalid example {example.text!r} is not reported")
            else:
                passed += 1
    return failures, passed
