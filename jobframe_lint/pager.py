"""Long output for a person at a terminal goes through their pager, as ``git log``'s does.

Pages are written to the pager as they are made, so the first screen shows at once
however large the canon. As git does: ``PAGER`` (default ``less``), run by the shell;
``LESS=FRX`` unless set (quit if one screen, keep colours, leave the screen as it is);
``PAGER=cat`` or an empty ``PAGER`` writes straight to the terminal.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import TextIO


@contextmanager
def paged(stream: TextIO) -> Iterator[tuple[TextIO, int | None]]:
    """The stream to write to, and the terminal's width when that is a pager's pipe."""
    command = os.environ.get("PAGER", "less").strip()
    if not command or command == "cat" or not stream.isatty():
        yield stream, None
        return
    environment = {**os.environ}
    environment.setdefault("LESS", "FRX")
    environment.setdefault("LV", "-c")
    width = shutil.get_terminal_size().columns
    stream.flush()
    try:
        # The user's own command line, run by the shell as git runs it.
        pager = subprocess.Popen(command, shell=True, stdin=subprocess.PIPE, env=environment)
    except OSError:
        yield stream, None
        return
    assert pager.stdin is not None
    pipe = io.TextIOWrapper(pager.stdin, encoding="utf-8", errors="backslashreplace")
    try:
        yield pipe, width
        pipe.flush()
    except BrokenPipeError:
        pass  # the reader quit the pager: the rest is not wanted
    finally:
        with suppress(BrokenPipeError):
            pipe.close()
        pager.wait()
