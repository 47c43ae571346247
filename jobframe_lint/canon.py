"""The canon as typed objects whose every text knows its file, line and column.

Built leniently from loaded documents: a value of the wrong type is skipped here (the
schema stage reports it), so one broken file does not hide the facts that cross-file
rules and the frames need from the others.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, NamedTuple

from jobframe_lint.diagnostics import Span
from jobframe_lint.document import Document, FieldPath, field_name

RUBRIC_COMPLEXITY = "complexity/problem-solving"
RUBRIC_KNOWLEDGE = "knowledge-application"


class Text(NamedTuple):
    """A piece of canon text and exactly where it came from.

    A canon holds ~150,000 texts and a run looks at the spans of a few, so ``span`` and
    ``field`` are worked out on demand from the document's positions. Two texts are equal
    when they come from the same document object (documents compare by identity).
    """

    value: str
    path: str
    # Where the text sits in its document; ``is_key`` for texts that are mapping keys.
    where: FieldPath
    document: Document
    is_key: bool = False

    @property
    def span(self) -> Span:
        found = self.document.locate(self.where)
        return found.anchor if self.is_key else found.value

    @property
    def field(self) -> str:
        """``levels.P3.responsibilities[2]``: the field as a user would type it."""
        return field_name(self.where)


class Level(NamedTuple):
    code: Text
    title: Text | None
    # Dimension name as written in the level (the key) → the bar text (the value).
    bars: list[tuple[Text, Text]]


class LevelGuide(NamedTuple):
    path: str
    dimensions: list[Text]
    levels: list[Level]
    document: Document

    @property
    def span(self) -> Span:
        """The whole document: worked out when asked, as for texts."""
        return self.document.locate(()).value


class FamilyLevel(NamedTuple):
    code: Text
    responsibilities: list[Text]
    rubrics: dict[str, Text]

    @property
    def span(self) -> Span:
        """Where the level's mapping sits: omitted-line reasons point here."""
        return self.code.span


class Family(NamedTuple):
    path: str
    name: Text
    function: Text | None
    levels: list[FamilyLevel]
    document: Document

    @property
    def span(self) -> Span:
        """The whole document: worked out when asked, as for texts."""
        return self.document.locate(()).value


class Canon(NamedTuple):
    documents: list[Document]
    guides: list[LevelGuide]
    families: list[Family]

    def find_level(self, code: str) -> tuple[LevelGuide, Level] | None:
        """The first definition of ``code`` (duplicates are JF109's business)."""
        for guide in self.guides:
            for level in guide.levels:
                if level.code.value == code:
                    return guide, level
        return None


def build_canon(documents: Iterable[Document]) -> Canon:
    canon = Canon([], [], [])
    for document in documents:
        canon.documents.append(document)
        data = document.data
        if data is None:
            continue
        builder = _Builder(document)
        if document.kind == "levels":
            canon.guides.append(builder.guide(data))
        elif document.kind == "family":
            family = builder.family(data)
            if family is not None:
                canon.families.append(family)
    return canon


class _Builder:
    def __init__(self, document: Document) -> None:
        self.document = document

    def text(self, value: object, path: FieldPath) -> Text | None:
        if not isinstance(value, str):
            return None
        return Text(value, self.document.path, path, self.document)

    def key(self, value: str, path: FieldPath) -> Text:
        return Text(value, self.document.path, path, self.document, is_key=True)

    def texts(self, values: object, path: FieldPath) -> list[Text]:
        if not isinstance(values, list):
            return []
        # Inline rather than through text(): this builds every responsibility of the canon.
        document = self.document
        return [
            Text(item, document.path, (*path, index), document)
            for index, item in enumerate(values)
            if isinstance(item, str)
        ]

    def entries(self, mapping: object, path: FieldPath) -> list[tuple[Text, Any, FieldPath]]:
        if not isinstance(mapping, dict):
            return []
        return [
            (self.key(name, (*path, name)), value, (*path, name)) for name, value in mapping.items()
        ]

    def guide(self, data: dict[str, Any]) -> LevelGuide:
        levels = [
            Level(
                code=code,
                title=self.text(_get(body, "title"), (*path, "title")),
                bars=[
                    (name, bar)
                    for name, value, bar_path in self.entries(
                        _get(body, "dimensions"), (*path, "dimensions")
                    )
                    if (bar := self.text(value, bar_path)) is not None
                ],
            )
            for code, body, path in self.entries(data.get("levels"), ("levels",))
        ]
        dimensions = self.texts(data.get("dimensions"), ("dimensions",))
        return LevelGuide(self.document.path, dimensions, levels, self.document)

    def family(self, data: dict[str, Any]) -> Family | None:
        name = self.text(data.get("family"), ("family",))
        if name is None:
            return None
        levels = [
            FamilyLevel(
                code=code,
                responsibilities=self.texts(
                    _get(body, "responsibilities"), (*path, "responsibilities")
                ),
                rubrics={
                    rubric.value: text
                    for rubric, value, rubric_path in self.entries(
                        _get(body, "rubrics"), (*path, "rubrics")
                    )
                    if (text := self.text(value, rubric_path)) is not None
                },
            )
            for code, body, path in self.entries(data.get("levels"), ("levels",))
        ]
        function = self.text(data.get("function"), ("function",))
        return Family(self.document.path, name, function, levels, self.document)


def _get(mapping: object, key: str) -> object:
    return mapping.get(key) if isinstance(mapping, dict) else None
