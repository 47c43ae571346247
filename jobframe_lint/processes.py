"""How many processes a run may share its work out to."""

from __future__ import annotations

import os


def cores() -> int:
    """The cores this process may run on (a container or ``taskset`` may allow fewer)."""
    affinity = getattr(os, "sched_getaffinity", None)
    return len(affinity(0)) if affinity else os.cpu_count() or 1
