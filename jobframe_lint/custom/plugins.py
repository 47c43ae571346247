"""Rule plugins: ``jobframe_lint.plugin.Rule`` objects named by installed distributions'
``jobframe_lint.rules`` entry points.

Only installed distributions count. The working directory, the checked repository, is
left out of the search path while plugins are found and imported (``python -m`` puts it
first): a ``*.dist-info`` folder or a module committed there is never run.
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING

from jobframe_lint import plugin
from jobframe_lint.canon import Canon, Family, LevelGuide, Text
from jobframe_lint.config import ConfigProblem
from jobframe_lint.custom import RAISED, CustomRules
from jobframe_lint.diagnostics import Diagnostic, Severity, Span
from jobframe_lint.rules.base import Rule

if TYPE_CHECKING:
    from importlib.metadata import EntryPoint

GROUP = "jobframe_lint.rules"
CODE = re.compile(r"[A-Z]{2,8}[0-9]{3}")
NAME = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
SEVERITIES = {severity.value: severity for severity in Severity}
# The folders of installed distributions' metadata.
_METADATA = (".dist-info", ".egg-info")


@cache
def installed() -> CustomRules:
    """The installed plugins' rules; ConfigProblem for a plugin that cannot be used."""
    rules = CustomRules()
    with _installed_path() as path:
        for point in _entry_points(path):
            origin = _origin(point)
            try:
                loaded = point.load()
            except Exception as error:  # a plugin's own import failing: name the plugin
                raise ConfigProblem(f"{origin}: cannot be loaded: {_described(error)}") from None
            rule = _checked(loaded, origin)
            severity = SEVERITIES[rule.severity]
            entry = Rule(
                code=rule.code,
                name=rule.name,
                severity=severity,
                summary=rule.summary,
                explanation=rule.explanation or rule.summary,
                example=rule.example,
                origin=origin,
            )
            check = PluginCheck(rule, severity, origin)
            rules = rules.merged(
                CustomRules([entry], per_file=[check], fingerprint=f"{origin}={point.value}")
            )
    return rules


@contextlib.contextmanager
def _installed_path() -> Iterator[list[str]]:
    """``sys.path`` without the working directory, for as long as plugins are imported."""
    here = Path.cwd().resolve()
    saved = list(sys.path)
    kept = [entry for entry in saved if entry and Path(entry).resolve() != here]
    sys.path[:] = kept
    try:
        yield kept
    finally:
        sys.path[:] = saved


def _entry_points(path: list[str]) -> list[EntryPoint]:
    if not _declared_on(path):
        return []
    from importlib.metadata import distributions  # ~20 ms: only where a plugin may be

    found: dict[str, EntryPoint] = {}
    seen: set[str] = set()
    for distribution in distributions(path=path):
        name = distribution.metadata["Name"] or ""
        if name.lower() in seen:  # an earlier path entry shadows it, as for imports
            continue
        seen.add(name.lower())
        for point in distribution.entry_points.select(group=GROUP):
            found.setdefault(f"{name} {point.name}", point)
    return [found[key] for key in sorted(found)]


def _declared_on(path: list[str]) -> bool:
    """Whether a distribution on ``path`` may declare a plugin: its ``entry_points.txt``
    names the group. Reading those files costs ~1 ms, importing ``importlib.metadata``
    ~20 ms, which a run without plugins (the usual case) so never pays."""
    marker = GROUP.encode()
    for entry in path:
        try:
            with os.scandir(entry) as listing:
                folders = [item.path for item in listing if item.name.endswith(_METADATA)]
        except NotADirectoryError:  # a zip archive: importlib.metadata looks inside
            return True
        except OSError:
            continue
        for folder in folders:
            try:
                with open(os.path.join(folder, "entry_points.txt"), "rb") as stream:  # noqa: PTH118, PTH123
                    if marker in stream.read():
                        return True
            except OSError:
                continue
    return False


def _origin(point: EntryPoint) -> str:
    distribution = point.dist
    owner = f"{distribution.name} {distribution.version}" if distribution else "unknown"
    return f"plugin {point.name!r} ({owner})"


def _checked(loaded: object, origin: str) -> plugin.Rule:
    """The entry point's Rule, or ConfigProblem saying what is wrong with it."""
    if not isinstance(loaded, plugin.Rule):
        found = type(loaded).__name__
        raise ConfigProblem(f"{origin}: names a {found}, not a jobframe_lint.plugin.Rule")
    problem = None
    if not isinstance(loaded.code, str) or not CODE.fullmatch(loaded.code):
        problem = f"code {loaded.code!r} is not 2-8 capital letters then 3 digits"
    elif loaded.code.startswith("JF"):
        problem = f"code {loaded.code}: the JF prefix is reserved for jobframe-lint's own rules"
    elif not isinstance(loaded.name, str) or not NAME.fullmatch(loaded.name):
        problem = f"name {loaded.name!r} is not lower-case words joined by hyphens"
    elif loaded.severity not in SEVERITIES:
        problem = f"severity {loaded.severity!r} is not one of error, warning, info"
    elif not isinstance(loaded.summary, str) or not callable(loaded.check):
        problem = "summary must be text and check a function of the canon"
    if problem is not None:
        raise ConfigProblem(f"{origin}: {problem}")
    return loaded


class PluginCheck:
    """A plugin's check, run as the built-in per-file rules are: for each family with the
    level guides (and once for the guides alone), keeping the findings on that file."""

    __slots__ = ("origin", "rule", "severity")

    def __init__(self, rule: plugin.Rule, severity: Severity, origin: str) -> None:
        self.rule = rule
        self.severity = severity
        self.origin = origin

    def __call__(self, canon: Canon) -> Iterator[Diagnostic]:
        guides = tuple(_guide(guide) for guide in canon.guides)
        guide_paths = {guide.path for guide in canon.guides}
        yield from self._run(
            plugin.Canon((), guides), guide_paths, canon.guides[0].path if canon.guides else None
        )
        for family in canon.families:
            yield from self._run(
                plugin.Canon((_family(family),), guides), {family.path}, family.path
            )

    def _run(self, view: plugin.Canon, paths: set[str], blamed: str | None) -> Iterator[Diagnostic]:
        try:
            found = [self._diagnostic(finding) for finding in self.rule.check(view)]
        except Exception as error:  # a plugin's bug: one finding, not a failed run
            if blamed is not None:
                yield Diagnostic(
                    blamed,
                    Span.at(1, 1),
                    self.rule.code,
                    f"{self.origin}{RAISED}{_described(error)}: "
                    "its findings on this file are missing",
                    Severity.ERROR,
                )
            return
        yield from (item for item in found if item.path in paths)

    def _diagnostic(self, finding: object) -> Diagnostic:
        if not isinstance(finding, plugin.Finding) or not isinstance(finding.at, Text):
            raise TypeError(
                f"check yielded {type(finding).__name__}, not a Finding at a canon Text"
            )
        text = finding.at
        return Diagnostic(text.path, text.span, self.rule.code, str(finding.message), self.severity)


def _described(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__


def _guide(guide: LevelGuide) -> plugin.LevelGuide:
    return plugin.LevelGuide(
        guide.path,
        tuple(guide.dimensions),
        tuple(plugin.Level(level.code, level.title, tuple(level.bars)) for level in guide.levels),
    )


def _family(family: Family) -> plugin.Family:
    return plugin.Family(
        family.path,
        family.name,
        family.function,
        tuple(
            plugin.FamilyLevel(
                level.code, tuple(level.responsibilities), MappingProxyType(dict(level.rubrics))
            )
            for level in family.levels
        ),
    )
