"""Canon text inside Markdown we write (frame pages, frame diffs): shown, never interpreted.

All ASCII punctuation is backslash-escaped (CommonMark allows that for every one of them)
and control characters are made visible, so canon text containing ``*``, ``<b>``,
``[x](y)``, ``|``, ``$x$`` or ``@team`` cannot open a link, HTML, math or a mention, or
break a table: the only markup is ours.
"""

from __future__ import annotations

import string

from jobframe_lint.terminal import printable

_ESCAPES = {ord(char): "\\" + char for char in string.punctuation}


def escape(text: str) -> str:
    return printable(text).translate(_ESCAPES)
