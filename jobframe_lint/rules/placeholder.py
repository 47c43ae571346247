"""JF107 placeholder-in-canon: canon text holding frame placeholders or template markup."""

from __future__ import annotations

import re
from collections.abc import Iterator

from jobframe_lint.canon import Canon
from jobframe_lint.diagnostics import Diagnostic, Severity
from jobframe_lint.rules.base import Rule
from jobframe_lint.rules.common import canon_texts, documents_by_path, inner_span

# ⟨target⟩-style placeholders (U+27E8, U+27E9), then the markup of common template
# languages: {{ jinja }}, {% tags %}, ${shell}, and str.format's {field}.
PLACEHOLDER = re.compile(r"⟨[^⟨⟩]*⟩")
MARKUP = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\$\{[^{}]*\}|\{[A-Za-z_]\w*\}")


def check(canon: Canon) -> Iterator[Diagnostic]:
    documents = documents_by_path(canon)
    for text in canon_texts(canon):
        if "⟨" not in text.value and "{" not in text.value:
            continue  # nearly every text: two substring tests, no generator per text
        document = documents.get(text.path)
        for match in PLACEHOLDER.finditer(text.value):
            yield Diagnostic(
                text.path,
                inner_span(document, text, match.start(), len(match.group())),
                RULE.code,
                f'placeholder "{match.group()}" in canon text ({text.field}): the frames would '
                "show it as a slot for the manager to fill in, not as canon",
                RULE.severity,
            )
        for match in MARKUP.finditer(text.value):
            yield Diagnostic(
                text.path,
                inner_span(document, text, match.start(), len(match.group())),
                RULE.code,
                f'template markup "{match.group()}" in canon text ({text.field}): the frames '
                "copy it verbatim, so managers would read the raw markup",
                RULE.severity,
            )


RULE = Rule(
    code="JF107",
    name="placeholder-in-canon",
    severity=Severity.ERROR,
    summary="canon text contains ⟨…⟩ placeholders or template markup",
    explanation=(
        "The frames mark what a manager fills in with ⟨baseline⟩, ⟨target⟩ and ⟨date⟩ and "
        "copy canon text verbatim, so a placeholder inside canon text would pass for a slot "
        "the manager is expected to fill, and template markup ({resp}, {{ level }}, {% if %}, "
        "${var}) would be shown raw: frames are never templated twice. Usually it is text "
        "pasted back from a rendered page or a template. The finding points at the "
        "placeholder itself."
    ),
    example=(
        "responsibilities:\n"
        "  - Moves latency from ⟨baseline⟩ to ⟨target⟩.   # JF107\n"
        "  - Delivers {resp} on time.                     # JF107"
    ),
    check=check,
)
