"""Declarative rules at work: what each rule reads of the canon, and what it asserts of it.

A rule reads texts (``on: responsibility``: every responsibility, with the family, function
and level it belongs to) or units (``on: family-level``: every level of every family) and
reports each that an assertion fails for, at the text's own span (at the very characters
a ``not-matches`` pattern found, where the source shows them as they are) or a unit's key.
"""

from __future__ import annotations

import bisect
import hashlib
import itertools
import marshal
import math
import re
from collections.abc import Iterator, Sequence
from typing import NamedTuple

from jobframe_lint.canon import (
    RUBRIC_COMPLEXITY,
    RUBRIC_KNOWLEDGE,
    Canon,
    Family,
    FamilyLevel,
    Text,
)
from jobframe_lint.custom.prefilter import matching
from jobframe_lint.diagnostics import Diagnostic, Severity
from jobframe_lint.document import Document, FieldPath, Positions, RawSpan
from jobframe_lint.rules.common import inner_span, plural, quoted_list, same_text

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


# (family | function | level, regex): all must be found for a text to be read.
Filters = tuple[tuple[str, re.Pattern[str]], ...]


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
    where: Filters
    assertions: Assertions
    message: str | None
    unit: bool


class Subject(NamedTuple):
    """A text or unit a rule reports on, with what its messages need: the family's name
    and the level's code, where it has them."""

    text: Text
    family: str | None
    level: str | None


def filtered_out(where: Filters, family: Family | None, level: str | None) -> bool:
    """Whether the texts of ``family`` and ``level`` fail one of the ``where`` filters."""
    for name, pattern in where:
        if name == "family":
            value = family.name.value if family else None
        elif name == "function":
            function = family.function if family else None
            value = function.value if function else None
        else:
            value = level
        if value is None or pattern.search(value) is None:
            return True
    return False


def groups(canon: Canon, subject: str) -> Iterator[tuple[Family | None, str | None, list[Text]]]:
    """The texts ``subject`` names, in file order, grouped by the family and level they
    belong to (the filters' and messages' context): a canon has ~150,000 texts, and going
    through them a list at a time keeps the cost of each to its assertions."""
    if subject in GUIDE_TEXTS:
        for guide in canon.guides:
            if subject == "dimension":
                yield None, None, guide.dimensions
                continue
            for level in guide.levels:
                if subject == "level-title":
                    if level.title is not None:
                        yield None, level.code.value, [level.title]
                else:
                    yield None, level.code.value, [bar for _, bar in level.bars]
        return
    rubric = subject.partition(":")[2]
    for family in canon.families:
        if subject == "family":
            yield family, None, [family.name]
        elif subject == "function":
            if family.function is not None:
                yield family, None, [family.function]
        elif subject == "responsibility":
            for family_level in family.levels:
                yield family, family_level.code.value, family_level.responsibilities
        else:
            for family_level in family.levels:
                rubrics = family_level.rubrics
                code = family_level.code.value
                if not rubric:
                    yield family, code, list(rubrics.values())
                elif rubric in rubrics:
                    yield family, code, [rubrics[rubric]]


def text_problems(assertions: Assertions, values: Sequence[str]) -> Iterator[Problem]:
    """What is wrong with each of ``values`` on its own: (its index, the message's words
    before and after the text's field name, the match it is about, if any).

    A rule asks it once about every text it reads (~100,000 responsibilities in a large
    canon): each test the rule makes goes through the whole list in one comprehension,
    and the usual text, which passes, costs nothing more.
    """
    if assertions.matches is not None:
        matched = set(matching(assertions.matches, values))
        after = f" does not match {assertions.matches.pattern!r}"
        yield from (
            (index, "", after, None) for index in range(len(values)) if index not in matched
        )
    forbidden = assertions.not_matches
    if forbidden is not None:
        for index in matching(forbidden, values):  # only the texts a search finds are listed
            for match in forbidden.finditer(values[index]):
                if match.group():
                    yield index, f'"{match.group()}" is not allowed in ', "", match
    if assertions.min_length is not None or assertions.max_length is not None:
        low = assertions.min_length or 0
        high = math.inf if assertions.max_length is None else assertions.max_length
        odd = [
            (index, len(value))
            for index, value in enumerate(values)
            if not low <= len(value) <= high
        ]
        yield from _counted(odd, "character", assertions.min_length, assertions.max_length)
    # Counting a text's first few words tells whether it has enough (or too many); only the
    # texts out of bounds are counted in full, for the message.
    least, most = assertions.min_words, assertions.max_words
    if least is not None:
        few = [
            (index, len(value.split()))
            for index, value in enumerate(values)
            if len(value.split(None, least)) < least
        ]
        yield from _counted(few, "word", least, None)
    if most is not None:
        many = [
            (index, len(value.split()))
            for index, value in enumerate(values)
            if len(value.split(None, most)) > most
        ]
        yield from _counted(many, "word", None, most)
    if assertions.one_of is not None:
        allowed = frozenset(assertions.one_of)
        after = f" is not one of {quoted_list(list(assertions.one_of))}"
        yield from (
            (index, "", after, None) for index, value in enumerate(values) if value not in allowed
        )


