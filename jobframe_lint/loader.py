"""Read one canon file into plain data plus a position for every key, value and item.

libyaml's composer does the parsing (it is ~25x faster than a pure-Python parser and
keeps a mark on every node); this module only walks its node tree. What canon must not
contain (aliases, anchors, non-core tags, duplicate keys) is refused here, each at the
parser's own mark, because later stages could not tell it happened.
"""

from __future__ import annotations

import contextlib
import re
from pathlib import Path
from typing import Any, Protocol

import yaml
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from jobframe_lint.diagnostics import Diagnostic, Position, Severity, Span
from jobframe_lint.document import (
    DEFAULT_LIMITS,
    Document,
    FieldPath,
    Limits,
    RawSpan,
    Refusal,
    byte_span,
    decode,
    read_bytes,
)

CORE_TAGS = frozenset(
    "tag:yaml.org,2002:" + name for name in ("str", "int", "float", "bool", "null", "map", "seq")
)
STR_TAG = "tag:yaml.org,2002:str"
# Characters without which a document cannot hold an alias, anchor, tag or flow
# collection: files lacking all of them skip the slower event scan.
_SCAN_TRIGGERS = (b"&", b"*", b"!", b"[", b"{")
# A line opening with this much indentation and block indicators (`- - - x`) may nest
# deeper than libyaml's recursive composer survives (100,000 levels crash it); below it,
# block nesting stays under ~2 levels a character and the walker's depth check suffices.
# Searched for after a line break, not as `^` with MULTILINE: the engine skips from one
# `\n` to the next instead of trying every byte (12 ms for the 2,001-file canon, not 110).
_DEEP_LINE = re.compile(rb"[ \t?:-]{64}")
_DEEP_LINE_AFTER_BREAK = re.compile(rb"\n[ \t?:-]{64}")
# Larger files are scanned first so that the node count is checked in constant memory;
# a smaller one cannot hold enough nodes to strain memory while it is composed.
_SCAN_ABOVE_BYTES = 64 * 1024


def load_file(
    path: str | Path, display: str | None = None, limits: Limits = DEFAULT_LIMITS
) -> Document:
    """Load ``path``; every failure becomes a located diagnostic on the returned document."""
    shown = display if display is not None else str(path)
    try:
        raw = read_bytes(path, limits.max_file_bytes)
    except OSError as error:
        reason = error.strerror or error.__class__.__name__
        refusal = Refusal("JF001", Span.at(1, 1), f"cannot read file: {reason}")
    except Refusal as refused:
        refusal = refused
    else:
        return load_bytes(raw, shown, limits)
    return Document(shown, diagnostics=[_error(shown, refusal.code, refusal.span, refusal.message)])


def load_bytes(raw: bytes, path: str, limits: Limits = DEFAULT_LIMITS) -> Document:
    document = Document(path)
    try:
        if len(raw) > limits.max_file_bytes:
            raise Refusal(
                "JF001",
                Span.at(1, 1),
                f"file is larger than {limits.max_file_bytes:,} bytes, "
                "the limit for a canon file (max-file-bytes)",
            )
        document.text = decode(raw)
        if _needs_scan(raw):
            _scan_events(document.text, limits)
        root = _compose(document.text)
        document.data = _Walker(document, limits).root(root)
    except Refusal as refusal:
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


def _needs_scan(raw: bytes) -> bool:
    """Whether composing ``raw`` could expand aliases, build objects, or exhaust memory or
    stack before the walker's checks run; if not, the slower event scan is skipped."""
    return (
        len(raw) > _SCAN_ABOVE_BYTES
        or any(trigger in raw for trigger in _SCAN_TRIGGERS)
        or _has_deep_line(raw)
    )


def _has_deep_line(raw: bytes) -> bool:
    """Whether a line of ``raw`` opens with the indentation ``_DEEP_LINE`` names."""
    return _DEEP_LINE.match(raw) is not None or _DEEP_LINE_AFTER_BREAK.search(raw) is not None


def _scan_events(text: str, limits: Limits) -> None:
    """Refuse aliases, anchors, non-core tags, runaway nesting and size before composing.

    Composing first would expand an alias bomb, recurse through thousands of nested
    collections or build every node; the event stream sees each at its own mark, in
    constant memory.
    """
    try:
        _check_events(text, limits)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        if mark is not None and 0 < mark.index < len(text):
            # libyaml scans ahead of the events it hands out, so its own error (such as
            # its nesting limit, whose place varies between its versions) can come before
            # one of ours that sits earlier in the file: that one is reported.
            with contextlib.suppress(yaml.YAMLError):
                _check_events(text[: mark.index], limits)
        raise _syntax_refusal(error, text) from None


