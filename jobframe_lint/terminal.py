"""Make canon text and file names safe to print: data must never drive the terminal."""

from __future__ import annotations

import os
from typing import TextIO

# C0 and C1 controls, DEL, and the bidirectional overrides that reorder what is shown.
_UNSAFE = [
    *range(0x00, 0x20),
    0x7F,
    *range(0x80, 0xA0),
    *range(0x202A, 0x202F),
    *range(0x2066, 0x206A),
]
_TABLE = {code: f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" for code in _UNSAFE}


def printable(text: str, keep_newlines: bool = False) -> str:
    """Show control characters as visible escapes (``\\x1b``) instead of sending them."""
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
