"""Names that read the same but are different strings: invisible and look-alike characters.

``Data``, ``Da\\u200bta`` and ``D\\u0430ta`` (with a Cyrillic ``a``) are strings a reader cannot
tell apart. Unicode TR39 compares such strings by a *skeleton*; ours is a documented subset
of it, enough for names in a Latin-script canon:

- NFKC, which folds compatibility forms: fullwidth and mathematical letters (``\\uff24``,
  ``\\U0001d403``, which read as ``D``), ligatures, the no-break space;
- invisible characters dropped (``terminal.INVISIBLE``: zero-width characters, the soft
  hyphen, bidirectional controls ...);
- the Cyrillic and Greek letters whose glyphs are Latin letters in common fonts mapped to
  those (``CONFUSABLES``; TR39's confusables.txt has some 6,000 pairs, most across scripts a
  Latin-script canon does not use);
- white space runs read as one space, and outer white space ignored.

Pure-ASCII text, nearly all of it, takes a fast path that needs none of this.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from jobframe_lint.terminal import INVISIBLE

# Cyrillic and Greek letters → the Latin letter they look like (from TR39's confusables.txt;
# written as escapes, since the letters themselves cannot be told apart in the source).
CONFUSABLES = str.maketrans(
    {
        # Cyrillic
        "\u0410": "A",
        "\u0412": "B",
        "\u0415": "E",
        "\u0405": "S",
        "\u0406": "I",
        "\u0408": "J",
        "\u041a": "K",
        "\u041c": "M",
        "\u041d": "H",
        "\u041e": "O",
        "\u0420": "P",
        "\u0421": "C",
        "\u0422": "T",
        "\u0425": "X",
        "\u0423": "Y",
        "\u04ae": "Y",
        "\u0501": "d",
        "\u051b": "q",
        "\u051c": "W",
        "\u051d": "w",
        "\u04bb": "h",
        "\u04cf": "l",
        "\u04c0": "I",
        "\u0430": "a",
        "\u0435": "e",
        "\u0455": "s",
        "\u0456": "i",
        "\u0458": "j",
        "\u043e": "o",
        "\u0440": "p",
        "\u0441": "c",
        "\u0445": "x",
        "\u0443": "y",
        # Greek
        "\u0391": "A",
        "\u0392": "B",
        "\u0395": "E",
        "\u0396": "Z",
        "\u0397": "H",
        "\u0399": "I",
        "\u039a": "K",
        "\u039c": "M",
        "\u039d": "N",
        "\u039f": "O",
        "\u03a1": "P",
        "\u03a4": "T",
        "\u03a5": "Y",
        "\u03a7": "X",
        "\u03bf": "o",
        "\u03b9": "i",
        "\u03c1": "p",
        "\u03bd": "v",
        "\u03c5": "u",
        "\u03ba": "k",
        "\u03c7": "x",
    }
)
_LETTERS = re.compile(r"[^\W\d_]+")
# The Greek and Cyrillic blocks: a text without any of their letters mixes no scripts.
_FOREIGN = re.compile(
    "[\u0370-\u03ff\u0400-\u052f\u1c80-\u1c8f\u1f00-\u1fff\u2de0-\u2dff\ua640-\ua69f]"
)
_SCRIPTS = ("LATIN", "CYRILLIC", "GREEK")


def skeleton(text: str, fold_case: bool = True) -> str:
    """What ``text`` looks like: equal skeletons read the same (see the module docstring)."""
    if not text.isascii():
        import unicodedata

        text = INVISIBLE.sub("", unicodedata.normalize("NFKC", text)).translate(CONFUSABLES)
    text = " ".join(text.split())
    return text.casefold() if fold_case else text


def mixed_script_words(text: str) -> Iterator[tuple[int, str]]:
    """Offset and word of each word that mixes Latin letters with Cyrillic or Greek ones:
    a look-alike letter inside a Latin word (``D\\u0430ta``), the way spoofs are spelled."""
    if text.isascii() or _FOREIGN.search(text) is None:
        return
    import unicodedata

    for match in _LETTERS.finditer(text):
        word = match.group()
        scripts = {_script(unicodedata.name(char, "")) for char in word if not char.isascii()}
        if any(char.isascii() for char in word) and scripts & {"CYRILLIC", "GREEK"}:
            yield match.start(), word


def _script(name: str) -> str:
    return next((script for script in _SCRIPTS if name.startswith(script)), "")


def foreign_letters(word: str) -> str:
    """``U+0430 CYRILLIC SMALL LETTER A``, for each Cyrillic or Greek letter of ``word``."""
    import unicodedata

    names = {char: unicodedata.name(char, "") for char in word}
    return ", ".join(
        f"U+{ord(char):04X} {name}"
        for char, name in dict.fromkeys(names.items())
        if _script(name) in ("CYRILLIC", "GREEK")
    )