def _check_events(text: str, limits: Limits) -> None:
    """The checks of ``_scan_events``, raising libyaml's own errors as they come."""
    depth = 0
    nodes = 0
    for event in yaml.parse(text, Loader=yaml.CSafeLoader):
        if isinstance(event, yaml.AliasEvent):
            raise Refusal(
                "JF004",
                _mark_span(event.start_mark, event.end_mark),
                f"alias '*{event.anchor}' is not allowed in canon: write the text out",
            )
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            raise Refusal(
                "JF004",
                _mark_span(event.start_mark, event.end_mark),
                f"anchor '&{anchor}' is not allowed in canon: write the text out",
            )
        tag = getattr(event, "tag", None)
        if tag is not None and tag not in CORE_TAGS:
            raise Refusal(
                "JF004",
                _mark_span(event.start_mark, event.end_mark),
                f"tag '{tag}' is not allowed in canon: only plain text, lists and mappings",
            )
        if isinstance(event, (yaml.ScalarEvent, yaml.CollectionStartEvent)):
            nodes += 1
            if nodes > limits.max_nodes:
                raise _too_many_nodes(event.start_mark, limits)
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > limits.max_depth:
                raise _too_deep(event.start_mark, limits)
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def _too_deep(mark: _Mark | None, limits: Limits) -> Refusal:
    return Refusal(
        "JF001",
        _mark_span(mark),
        f"nesting deeper than {limits.max_depth} levels; canon needs at most 5 (max-depth)",
    )


def _too_many_nodes(mark: _Mark | None, limits: Limits) -> Refusal:
    return Refusal(
        "JF001",
        _mark_span(mark),
        f"more than {limits.max_nodes:,} keys, values and items; "
        "a canon file holds a few hundred (max-nodes)",
    )


_IMPLICIT_FIRST = frozenset(key for key in yaml.resolver.Resolver.yaml_implicit_resolvers if key)


class _FastLoader(yaml.CSafeLoader):
    """libyaml's composer with a shortcut through PyYAML's tag resolver for plain text.

    The resolver is Python, called for every scalar, and nearly all canon scalars are
    sentences: either their first character cannot start an implicit type (bool, int,
    null, ...), or it is a letter and they hold a space, while the implicit types that can
    start with a letter (booleans, null) are single words.
    """

    def resolve(self, kind: type[yaml.Node], value: str | None, implicit: tuple[bool, bool]) -> str:
        if kind is ScalarNode and value:
            first = value[0]
            if first not in _IMPLICIT_FIRST or (first.isalpha() and " " in value):
                return STR_TAG
        tag: str = super().resolve(kind, value, implicit)  # type: ignore[no-untyped-call]
        return tag


def _compose(text: str) -> yaml.Node:
    try:
        root = yaml.compose(text, Loader=_FastLoader)
    except yaml.YAMLError as error:
        raise _syntax_refusal(error, text) from None
    if root is None:
        raise Refusal("JF001", Span.at(1, 1), "the file holds no document: expected a mapping")
    return root


def _syntax_refusal(error: yaml.YAMLError, text: str) -> Refusal:
    if isinstance(error, yaml.MarkedYAMLError):
        from jobframe_lint.yaml_mistakes import explain

        explained = explain(text, error.problem_mark, error.context_mark)
        if explained is not None:
            return Refusal("JF001", explained.span, f"malformed YAML: {explained.message}")
        mark = error.problem_mark or error.context_mark
        parts = [error.context, error.problem]
        message = "; ".join(part for part in parts if part) or "malformed YAML"
        return Refusal("JF001", _mark_span(mark), f"malformed YAML: {message}")
    if isinstance(error, yaml.reader.ReaderError):
        # libyaml counts the offset in the UTF-8 bytes it was handed.
        return Refusal(
            "JF001",
            byte_span(text.encode("utf-8", "surrogatepass"), error.position),
            f"{error.reason} in YAML (found {error.character:#04x})",
        )
    return Refusal("JF001", Span.at(1, 1), f"malformed YAML: {error}")


