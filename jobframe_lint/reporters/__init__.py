"""Diagnostics formats by name; each is a small class behind ``Reporter``."""

from __future__ import annotations

from jobframe_lint.reporters.base import Reporter
from jobframe_lint.reporters.github import GithubReporter
from jobframe_lint.reporters.json import JsonReporter
from jobframe_lint.reporters.sarif import SarifReporter
from jobframe_lint.reporters.text import TextReporter

REPORTERS: dict[str, type[Reporter]] = {
    "text": TextReporter,
    "json": JsonReporter,
    "sarif": SarifReporter,
    "github": GithubReporter,
}
