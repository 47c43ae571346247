"""ACME's canon policies that a regex cannot say, as jobframe-lint rules."""

from __future__ import annotations

from collections.abc import Iterator

from jobframe_lint.plugin import Canon, Finding, Rule

BUZZWORDS = ("synergy", "leverage", "paradigm", "best-of-breed")


def no_buzzwords(canon: Canon) -> Iterator[Finding]:
    for family in canon.families:
        for level in family.levels:
            for text in level.responsibilities:
                words = [word for word in BUZZWORDS if word in text.value.lower()]
                if words:
                    yield Finding(text, f'buzzword "{words[0]}": say what the work is')


def level_titles(canon: Canon) -> Iterator[Finding]:
    """A title grows with its level: no two levels of a guide share one."""
    for guide in canon.guides:
        seen: dict[str, str] = {}
        for level in guide.levels:
            if level.title is None:
                continue
            earlier = seen.setdefault(level.title.value.casefold(), level.code.value)
            if earlier != level.code.value:
                yield Finding(level.title, f"{level.code.value} has the title of {earlier}")


NO_BUZZWORDS = Rule(
    code="ACME900",
    name="no-buzzwords",
    severity="warning",
    summary="responsibilities avoid buzzwords",
    check=no_buzzwords,
    explanation="Buzzwords hide what the work is; managers copy responsibilities into goals.",
    example="responsibilities:\n  - Leverages synergy across teams.   # ACME900",
)

LEVEL_TITLES = Rule(
    code="ACME901",
    name="distinct-level-titles",
    severity="error",
    summary="no two levels of a guide share a title",
    check=level_titles,
)
