"""Canon text inside Markdown we write (frame pages, frame diffs): shown, never interpreted.

Only what could become markup where canon text stands is escaped, so that the source reads
as written too (``end-to-end (P3)``, ``canon/families/data.yaml:4``):

- a backslash before ``\\ ` * ~ [ ] < | $ #``: escapes, code, emphasis, strikethrough,
  links and images, raw HTML and ``<...>`` autolinks, table cells, math, a heading's
  closing ``#``s; before ``_`` unless between letters or digits (where CommonMark never
  reads it as emphasis); before an ``&`` that could start an entity; before the ``:`` of
  ``://`` and the ``.`` of ``www.``, where GFM's autolink extension starts a web link;
- ``@`` next to a name, ``#`` before a digit and the first ``:`` of ``:name:`` as inline
  code (`` `@` ``): GFM links an e-mail address (also after ``mailto:`` or ``xmpp:``) from
  the text once escapes are undone, and GitHub finds ``@mentions``, ``#123`` references
  and ``:emoji:`` codes in the rendered text, skipping only code. The rendered text still
  reads as written.
- at the start of the text, where a list item's content begins (a SMART goal): a backslash
  before ``-``, ``+``, ``>`` and the ``.`` or ``)`` of ``1.``, and the first of four
  spaces written ``&#32;``, so that no list, quote or indented code opens.

``printable`` has shown line breaks as ``\\x0a`` and broken ``::`` and ``##[`` (workflow
commands) first, so canon text never starts a line of our Markdown.
"""

from __future__ import annotations

import re

from jobframe_lint.terminal import printable

# Each alternative starts with the character it escapes (lookbehinds come after it), so
# that re scans for those characters alone: ~2x faster on the prose canon text is.
_MARKUP = re.compile(
    r"(?P<code>@(?<=[\w.+\-]@)|@(?=\w)|#(?=\d)|:(?=[\w+\-]+:))"
    r"|[\\`*~\[\]<|$#]"
    r"|_(?<![^\W_]_)|_(?![^\W_])"
    r"|&(?=[#A-Za-z0-9])"
    r"|:(?=//)"
    r"|\.(?<=www\.)"
)
# At the start of the text only (where a list item's content begins).
_START = re.compile(r"(?P<space> (?=   ))|(?P<ordinal>\d{1,9}[.)])|[-+>]")


def _escaped(match: re.Match[str]) -> str:
    text = match.group()
    if match.lastgroup == "code":
        return f"`{text}`"
    if match.lastgroup == "space":
        return "&#32;"
    if match.lastgroup == "ordinal":
        return f"{text[:-1]}\\{text[-1]}"
    return "\\" + text


def escape(text: str) -> str:
    """``text`` (canon text or a file name) as Markdown that shows it and nothing else."""
    text = _MARKUP.sub(_escaped, printable(text))
    start = _START.match(text)
    return text if start is None else _escaped(start) + text[start.end() :]
