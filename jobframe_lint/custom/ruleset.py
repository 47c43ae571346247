"""Reading custom rules files: validated like canon, compiled once.

A rules file is loaded by the canon's own positioned loader and checked against its own
JSON Schema (``schema/rules.schema.json``), then rule by rule for what a schema cannot say:
a reserved or repeated code, a regex that does not compile, an assertion or filter that
cannot apply to what the rule reads, a message naming a field it cannot fill in. Every
problem is reported at ``file:line:column``, all of them at once, as a configuration
problem (exit 2): a run never starts with rules it cannot honour.
"""

from __future__ import annotations

import hashlib
import re
import string
import textwrap
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from jobframe_lint.config import ConfigProblem
from jobframe_lint.custom import CustomRules
from jobframe_lint.custom.declarative import (
    FAMILY_TEXTS,
    HAS_LEVEL,
    MESSAGE_FIELDS,
    SCOPES,
    TEXT_ASSERTIONS,
    UNIT_ASSERTIONS,
    UNITS,
    Assertions,
    Declared,
    TextCheck,
    UniqueInCanon,
    UnitCheck,
)
from jobframe_lint.diagnostics import Diagnostic, Severity, Span
from jobframe_lint.document import Document, FieldPath, field_name
from jobframe_lint.rules.base import Check, Rule
from jobframe_lint.spelling import closest

RESERVED_PREFIX = "JF"


class Problem(NamedTuple):
    """Something wrong in the ``file``-th rules file, at ``span``."""

    file: int
    path: str
    span: Span
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.span.start.line}:{self.span.start.column}: {self.message}"


class Example(NamedTuple):
    """A text of a rule's ``examples``, and where it is written (``file:line:column``)."""

    valid: bool
    text: str
    where: str


def load_rule_files(paths: Sequence[Path]) -> CustomRules:
    """The rules of ``paths``, or ConfigProblem listing every problem found in them."""
    from jobframe_lint.loader import load_bytes
    from jobframe_lint.schema import validate_as

    problems: list[Problem] = []
    origins: dict[str, str] = {}
    compiled: list[tuple[Declared, Rule, tuple[Example, ...]]] = []
    digests: list[str] = []
    for number, path in enumerate(paths):
        try:
            raw = path.read_bytes()
        except OSError as error:
            raise ConfigProblem(f"{path}: cannot read: {error.strerror or error}") from None
        digests.append(hashlib.sha1(raw, usedforsecurity=False).hexdigest())
        document = load_bytes(raw, str(path))
        found = [*_loading_problems(document), *validate_as(document, "rules")]
        problems.extend(Problem(number, item.path, item.span, item.message) for item in found)
        if found or document.data is None:
            continue
        for index, body in enumerate(document.data["rules"]):
            reader = _Reader(document, number, ("rules", index), problems)
            result = reader.rule(body, origins)
            if result is not None:
                compiled.append(result)
    if problems:  # in the order they are found in the files
        raise ConfigProblem(*(str(problem) for problem in sorted(problems)))
    return _assembled(compiled, "\0".join(digests))


def _loading_problems(document: Document) -> list[Diagnostic]:
    """What the loader found, less its warning about keys YAML 1.1 reads as booleans: that
    guards canon read by other tools, and a rules file's ``on:`` (read as the text "on",
    as written) is read by jobframe-lint alone."""
    if document.data is None:
        return document.diagnostics
    return [item for item in document.diagnostics if item.code != "JF002"]


def _assembled(
    compiled: list[tuple[Declared, Rule, tuple[Example, ...]]], fingerprint: str
) -> CustomRules:
    per_file: list[Check] = []
    cross_file: list[Check] = []
    collectors: list[UniqueInCanon] = []
    for declared, _, _ in compiled:
        if declared.unit:
            per_file.append(UnitCheck(declared))
            continue
        local = declared.assertions.unique in ("level", "family")
        if local or any(
            getattr(declared.assertions, _attr(key)) is not None for key in TEXT_ASSERTIONS
        ):
            per_file.append(TextCheck(declared))
        if declared.assertions.unique == "canon":
            unique = UniqueInCanon(declared)
            cross_file.append(unique)
            collectors.append(unique)
    return CustomRules(
        [entry for _, entry, _ in compiled],
        per_file,
        cross_file,
        collectors,
        fingerprint,
        [(declared, examples) for declared, _, examples in compiled if examples],
    )


