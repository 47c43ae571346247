"""JF109 duplicate-definition: a family name or level code defined twice across files.

Two names are the same when they read the same: compared by ``lookalike.skeleton``, so
``Da\\u200bta`` and ``D\\u0430ta`` (with a Cyrillic ``a``) are ``Data`` defined again.
"""

from __future__ import annotations

from collections.abc import Iterator

from jobframe_lint.canon import Canon, Text
from jobframe_lint.diagnostics import Diagnostic, Severity
from jobframe_lint.lookalike import skeleton
from jobframe_lint.rules.base import Rule


def check(canon: Canon) -> Iterator[Diagnostic]:
    yield from _families(canon)
    yield from _levels(canon)


def _families(canon: Canon) -> Iterator[Diagnostic]:
    # `render --family` matches names case-insensitively: so must uniqueness.
    first: dict[str, Text] = {}
    for family in sorted(canon.families, key=lambda family: _place(family.name)):
        name = family.name
        earlier = first.setdefault(skeleton(name.value), name)
        if earlier is name:
            continue
        yield _finding(
            name,
            earlier,
            f'family "{name.value}" is already defined{_spelled(earlier, name)} in '
            f"{_at(earlier)}: render would show two pages for it and --family cannot tell them "
            "apart",
        )


def _levels(canon: Canon) -> Iterator[Diagnostic]:
    first: dict[str, Text] = {}
    codes = (level.code for guide in canon.guides for level in guide.levels)
    for code in sorted(codes, key=_place):
        earlier = first.setdefault(skeleton(code.value, fold_case=False), code)
        if earlier is code or (earlier.path == code.path and earlier.value == code.value):
            continue  # the same key twice in one file is the loader's duplicate key (JF003)
        yield _finding(
            code,
            earlier,
            f"level {code.value} is already defined{_spelled(earlier, code)} in {_at(earlier)}: "
            "the pages of families using it would take their title and bars from only one of "
            "the two",
        )


def _spelled(earlier: Text, text: Text) -> str:
    """How the first definition is spelled, where the two strings differ."""
    if earlier.value == text.value:
        return ""
    if earlier.value.casefold() == text.value.casefold():
        return f' as "{earlier.value}"'
    return f' as "{earlier.value}", which reads the same (look-alike or invisible characters)'


def _place(text: Text) -> tuple[str, int]:
    """The order that decides which definition is the first, whichever files are checked."""
    return (text.path, text.span.start.line)


def _at(text: Text) -> str:
    return f"{text.path}:{text.span.start.line}"


def _finding(text: Text, earlier: Text, message: str) -> Diagnostic:
    return Diagnostic(
        text.path, text.span, RULE.code, message, RULE.severity, related=(earlier.path,)
    )


RULE = Rule(
    code="JF109",
    name="duplicate-definition",
    severity=Severity.ERROR,
    summary="a family or level code defined twice across files",
    explanation=(
        "A family name (compared case-insensitively, as `render --family` matches it) must be "
        "unique across the canon, and a level code must be defined by one level guide only. "
        "Names are compared as they read: invisible characters, compatibility forms (NFKC, "
        "e.g. fullwidth letters), white space runs and Cyrillic or Greek letters that look "
        "Latin aside, so `D\u0430ta` with a Cyrillic `\u0430` is `Data` again. Each definition "
        "after "
        "the first (by file path) is reported at its name or code and names the first. "
        "Checking either file reports it."
    ),
    example=(
        "# canon/families/ml.yaml\nfamily: AI / Machine Learning Engineering\n"
        "# canon/families/ml-copy.yaml\nfamily: AI / Machine Learning Engineering   # JF109"
    ),
    check=check,
    cross_file=True,
)
