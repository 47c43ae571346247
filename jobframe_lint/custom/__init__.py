"""Custom rules (SPEC §6): a canon team's own policies, declared in YAML or installed as
plugins, run beside the built-in rules.

Only the record of a run's custom rules lives here, so that the configuration can hold one
without importing the engine: ``ruleset`` reads the YAML files, ``declarative`` runs them,
``plugins`` loads and runs installed plugins, ``verify`` checks the rules' examples.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from jobframe_lint.diagnostics import Diagnostic, by_place

if TYPE_CHECKING:
    from jobframe_lint.config import ConfigProblem
    from jobframe_lint.custom.declarative import Declared, UniqueInCanon
    from jobframe_lint.custom.ruleset import Example
    from jobframe_lint.rules.base import Check, Rule

    # A declarative rule and the examples `rules --verify` checks it against.
    Verifiable = tuple[Declared, tuple[Example, ...]]


class CustomRules:
    """The run's custom rules: their catalogue entries and the checks the run makes.

    ``per_file`` checks run where the built-in per-file rules do (their findings are cached
    per file); ``cross_file`` ones over the whole canon every run, from what each of the
    ``collectors`` gathered of every file into its outline (see ``UniqueInCanon``).
    Its ``repr`` is its ``fingerprint`` (the rules files' contents, the plugins' versions):
    the cache key is made from the settings' repr.
    """

    __slots__ = ("collectors", "cross_file", "entries", "examples", "fingerprint", "per_file")

    def __init__(
        self,
        entries: Iterable[Rule] = (),
        per_file: Iterable[Check] = (),
        cross_file: Iterable[Check] = (),
        collectors: Iterable[UniqueInCanon] = (),
        fingerprint: str = "",
        examples: Iterable[Verifiable] = (),
    ) -> None:
        self.entries: dict[str, Rule] = {rule.code: rule for rule in entries}
        self.per_file = tuple(per_file)
        self.cross_file = tuple(cross_file)
        self.collectors = tuple(collectors)
        self.fingerprint = fingerprint
        self.examples = tuple(examples)

    def __repr__(self) -> str:
        return f"CustomRules({self.fingerprint!r})"

    def settled(self, findings: list[Diagnostic]) -> list[Diagnostic]:
        """``findings`` with each plugin's failure reported once: at the first file it
        failed on (by place), counting the others."""
        failed: dict[str, list[Diagnostic]] = {}
        kept: list[Diagnostic] = []
        for item in findings:
            rule = self.entries.get(item.code)
            if rule is not None and item.message.startswith(f"{rule.origin}{RAISED}"):
                failed.setdefault(item.code, []).append(item)
            else:
                kept.append(item)
        for crashes in failed.values():
            first, *others = sorted(crashes, key=by_place)
            if others:
                noun = "file" if len(others) == 1 else "files"
                first = first._replace(
                    message=f"{first.message}; so are those on {len(others)} other {noun}"
                )
            kept.append(first)
        return kept

    def merged(self, other: CustomRules) -> CustomRules:
        """These rules and ``other``'s; a code both define is a configuration problem."""
        for code, rule in other.entries.items():
            if code in self.entries:
                raise _problem(
                    f"rule code {code} is defined twice: {self.entries[code].origin} "
                    f"and {rule.origin}"
                )
        return CustomRules(
            [*self.entries.values(), *other.entries.values()],
            (*self.per_file, *other.per_file),
            (*self.cross_file, *other.cross_file),
            (*self.collectors, *other.collectors),
            "\0".join(part for part in (self.fingerprint, other.fingerprint) if part),
            (*self.examples, *other.examples),
        )


NO_CUSTOM = CustomRules()
# What follows a plugin's origin in the finding that says it failed.
RAISED = " raised "


def _problem(message: str) -> ConfigProblem:
    from jobframe_lint.config import ConfigProblem

    return ConfigProblem(message)
