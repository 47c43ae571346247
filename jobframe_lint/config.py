"""Settings a run works with: defaults, then the project's configuration file, then options.

The file is found as ruff finds its own: walking up from the working directory (to the
repository's root at most), the first directory holding ``jobframe-lint.toml`` (top-level
keys) or a ``pyproject.toml`` with a ``[tool.jobframe-lint]`` table decides, the former
first. ``--config FILE`` names one instead. Relative paths and ``per-file-ignores`` globs
in the file are taken from the directory the file is in, so a run from a subdirectory means
the same as one from the top.
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

from jobframe_lint.custom import NO_CUSTOM, CustomRules
from jobframe_lint.diagnostics import ALWAYS_REPORTED, Diagnostic, Severity
from jobframe_lint.document import DEFAULT_LIMITS, Limits, Refusal, read_bytes
from jobframe_lint.globs import Glob, GlobError
from jobframe_lint.spelling import closest

DEFAULT_CANON = Path("canon")
DEFAULT_BASELINE = "jobframe-baseline.json"
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
    "baseline",
    "custom-rules",
    "exclude",
    "extend-exclude",
)
# ``[limits]`` keys: what one canon file may hold (see ``loader.Limits``).
LIMIT_KEYS = {
    "max-file-bytes": "max_file_bytes",
    "max-depth": "max_depth",
    "max-nodes": "max_nodes",
}


# Far above a real pyproject.toml; read as canon files are (no FIFO, no /dev/zero).
_MOST_BYTES = 4 * 1024 * 1024


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
    # The baseline file (see ``baseline``), relative to the configuration's folder.
    baseline: Path = Path(DEFAULT_BASELINE)
    # The rules of the ``custom-rules`` files (and, once a command adds them, of plugins).
    custom: CustomRules = NO_CUSTOM
    # Globs (relative to ``root``) of files and folders a directory walk leaves out.
    exclude: tuple[str, ...] = ()

    def with_options(self, select: str | None, ignore: str | None) -> Settings:
        """Apply ``--select``/``--ignore``: a selection on the command line replaces the
        file's select and ignore (ruff's rule), an ignore adds to whatever is in force."""
        settings = self
        if select is not None:
            codes = parse_codes(select, "--select", self.custom)
            settings = settings._replace(select=codes, ignore=frozenset())
        if ignore is not None:
            codes = parse_codes(ignore, "--ignore", self.custom)
            settings = settings._replace(ignore=settings.ignore | codes)
        return settings

    def with_plugins(self) -> Settings:
        """These settings with the installed plugins' rules (SPEC §6) beside the files'."""
        from jobframe_lint.custom.plugins import installed

        return self._replace(custom=self.custom.merged(installed()))

    def knows(self, code: str) -> bool:
        """Whether ``code`` is a rule of this run: built in or custom."""
        from jobframe_lint.rules import RULES

        return code in RULES or code in self.custom.entries

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
            _glob(pattern).matches(candidate)
            for pattern in self.exclude
            for candidate in candidates
        )

    def severity_of(self, code: str, default: Severity) -> Severity:
        return self.severity.get(code, default)

    def _ignored_in(self, path: str) -> Iterable[frozenset[str]]:
        candidates = self._match_forms(path)
        for pattern, codes in self.per_file_ignores:
            matcher = _glob(pattern)
            if any(matcher.matches(candidate) for candidate in candidates):
                yield codes

    def _match_forms(self, path: str) -> tuple[str, ...]:
        """The path relative to ``root`` (as globs are written) and its file name."""
        try:
            relative = os.path.relpath(path, self.root)
        except ValueError:  # on another Windows drive
            relative = path
        return (Path(relative).as_posix(), Path(path).name)


@lru_cache(maxsize=256)
def _glob(pattern: str) -> Glob:
    """A pattern without ``/`` matches a file name anywhere (as in ruff and .gitignore): see
    ``_match_forms``."""
    return Glob(pattern)


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
    """The first configuration from ``start`` up to the root of the repository it is in.

    Not above: a folder that holds the checkout (a shared, perhaps world-writable one) is
    not the project's, and a file there could turn a failing gate into a pass.
    """
    for folder in (start, *start.parents):
        found = _config_in(folder)
        if found is not None or (folder / ".git").exists():  # a folder, or a worktree's file
            return found
    return None


def _config_in(folder: Path) -> tuple[Path, dict[str, Any]] | None:
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
        raw = read_bytes(path, _MOST_BYTES)
    except OSError as error:
        raise ConfigProblem(f"{path}: cannot read: {error.strerror or error}") from None
    except Refusal as refused:
        raise ConfigProblem(f"{path}: cannot read: {refused.message}") from None
    if len(raw) > _MOST_BYTES:
        raise ConfigProblem(f"{path}: larger than {_MOST_BYTES // 1024**2} MiB")
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
    except RecursionError:  # tomllib recurses once an array or inline table: [[[[...]]]]
        raise ConfigProblem(f"{path}: {_deep_key(raw)}values nested too deeply") from None
    return data


# A line that sets a key (``name =``, ``"quoted" =``, ``a.b =``), or opens a table.
_KEY_LINE = re.compile(
    rb'^[ \t]*((?:"[^"\n]*"|[\w.-]+)(?:[ \t]*\.[ \t]*(?:"[^"\n]*"|[\w.-]+))*)[ \t]*=', re.M
)
_TABLE_LINE = re.compile(rb"^[ \t]*\[[ \t]*([^\[\]\n]+?)[ \t]*\][ \t]*(?:#.*)?$", re.M)


def _deep_key(raw: bytes) -> str:
    """``table.key: `` for the last key set before the first very deep nesting, as tomllib
    cannot say where its recursion ran out; nothing if none is found."""
    depth = 0
    for at, byte in enumerate(raw):
        depth += {0x5B: 1, 0x7B: 1, 0x5D: -1, 0x7D: -1}.get(byte, 0)
        if depth > _DEEP:
            keys = list(_KEY_LINE.finditer(raw, 0, at))
            if not keys:
                return ""
            tables = list(_TABLE_LINE.finditer(raw, 0, keys[-1].start()))
            parts = [match.group(1) for match in (*tables[-1:], keys[-1])]
            return b".".join(parts).decode("utf-8", "replace") + ": "
    return ""


# Deeper than any configuration needs (two levels), far below tomllib's recursion limit.
_DEEP = 32


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
    settings = Settings(root=root, baseline=_from_cwd(root / DEFAULT_BASELINE))
    # First: the codes the other keys name may be those of custom rules.
    if "custom-rules" in table:
        custom = _custom_rules(table["custom-rules"], root, source.problem("custom-rules"))
        settings = settings._replace(custom=custom)
    known = settings.custom
    if "canon" in table:
        canon = table["canon"]
        if not isinstance(canon, str) or not canon:
            raise source.problem("canon")("expected the path of the canon directory, as a string")
        settings = settings._replace(canon=_from_cwd(root / canon))
    if "select" in table:
        select = _codes(table["select"], source.problem("select"), known)
        settings = settings._replace(select=select)
    if "ignore" in table:
        ignore = _codes(table["ignore"], source.problem("ignore"), known)
        settings = settings._replace(ignore=ignore)
    if "severity" in table:
        settings = settings._replace(severity=_severities(table["severity"], source, known))
    if "per-file-ignores" in table:
        ignores = _per_file(table["per-file-ignores"], source, known)
        settings = settings._replace(per_file_ignores=ignores)
    if "limits" in table:
        settings = settings._replace(limits=_limits(table["limits"], source))
    if "baseline" in table:
        baseline = table["baseline"]
        if not isinstance(baseline, str) or not baseline:
            raise source.problem("baseline")("expected the path of the baseline file, as a string")
        settings = settings._replace(baseline=_from_cwd(root / baseline))
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


def _custom_rules(value: object, root: Path, problem: Complaint) -> CustomRules:
    """The rules of the files named, relative to the configuration's folder."""
    if not isinstance(value, list) or not all(isinstance(item, str) and item for item in value):
        raise problem('expected a list of rules files, e.g. ["canon-rules.yaml"]')
    paths = [_from_cwd(root / name) for name in value]
    for path in paths:
        if not path.is_file():
            raise problem(f"{path}: no such rules file")
    from jobframe_lint.custom.ruleset import load_rule_files

    return load_rule_files(paths)


