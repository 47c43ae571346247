"""What several rules share: the canon's texts, exact spans inside a text, wording."""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache

from jobframe_lint.canon import Canon, Family, FamilyLevel, Text
from jobframe_lint.diagnostics import Position, Span
from jobframe_lint.document import Document, FieldPath


# A file's responsibilities are compared by JF105, then by a custom rule's ``unique``:
# each is made the same way once for both (a file holds a few hundred texts).
@lru_cache(maxsize=4096)
def same_text(text: str) -> str:
    """Texts that differ only in case or spacing read as the same goal to a manager."""
    return " ".join(text.split()).casefold()


def documents_by_path(canon: Canon) -> dict[str, Document]:
    return {document.path: document for document in canon.documents}


def canon_texts(canon: Canon) -> Iterator[Text]:
    """Every text the frames may quote, keys included (dimension names are shown too).

    Level codes and rubric names are left out: the schema pins their spelling.
    """
    for guide in canon.guides:
        yield from guide.dimensions
        for level in guide.levels:
            if level.title is not None:
                yield level.title
            for name, bar in level.bars:
                yield name
                yield bar
    for family in canon.families:
        yield family.name
        if family.function is not None:
            yield family.function
        for family_level in family.levels:
            yield from family_level.responsibilities
            yield from family_level.rubrics.values()


def level_path(family_level: FamilyLevel, *rest: str) -> FieldPath:
    """The field path of ``levels.<code>`` (plus ``rest``) in a family or level guide."""
    return ("levels", family_level.code.value, *rest)


def level_body(document: Document, code: str) -> dict[str, object] | None:
    """The raw mapping of ``levels.<code>``, or None when the file does not hold one."""
    levels = document.data.get("levels") if document.data is not None else None
    body = levels.get(code) if isinstance(levels, dict) else None
    return body if isinstance(body, dict) else None


def family_label(family: Family) -> str:
    return f'family "{family.name.value}"'


def plural(count: int, singular: str, many: str = "") -> str:
    """``1 bar``, ``2 bars``; ``many`` for nouns that do not just take an s."""
    return f"{count} {singular if count == 1 else many or singular + 's'}"


def quoted_list(names: list[str]) -> str:
    return ", ".join(f'"{name}"' for name in names)


def inner_span(document: Document | None, text: Text, offset: int, length: int) -> Span:
    """The span of ``text.value[offset:offset + length]`` in the file, where it can be known.

    That is when the scalar sits on one line and its source, less any quotes, reads exactly
    as its value (no escapes): the usual case. Otherwise the whole value's span is the
    honest answer.
    """
    if document is None or document.text is None or text.span.start.line != text.span.end.line:
        return text.span
    lines = _lines(document.text)
    line_number = text.span.start.line
    if line_number > len(lines):
        return text.span
    source = lines[line_number - 1][text.span.start.column - 1 : text.span.end.column - 1]
    quote = 1 if source[:1] in ("'", '"') else 0
    if source[quote : len(source) - quote] != text.value:
        return text.span
    start = text.span.start.column + quote + offset
    return Span(Position(line_number, start), Position(line_number, start + length))


@lru_cache(maxsize=16)
def _lines(text: str) -> list[str]:
    """A file's lines, split once however many findings it has (str caches its hash)."""
    return text.splitlines()
