"""``per-file-ignores`` globs, matched in time linear in the path whatever the glob.

A glob turned into a regular expression backtracks: ``**/`` written 14 times took minutes
against a path 16 folders deep, and ``*a*a*a*b`` does the same within one long file name.
Here a glob is a small automaton, and matching follows every way through it at once
(Thompson's construction): each character of the path is looked at once.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable
from typing import NamedTuple

_TOKENS = re.compile(r"\*\*/|\*\*|\*|\?|\[[^\]]*\]|[^*?\[]|\[")


class GlobError(ValueError):
    """A glob that cannot be read; the message says why."""


class _Step(NamedTuple):
    """Consumes one character ``accepts`` allows, moving on (``stay`` False) or staying;
    or, with ``accepts`` None, moves on without consuming, also to ``skip_to``."""

    accepts: re.Pattern[str] | str | None
    stay: bool = False
    skip_to: int = -1


_ANY = re.compile(r".", re.DOTALL)
_ANY_BUT_SLASH = re.compile(r"[^/]")


class Glob:
    """``**/`` spans folders, ``*`` and ``?`` stay within one, ``[...]`` is a character class
    (``[!...]`` negated).

    The sets of automaton states a path passes through are numbered as they are met, with
    the set each character leads to (a DFA built lazily, as RE2 does): a run asks about
    thousands of paths alike, and after the first few each character costs one lookup.
    """

    def __init__(self, pattern: str) -> None:
        self.pattern = pattern
        self.steps = _compile(pattern)
        # The literal text the glob starts and ends with: most paths a run asks about fail
        # on one of them (``canon/legacy/*.yaml``), without going through the automaton.
        tokens = _TOKENS.findall(pattern)
        self.prefix = "".join(_literals(tokens))
        whole = self.prefix == pattern
        self.suffix = "" if whole else "".join(reversed(_literals(reversed(tokens))))
        self._sets: list[frozenset[int]] = []
        self._numbers: dict[frozenset[int], int] = {}
        self._moves: dict[tuple[int, str], int] = {}
        self._start = self._number(_closure(self.steps, {0}))

    def matches(self, text: str) -> bool:
        if not text.startswith(self.prefix) or not text.endswith(self.suffix):
            return False
        if len(self._moves) > _MOST_MOVES:  # paths of every character: start afresh
            self._moves.clear()
        moves = self._moves
        state = self._start
        for character in text:
            following = moves.get((state, character))
            if following is None:
                reached = _step(self.steps, self._sets[state], character)
                following = moves[state, character] = self._number(reached)
            if following == _NOWHERE:
                return False
            state = following
        return len(self.steps) in self._sets[state]

    def _number(self, states: frozenset[int]) -> int:
        if not states:
            return _NOWHERE
        number = self._numbers.get(states)
        if number is None:
            number = self._numbers[states] = len(self._sets)
            self._sets.append(states)
        return number


_NOWHERE = -1
# Bounds the memory of one glob's lookups: far more than a canon's paths need.
_MOST_MOVES = 100_000


def _literals(tokens: Iterable[str]) -> list[str]:
    """The leading tokens that stand for themselves."""
    found = []
    for token in tokens:
        if token in ("**/", "**", "*", "?") or (token.startswith("[") and len(token) > 2):
            break
        found.append(token)
    return found


def _compile(pattern: str) -> tuple[_Step, ...]:
    steps: list[_Step] = []
    for token in _TOKENS.findall(pattern):
        if token == "**/":
            # ``(?:.*/)?``: nothing, or anything that ends with a slash.
            end = len(steps) + 3
            steps.extend([_Step(None, skip_to=end), _Step(_ANY, stay=True), _Step("/")])
        elif token == "**":
            steps.append(_Step(_ANY, stay=True))
        elif token == "*":
            steps.append(_Step(_ANY_BUT_SLASH, stay=True))
        elif token == "?":
            steps.append(_Step(_ANY_BUT_SLASH))
        elif token.startswith("[") and len(token) > 2:
            steps.append(_Step(_character_class(token)))
        else:  # one character, or the two of an empty ``[]``
            steps.extend(_Step(character) for character in token)
    return tuple(steps)


def _character_class(token: str) -> re.Pattern[str]:
    members = token[1:-1].replace("\\", "\\\\")
    if members.startswith("!"):
        members = "^" + members[1:]
    try:
        # Python warns of what later versions will read otherwise (``[[:alpha:]]``).
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            return re.compile(f"[{members}]")
    except (re.error, FutureWarning) as error:
        raise GlobError(f"{token}: {error}") from None


def _step(steps: tuple[_Step, ...], states: frozenset[int], character: str) -> frozenset[int]:
    """The states ``character`` leads to from ``states``."""
    following = set()
    for at in states:
        if at == len(steps):
            continue
        accepts = steps[at].accepts
        if accepts is None:
            continue
        if isinstance(accepts, str):
            if accepts == character:
                following.add(at + 1)
        elif accepts.fullmatch(character):
            following.add(at if steps[at].stay else at + 1)
    return _closure(steps, following)


def _closure(steps: tuple[_Step, ...], states: set[int]) -> frozenset[int]:
    """``states`` and every state reached from them without consuming a character."""
    found = set(states)
    pending = list(states)
    while pending:
        at = pending.pop()
        if at == len(steps):
            continue
        step = steps[at]
        moves = []
        if step.stay:  # zero characters of a star
            moves.append(at + 1)
        if step.accepts is None:
            moves.extend([at + 1, step.skip_to])
        for move in moves:
            if move not in found:
                found.add(move)
                pending.append(move)
    return frozenset(found)
