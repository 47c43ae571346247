"""Settings a run works with: defaults, then the project's configuration file, then options.

The file is found as ruff finds its own: walking up from the working directory, the first
directory holding ``jobframe-lint.toml`` (top-level keys) or a ``pyproject.toml`` with a
``[tool.jobframe-lint]`` table decides, the former first. ``--config FILE`` names one
instead. Relative paths and ``per-file-ignores`` globs in the file are taken from the
directory the file is in, so a run from a subdirectory means the same as one from the top.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable, Iterable, Mapping
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any, NamedTuple

from jobframe_lint.diagnostics import ALWAYS_REPORTED, Diagnostic, Severity
from jobframe_lint.document import DEFAULT_LIMITS, Limits
from jobframe_lint.spelling import closest

DEFAULT_CANON = Path("canon")
OWN_FILE = "jobframe-lint.toml"
PYPROJECT = "pyproject.toml"
TOOL = "jobframe-lint"
KEYS = (
    "canon",
    "select",
    "ignore",
    "severity",
    "per-file-ignores",
    "limits",
    "exclude",
    "extend-exclude",
)
# ``[limits]`` keys: what one canon file may hold (see ``loader.Limits``).
LIMIT_KEYS = {
    "max-file-bytes": "max_file_bytes",
    "max-depth": "max_depth",
    "max-nodes": "max_nodes",
}


class ConfigProblem(Exception):
    """A configuration or rule selection that cannot be honoured: a usage error (exit 2)."""


class Settings(NamedTuple):
    canon: Path = DEFAULT_CANON
    # None: every rule; else only these codes.
    select: frozenset[str] | None = None
    ignore: frozenset[str] = frozenset()
    severity: Mapping[str, Severity] = MappingProxyType({})
    # (glob, codes) in file order; globs are relative to ``root``.
    per_file_ignores: tuple[tuple[str, frozenset[str]], ...] = ()
    root: Path = Path()
    limits: Limits = DEFAULT_LIMITS
    # Globs (relative to ``root``) of files and folders a directory walk leaves out.
    exclude: tuple[str, ...] = ()

    def with_options(self, select: str | None, ignore: str | None) -> Settings:
        """Apply ``--select``/``--ignore``: a selection on the command line replaces the
        file's select and ignore (ruff's rule), an ignore adds to whatever is in force."""
        settings = self
        if select is not None:
            settings = settings._replace(select=parse_codes(select, "--select"), ignore=frozenset())
        if ignore is not None:
            settings = settings._replace(ignore=settings.ignore | parse_codes(ignore, "--ignore"))
        return settings

    def enabled(self, code: str, path: str) -> bool:
        """Whether findings of ``code`` in the file ``path`` are reported."""
        if code in ALWAYS_REPORTED:
            return True
        if self.select is not None and code not in self.select:
            return False
        if code in self.ignore:
            return False
        # Asked for each of thousands of findings: no generator where there are no globs.
        return not self.per_file_ignores or not any(
            code in codes for codes in self._ignored_in(path)
        )

    def excluded(self, path: str) -> bool:
        """Whether a file or folder found walking a directory is left out of the canon."""
        candidates = self._match_forms(path)
        return any(
            _glob(pattern).fullmatch(candidate)
            for pattern in self.exclude
            for candidate in candidates
        )

    def severity_of(self, code: str, default: Severity) -> Severity:
        return self.severity.get(code, default)

    def _ignored_in(self, path: str) -> Iterable[frozenset[str]]:
        candidates = self._match_forms(path)
        for pattern, codes in self.per_file_ignores:
            matcher = _glob(pattern)
            if any(matcher.fullmatch(candidate) for candidate in candidates):
                yield codes

    def _match_forms(self, path: str) -> tuple[str, ...]:
        """The path relative to ``root`` (as globs are written) and its file name."""
        try:
            relative = os.path.relpath(path, self.root)
        except ValueError:  # on another Windows drive
            relative = path
        return (Path(relative).as_posix(), Path(path).name)


_GLOB_PARTS = re.compile(r"\*\*/|\*\*|\*|\?|\[[^\]]*\]|[^*?\[]+|\[")


@lru_cache(maxsize=256)
def _glob(pattern: str) -> re.Pattern[str]:
    """``**/`` spans folders, ``*`` and ``?`` stay within one; a pattern without ``/``
    matches a file name anywhere (as in ruff and .gitignore)."""
    parts = []
    for token in _GLOB_PARTS.findall(pattern):
        if token == "**/":
            parts.append("(?:.*/)?")
        elif token == "**":
            parts.append(".*")
        elif token == "*":
            parts.append("[^/]*")
        elif token == "?":
            parts.append("[^/]")
        elif token.startswith("[") and token.endswith("]") and len(token) > 2:
            members = token[1:-1].replace("\\", "\\\\")
            parts.append("[" + ("^" + members[1:] if members.startswith("!") else members) + "]")
        else:
            parts.append(re.escape(token))
    return re.compile("".join(parts))


def apply_settings(diagnostics: Iterable[Diagnostic], settings: Settings) -> list[Diagnostic]:
    """The findings of enabled rules, each at its configured severity."""
    kept: list[Diagnostic] = []
    for item in diagnostics:
        if not settings.enabled(item.code, item.path):
            continue
        severity = settings.severity_of(item.code, item.severity)
        kept.append(item if severity is item.severity else item._replace(severity=severity))
    return kept


# -- loading ---------------------------------------------------------------------------------


def load_settings(explicit: Path | None = None) -> Settings:
    """Settings from ``explicit`` (``--config``), else from the file found walking up."""
    if explicit is not None:
        if not explicit.is_file():
            raise ConfigProblem(f"{explicit}: no such configuration file")
        own = explicit.name != PYPROJECT
        table = _read_table(explicit, own)
        if table is None:
            raise ConfigProblem(f"{explicit}: no [tool.{TOOL}] table")
        return _parse(table, explicit, own)
    found = find_config(Path.cwd())
    if found is None:
        return Settings()
    path, table = found
    return _parse(table, path, path.name == OWN_FILE)


def canon_near(folder: Path) -> Path | None:
    """The canon directory the configuration nearest ``folder`` names (walking up), if any:
    what a file in ``folder`` belongs to when it is outside the run's own canon."""
    found = find_config(folder)
    if found is None:
        return None
    path, table = found
    if "canon" not in table:
        return _from_cwd(path.parent / DEFAULT_CANON)
    return _parse(table, path, path.name == OWN_FILE).canon