class _Walker:
    """Turns the node tree into plain data, recording positions on the way.

    Runs once per node of every file, so the common case (a text key or value) is tested
    inline with ``type(...) is`` and positions are stored as raw tuples; anything else
    takes the general path through ``_value``.
    """

    def __init__(self, document: Document, limits: Limits) -> None:
        self.document = document
        self.limits = limits
        self.raw = document.positions.raw
        self.nodes = 0
        self.constructor = yaml.constructor.SafeConstructor()

    def root(self, node: yaml.Node) -> dict[str, Any]:
        if not isinstance(node, MappingNode):
            found = "a list" if isinstance(node, SequenceNode) else "a single value"
            raise Refusal(
                "JF001",
                _mark_span(node.start_mark),
                f"the top level must be a mapping with a 'kind', found {found}",
            )
        self._count(node)
        self.raw[()] = _raw_span(node)
        return self._mapping(node, ())

    def _count(self, node: yaml.Node) -> None:
        """The node limit for files too small to need the event scan's constant-memory count."""
        self.nodes += 1
        if self.nodes > self.limits.max_nodes:
            raise _too_many_nodes(node.start_mark, self.limits)

    def _value(self, node: yaml.Node, path: FieldPath) -> Any:
        if len(path) >= self.limits.max_depth and not isinstance(node, ScalarNode):
            raise _too_deep(node.start_mark, self.limits)
        if isinstance(node, MappingNode):
            return self._mapping(node, path)
        if isinstance(node, SequenceNode):
            return self._sequence(node, path)
        assert isinstance(node, ScalarNode)
        return self._scalar(node, path)

    def _sequence(self, node: SequenceNode, path: FieldPath) -> list[Any]:
        raw = self.raw
        items: list[Any] = []
        for index, child in enumerate(node.value):
            self._count(child)
            item = (*path, index)
            raw[item] = _raw_span(child)
            if type(child) is ScalarNode and child.tag == STR_TAG:
                items.append(child.value)
            else:
                items.append(self._value(child, item))
        return items

    def _mapping(self, node: MappingNode, path: FieldPath) -> dict[str, Any]:
        raw = self.raw
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            self._count(key_node)
            if type(key_node) is ScalarNode and key_node.tag == STR_TAG:
                key = key_node.value
            else:
                key = self._odd_key(key_node)
            child = (*path, key)
            if key in result:
                self._duplicate(key, key_node, raw[child])
                continue
            self._count(value_node)
            raw[child] = _raw_span(value_node) + _raw_span(key_node)
            if type(value_node) is ScalarNode and value_node.tag == STR_TAG:
                result[key] = value_node.value
            else:
                result[key] = self._value(value_node, child)
        return result

    def _duplicate(self, key: str, node: yaml.Node, first: RawSpan) -> None:
        self.document.diagnostics.append(
            _error(
                self.document.path,
                "JF003",
                _mark_span(node.start_mark, node.end_mark),
                f"duplicate key '{key}' (first defined at line {first[4] + 1}); "
                "YAML readers silently keep only one of them",
            )
        )

    def _odd_key(self, node: yaml.Node) -> str:
        """A key that is not plain text: refused if a collection, reported if a number."""
        if not isinstance(node, ScalarNode):
            raise Refusal(
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

    def _scalar(self, node: ScalarNode, path: FieldPath) -> Any:
        if node.tag not in CORE_TAGS:
            # Timestamps and other YAML 1.1 extras stay text, as YAML 1.2 reads them.
            return node.value
        if not node.style and node.value:
            self.document.implicit_scalars[path] = node.value
        try:
            return self.constructor.construct_object(node)
        except (ValueError, LookupError, yaml.YAMLError):  # `!!int abc`, `!!bool maybe`
            raise _bad_tagged_value(node) from None


def _bad_tagged_value(node: ScalarNode) -> Refusal:
    """A value its core tag cannot hold, written (``!!int abc``) or resolved (an integer of
    5,000 digits, past Python's limit): PyYAML's constructor has no message for it
    (``!!bool`` raises KeyError), so the file is refused here, at the value."""
    tag = node.tag.replace("tag:yaml.org,2002:", "!!")
    shown = node.value if len(node.value) <= 40 else node.value[:40] + "..."
    return Refusal(
        "JF001",
        _mark_span(node.start_mark, node.end_mark),
        f"{shown!r} is not a valid {tag} value; write it as quoted text",
    )


def _raw_span(node: yaml.Node) -> RawSpan:
    start, end = node.start_mark, node.end_mark
    return (start.line, start.column, end.line, end.column)
