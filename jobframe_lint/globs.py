"""``per-file-ignores`` globs, matched in time linear in the path whatever the glob.

A glob turned into a regular expression backtracks: ``**/`` written 14 times took minutes
against a path 16 folders deep, and ``*a*a*a*b`` does the same within one long file name.
Here a glob is a small automaton, and matching follows every way through it at once
(Thompson's construction): each character of the path is looked at once per step of the
glob.
"""

from __future__ import annotations

import re
import warnings
from functools import lru_cache
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
    (``[!...]`` negated)."""

    def __init__(self, pattern: str) -> None:
        self.pattern = pattern
        self.steps = _compile(pattern)

    def matches(self, text: str) -> bool:
        return _matches(self.steps, text)


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


@lru_cache(maxsize=65_536)
def _matches(steps: tuple[_Step, ...], text: str) -> bool:
    """Whether ``steps`` take the whole of ``text`` to their end. Asked for each finding of
    a run, and a run has many findings in a few files: kept."""
    done = len(steps)
    current = _closure(steps, {0})
    for character in text:
        following = set()
        for at in current:
            if at == done:
                continue
            step = steps[at]
            if step.accepts is None:
                continue
            if isinstance(step.accepts, str):
                if step.accepts == character:
                    following.add(at + 1)
            elif step.accepts.fullmatch(character):
                following.add(at if step.stay else at + 1)
        if not following:
            return False
        current = _closure(steps, following)
    return done in current


def _closure(steps: tuple[_Step, ...], states: set[int]) -> set[int]:
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
    return found