def _codes(value: object, problem: Complaint, custom: CustomRules) -> frozenset[str]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise problem('expected a list of rule codes, e.g. ["JF102", "JF106"]')
    return frozenset().union(*(_matching(code, problem, custom) for code in value))


def _globs(value: object, problem: Complaint) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(item, str) and item for item in value):
        raise problem('expected a list of globs, e.g. ["canon/drafts", "**/*.draft.yaml"]')
    for glob in value:
        try:
            _glob(glob)
        except GlobError as error:
            raise problem(f"{glob!r} is not a glob: {error}") from None
    return value


def _severities(value: object, source: _Source, custom: CustomRules) -> dict[str, Severity]:
    if not isinstance(value, dict):
        raise source.problem("severity")('expected a table of CODE = "error"|"warning"|"info"')
    names = {severity.value: severity for severity in Severity}
    result: dict[str, Severity] = {}
    for code, name in value.items():
        problem = source.problem(f"severity.{code}")
        _known(code, problem, custom)
        if code in ALWAYS_REPORTED:
            raise problem("JF001 to JF004 are always errors: a file that did not load is unchecked")
        if not isinstance(name, str) or name not in names:
            raise problem(f'expected "error", "warning" or "info", got {name!r}')
        result[code] = names[name]
    return result


