"""Make canon text and file names safe to print: data must never drive the terminal or CI.

Three kinds of character sequence are shown as visible escapes instead of being sent:

- characters a terminal acts on or that change what is shown: C0 and C1 controls, DEL, the
  bidirectional overrides and isolates;
- characters that cannot be seen, so that ``Da\\u200bta`` never passes for ``Data``: Unicode's
  Default_Ignorable_Code_Point set (zero-width spaces and joiners, the soft hyphen, the
  byte-order mark, tag characters ...) less the variation selectors, which choose a glyph's
  form (an emoji's) and hide nothing; and the line and paragraph separators U+2028/U+2029;
- GitHub Actions workflow commands: the runner executes ``::name ...::`` at the start of any
  line of a step's output (after leading white space) and the legacy ``##[name]`` anywhere in
  one. Canon text is wrapped (rich), indented and joined with other text, so ``::`` and
  ``##[`` are broken wherever they occur, as ``:\\:`` and ``##\\[``.

Escapes read as Python writes them: ``\\x1b``, ``\\u200b``, ``\\U000e0041``; a file-name byte
that is not UTF-8 (a lone surrogate after ``surrogateescape``) as the byte, ``\\xff``.
"""

from __future__ import annotations

import os
import re
import sys
from typing import TextIO

# Inclusive code point ranges: the invisible ones (bidirectional controls included), which
# JF108 reports in canon text too, and all that printable() shows as escapes.
_INVISIBLE_RANGES = (
    (0xAD, 0xAD),
    (0x34F, 0x34F),
    (0x61C, 0x61C),
    (0x115F, 0x1160),
    (0x17B4, 0x17B5),
    (0x180E, 0x180E),
    (0x200B, 0x200F),
    (0x2028, 0x202E),
    (0x2060, 0x206F),
    (0x3164, 0x3164),
    (0xFEFF, 0xFEFF),
    (0xFFA0, 0xFFA0),
    (0xFFF0, 0xFFF8),
    (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A),
    (0xE0000, 0xE00FF),
    (0xE01F0, 0xE0FFF),
)


def _ranges(ranges: tuple[tuple[int, int], ...]) -> str:
    return "".join(f"{chr(first)}-{chr(last)}" for first, last in ranges)


INVISIBLE = re.compile(f"[{_ranges(_INVISIBLE_RANGES)}]")
# C1 controls, DEL and lone surrogates too (what a file name that is not UTF-8 decodes to;
# no UTF-8 encoder writes them). json.dumps escapes the C0 controls itself: a raw one in
# its output is a line break between values.
_ABOVE_C0 = f"\\x7f-\\x9f{_ranges(_INVISIBLE_RANGES)}\\ud800-\\udfff"
_JSON_UNSAFE = re.compile(f"[{_ABOVE_C0}]")
_UNSAFE = re.compile(f"[\\x00-\\x1f{_ABOVE_C0}]")
_ASCII_UNSAFE = re.compile("[\x00-\x1f\x7f]")
_COMMAND = re.compile(r":(?=:)|##(?=\[)")

# The widths rich lays out for: COLUMNS=0 printed nothing, COLUMNS=99999999 padded every
# line of a panel with a hundred million spaces (minutes of work).
MIN_WIDTH = 40
MAX_WIDTH = 1000


def _clean(text: str) -> bool:
    """Nearly all canon text is: an ASCII scan and two substring tests are ~2 µs a text."""
    unsafe = _ASCII_UNSAFE if text.isascii() else _UNSAFE
    return unsafe.search(text) is None and "::" not in text and "##[" not in text


def shows_as_is(text: str) -> bool:
    """Whether ``printable`` leaves ``text`` as it is, and any text made by putting a
    template's beside it: nothing at either end that could join a template's ``:``, ``#``
    or ``[`` into ``::`` or ``##[``."""
    return _clean(text) and not text.startswith((":", "#", "[")) and not text.endswith((":", "#"))


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    if 0xDC80 <= code <= 0xDCFF:  # surrogateescape: the undecodable byte it stands for
        return f"\\x{code - 0xDC00:02x}"
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def _broken(match: re.Match[str]) -> str:
    """``:`` before ``:`` and ``##`` before ``[`` with a backslash after them."""
    return match.group() + "\\"


def printable(text: str) -> str:
    """``text`` with the sequences of this module's docstring shown as escapes."""
    if _clean(text):
        return text
    return _COMMAND.sub(_broken, _UNSAFE.sub(_visible, text))


def _json_escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if 0xD800 <= code <= 0xDFFF:
        # Not a character, so no JSON escape is valid UTF-8: the text of printable() instead.
        return "\\" + _visible(match)
    if code >= 0x10000:
        high, low = divmod(code - 0x10000, 0x400)
        return f"\\u{0xD800 + high:04x}\\u{0xDC00 + low:04x}"
    return f"\\u{code:04x}"


def json_safe(document: str) -> str:
    """Serialised JSON (``ensure_ascii=False``) that no terminal or CI runner acts on.

    ``json.dumps`` escapes C0 controls, but writes the other characters of this module's
    docstring raw; here they become ``\\u`` escapes of the same character, and ``##[``
    becomes ``##\\u005b``: the decoded strings are exactly the data. A lone surrogate has
    no valid escape, so it is written as printable() shows it (``\\xff``, a backslash and
    text). Outside strings JSON is ASCII without ``#``, so each occurs only inside a
    string. A JSON line never starts inside a string, so ``::`` needs no change.
    """
    # ASCII text (most canon) can only hold DEL of all these: no scan for the rest.
    if document.isascii():
        escaped = document.replace("\x7f", "\\u007f") if "\x7f" in document else document
    else:
        escaped = _JSON_UNSAFE.sub(_json_escape, document)
    return escaped.replace("##[", "##\\u005b")


def json_inert(text: str) -> bool:
    """Whether any string YAML takes from ``text`` (a file's, or a file name) comes through
    ``json_safe`` unchanged wherever a frame puts it: no character it escapes, no backslash
    (an escape sequence could make one), and no ``##`` or ``#[`` (from which ``##[`` could
    form beside other text; the frame templates hold neither ``#`` nor ``[``, nor two
    fields side by side). A scan of the canon's files, not of the pages they make: the
    JSON of a 200-family canon is 27 times their size."""
    return (
        _JSON_UNSAFE.search(text) is None
        and "\\" not in text
        and "##" not in text
        and "#[" not in text
    )


def console_size() -> tuple[int, int]:
    """Width and height for rich: ``COLUMNS``/``LINES``, else the size of the terminal on
    stdout, stdin or stderr (as rich measures), else 80 by 25; the width clamped to what
    can be laid out in bounded time.

    Both are given to rich, which would otherwise read the environment itself (and raise
    on ``COLUMNS=²``, a digit ``int()`` does not take).
    """
    import shutil  # only the rich views pay for it

    columns, lines = shutil.get_terminal_size((0, 0))
    for stream in (sys.__stdin__, sys.__stderr__):
        if columns and lines:
            break
        try:
            size = os.get_terminal_size(stream.fileno())  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            continue
        columns, lines = columns or size.columns, lines or size.lines
    return min(max(columns or 80, MIN_WIDTH), MAX_WIDTH), max(lines or 25, 1)


def use_color(choice: str, stream: TextIO) -> bool:
    """``--color auto`` follows NO_COLOR / FORCE_COLOR, then whether ``stream`` is a terminal."""
    if choice != "auto":
        return choice == "always"
    if os.environ.get("FORCE_COLOR"):
        return True
    if os.environ.get("NO_COLOR"):
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())
