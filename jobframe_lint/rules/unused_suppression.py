"""JF100 unused-suppression: emitted by ``jobframe_lint.suppressions``."""

from jobframe_lint.diagnostics import Severity
from jobframe_lint.rules.base import Rule

RULE = Rule(
    code="JF100",
    name="unused-suppression",
    severity=Severity.INFO,
    summary="an inline suppression or a baseline entry that suppresses nothing",
    explanation=(
        "A `# jobframe-lint: disable=CODE` comment silences CODE on its own line, and "
        "`# jobframe-lint: disable-file=CODE` anywhere in a file silences CODE in the whole "
        "file. Once the canon is fixed the comment only hides the next real finding, so a "
        "suppression of an enabled rule that matched nothing is reported, as is an unknown "
        "code in one. So is an entry of the baseline (`check --write-baseline`) that matches "
        "no finding any more, at its line in the baseline file; the next `--write-baseline` "
        "drops it. Like ruff's unused-noqa it is information: it never fails a run, and "
        "`--ignore JF100` turns it off."
    ),
    example=(
        "levels:\n"
        "  P3:\n"
        "    title: Mid-Level Professional  # jobframe-lint: disable=JF111   <- JF100"
    ),
)
