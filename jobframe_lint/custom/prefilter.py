"""Which texts a ``matches``/``not-matches`` pattern can match, found without running it on
each: a pattern is mostly run over every responsibility of a canon (~100,000) and matches
almost none, and Python's regex engine is slow at that, case-insensitive patterns most
(the README's hype words, searched one text at a time: a fifth of a cold check's CPU time).

Most patterns name words: any match contains one of a few literal strings (``rockstar``,
``ninja``, ... for ``(?i)\\b(?:rockstar|ninja|...)\\b``). Those are looked for in all the
ASCII texts at once, lowercased and joined, with ``str.find``; only the texts that contain
one (and any text that is not ASCII) are searched with the pattern. The strings are read
from the pattern's parse tree and must be in every match (see ``_needed``), so a text
left out cannot match: which texts match is exactly what searching each says.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
import sys
from collections.abc import Sequence
from typing import Any, cast

if sys.version_info >= (3, 11):
    from re import _constants as sre
    from re import _parser as parser
else:
    import sre_constants as sre
    import sre_parse as parser

# A set of literal strings, one of which every match contains (lowercased ASCII); empty
# when no ASCII text can match; None when nothing is known.
Needles = frozenset[str] | None
# The separator of the joined texts: a needle holding it is found across two texts, which
# only costs searching them.
SEPARATOR = "\n"
ASCII = [chr(code) for code in range(128)]
# Repeats, and groups that match what their content matches (Python 3.11 has two more).
REPEATS = (sre.MAX_REPEAT, sre.MIN_REPEAT, getattr(sre, "POSSESSIVE_REPEAT", sre.MAX_REPEAT))
ATOMIC = getattr(sre, "ATOMIC_GROUP", sre.SUBPATTERN)
# Flags that decide which characters a literal matches.
CASE_FLAGS = re.IGNORECASE | re.ASCII


def matching(pattern: re.Pattern[str], values: Sequence[str]) -> list[int]:
    """The indexes of ``values`` that ``pattern`` finds a match in, in order."""
    search = pattern.search
    return [index for index in candidates(pattern, values) if search(values[index]) is not None]


def candidates(pattern: re.Pattern[str], values: Sequence[str]) -> Sequence[int]:
    """The indexes of ``values`` that may hold a match of ``pattern``: all but those that
    are ASCII and contain none of the strings its every match contains."""
    needles = needles_of(pattern)
    if needles is None:
        return range(len(values))
    plain: Sequence[int] = range(len(values))
    texts = values
    found: set[int] = set()
    joined = SEPARATOR.join(texts)
    if not joined.isascii():
        plain = [index for index, value in enumerate(values) if value.isascii()]
        found = set(plain).symmetric_difference(range(len(values)))
        texts = [values[index] for index in plain]
        joined = SEPARATOR.join(texts)
    joined = joined.lower()
    starts: list[int] = []  # where each text starts in ``joined``: needed once one is found
    for needle in needles:
        at = joined.find(needle)
        while at >= 0:
            starts = starts or _starts(texts)
            number = bisect.bisect_right(starts, at) - 1
            found.add(plain[number])
            at = joined.find(needle, starts[number + 1])  # the next text on
    return sorted(found)


def _starts(texts: Sequence[str]) -> list[int]:
    """Where each of ``texts`` starts when they are joined, and where a next one would."""
    lengths = itertools.accumulate(map(len, texts), initial=0)
    return [start + number * len(SEPARATOR) for number, start in enumerate(lengths)]


@functools.lru_cache(maxsize=256)
def needles_of(pattern: re.Pattern[str]) -> Needles:
    """The strings one of which every match of ``pattern`` contains, if any are known."""
    try:
        return _needed(parser.parse(pattern.pattern, pattern.flags), pattern.flags)
    # Nesting deeper than this walk goes, or a tree of a shape it does not know (the parser
    # is CPython's own, not a public API): every text is searched.
    except (RecursionError, re.error, AttributeError, IndexError, KeyError, TypeError, ValueError):
        return None


def _needed(sequence: parser.SubPattern, flags: int) -> Needles:
    """What a match of ``sequence`` must contain: the most telling of what one of its
    items must contain, each run of literals being one string (any other item ends a run:
    a zero-width one, a lookahead or ``\\b``, only narrows what matches)."""
    known: list[frozenset[str]] = []
    run = ""
    for op, value in [*sequence.data, (None, None)]:
        folded = _folded(cast(int, value), flags) if op is sre.LITERAL else None
        if folded is not None and len(folded) == 1:
            run += next(iter(folded))
            continue
        if run:
            known.append(frozenset([run]))
            run = ""
        found = frozenset() if folded is not None else _item_needs(op, value, flags)
        if found is not None:
            known.append(found)
    if not known:
        return None
    if frozenset() in known:
        return frozenset()  # one of its items cannot match ASCII text: neither can it
    return max(known, key=lambda needles: min(map(len, needles)))


def _item_needs(op: object, value: Any, flags: int) -> Needles:
    """What a match of a group, repeat or alternation must contain."""
    if op is sre.SUBPATTERN:
        _, added, removed, inner = value
        return _needed(inner, (flags | added) & ~removed)
    if op is ATOMIC:
        return _needed(value, flags)
    if op in REPEATS:
        least, _, inner = value
        return _needed(inner, flags) if least >= 1 else None
    if op is sre.BRANCH:
        found = [_needed(branch, flags) for branch in value[1]]
        if None in found:
            return None
        return frozenset().union(*cast(list[frozenset[str]], found))
    return None


@functools.lru_cache(maxsize=1024)
def _folded(code: int, flags: int) -> frozenset[str] | None:
    """The lowercased ASCII character a literal matches, as the engine matches it (``K``,
    the Kelvin sign, matches ``k`` and ``K`` ignoring case), or none; None for a literal
    matching two (there is none, but then its text would be unknown)."""
    if not flags & re.IGNORECASE:
        return frozenset(chr(code).lower()) if code < len(ASCII) else frozenset()
    literal = re.compile(re.escape(chr(code)), flags & CASE_FLAGS)
    matched = frozenset(character.lower() for character in ASCII if literal.fullmatch(character))
    return matched if len(matched) <= 1 else None