def find_config(start: Path) -> tuple[Path, dict[str, Any]] | None:
    for folder in (start, *start.parents):
        own = _from_cwd(folder / OWN_FILE)
        if own.is_file():
            table = _read_table(own, own=True)
            assert table is not None
            return own, table
        project = _from_cwd(folder / PYPROJECT)
        if project.is_file():
            table = _read_table(project, own=False)
            if table is not None:
                return project, table
    return None


def _read_table(path: Path, own: bool) -> dict[str, Any] | None:
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise ConfigProblem(f"{path}: cannot read: {error.strerror or error}") from None
    if not own and TOOL.encode() not in raw:
        return None  # the usual pyproject.toml: not worth parsing
    data = _parse_toml(path, raw)
    if own:
        return data
    tool = data.get("tool")
    table = tool.get(TOOL) if isinstance(tool, dict) else None
    if table is not None and not isinstance(table, dict):
        raise ConfigProblem(f"{path}: tool.{TOOL}: expected a table")
    return table


def _parse_toml(path: Path, raw: bytes) -> dict[str, Any]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on Python 3.10 only
        import tomli as tomllib
    try:
        data: dict[str, Any] = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise ConfigProblem(f"{path}: not valid TOML: {error}") from None
    return data


Complaint = Callable[[str], ConfigProblem]


class _Source(NamedTuple):
    """Where settings came from, so that every complaint names the file and the key."""

    path: Path
    own: bool

    def problem(self, key: str) -> Complaint:
        prefix = "" if self.own else f"tool.{TOOL}."
        return lambda message: ConfigProblem(f"{self.path}: {prefix}{key}: {message}")


def _parse(table: Mapping[str, Any], path: Path, own: bool) -> Settings:
    source = _Source(path, own)

    for key in table:
        if key not in KEYS:
            close = closest(key, KEYS)
            hint = f"; did you mean '{close}'?" if close else f"; expected {', '.join(KEYS)}"
            raise source.problem(key)(f"unknown key{hint}")
    root = path.parent
    settings = Settings(root=root)
    if "canon" in table:
        canon = table["canon"]
        if not isinstance(canon, str) or not canon:
            raise source.problem("canon")("expected the path of the canon directory, as a string")
        settings = settings._replace(canon=_from_cwd(root / canon))
    if "select" in table:
        settings = settings._replace(select=_codes(table["select"], source.problem("select")))
    if "ignore" in table:
        settings = settings._replace(ignore=_codes(table["ignore"], source.problem("ignore")))
    if "severity" in table:
        settings = settings._replace(severity=_severities(table["severity"], source))
    if "per-file-ignores" in table:
        settings = settings._replace(per_file_ignores=_per_file(table["per-file-ignores"], source))
    if "limits" in table:
        settings = settings._replace(limits=_limits(table["limits"], source))
    # Both, as ruff users write them: `exclude` replaces the default, `extend-exclude` adds
    # to it, and the default leaves out nothing beyond hidden files and folders.
    exclude = [
        glob
        for key in ("exclude", "extend-exclude")
        if key in table
        for glob in _globs(table[key], source.problem(key))
    ]
    return settings._replace(exclude=tuple(exclude))