# A text's problem: its index, the message's words before and after its field name, and
# the match it is about.
Problem = tuple[int, str, str, "re.Match[str] | None"]


def _counted(
    counted: list[tuple[int, int]], noun: str, least: int | None, most: int | None
) -> Iterator[Problem]:
    """A problem for each (index, count) out of bounds."""
    for index, found in counted:
        if least is not None and found < least:
            yield index, "", f" is {plural(found, noun)}, fewer than {least}", None
        if most is not None and found > most:
            yield index, "", f" is {plural(found, noun)}, more than {most}", None


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
        assertions = rule.assertions
        read = [
            (family, level, texts)
            for family, level, texts in groups(canon, rule.subject)
            if not (rule.where and filtered_out(rule.where, family, level))
        ]
        values = [text.value for _, _, texts in read for text in texts]
        # Where each group's texts start among ``values``: a text's group is looked up
        # for the few that fail, rather than noted beside each of ~100,000.
        starts = list(itertools.accumulate((len(texts) for _, _, texts in read), initial=0))
        for index, before, after, match in text_problems(assertions, values):
            number = bisect.bisect_right(starts, index) - 1
            family, level, texts = read[number]
            text = texts[index - starts[number]]
            subject = Subject(text, _name(family), level)
            yield _finding(rule, subject, f"{before}{text.field}{after}", match)
        if assertions.unique in ("level", "family"):
            seen: dict[tuple[str, str | None, str], Text] = {}
            for family, level, texts in read:
                scope = level if assertions.unique == "level" else None
                for text in texts:
                    earlier = seen.setdefault((text.path, scope, same_text(text.value)), text)
                    if earlier is not text:
                        subject = Subject(text, _name(family), level)
                        yield _repeat(rule, subject, earlier, f"this {assertions.unique}")


# What ``UniqueInCanon`` gathers of a file: its texts' comparison keys, one after the other,
# the marshalled (value, field path, position) of each, and the root's field path.
Gathered = tuple[bytes, bytes, FieldPath]
# The size of a comparison key: 128 bits, so no two texts share one.
KEY_SIZE = 16


class UniqueInCanon(_RuleCheck):
    """``unique: canon``: compares texts of every file, every run.

    What it compares is gathered file by file (``collect``, with the per-file rules, so in
    worker processes and into the cache), into the file's outline under ``key``. A run then
    compares those, parsing no file the cache answers for; a file read in full (render,
    ``--fix``) is gathered on the spot.
    """

    @property
    def key(self) -> str:
        """The outline key of this rule's texts: not a key a canon file can have."""
        return f"\0{self.rule.code}"

    def collect(self, canon: Canon) -> dict[str, list[Gathered]]:
        """One item a file: its texts' comparison keys (digests) as one string of bytes, and
        each text's value (if the message quotes it), field path and position, marshalled.

        ~100,000 texts go through the cache and from worker processes every run, and all
        but the repeats are only compared: two byte strings a file load at once, and only
        a file holding a repeat has the rest loaded. (The root is the item's field path: a
        text's own position travels with it, not in the outline's positions.)
        """
        rule = self.rule
        quoted = rule.message is not None and "{value" in rule.message
        texts_of: dict[str, list[Text]] = {}
        for family, level, texts in groups(canon, rule.subject):
            if texts and not (rule.where and filtered_out(rule.where, family, level)):
                texts_of.setdefault(texts[0].path, []).extend(texts)
        return {
            path: [
                (
                    b"".join(_digest(text.value) for text in texts),
                    marshal.dumps(
                        [
                            (
                                text.value if quoted else "",
                                text.where,
                                text.document.positions.raw.get(text.where),
                            )
                            for text in texts
                        ]
                    ),
                    (),
                )
            ]
            for path, texts in texts_of.items()
        }

    def __call__(self, canon: Canon) -> Iterator[Diagnostic]:
        gathered = [
            (document, item)
            for document in canon.documents
            if document.data is not None and isinstance(items := document.data.get(self.key), list)
            for item in items
        ]
        has = {document.path for document, _ in gathered}
        missing = Canon(
            [document for document in canon.documents if document.path not in has],
            [guide for guide in canon.guides if guide.path not in has],
            [family for family in canon.families if family.path not in has],
        )
        by_path = {document.path: document for document in missing.documents}
        gathered.extend(
            (by_path[path], item) for path, items in self.collect(missing).items() for item in items
        )
        gathered.sort(key=lambda entry: entry[0].path)
        keys = b"".join(item[0] for _, item in gathered)
        numbered = [keys[start : start + KEY_SIZE] for start in range(0, len(keys), KEY_SIZE)]
        if len(set(numbered)) == len(numbered):
            return  # no text repeats another: the usual canon
        first = dict(zip(reversed(numbered), range(len(numbered) - 1, -1, -1), strict=True))
        places = _Places(gathered)
        for number, same in enumerate(numbered):
            earliest = first[same]
            if earliest != number:  # texts are made only for the few repeats
                text, family = places.text(number)
                earlier, _ = places.text(earliest)
                subject = Subject(text, family, _level_of(text.where))
                yield _repeat(self.rule, subject, earlier, "the canon")


