"""How many processes a run may share its work out to."""

from __future__ import annotations

import os


def cores() -> int:
    """The cores this process may run on (a container or ``taskset`` may allow fewer)."""
    affinity = getattr(os, "sched_getaffinity", None)
    return len(affinity(0)) if affinity else os.cpu_count() or 1


def end_with_parent() -> None:
    """For a pool's initializer: the worker exits once the process that started it is gone.

    Workers wait for work on a pipe that each of them holds open as well, so when their
    parent is killed (SIGKILL, or a SIGTERM that skips the pool's shutdown) no end of file
    ever comes and they would wait forever. A thread looks for the parent four times a
    second instead."""
    import threading
    import time

    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.25)
        os._exit(1)

    threading.Thread(target=watch, name="end-with-parent", daemon=True).start()
