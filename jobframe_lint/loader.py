"""Read one canon file into plain data plus a position for every key, value and item.

libyaml's composer does the parsing (it is ~25x faster than a pure-Python parser and
keeps a mark on every node); this module only walks its node tree. What canon must not
contain (aliases, anchors, non-core tags, duplicate keys) is refused here, each at the
parser's own mark, because later stages could not tell it happened.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import yaml

from jobframe_lint.diagnostics import Diagnostic, Position, Severity, Span

FieldPath = tuple[str | int, ...]

CORE_TAGS = frozenset(
    "tag:yaml.org,2002:" + name for name in ("str", "int", "float", "bool", "null", "map", "seq")
)
STR_TAG = "tag:yaml.org,2002:str"
# Characters without which a document cannot hold an alias, anchor, tag or flow
# collection: files lacking all of them skip the slower event scan.
_SCAN_TRIGGERS = (b"&", b"*", b"!", b"[", b"{")
MAX_DEPTH = 64


@dataclass(frozen=True, slots=True)
class NodeSpan:
    """Where a value sits, and where the key that holds it sits (None for items and the root)."""

    value: Span
    key: Span | None = None

    @property
    def anchor(self) -> Span:
        """The span a finding about this value as a whole should point at."""
        return self.key or self.value


@dataclass
class Document:
    """A loaded canon file. ``data`` is None when the file could not be read as a mapping."""

    path: str
    text: str | None = None
    data: dict[str, Any] | None = None
    positions: dict[FieldPath, NodeSpan] = field(default_factory=dict)
    # Plain scalars that YAML resolved to something other than text (`No`, `1.10`),
    # by field path, with their source text: the schema stage tells users to quote them.
    implicit_scalars: dict[FieldPath, str] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def locate(self, path: FieldPath) -> NodeSpan:
        """The position of ``path``, or of its nearest ancestor that has one."""
        for cut in range(len(path), -1, -1):
            found = self.positions.get(path[:cut])
            if found is not None:
                return found
        return NodeSpan(Span.at(1, 1))


class _Refusal(Exception):
    """Stops loading a document at the first thing that makes its tree untrustworthy."""

    def __init__(self, code: str, span: Span, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.span = span
        self.message = message


def load_file(path: Path, display: str | None = None) -> Document:
    """Load ``path``; every failure becomes a located diagnostic on the returned document."""
    shown = display if display is not None else str(path)
    try:
        raw = path.read_bytes()
    except OSError as error:
        document = Document(shown)
        reason = error.strerror or error.__class__.__name__
        document.diagnostics.append(
            _error(shown, "JF001", Span.at(1, 1), f"cannot read file: {reason}")
        )
        return document
    return load_bytes(raw, shown)


def load_bytes(raw: bytes, path: str) -> Document:
    document = Document(path)
    try:
        document.text = _decode(raw)
        if any(trigger in raw for trigger in _SCAN_TRIGGERS):
            _scan_events(document.text)
        root = _compose(document.text)
        document.data = _Walker(document).root(root)
    except _Refusal as refusal:
        document.data = None
        document.diagnostics.append(_error(path, refusal.code, refusal.span, refusal.message))
    return document


def _error(path: str, code: str, span: Span, message: str) -> Diagnostic:
    return Diagnostic(path, span, code, message, Severity.ERROR)


class _Mark(Protocol):
    """libyaml's C marks and PyYAML's Python marks share these 0-based fields."""

    line: int
    column: int


def _mark_span(start: _Mark | None, end: _Mark | None = None) -> Span:
    if start is None:
        return Span.at(1, 1)
    stop = end or start
    return Span(
        Position(start.line + 1, start.column + 1), Position(stop.line + 1, stop.column + 1)
    )


def _decode(raw: bytes) -> str:
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8) :]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line_start = raw.rfind(b"\n", 0, error.start) + 1
        line = raw.count(b"\n", 0, error.start) + 1
        column = len(raw[line_start : error.start].decode("utf-8", "replace")) + 1
        bad = raw[error.start : error.start + 1].hex()
        raise _Refusal(
            "JF001", Span.at(line, column), f"not valid UTF-8: byte 0x{bad} cannot be decoded"
        ) from None


def _scan_events(text: str) -> None:
    """Refuse aliases, anchors, non-core tags and runaway nesting before composing.

    Composing first would expand an alias bomb or recurse through thousands of nested
    flow collections; the event stream sees each at its own mark, in constant memory.
    """
    depth = 0
    try:
        for event in yaml.parse(text, Loader=yaml.CSafeLoader):
            if isinstance(event, yaml.AliasEvent):
                raise _Refusal(
                    "JF004",
                    _mark_span(event.start_mark, event.end_mark),
                    f"alias '*{event.anchor}' is not allowed in canon: write the text out",
                )
            anchor = getattr(event, "anchor", None)
            if anchor is not None:
                raise _Refusal(
                    "JF004",
                    _mark_span(event.start_mark, event.end_mark),
                    f"anchor '&{anchor}' is not allowed in canon: write the text out",
                )
            tag = getattr(event, "tag", None)
            if tag is not None and tag not in CORE_TAGS:
                raise _Refusal(
                    "JF004",
                    _mark_span(event.start_mark, event.end_mark),
                    f"tag '{tag}' is not allowed in canon: only plain text, lists and mappings",
                )
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    raise _Refusal(
                        "JF001",
                        _mark_span(event.start_mark),
                        f"nesting deeper than {MAX_DEPTH} levels; canon needs at most 5",
                    )
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError as error:
        raise _syntax_refusal(error) from None


def _compose(text: str) -> yaml.Node:
    try:
        root = yaml.compose(text, Loader=yaml.CSafeLoader)
    except yaml.YAMLError as error:
        raise _syntax_refusal(error) from None
    if root is None:
        raise _Refusal("JF001", Span.at(1, 1), "the file holds no document: expected a mapping")
    return root


def _syntax_refusal(error: yaml.YAMLError) -> _Refusal:
    if isinstance(error, yaml.MarkedYAMLError):
        mark = error.problem_mark or error.context_mark
        parts = [error.context, error.problem]
        message = "; ".join(part for part in parts if part) or "malformed YAML"
        return _Refusal("JF001", _mark_span(mark), f"malformed YAML: {message}")
    if isinstance(error, yaml.reader.ReaderError):
        return _Refusal("JF001", Span.at(1, 1), f"unreadable character: {error.reason}")
    return _Refusal("JF001", Span.at(1, 1), f"malformed YAML: {error}")


class _Walker:
    """Turns the node tree into plain data, recording positions on the way."""

    def __init__(self, document: Document) -> None:
        self.document = document
        self.constructor = yaml.constructor.SafeConstructor()

    def root(self, node: yaml.Node) -> dict[str, Any]:
        if not isinstance(node, yaml.MappingNode):
            found = "a list" if isinstance(node, yaml.SequenceNode) else "a single value"
            raise _Refusal(
                "JF001",
                _mark_span(node.start_mark),
                f"the top level must be a mapping with a 'kind', found {found}",
            )
        self.document.positions[()] = NodeSpan(_mark_span(node.start_mark, node.end_mark))
        return self._mapping(node, ())

    def _value(self, node: yaml.Node, path: FieldPath) -> Any:
        if len(path) > MAX_DEPTH:
            raise _Refusal(
                "JF001",
                _mark_span(node.start_mark),
                f"nesting deeper than {MAX_DEPTH} levels; canon needs at most 5",
            )
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self._item(child, (*path, index)) for index, child in enumerate(node.value)]
        assert isinstance(node, yaml.ScalarNode)
        return self._scalar(node, path)

    def _item(self, node: yaml.Node, path: FieldPath) -> Any:
        self.document.positions[path] = NodeSpan(_mark_span(node.start_mark, node.end_mark))
        return self._value(node, path)

    def _mapping(self, node: yaml.MappingNode, path: FieldPath) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = self._key(key_node)
            key_span = _mark_span(key_node.start_mark, key_node.end_mark)
            child = (*path, key)
            if key in result:
                first = self.document.positions[child].anchor.start
                self.document.diagnostics.append(
                    _error(
                        self.document.path,
                        "JF003",
                        key_span,
                        f"duplicate key '{key}' (first defined at line {first.line}); "
                        "YAML readers silently keep only one of them",
                    )
                )
                continue
            value_span = _mark_span(value_node.start_mark, value_node.end_mark)
            self.document.positions[child] = NodeSpan(value_span, key_span)
            result[key] = self._value(value_node, child)
        return result

    def _key(self, node: yaml.Node) -> str:
        if not isinstance(node, yaml.ScalarNode):
            raise _Refusal(
                "JF002",
                _mark_span(node.start_mark, node.end_mark),
                "a mapping key must be plain text, not a list or mapping",
            )
        if node.tag != STR_TAG:
            self.document.diagnostics.append(
                _error(
                    self.document.path,
                    "JF002",
                    _mark_span(node.start_mark, node.end_mark),
                    f"key {node.value!r} is not read as text by YAML 1.1 readers; "
                    f'quote it: "{node.value}"',
                )
            )
        return str(node.value)

    def _scalar(self, node: yaml.ScalarNode, path: FieldPath) -> Any:
        if node.tag == STR_TAG or node.tag not in CORE_TAGS:
            # Timestamps and other YAML 1.1 extras stay text, as YAML 1.2 reads them.
            return node.value
        if not node.style and node.value:
            self.document.implicit_scalars[path] = node.value
        return self.constructor.construct_object(node)