class _Places:
    """The texts of what ``UniqueInCanon`` gathered, by their number across the canon,
    each file's details loaded when one of its texts is first asked for."""

    def __init__(self, gathered: list[tuple[Document, Gathered]]) -> None:
        self.gathered = gathered
        self.starts = list(
            itertools.accumulate((len(item[0]) // KEY_SIZE for _, item in gathered), initial=0)
        )
        self.loaded: dict[int, list[tuple[str, FieldPath, RawSpan | None]]] = {}

    def text(self, number: int) -> tuple[Text, str | None]:
        """The ``number``-th text, placed in its file, and the family it belongs to."""
        file = bisect.bisect_right(self.starts, number) - 1
        document, (_, details, _) = self.gathered[file]
        if file not in self.loaded:
            self.loaded[file] = marshal.loads(details)
        value, where, raw = self.loaded[file][number - self.starts[file]]
        positions = dict(document.positions.raw)
        if raw is not None:
            positions[where] = raw
        placed = Document(document.path, document.text, document.data, Positions(positions))
        return Text(value, document.path, where, placed), _family_of(document)


def _name(family: Family | None) -> str | None:
    return family.name.value if family is not None else None


def _family_of(document: Document) -> str | None:
    name = document.data.get("family") if document.data is not None else None
    return name if isinstance(name, str) and document.kind == "family" else None


def _level_of(where: FieldPath) -> str | None:
    """``P3`` of ``levels.P3.responsibilities[2]``."""
    return str(where[1]) if len(where) > 2 and where[0] == "levels" else None


class UnitCheck(_RuleCheck):
    """``on: family`` (levels-include) and ``on: family-level`` rules."""

    def __call__(self, canon: Canon) -> Iterator[Diagnostic]:
        rule = self.rule
        assertions = rule.assertions
        for family in canon.families:
            if rule.subject == "family":
                if rule.where and filtered_out(rule.where, family, None):
                    continue
                subject = Subject(_key(family.name), family.name.value, None)
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
                subject = Subject(family_level.code, family.name.value, family_level.code.value)
                if rule.where and filtered_out(rule.where, family, subject.level):
                    continue
                yield from self._level(canon, subject, family, family_level)

    def _level(
        self, canon: Canon, subject: Subject, family: Family, family_level: FamilyLevel
    ) -> Iterator[Diagnostic]:
        rule, assertions = self.rule, self.rule.assertions
        code = subject.level
        count, rubrics = len(family_level.responsibilities), family_level.rubrics
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
            elif needed == "function" and family.function is None:
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


def _digest(value: str) -> bytes:
    """Names ``value`` case and spacing aside (see ``KEY_SIZE``)."""
    encoded = same_text(value).encode("utf-8", "surrogatepass")
    return hashlib.blake2b(encoded, digest_size=KEY_SIZE).digest()


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
        "family": subject.family or "",
        "level": subject.level or "",
        "field": text.field,
    }
    message = default if rule.message is None else rule.message.format_map(values)
    span = text.span
    if match is not None:
        span = inner_span(text.document, text, match.start(), match.end() - match.start())
    return Diagnostic(text.path, span, rule.code, message, rule.severity, related=related)
