"""Settings a run works with."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

DEFAULT_CANON = Path("canon")


@dataclass(frozen=True)
class Settings:
    canon: Path = DEFAULT_CANON