def _attr(key: str) -> str:
    return key.replace("-", "_")


class _Reader:
    """Checks and compiles one rule of a file, noting each problem at its place."""

    def __init__(
        self, document: Document, number: int, path: FieldPath, problems: list[Problem]
    ) -> None:
        self.document = document
        self.number = number
        self.path = path
        self.problems = problems

    def complain(self, where: FieldPath, message: str, key: bool = False) -> None:
        found = self.document.locate((*self.path, *where))
        span = found.anchor if key else found.value
        name = field_name((*self.path, *where))
        self.problems.append(Problem(self.number, self.document.path, span, f"{name}: {message}"))

    def place(self, where: FieldPath = ()) -> str:
        span = self.document.locate((*self.path, *where)).value
        return f"{self.document.path}:{span.start.line}:{span.start.column}"

    def rule(
        self, body: Mapping[str, Any], origins: dict[str, str]
    ) -> tuple[Declared, Rule, tuple[Example, ...]] | None:
        before = len(self.problems)
        code: str = body["code"]
        if code.startswith(RESERVED_PREFIX):
            self.complain(
                ("code",),
                f"{code}: the {RESERVED_PREFIX} prefix is reserved for jobframe-lint's own rules",
            )
        elif code in origins:
            self.complain(("code",), f"{code} is already defined at {origins[code]}")
        origins.setdefault(code, self.place())
        subject: str = body["on"]
        given: Mapping[str, Any] = body["assert"]
        unit = self._shape(subject, given)
        where = tuple(self._where(subject, body.get("where", {})))
        assertions = self._assertions(given)
        message = body.get("message")
        if message is not None:
            self._template(subject, message)
        examples = tuple(self._examples(body.get("examples", {}), unit, given))
        if len(self.problems) > before or assertions is None:
            return None
        severity = Severity(body.get("severity", "warning"))
        declared = Declared(
            code, body["name"], severity, body["summary"], subject, where, assertions, message, unit
        )
        entry = Rule(
            code=code,
            name=body["name"],
            severity=severity,
            summary=body["summary"],
            explanation=body.get("explanation", body["summary"]),
            example=self._source(),
            origin=self.place(),
        )
        return declared, entry, examples

    def _shape(self, subject: str, given: Mapping[str, Any]) -> bool:
        """Whether the rule reads units; complains of assertions that do not fit ``on``."""
        unit_keys = UNIT_ASSERTIONS.get(subject, ())
        is_unit = subject == "family-level" or any(key in given for key in unit_keys)
        for key in given:
            if is_unit and key not in unit_keys:
                expected = ", ".join(unit_keys)
                self.complain(
                    ("assert", key),
                    f"'{key}' does not apply to on: {subject} as a unit (it takes {expected})",
                    key=True,
                )
            elif not is_unit and key not in (*TEXT_ASSERTIONS, "unique"):
                units = [name for name, keys in UNIT_ASSERTIONS.items() if key in keys]
                self.complain(
                    ("assert", key),
                    f"'{key}' applies to on: {units[0]}, not to on: {subject}",
                    key=True,
                )
        scope = given.get("unique")
        if scope is not None and subject not in SCOPES[scope]:
            self.complain(
                ("assert", "unique"),
                f"unique: {scope} does not apply to on: {subject} "
                f"(it compares the texts of one {scope}: on {', '.join(SCOPES[scope])})",
            )
        return is_unit

    def _where(
        self, subject: str, filters: Mapping[str, str]
    ) -> Iterator[tuple[str, re.Pattern[str]]]:
        for name, regex in filters.items():
            applies = (
                subject in (*FAMILY_TEXTS, *UNITS)
                if name in ("family", "function")
                else subject in HAS_LEVEL
            )
            if not applies:
                self.complain(("where", name), f"does not apply to on: {subject}", key=True)
                continue
            pattern = self._regex(("where", name), regex)
            if pattern is not None:
                yield name, pattern

    def _regex(self, where: FieldPath, regex: str) -> re.Pattern[str] | None:
        try:
            return re.compile(regex)
        except re.error as error:
            problem = f"{error.msg} at position {error.pos}"
        except (OverflowError, RecursionError) as error:  # a repeat count or nesting too large
            problem = str(error) or type(error).__name__
        self.complain(where, f"not a valid regular expression: {problem}")
        return None

    def _assertions(self, given: Mapping[str, Any]) -> Assertions | None:
        values: dict[str, Any] = {}
        for key, value in given.items():
            if key in ("matches", "not-matches"):
                values[_attr(key)] = self._regex(("assert", key), value)
                if values[_attr(key)] is None:
                    return None
            elif isinstance(value, list):
                values[_attr(key)] = tuple(value)
            else:
                values[_attr(key)] = value
        for low, high in (
            ("min-length", "max-length"),
            ("min-words", "max-words"),
            ("min-responsibilities", "max-responsibilities"),
        ):
            if low in given and high in given and given[low] > given[high]:
                self.complain(
                    ("assert", low),
                    f"{given[low]} is more than {high} ({given[high]}): nothing could pass",
                )
        return Assertions(**values)

    def _template(self, subject: str, message: str) -> None:
        try:
            fields = [
                (name, spec)
                for _, name, spec, _ in string.Formatter().parse(message)
                if name is not None
            ]
        except ValueError as error:
            self.complain(
                ("message",), f"not a valid message: {error} (write {{{{ and }}}} for braces)"
            )
            return
        for name, spec in fields:
            if name not in MESSAGE_FIELDS:
                close = closest(name, MESSAGE_FIELDS)
                hint = (
                    f"; did you mean {{{close}}}?"
                    if close
                    else f"; expected {', '.join(f'{{{field}}}' for field in MESSAGE_FIELDS)}"
                )
                self.complain(("message",), f"unknown field {{{name}}}{hint}")
            elif name == "family" and subject not in (*FAMILY_TEXTS, *UNITS):
                self.complain(("message",), f"{{family}} cannot be filled in for on: {subject}")
            elif name == "level" and subject not in HAS_LEVEL:
                self.complain(("message",), f"{{level}} cannot be filled in for on: {subject}")
            elif spec and "{" in spec:
                self.complain(("message",), f"{{{name}}}: nested fields are not supported")
            else:
                try:  # a format spec strings cannot take (``{value:d}``) fails here, not later
                    message.format_map(dict.fromkeys(MESSAGE_FIELDS, "text"))
                except ValueError as error:
                    self.complain(("message",), f"{{{name}}}: {error}")
                    return

    def _examples(
        self, examples: Mapping[str, list[str]], unit: bool, given: Mapping[str, Any]
    ) -> Iterator[Example]:
        if not examples:
            return
        if unit or not any(key in given for key in TEXT_ASSERTIONS):
            self.complain(
                ("examples",),
                "examples are texts checked against the text assertions "
                f"({', '.join(TEXT_ASSERTIONS)}): this rule has none",
                key=True,
            )
            return
        for kind in ("valid", "invalid"):
            for index, text in enumerate(examples.get(kind, [])):
                yield Example(kind == "valid", text, self.place(("examples", kind, index)))

    def _source(self) -> str:
        """The rule as written in its file: what ``rules CODE`` shows."""
        text = self.document.text or ""
        span = self.document.locate(self.path).value
        lines = text.splitlines()[span.start.line - 1 : span.end.line]
        if lines and not lines[-1][: span.end.column - 1].strip():
            lines.pop()  # the mapping ends where the next item starts
        if not lines:
            return ""
        lines[0] = " " * (span.start.column - 1) + lines[0][span.start.column - 1 :]
        return textwrap.dedent("\n".join(lines)).strip("\n").rstrip()
