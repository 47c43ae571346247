"""Read one canon file into plain data plus a position for every key, value and item.

libyaml does the parsing (it is ~25x faster than a pure-Python parser and keeps a mark on
every event); this module composes the data from its events in one pass. What canon must
not contain (aliases, anchors, non-core tags, duplicate keys) is refused here, each at the
parser's own mark, because later stages could not tell it happened.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

import yaml
from yaml._yaml import CParser  # what yaml.cyaml's loaders are built on
from yaml.events import (
    AliasEvent,
    CollectionEndEvent,
    CollectionStartEvent,
    DocumentStartEvent,
    Event,
    MappingEndEvent,
    MappingStartEvent,
    NodeEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)
from yaml.nodes import ScalarNode

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
# The first characters that can start a value YAML 1.1 reads as something other than text.
_IMPLICIT_FIRST = frozenset(key for key in yaml.resolver.Resolver.yaml_implicit_resolvers if key)
# PyYAML's implicit-type rules (bool, int, null, timestamp, ...) for the scalars the
# inline test in ``_Composer._root`` cannot settle; stateless without path resolvers.
_RESOLVER = yaml.resolver.Resolver()
_ALLOWED_TAGS = frozenset({*CORE_TAGS, None})
# libyaml's next event; typed loosely, as the stubs type every event as the base class.
_Events = Callable[[], Any]
# An open collection while its children are built: its value, field path, whether it is a
# mapping, where it starts (line, column) and the span of the key that holds it.
_Open = tuple[Any, FieldPath, bool, tuple[int, int], RawSpan]


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
        _Composer(path, limits).load(document, document.text)
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


class _Composer:
    """Builds a file's data and positions from libyaml's events, checking each as it comes.

    One pass over the event stream: an alias, anchor or non-core tag, nesting past
    ``max-depth`` or more nodes than ``max-nodes`` stops the file at its own event, before
    anything it would expand exists and with at most ``max-nodes`` nodes built. PyYAML's
    node tree is never made: its Python objects and a walk over them cost more than
    libyaml's parse, and it had to be guarded by a scan of the events first.

    What is wrong with the tree (a top level that is not a mapping, a list or mapping as a
    key, a value its tag cannot hold) waits, as do duplicate and non-text keys, until the
    whole stream has been read: an error of the stream, anywhere in it, is the one
    reported, and nothing is built after the tree's first error.
    """

    def __init__(self, path: str, limits: Limits) -> None:
        self.path = path
        self.limits = limits
        self.nodes = 0
        self.depth = 0
        self.raw: dict[FieldPath, RawSpan] = {}
        self.implicit_scalars: dict[FieldPath, str] = {}
        self.diagnostics: list[Diagnostic] = []
        self.refusal: Refusal | None = None
        self.constructor = yaml.constructor.SafeConstructor()

    def load(self, document: Document, text: str) -> None:
        """Fills in ``document`` from ``text``, or raises the Refusal that stops it."""
        try:
            data = self._stream(CParser(text).get_event, text)
        except yaml.YAMLError as error:
            self._refuse_earlier(error, text)
            raise _syntax_refusal(error, text) from None
        document.positions.raw = self.raw
        document.implicit_scalars = self.implicit_scalars
        document.diagnostics.extend(self.diagnostics)
        if self.refusal is not None:
            raise self.refusal
        document.data = data

    def _stream(self, get: _Events, text: str) -> dict[str, Any] | None:
        """The first document's root mapping; a second document is refused once the rest
        of the stream has been checked."""
        get()  # the stream's start
        if isinstance(get(), StreamEndEvent):
            raise Refusal("JF001", Span.at(1, 1), "the file holds no document: expected a mapping")
        root = get()
        data = self._root(get, root)
        following = self._check_until(get, DocumentStartEvent)
        if following is None or isinstance(following, StreamEndEvent):
            return data
        self._check_until(get, StreamEndEvent)
        error = yaml.composer.ComposerError(
            "expected a single document in the stream",
            root.start_mark,
            "but found another document",
            following.start_mark,
        )
        raise _syntax_refusal(error, text)

    def _refuse_earlier(self, error: yaml.YAMLError, text: str) -> None:
        """libyaml scans ahead of the events it hands out, so its own error (such as its
        nesting limit, whose place varies between its versions) can come before one of
        ours that sits earlier in the file: that one is raised."""
        mark = getattr(error, "problem_mark", None)
        if mark is not None and 0 < mark.index < len(text):
            with contextlib.suppress(yaml.YAMLError):
                checker = _Composer(self.path, self.limits)
                checker._check_until(CParser(text[: mark.index]).get_event, StreamEndEvent)

    def _check(self, event: Any) -> None:
        """The stream's rules for one event (``_root``, which builds the tree, inlines them)."""
        if isinstance(event, NodeEvent):
            if isinstance(event, AliasEvent) or event.anchor is not None:
                raise _not_allowed(event)
            if getattr(event, "tag", None) not in _ALLOWED_TAGS:
                raise _not_allowed(event)
            self.nodes += 1
            if self.nodes > self.limits.max_nodes:
                raise _too_many_nodes(event.start_mark, self.limits)
            if isinstance(event, CollectionStartEvent):
                self.depth += 1
                if self.depth > self.limits.max_depth:
                    raise _too_deep(event.start_mark, self.limits)
        elif isinstance(event, CollectionEndEvent):
            self.depth -= 1

    def _check_until(self, get: _Events, last: type[Event]) -> Any:
        """Checks the events up to the next of type ``last`` or the stream's end: returns it."""
        while True:
            event = get()
            if event is None or isinstance(event, (last, StreamEndEvent)):
                return event
            self._check(event)

    def _skip_node(self, get: _Events, event: Any) -> Any:
        """Checks the events of the node ``event`` starts, building nothing: returns its last."""
        self._check(event)
        level = 1 if isinstance(event, CollectionStartEvent) else 0
        while level:
            event = get()
            self._check(event)
            if isinstance(event, CollectionStartEvent):
                level += 1
            elif isinstance(event, CollectionEndEvent):
                level -= 1
        return event

    def _abandon(self, get: _Events, refusal: Refusal, still_open: list[_Open]) -> None:
        """Stops building at ``refusal``; the collections ``still_open`` get their spans at
        their ends (their positions were set before anything inside them was looked at)."""
        self.refusal = refusal
        level = 0
        while still_open:
            event = get()
            self._check(event)
            if isinstance(event, CollectionStartEvent):
                level += 1
            elif isinstance(event, CollectionEndEvent) and level:
                level -= 1
            elif isinstance(event, CollectionEndEvent):
                _, path, _, opened, held_by = still_open.pop()
                self.raw[path] = (*opened, *_end(event), *held_by)

    def _root(self, get: _Events, event: Any) -> dict[str, Any] | None:
        """The tree of the node ``event`` starts, if a mapping, with a position for every
        key, value and item (a value's followed by its key's).

        Runs for every event of every file, so the innermost open collection is kept in
        locals and the common case (a text key or value) is handled inline.
        """
        if not isinstance(event, MappingStartEvent):
            found = "a list" if isinstance(event, SequenceStartEvent) else "a single value"
            self._skip_node(get, event)
            self.refusal = Refusal(
                "JF001",
                _mark_span(event.start_mark),
                f"the top level must be a mapping with a 'kind', found {found}",
            )
            return None
        self._check(event)
        raw = self.raw
        max_nodes, max_depth = self.limits.max_nodes, self.limits.max_depth
        nodes, depth = self.nodes, self.depth
        root: dict[str, Any] = {}
        # The innermost open collection: its value, field path, kind, where it starts and
        # the span of the key that holds it (none for an item); then the key whose value
        # comes next, with its span. Positions are set when a collection opens (in the
        # order a walk of the tree would set them) and filled in when it ends.
        container: Any = root
        path: FieldPath = ()
        in_mapping = True
        opened = _start(event)
        held_by: RawSpan = ()
        key: str | None = None
        key_span: RawSpan = ()
        outer: list[_Open] = []
        raw[()] = ()
        while True:
            event = get()
            kind = type(event)
            if kind is ScalarEvent:
                value = event.value
                tag = event.tag
                if event.anchor is not None or (tag is not None and tag not in CORE_TAGS):
                    raise _not_allowed(event)
                nodes += 1
                if nodes > max_nodes:
                    raise _too_many_nodes(event.start_mark, self.limits)
                start, end = event.start_mark, event.end_mark
                span = (start.line, start.column, end.line, end.column)
                if tag is None:
                    # Nearly all canon scalars are sentences: their first character
                    # cannot start an implicit type (bool, int, null, ...), or it is a
                    # letter and they hold a space, while the implicit types that can
                    # start with a letter (booleans, null) are single words.
                    first = value[:1]
                    if first and (
                        first not in _IMPLICIT_FIRST or (" " in value and first.isalpha())
                    ):
                        tag = STR_TAG
                    else:
                        tag = _RESOLVER.resolve(ScalarNode, value, event.implicit)  # type: ignore[no-untyped-call]
                if not in_mapping:
                    child: FieldPath = (*path, len(container))
                    raw[child] = span
                elif key is None:
                    key = value if tag == STR_TAG else self._odd_key(value, event)
                    key_span = span
                    if key in container:
                        self.nodes, self.depth = nodes, depth
                        self._duplicate(get, event, (*path, key))
                        nodes = self.nodes
                        key = None
                    continue
                else:
                    child = (*path, key)
                    raw[child] = span + key_span
                if tag != STR_TAG:
                    try:
                        value = self._typed(value, tag, event, child)
                    except Refusal as refusal:
                        self.nodes, self.depth = nodes, depth
                        current = (container, path, in_mapping, opened, held_by)
                        self._abandon(get, refusal, [*outer, current])
                        return None
                if in_mapping:
                    container[key] = value
                    key = None
                else:
                    container.append(value)
            elif kind is MappingStartEvent or kind is SequenceStartEvent:
                if in_mapping and key is None:
                    self.nodes, self.depth = nodes, depth
                    self._refuse_key(get, event, [*outer, (container, path, True, opened, held_by)])
                    return None
                tag = event.tag
                if event.anchor is not None or (tag is not None and tag not in CORE_TAGS):
                    raise _not_allowed(event)
                nodes += 1
                if nodes > max_nodes:
                    raise _too_many_nodes(event.start_mark, self.limits)
                depth += 1
                if depth > max_depth:
                    raise _too_deep(event.start_mark, self.limits)
                new: Any = {} if kind is MappingStartEvent else []
                if key is not None:  # in a mapping: the key's value
                    child = (*path, key)
                    container[key] = new
                else:
                    child = (*path, len(container))
                    container.append(new)
                raw[child] = ()
                outer.append((container, path, in_mapping, opened, held_by))
                held_by = key_span if in_mapping else ()
                container, path, in_mapping = new, child, kind is MappingStartEvent
                opened = _start(event)
                key = None
            elif kind is MappingEndEvent or kind is SequenceEndEvent:
                depth -= 1
                raw[path] = (*opened, *_end(event), *held_by)
                if not outer:
                    self.nodes, self.depth = nodes, depth
                    return root
                container, path, in_mapping, opened, held_by = outer.pop()
                key = None
            else:  # an alias, the one other event inside a document
                raise _not_allowed(event)

    def _refuse_key(self, get: _Events, event: Any, still_open: list[_Open]) -> None:
        """A list or mapping as a key, refused where it starts and ends."""
        last = self._skip_node(get, event)
        refusal = Refusal(
            "JF002",
            _mark_span(event.start_mark, last.end_mark),
            "a mapping key must be plain text, not a list or mapping",
        )
        self._abandon(get, refusal, still_open)

    def _odd_key(self, value: str, event: Any) -> str:
        """A key YAML 1.1 does not read as text (a number, a boolean): reported, kept as text."""
        self.diagnostics.append(
            _error(
                self.path,
                "JF002",
                _mark_span(event.start_mark, event.end_mark),
                f'key {value!r} is not read as text by YAML 1.1 readers; quote it: "{value}"',
            )
        )
        return value

    def _duplicate(self, get: _Events, event: Any, field: FieldPath) -> None:
        """A key seen before in its mapping: reported, and its value checked, not built."""
        self._skip_node(get, get())
        key, first = field[-1], self.raw[field]
        self.diagnostics.append(
            _error(
                self.path,
                "JF003",
                _mark_span(event.start_mark, event.end_mark),
                f"duplicate key '{key}' (first defined at line {first[4] + 1}); "
                "YAML readers silently keep only one of them",
            )
        )

    def _typed(self, value: str, tag: str, event: Any, path: FieldPath) -> Any:
        """The Python value of a scalar that is not text (bool, int, null, ...)."""
        if tag not in CORE_TAGS:
            # Timestamps and other YAML 1.1 extras stay text, as YAML 1.2 reads them.
            return value
        if not event.style and value:
            self.implicit_scalars[path] = value
        node = ScalarNode(tag, value, event.start_mark, event.end_mark, event.style)
        try:
            return self.constructor.construct_object(node)
        except (ValueError, LookupError, yaml.YAMLError):  # `!!int abc`, `!!bool maybe`
            raise _bad_tagged_value(node) from None


def _start(event: Any) -> tuple[int, int]:
    return (event.start_mark.line, event.start_mark.column)


def _end(event: Any) -> tuple[int, int]:
    return (event.end_mark.line, event.end_mark.column)


def _not_allowed(event: Any) -> Refusal:
    """The refusal of an alias, an anchor or a non-core tag (in that order) at ``event``."""
    span = _mark_span(event.start_mark, event.end_mark)
    if isinstance(event, AliasEvent):
        message = f"alias '*{event.anchor}' is not allowed in canon: write the text out"
    elif event.anchor is not None:
        message = f"anchor '&{event.anchor}' is not allowed in canon: write the text out"
    else:
        message = f"tag '{event.tag}' is not allowed in canon: only plain text, lists and mappings"
    return Refusal("JF004", span, message)


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
