"""The commands as functions that return what they find, for scripts, notebooks and tools.

Each does what its command does (the configuration found as the command finds it, the
cache used and kept, the same findings and pages), and returns the results instead of
printing them: ``check`` the findings it reports, ``render`` the pages, ``diff`` the
comparison. Problems a command reports as exit 2 raise ``PathProblem`` or
``ConfigProblem``: ``except api.UsageError`` catches both.

    from jobframe_lint import api

    findings = api.check(["canon"])
    pages = api.render(["canon"], family="AI / Machine Learning Engineering", level="P3")
    diff = api.diff(base="HEAD")
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from jobframe_lint.config import ConfigProblem, Settings, load_settings
from jobframe_lint.diagnostics import Diagnostic
from jobframe_lint.diff.model import Diff
from jobframe_lint.discovery import PathProblem, collect_canons
from jobframe_lint.frames.model import Page

__all__ = ["Diagnostic", "Diff", "Page", "UsageError", "check", "diff", "render"]

# What the command line reports with exit status 2: a missing path, bad configuration.
UsageError = (PathProblem, ConfigProblem)


def check(
    paths: Sequence[str | Path] = (),
    *,
    config: str | Path | None = None,
    select: str | None = None,
    ignore: str | None = None,
    cache: bool = True,
) -> list[Diagnostic]:
    """The findings ``jobframe-lint check PATH ...`` reports, in its order."""
    from jobframe_lint.cache import Cache
    from jobframe_lint.commands.check import judged
    from jobframe_lint.rules import install_custom

    settings = _settings(config).with_plugins().with_options(select, ignore)
    install_custom(settings.custom.entries.values())
    excluded = settings.excluded if settings.exclude else None
    canons = collect_canons([Path(path) for path in paths], settings.canon, excluded=excluded)
    return judged(canons, settings, Cache.open(settings) if cache else None)


def render(
    paths: Sequence[str | Path] = (),
    *,
    family: str | None = None,
    level: str | None = None,
    config: str | Path | None = None,
) -> list[Page]:
    """The pages ``jobframe-lint render`` shows (families by name, levels in guide order),
    leaving out the files ``render`` refuses, as it does; ``family`` and ``level`` as its
    options, case aside."""
    from jobframe_lint.commands.render import _pages, prepare

    chosen = prepare([Path(path) for path in paths], family, _path(config))
    paths_of = [item.path for item in chosen.families]
    return list(_pages(chosen.guides, paths_of, chosen.limits, level))


def diff(
    paths: Sequence[str | Path] = (),
    *,
    base: str = "HEAD",
    head: str | None = None,
    staged: bool = False,
    config: str | Path | None = None,
) -> Diff:
    """What ``jobframe-lint diff`` compares: ``base`` against ``head`` (default: the
    working tree; ``staged``: the git index). A git problem raises ``PathProblem``."""
    from jobframe_lint.commands.diff import compared, read_sides
    from jobframe_lint.diff.gitread import GitProblem

    settings = _settings(config)
    targets = [Path(path) for path in paths] or [settings.canon]
    try:
        old, new = read_sides(targets, settings.canon, base, head, staged, settings.limits)
    except GitProblem as problem:
        raise PathProblem(str(problem)) from None
    return compared(old, new, targets, settings.limits)


def _path(config: str | Path | None) -> Path | None:
    return Path(config) if config is not None else None


def _settings(config: str | Path | None) -> Settings:
    return load_settings(_path(config))
