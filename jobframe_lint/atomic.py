"""Replace a file so that readers see the old bytes or the new, never a mix."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path


def write_atomically(
    target: Path, data: bytes, *, mode: int | None = None, durable: bool = False
) -> None:
    """Write ``data`` to a temporary file beside ``target``, then rename it over ``target``.

    ``mode`` sets the new file's permissions (a temporary file is made 0600); ``durable``
    flushes it to disk first, for a user's own files: a cache can afford to lose a write,
    and skips the cost.
    """
    import tempfile  # only runs that write pay for importing it

    handle, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    temporary = Path(name)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            if durable:
                stream.flush()
                os.fsync(stream.fileno())
        if mode is not None:
            temporary.chmod(mode)
        temporary.replace(target)
    except BaseException:
        with contextlib.suppress(OSError):  # never mask the error that got us here
            temporary.unlink()
        raise


def write_output(target: Path, data: bytes) -> None:
    """Replace a report or baseline the user asked for: an existing file keeps its
    permissions, a new one gets those the umask gives."""
    try:
        mode = target.stat().st_mode & 0o777
    except FileNotFoundError:
        current = os.umask(0)
        os.umask(current)
        mode = 0o666 & ~current
    write_atomically(target, data, mode=mode, durable=True)