def _per_file(
    value: object, source: _Source, custom: CustomRules
) -> tuple[tuple[str, frozenset[str]], ...]:
    if not isinstance(value, dict):
        raise source.problem("per-file-ignores")("expected a table of glob = [rule codes]")
    found = []
    for glob, codes in value.items():
        problem = source.problem(f'per-file-ignores."{glob}"')
        try:
            _glob(glob)
        except GlobError as error:
            raise problem(f"not a glob: {error}") from None
        found.append((glob, _codes(codes, problem, custom)))
    return tuple(found)


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


def parse_codes(text: str, option: str, custom: CustomRules = NO_CUSTOM) -> frozenset[str]:
    """``JF102,JF108`` (or prefixes, ``JF1``, or ``ALL``) from the command line.

    An empty selection is refused: it is what an unset CI variable gives (``--select
    "$RULES"``), and running no rule at all would pass every canon.
    """

    def problem(message: str) -> ConfigProblem:
        return ConfigProblem(f"{option}: {message}")

    codes = [part.strip() for part in text.split(",") if part.strip()]
    if not codes and option == "--select":
        raise problem("no rule codes given; omit --select to run every rule")
    return frozenset().union(*(_matching(code, problem, custom) for code in codes))


def _matching(selector: str, problem: Complaint, custom: CustomRules) -> frozenset[str]:
    """The codes a selector names, as ruff reads them: ``ALL``, a code, or a code prefix
    (of built-in codes or the rules files'); else a code only a plugin may have."""
    from jobframe_lint.rules import RULES

    known = [*RULES, *custom.entries]
    chosen = selector.upper()
    if chosen == "ALL":
        return frozenset(known)
    found = frozenset(code for code in known if code.startswith(chosen))
    return found or frozenset((_known(selector, problem, custom),))


def _known(code: str, problem: Complaint, custom: CustomRules) -> str:
    """``code`` if a rule has it: built in, of the rules files, or (looked up only then)
    of an installed plugin."""
    from jobframe_lint.rules import RULES

    if code in RULES or code in custom.entries:
        return code
    from jobframe_lint.custom.plugins import installed

    plugins = installed()
    if code in plugins.entries:
        return code
    close = closest(code.upper(), [*RULES, *custom.entries, *plugins.entries], cutoff=0.8)
    hint = f"; did you mean {close}?" if close else "; `jobframe-lint rules` lists them"
    raise problem(f"unknown rule code {code!r}{hint}")