def _from_cwd(path: Path) -> Path:
    """Shown paths stay short: relative to the working directory where that is possible."""
    try:
        return Path(os.path.relpath(path))
    except ValueError:  # another drive
        return path


def _codes(value: object, problem: Complaint) -> frozenset[str]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise problem('expected a list of rule codes, e.g. ["JF102", "JF106"]')
    return frozenset().union(*(_matching(code, problem) for code in value))


def _globs(value: object, problem: Complaint) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(item, str) and item for item in value):
        raise problem('expected a list of globs, e.g. ["canon/drafts", "**/*.draft.yaml"]')
    return value


def _severities(value: object, source: _Source) -> dict[str, Severity]:
    if not isinstance(value, dict):
        raise source.problem("severity")('expected a table of CODE = "error"|"warning"|"info"')
    names = {severity.value: severity for severity in Severity}
    result: dict[str, Severity] = {}
    for code, name in value.items():
        problem = source.problem(f"severity.{code}")
        _known(code, problem)
        if code in ALWAYS_REPORTED:
            raise problem("JF001 to JF004 are always errors: a file that did not load is unchecked")
        if name not in names:
            raise problem(f'expected "error", "warning" or "info", got {name!r}')
        result[code] = names[name]
    return result


def _per_file(value: object, source: _Source) -> tuple[tuple[str, frozenset[str]], ...]:
    if not isinstance(value, dict):
        raise source.problem("per-file-ignores")("expected a table of glob = [rule codes]")
    return tuple(
        (glob, _codes(codes, source.problem(f'per-file-ignores."{glob}"')))
        for glob, codes in value.items()
    )


def _limits(value: object, source: _Source) -> Limits:
    """Raised for a canon that really is that large; the defaults are far above real ones."""
    if not isinstance(value, dict):
        raise source.problem("limits")(f"expected a table of {', '.join(LIMIT_KEYS)}")
    chosen: dict[str, int] = {}
    for key, number in value.items():
        problem = source.problem(f"limits.{key}")
        if key not in LIMIT_KEYS:
            raise problem(f"unknown limit; expected {', '.join(LIMIT_KEYS)}")
        if not isinstance(number, int) or isinstance(number, bool):
            raise problem("expected a whole number")
        chosen[LIMIT_KEYS[key]] = number
    try:
        return Limits(**chosen).checked()
    except ValueError as error:
        raise source.problem("limits")(str(error)) from None


def parse_codes(text: str, option: str) -> frozenset[str]:
    """``JF102,JF108`` (or prefixes, ``JF1``, or ``ALL``) from the command line.

    An empty selection is refused: it is what an unset CI variable gives (``--select
    "$RULES"``), and running no rule at all would pass every canon.
    """

    def problem(message: str) -> ConfigProblem:
        return ConfigProblem(f"{option}: {message}")

    codes = [part.strip() for part in text.split(",") if part.strip()]
    if not codes and option == "--select":
        raise problem("no rule codes given; omit --select to run every rule")
    return frozenset().union(*(_matching(code, problem) for code in codes))


def _matching(selector: str, problem: Complaint) -> frozenset[str]:
    """The codes a selector names, as ruff reads them: ``ALL``, a code, or a code prefix."""
    from jobframe_lint.rules import RULES

    chosen = selector.upper()
    if chosen == "ALL":
        return frozenset(RULES)
    found = frozenset(code for code in RULES if code.startswith(chosen))
    if chosen.startswith("JF") and found:
        return found
    return frozenset((_known(selector, problem),))


def _known(code: str, problem: Complaint) -> str:
    from jobframe_lint.rules import RULES

    if code in RULES:
        return code
    close = closest(code.upper(), RULES, cutoff=0.8)
    hint = f"; did you mean {close}?" if close else "; `jobframe-lint rules` lists them"
    raise problem(f"unknown rule code {code!r}{hint}")
