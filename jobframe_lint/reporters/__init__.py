"""Diagnostics formats by name; each is a small class behind ``Reporter``.

A format's module is imported when it is chosen: SARIF and JSON need ``json``, colour needs
rich, and a hook run printing plain text should pay for neither.
"""

from __future__ import annotations

from importlib import import_module

from jobframe_lint.reporters.base import Reporter

# Format name → the class, in the module of the same name under this package.
_CLASSES = {
    "text": "TextReporter",
    "json": "JsonReporter",
    "sarif": "SarifReporter",
    "github": "GithubReporter",
    "rdjson": "RdjsonReporter",
    "gitlab": "GitlabReporter",
    "junit": "JunitReporter",
}
FORMATS = tuple(_CLASSES)


def reporter_for(name: str) -> type[Reporter]:
    reporter: type[Reporter] = getattr(import_module(f"{__name__}.{name}"), _CLASSES[name])
    return reporter
