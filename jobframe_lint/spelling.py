"""Did-you-mean for names a user typed: rule codes, configuration keys, schema keys, level
codes and dimension names."""

from __future__ import annotations

from collections.abc import Iterable


def closest(word: str, choices: Iterable[str], cutoff: float = 0.6) -> str | None:
    """The choice ``word`` most likely misspells, if any is close enough."""
    import difflib  # only on a mistake: ~2 ms that a clean run does not pay

    found = difflib.get_close_matches(word, choices, n=1, cutoff=cutoff)
    return found[0] if found else None
