"""Declarative rules at work: what each rule reads of the canon, and what it asserts of it.

A rule reads texts (``on: responsibility``: every responsibility, with the family, function
and level it belongs to) or units (``on: family-level``: every level of every family) and
reports each that an assertion fails for, at the text's own span (at the very characters
a ``not-matches`` pattern found, where the source shows them as they are) or a unit's key.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

from jobframe_lint.canon import RUBRIC_COMPLEXITY, RUBRIC_KNOWLEDGE, Canon, Family, Text
from jobframe_lint.diagnostics import Diagnostic, Severity
from jobframe_lint.rules.common import inner_span, plural, quoted_list

# The ``on`` subjects: texts of a family file, texts of a level guide, and units.
RUBRICS = ("rubric", *(f"rubric:{key}" for key in (RUBRIC_COMPLEXITY, RUBRIC_KNOWLEDGE)))
FAMILY_TEXTS = ("family", "function", "responsibility", *RUBRICS)
GUIDE_TEXTS = ("level-title", "dimension", "dimension-bar")
UNITS = ("family", "family-level")
# Assertions about one text, and about a unit (``unique`` compares texts with each other).
TEXT_ASSERTIONS = (
    "matches",
    "not-matches",
    "min-length",
    "max-length",
    "min-words",
    "max-words",
    "one-of",
)
UNIT_ASSERTIONS = {
    "family": ("levels-include",),
    "family-level": ("min-responsibilities", "max-responsibilities", "requires"),
}
# The subjects that belong to a level: ``where: {level: ...}`` and ``{level}`` apply.
HAS_LEVEL = ("responsibility", *RUBRICS, "level-title", "dimension-bar", "family-level")
# What ``unique`` can compare: the texts of one level, of one file, of the whole canon.
SCOPES = {
    "level": ("responsibility", *RUBRICS, "dimension-bar"),
    "family": ("responsibility", *RUBRICS, *GUIDE_TEXTS),
    "canon": (*FAMILY_TEXTS, *GUIDE_TEXTS),
}
MESSAGE_FIELDS = ("value", "match", "family", "level", "field")


class Assertions(NamedTuple):
    matches: re.Pattern[str] | None = None
    not_matches: re.Pattern[str] | None = None
    min_length: int | None = None
    max_length: int | None = None
    min_words: int | None = None
    max_words: int | None = None
    one_of: tuple[str, ...] | None = None
    unique: str | None = None
    levels_include: tuple[str, ...] = ()
    min_responsibilities: int | None = None
    max_responsibilities: int | None = None
    requires: tuple[str, ...] = ()


class Declared(NamedTuple):
    """A rule of a rules file, checked and compiled (see ``ruleset``)."""

    code: str
    name: str
    severity: Severity
    summary: str
    subject: str
    # (family | function | level, regex): all must be found for a text to be read.
    where: tuple[tuple[str, re.Pattern[str]], ...]
    assertions: Assertions
    message: str | None
    unit: bool


class Subject(NamedTuple):
    """A text or unit a rule reads, with what its filters and messages need."""

    text: Text
    family: Family | None
    level: str | None

    def filtered_out(self, where: tuple[tuple[str, re.Pattern[str]], ...]) -> bool:
        for name, pattern in where:
            if name == "family":
                value = self.family.name.value if self.family else None
            elif name == "function":
                function = self.family.function if self.family else None
                value = function.value if function else None
            else:
                value = self.level
            if value is None or pattern.search(value) is None:
                return True
        return False


def texts(canon: Canon, subject: str) -> Iterator[Subject]:
    """Every text ``subject`` names, in file order."""
    if subject in GUIDE_TEXTS:
        for guide in canon.guides:
            if subject == "dimension":
                yield from (Subject(text, None, None) for text in guide.dimensions)
                continue
            for level in guide.levels:
                code = level.code.value
                if subject == "level-title" and level.title is not None:
                    yield Subject(level.title, None, code)
                elif subject == "dimension-bar":
                    yield from (Subject(bar, None, code) for _, bar in level.bars)
        return
    rubric = subject.partition(":")[2]
    for family in canon.families:
        if subject == "family":
            yield Subject(family.name, family, None)
        elif subject == "function":
            if family.function is not None:
                yield Subject(family.function, family, None)
        elif subject == "responsibility":
            for family_level in family.levels:
                code = family_level.code.value
                yield from (Subject(text, family, code) for text in family_level.responsibilities)
        else:
            for family_level in family.levels:
                code = family_level.code.value
                for key, text in family_level.rubrics.items():
                    if not rubric or key == rubric:
                        yield Subject(text, family, code)


def text_problems(
    assertions: Assertions, value: str, field: str
) -> Iterator[tuple[str, re.Match[str] | None]]:
    """What is wrong with ``value`` (the text at ``field``) on its own, each with the match
    it is about, if any."""
    if assertions.matches is not None and assertions.matches.search(value) is None:
        yield f"{field} does not match {assertions.matches.pattern!r}", None
    if assertions.not_matches is not None:
        for match in assertions.not_matches.finditer(value):
            if match.group():
                yield f'"{match.group()}" is not allowed in {field}', match
    length, words = len(value), len(value.split())
    if assertions.min_length is not None and length < assertions.min_length:
        yield f"{field} is {plural(length, 'character')}, fewer than {assertions.min_length}", None
    if assertions.max_length is not None and length > assertions.max_length:
        yield f"{field} is {plural(length, 'character')}, more than {assertions.max_length}", None
    if assertions.min_words is not None and words < assertions.min_words:
        yield f"{field} is {plural(words, 'word')}, fewer than {assertions.min_words}", None
    if assertions.max_words is not None and words > assertions.max_words:
        yield f"{field} is {plural(words, 'word')}, more than {assertions.max_words}", None
    if assertions.one_of is not None and value not in assertions.one_of:
        yield f"{field} is not one of {quoted_list(list(assertions.one_of))}", None


class _RuleCheck:
    """A check made of a declared rule: what the run calls with the canon (and pickles to
    worker processes)."""

    __slots__ = ("rule",)

    def __init__(self, rule: Declared) -> None:
        self.rule = rule


class TextCheck(_RuleCheck):
    """The per-file half of a text rule: each text alone, and ``unique`` within a level or
    a file."""

    def __call__(self, canon: Canon) -> Iterator[Diagnostic]:
        rule = self.rule
        seen: dict[tuple[str, str | None, str], Text] = {}
        local = rule.assertions.unique in ("level", "family")
        for subject in texts(canon, rule.subject):
            if rule.where and subject.filtered_out(rule.where):
                continue
            text = subject.text
            for message, match in text_problems(rule.assertions, text.value, text.field):
                yield _finding(rule, subject, message, match)
            if local:
                level = subject.level if rule.assertions.unique == "level" else None
                earlier = seen.setdefault((text.path, level, _same(text.value)), text)
                if earlier is not text:
                    yield _repeat(rule, subject, earlier, f"this {rule.assertions.unique}")


class UniqueInCanon(_RuleCheck):
    """``unique: canon``: runs over the whole canon every run, each file in outline."""

    def __call__(self, canon: Canon) -> Iterator[Diagnostic]:
        rule = self.rule
        found = [
            subject
            for subject in texts(canon, rule.subject)
            if not (rule.where and subject.filtered_out(rule.where))
        ]
        found.sort(key=lambda subject: subject.text.path)  # stable: file order within a file
        seen: dict[str, Text] = {}
        for subject in found:
            earlier = seen.setdefault(_same(subject.text.value), subject.text)
            if earlier is not subject.text:
                yield _repeat(rule, subject, earlier, "the canon")


class UnitCheck(_RuleCheck):
    """``on: family`` (levels-include) and ``on: family-level`` rules."""

    def __call__(self, canon: Canon) -> Iterator[Diagnostic]:
        rule = self.rule
        assertions = rule.assertions
        for family in canon.families:
            if rule.subject == "family":
                subject = Subject(_key(family.name), family, None)
                if rule.where and subject.filtered_out(rule.where):
                    continue
                present = {family_level.code.value for family_level in family.levels}
                missing = [code for code in assertions.levels_include if code not in present]
                if missing:
                    noun = "level" if len(missing) == 1 else "levels"
                    yield _finding(
                        rule,
                        subject,
                        f'family "{family.name.value}" has no {noun} {", ".join(missing)}',
                    )
                continue
            for family_level in family.levels:
                subject = Subject(family_level.code, family, family_level.code.value)
                if rule.where and subject.filtered_out(rule.where):
                    continue
                yield from self._level(
                    canon, subject, len(family_level.responsibilities), family_level.rubrics
                )

    def _level(
        self, canon: Canon, subject: Subject, count: int, rubrics: dict[str, Text]
    ) -> Iterator[Diagnostic]:
        rule, assertions = self.rule, self.rule.assertions
        code = subject.level
        listed = plural(count, "responsibility", "responsibilities")
        if assertions.min_responsibilities is not None and count < assertions.min_responsibilities:
            yield _finding(
                rule,
                subject,
                f"{code} lists {listed}, fewer than {assertions.min_responsibilities}",
            )
        if assertions.max_responsibilities is not None and count > assertions.max_responsibilities:
            yield _finding(
                rule, subject, f"{code} lists {listed}, more than {assertions.max_responsibilities}"
            )
        for needed in assertions.requires:
            if needed.startswith("rubric:") and needed[7:] not in rubrics:
                yield _finding(rule, subject, f'{code} has no "{needed[7:]}" rubric')
            elif needed == "function" and subject.family and subject.family.function is None:
                yield _finding(rule, subject, f"{code}'s family has no function")
            elif needed == "title":
                found = canon.find_level(code or "")
                if found is not None and found[1].title is None:
                    guide = found[0].path
                    yield _finding(
                        rule,
                        subject,
                        f"{code} has no title in its level guide ({guide})",
                        related=(guide,),
                    )


def _key(text: Text) -> Text:
    """The key of a top-level text (``family:``): a unit's finding points at it."""
    return text._replace(is_key=True)


def _same(value: str) -> str:
    """Case and spacing aside, as JF105 compares responsibilities."""
    return " ".join(value.split()).casefold()


def _repeat(rule: Declared, subject: Subject, earlier: Text, scope: str) -> Diagnostic:
    line = earlier.span.start.line  # spans are worked out on demand: only here
    place = f"line {line}" if earlier.path == subject.text.path else f"{earlier.path}:{line}"
    related = () if earlier.path == subject.text.path else (earlier.path,)
    message = f"{subject.text.field} repeats {earlier.field} ({place}) in {scope}"
    return _finding(rule, subject, message, related=related)


def _finding(
    rule: Declared,
    subject: Subject,
    default: str,
    match: re.Match[str] | None = None,
    related: tuple[str, ...] = (),
) -> Diagnostic:
    text = subject.text
    values = {
        "value": text.value,
        "match": match.group() if match else "",
        "family": subject.family.name.value if subject.family else "",
        "level": subject.level or "",
        "field": text.field,
    }
    message = default if rule.message is None else rule.message.format_map(values)
    span = text.span
    if match is not None:
        span = inner_span(text.document, text, match.start(), match.end() - match.start())
    return Diagnostic(text.path, span, rule.code, message, rule.severity, related=related)
