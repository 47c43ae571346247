"""Make canon text and file names safe to print: data must never drive the terminal."""

from __future__ import annotations

import os
import re
from typing import TextIO

# C0 and C1 controls, DEL, and the bidirectional overrides that reorder what is shown.
_UNSAFE_RANGES = ((0x00, 0x1F), (0x7F, 0x9F), (0x202A, 0x202E), (0x2066, 0x2069))
_UNSAFE = [code for first, last in _UNSAFE_RANGES for code in range(first, last + 1)]
_TABLE = {code: f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" for code in _UNSAFE}
_JSON_TABLE = {code: f"\\u{code:04x}" for code in _UNSAFE if code >= 0x7F}
# Lone surrogates: what a file name that is not UTF-8 decodes to (surrogateescape), and
# no UTF-8 encoder writes them. Substituted apart: 2,048 table entries cost a run ~2 ms.
_SURROGATES = re.compile("[\\ud800-\\udfff]")
_UNSAFE_SEARCH = re.compile(
    "["
    + "".join(f"\\u{first:04x}-\\u{last:04x}" for first, last in _UNSAFE_RANGES)
    + "\\ud800-\\udfff]"
).search


def _byte(match: re.Match[str]) -> str:
    """The undecodable byte a surrogateescape stands for (any other surrogate as itself)."""
    code = ord(match.group())
    return f"\\x{code - 0xDC00:02x}" if 0xDC80 <= code <= 0xDCFF else f"\\u{code:04x}"


def json_safe(document: str) -> str:
    """Serialised JSON with DEL, C1 controls, bidi overrides and lone surrogates written as
    ``\\u`` escapes.

    ``json.dumps`` escapes C0 controls, but with ``ensure_ascii=False`` (kept for readable
    non-ASCII text) writes these raw: a terminal acts on them, an encoder refuses
    surrogates. Outside strings JSON is ASCII, so each occurs only inside a string, where
    the escape is the same character.
    """
    escaped = document.translate(_JSON_TABLE)
    return _SURROGATES.sub(lambda match: f"\\u{ord(match.group()):04x}", escaped)


def printable(text: str, keep_newlines: bool = False) -> str:
    """Show control characters as visible escapes (``\\x1b``) instead of sending them."""
    # Nearly all canon text is clean: one regex scan is ~10x cheaper than translate().
    if _UNSAFE_SEARCH(text) is None:
        return text
    text = _SURROGATES.sub(_byte, text)
    if keep_newlines:
        return "\n".join(line.translate(_TABLE) for line in text.split("\n"))
    return text.translate(_TABLE)


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
