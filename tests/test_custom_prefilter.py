"""Property: the texts a ``matches``/``not-matches`` pattern is found in are the same with
the literal prefilter as searching each text, over generated patterns (anchors, lookarounds,
case-insensitive, atomic and possessive parts) and texts (case variants the engine folds,
non-ASCII letters, separators inside texts)."""

from __future__ import annotations

import re
import sys

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from jobframe_lint.custom.prefilter import matching, needles_of

# Letters whose case the engine folds across ASCII (the Kelvin sign and `k`, the long s
# and `s`, dotted and dotless i), the separator, and characters that are not ASCII.
ALPHABET = "aAbkKsSiI\u212a\u017f\u0130\u0131 \n-_1é"
ATOMS = [
    *(re.escape(character) for character in ALPHABET),
    ".",
    r"\w",
    r"\W",
    r"\s",
    r"\b",
    r"\B",
    "^",
    "$",
    r"\A",
    r"\Z",
    "[a-k]",
    "[^a]",
    "(?=a)",
    "(?!b)",
    "(?<=a)",
    "(?<!K)",
]
FLAGS = ["", "(?i)", "(?a)", "(?ai)", "(?s)", "(?m)", "(?x)"]
ATOMIC = sys.version_info >= (3, 11)


def _combined(parts: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    pair = st.tuples(parts, parts)
    return st.one_of(
        pair.map("".join),
        pair.map(lambda two: f"(?:{two[0]}|{two[1]})"),
        parts.map(lambda part: f"({part})"),
        st.tuples(parts, st.sampled_from(["*", "+", "?", "{2}", "*?", "{1,3}"])).map(
            lambda repeat: f"(?:{repeat[0]}){repeat[1]}"
        ),
        parts.map(lambda part: f"(?i:{part})"),
        parts.map(lambda part: f"(?-i:{part})"),
        *(
            [parts.map(lambda part: f"(?>{part})"), parts.map(lambda part: f"(?:{part})++")]
            if ATOMIC
            else []
        ),
    )


PATTERNS = st.tuples(
    st.sampled_from(FLAGS),
    st.recursive(st.sampled_from(ATOMS), _combined, max_leaves=8),
).map("".join)
TEXTS = st.lists(st.text(alphabet=ALPHABET, max_size=12), max_size=8)
WORDS = st.lists(st.sampled_from(["rockstar", "ROCKSTAR", "ro\u212ackstar", "10x", "a"]))


def _compiled(source: str) -> re.Pattern[str]:
    try:
        return re.compile(source)
    except re.error:
        assume(False)
        raise


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(PATTERNS, TEXTS)
def test_the_prefilter_finds_the_texts_searching_each_finds(source: str, texts: list[str]) -> None:
    pattern = _compiled(source)
    expected = [index for index, text in enumerate(texts) if pattern.search(text)]
    assert matching(pattern, texts) == expected


@given(st.lists(st.tuples(WORDS, st.sampled_from([" ", "\n", "", "-"]))))
def test_hype_words_are_found_where_searching_each_text_finds_them(
    parts: list[tuple[list[str], str]],
) -> None:
    pattern = re.compile(r"(?i)\b(?:rockstar|ninja|guru|wizard|synerg\w*|world-class|10x)\b")
    texts = [separator.join(words) for words, separator in parts]
    expected = [index for index, text in enumerate(texts) if pattern.search(text)]
    assert matching(pattern, texts) == expected


def test_the_readme_hype_words_are_looked_for_as_plain_strings() -> None:
    # The fast path the README's policy takes: the words, lowercased, the \w* left out.
    hype = re.compile(r"(?i)\b(?:rockstar|ninja|guru|wizard|synerg\w*|world-class|10x)\b")
    assert needles_of(hype) == {
        "rockstar",
        "ninja",
        "guru",
        "wizard",
        "synerg",
        "world-class",
        "10x",
    }


def test_what_every_match_contains() -> None:
    assert needles_of(re.compile("foo(?:bar|baz)+")) == {"foo"}
    assert needles_of(re.compile(r"(?i)\u212a")) == {"k"}  # the Kelvin sign matches k and K
    assert needles_of(re.compile("\u00e9x")) == set()  # no ASCII text holds é
    assert needles_of(re.compile("^[A-Z]")) is None  # no literal: every text is searched
    assert needles_of(re.compile("a|[bc]")) is None  # one branch has none


def test_texts_that_are_not_ascii_are_always_searched() -> None:
    pattern = re.compile("(?i)strasse")
    texts = ["Stra\u017f\u017fe", "Straße", "STRASSE", "strase"]
    assert matching(pattern, texts) == [0, 2]
