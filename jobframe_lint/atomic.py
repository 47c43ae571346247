"""Replace a file so that readers see the old bytes or the new, never a mix."""

from __future__ import annotations

import contextlib
import os
import re
import time
from collections.abc import Iterator
from pathlib import Path

# What ``tempfile.mkstemp`` puts between our prefix and suffix.
_RANDOM_PART = re.compile(r"[a-z0-9_]{8}")
# Far longer than a write takes: an older temporary file of ours is a killed run's.
STALE_SECONDS = 600


def write_atomically(
    target: Path,
    data: bytes,
    *,
    like: os.stat_result | None = None,
    mode: int | None = None,
    durable: bool = False,
) -> None:
    """Write ``data`` to a temporary file beside ``target``, then rename it over ``target``.

    ``like`` (the file being replaced) gives the new file its permissions, owner and group,
    else ``mode`` its permissions (a temporary file is made 0600, owned by whoever runs);
    ``durable`` flushes it to disk first, for a user's own files: a cache can afford to
    lose a write, and skips the cost.
    """
    import tempfile  # only runs that write pay for importing it

    _remove_stale(target)
    with _termination_held():
        handle, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
        temporary = Path(name)
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
                if durable:
                    stream.flush()
                    os.fsync(stream.fileno())
            if like is not None:
                _take_on(temporary, like)
            elif mode is not None:
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


def _take_on(temporary: Path, like: os.stat_result) -> None:
    """The owner, group and permissions of ``like``; owner and group first, as changing
    them clears the set-id bits."""
    made = temporary.stat()
    if (made.st_uid, made.st_gid) != (like.st_uid, like.st_gid):
        try:
            os.chown(temporary, like.st_uid, like.st_gid)
        except OSError as error:
            raise OSError(
                error.errno, f"cannot keep its owner and group ({error.strerror})"
            ) from None
    temporary.chmod(like.st_mode & 0o7777)


@contextlib.contextmanager
def _termination_held() -> Iterator[None]:
    """Signals that end a run (Ctrl-C, ``kill``, a closed terminal) wait until the new file
    is in place or gone: arriving between the two, they would leave the temporary file
    beside the user's. SIGKILL cannot wait; ``_remove_stale`` clears what it leaves."""
    import signal

    if not hasattr(signal, "pthread_sigmask"):  # Windows
        yield
        return
    held = {signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT}
    before = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)


def _remove_stale(target: Path) -> None:
    """Temporary files an earlier, killed run left beside ``target``: named as ours are and
    older than any write takes (a younger one may be another run's, still writing)."""
    prefix, suffix = f".{target.name}.", ".tmp"
    oldest = time.time() - STALE_SECONDS
    with contextlib.suppress(OSError), os.scandir(target.parent) as listing:
        for entry in listing:
            name = entry.name
            if not (name.startswith(prefix) and name.endswith(suffix)):
                continue
            if not _RANDOM_PART.fullmatch(name[len(prefix) : -len(suffix)]):
                continue
            with contextlib.suppress(OSError):
                info = entry.stat(follow_symlinks=False)
                if entry.is_file(follow_symlinks=False) and info.st_mtime < oldest:
                    Path(entry.path).unlink()
