"""The canonical layout of a canon file (SPEC §9), as a pure bytes-to-bytes transformation.

ruamel.yaml's round-trip reads the file with its comments; the tree is then put in order
(block style, keys in schema order, each text quoted only where a reader would otherwise
take it for something else) and written back with 2-space indentation and no folding.
Comments keep their place among the keys and items; a last pass over the text aligns
them with the content (an own-line comment indented like the line it precedes, two spaces
before an end-of-line one), since ruamel.yaml keeps the columns they had in the source.

Imported by ``format`` alone: importing ruamel.yaml takes ~0.1 s, more than a cached ``check``.
"""

from __future__ import annotations

import codecs
import re
from collections import Counter, OrderedDict
from collections.abc import Iterator
from functools import cache
from io import StringIO
from itertools import pairwise
from typing import Any

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import CommentMark
from ruamel.yaml.nodes import ScalarNode
from ruamel.yaml.resolver import VersionedResolver
from ruamel.yaml.scalarstring import (
    DoubleQuotedScalarString,
    FoldedScalarString,
    LiteralScalarString,
    ScalarString,
    SingleQuotedScalarString,
)
from ruamel.yaml.tokens import CommentToken

from jobframe_lint.diagnostics import Diagnostic
from jobframe_lint.document import DEFAULT_LIMITS, Limits
from jobframe_lint.loader import load_bytes
from jobframe_lint.schema import load_schema

# What the loader refuses a file for: not YAML, not a mapping, duplicate keys, aliases.
REFUSALS = frozenset({"JF001", "JF003", "JF004"})

# The YAML 1.1 booleans PyYAML leaves out (https://yaml.org/type/bool.html); other YAML 1.1
# readers take them for true and false.
_SHORT_BOOLEANS = frozenset({"y", "Y", "n", "N"})
# What our own loader (PyYAML, YAML 1.1) constructs as something other than text.
_NOT_TEXT = frozenset("tag:yaml.org,2002:" + name for name in ("bool", "int", "float", "null"))
_STR_TAG = "tag:yaml.org,2002:str"
_LINE_BREAKS = re.compile("[\n\r\x85\u2028\u2029]")
_BLOCK_STYLES = (LiteralScalarString, FoldedScalarString)
# A document's opening marker on a line of its own, perhaps with a comment.
_OPENING = re.compile(r"---(?:\s+#.*)?")
# Never fold a line: a width no canon text reaches.
_UNFOLDED = 1 << 30


class FormatError(Exception):
    """The file cannot be formatted safely, and is left alone: the message says why."""


class Unloadable(Exception):
    """The loader refuses the file (JF001-JF004): nothing can be known to keep its data."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        super().__init__(diagnostics[0].message if diagnostics else "the file does not load")
        self.diagnostics = diagnostics


class _AllText(VersionedResolver):
    """Reads every plain scalar as text, its source spelling kept.

    ruamel.yaml reads YAML 1.2 and our loader YAML 1.1: with ruamel.yaml's own typing a
    plain ``No`` would come back as ``false``. As text, what was plain is written plain
    again, and reads as it did; the scalar styles are decided in ``_style``.
    """

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if kind is ScalarNode and implicit[0]:
            return self.DEFAULT_SCALAR_TAG
        return super().resolve(kind, value, implicit)


@cache
def _yaml() -> YAML:
    round_trip = YAML(typ="rt")
    round_trip.Resolver = _AllText
    round_trip.preserve_quotes = True  # tells a quoted scalar from a plain one
    round_trip.indent(mapping=2, sequence=4, offset=2)
    round_trip.width = _UNFOLDED
    return round_trip


@cache
def _readers() -> tuple[yaml.resolver.Resolver, VersionedResolver]:
    """PyYAML's YAML 1.1 (our loader's) and ruamel.yaml's YAML 1.2 core scalar typing."""
    return yaml.resolver.Resolver(), VersionedResolver(version=(1, 2))


def format_canon(raw: bytes, path: str, limits: Limits = DEFAULT_LIMITS) -> bytes:
    """The canonical form of canon file ``raw``, proven to load to the same data.

    Unloadable where our loader refuses ``raw``; FormatError where the formatted text would
    not load back to exactly the data (types included) that ``raw`` holds, or would not
    hold the same comments.
    """
    before = load_bytes(raw, path, limits)
    refusals = [item for item in before.diagnostics if item.code in REFUSALS]
    if before.data is None or refusals:
        raise Unloadable(refusals or before.diagnostics)
    formatted = format_bytes(raw)
    if formatted == raw:
        return raw
    after = load_bytes(formatted, path, limits)
    if (
        after.data is None
        or any(item.code in REFUSALS for item in after.diagnostics)
        or not same_data(before.data, after.data)
    ):
        raise FormatError("the formatted text would not load to the same data")
    lost = _lost_comment(before.text or "", after.text or "")
    if lost is not None:
        raise FormatError(lost)
    return formatted


def same_data(first: object, second: object) -> bool:
    """Equal, and of the same types throughout: ``True == 1`` and ``1 == 1.0`` in Python,
    and a NaN equals nothing; the order of a mapping's keys is layout, not data."""
    if type(first) is not type(second):
        return False
    if isinstance(first, dict):
        assert isinstance(second, dict)
        return first.keys() == second.keys() and all(
            same_data(value, second[key]) for key, value in first.items()
        )
    if isinstance(first, list):
        assert isinstance(second, list)
        return len(first) == len(second) and all(map(same_data, first, second))
    return repr(first) == repr(second)


def format_bytes(raw: bytes) -> bytes:
    """``raw`` in the canonical layout, its BOM and line endings kept.

    ``raw`` must be a file our loader accepts (UTF-8, one mapping, no aliases or duplicate
    keys); FormatError if ruamel.yaml cannot handle it all the same.
    """
    bom = codecs.BOM_UTF8 if raw.startswith(codecs.BOM_UTF8) else b""
    text = raw[len(bom) :].decode("utf-8")
    newline = "\r\n" if text.partition("\n")[0].endswith("\r") else "\n"
    # YAML reads CRLF as LF: the tree is the same, and the output is written with LF.
    preamble, body = _preamble(text.replace("\r\n", "\n"))
    try:
        tree = _yaml().load(body)
        _canonical(tree)
        stream = StringIO()
        _yaml().dump(tree, stream)
        laid_out = _lay_out_comments(stream.getvalue())
    except Exception as error:  # any failure of the library leaves the file alone
        raise FormatError(f"ruamel.yaml cannot format it: {_first_line(error)}") from None
    return bom + (preamble + laid_out).replace("\n", newline).encode("utf-8")


def _preamble(text: str) -> tuple[str, str]:
    """The lines up to an opening ``---`` (comments, directives), kept as they are, and the
    document after it: ruamel.yaml drops the comments above a ``---`` and the marker."""
    lines = text.split("\n")
    for index, line in enumerate(lines):
        stripped = line.strip()
        if _OPENING.fullmatch(stripped):
            return "\n".join(lines[: index + 1]) + "\n", "\n".join(lines[index + 1 :])
        if stripped and not stripped.startswith(("#", "%")):
            break
    return "", text


def _first_line(error: Exception) -> str:
    """ruamel.yaml's reason, located where it has a place; its messages span lines."""
    problem, mark = getattr(error, "problem", None), getattr(error, "problem_mark", None)
    if problem and mark is not None:
        return f"{problem} (line {mark.line + 1}, column {mark.column + 1})"
    return (str(error).strip().splitlines() or [type(error).__name__])[0]


def _canonical(tree: object) -> None:
    if not isinstance(tree, CommentedMap):
        raise FormatError("the top level is not a mapping")
    _restyle(tree)
    kind = tree.get("kind")
    if kind not in ("levels", "family"):
        return  # no schema to order by: `check` says what is wrong with the kind
    schema = load_schema(str(kind))
    _reorder(tree, list(schema["properties"]), header=True)
    levels = tree.get("levels")
    if not isinstance(levels, CommentedMap):
        return
    level_schema = schema["$defs"]["level" if kind == "levels" else "familyLevel"]
    rubric_keys = list(level_schema["properties"].get("rubrics", {}).get("properties", {}))
    for level in levels.values():
        if isinstance(level, CommentedMap):
            _reorder(level, list(level_schema["properties"]))
            rubrics = level.get("rubrics")
            if isinstance(rubrics, CommentedMap):
                _reorder(rubrics, rubric_keys)


def _reorder(mapping: CommentedMap, order: list[str], header: bool = False) -> None:
    """Known keys in ``order``, then the others as they were.

    ruamel.yaml hangs the comment lines before a key on whatever ends the entry above it
    (its value, or the last item deep inside it): moved as they are, they would stay
    behind. So each key takes the comment lines just above it along, an end-of-line
    comment stays on its line, and the lines after the last entry stay at the end. The
    top of a file (``header``) keeps its comments, a modeline say, where they are.
    """
    rank = {key: index for index, key in enumerate(order)}
    keys = list(mapping)
    wanted = sorted(keys, key=lambda key: rank.get(key, len(order)))
    if wanted == keys:
        return
    column = mapping.lc.key(keys[0])[1]
    above = {key: _take_trailing(mapping, previous, column) for previous, key in pairwise(keys)}
    tail = _take_trailing(mapping, keys[-1], column)
    leading = mapping.ca.comment[1] if mapping.ca.comment and not header else None
    if leading:
        _put_before(mapping, keys[0], list(leading))
        leading.clear()  # the same list is the parent's hold on them
    for key, lines in above.items():
        if lines:
            _put_before(mapping, key, [CommentToken(lines, CommentMark(0))])
    for key in wanted:
        mapping.move_to_end(key)
    if tail:
        _add_trailing(mapping, wanted[-1], tail)


def _last_slot(container: CommentedMap | CommentedSeq, key: Any) -> tuple[list[Any], int, bool]:
    """Where the comment after ``container[key]``'s entry is held (the innermost last item
    of a block collection holds it): the slot list, its index, and whether it follows a
    block scalar (whose line break comes before the comment)."""
    value = container[key]
    if isinstance(value, (CommentedMap, CommentedSeq)) and len(value) and not value.fa.flow_style():
        return _last_slot(
            value, list(value)[-1] if isinstance(value, CommentedMap) else len(value) - 1
        )
    index = 2 if isinstance(container, CommentedMap) else 0
    return container.ca.items.setdefault(key, [None] * 4), index, isinstance(value, _BLOCK_STYLES)


def _take_trailing(mapping: CommentedMap, key: Any, column: int) -> str:
    """Remove and return the own-line comments (and blank lines) after ``key``'s entry that
    stand above what follows it; those indented deeper than the mapping's keys (at
    ``column``) before them close the entry, and stay."""
    slot, index, after_block = _last_slot(mapping, key)
    token = slot[index]
    if token is None:
        return ""
    value = str(token.value)
    end_of_line, lines = ("", value) if after_block else value.partition("\n")[::2]
    head, moved = _split_above(lines, column)
    kept = head if after_block or not (end_of_line or head) else f"{end_of_line}\n{head}"
    if kept:
        token.value = kept
    else:
        slot[index] = None
    return moved


def _split_above(lines: str, column: int) -> tuple[str, str]:
    """``lines`` cut where the comments above the next key begin: at its first comment
    indented no deeper than ``column``, or after the last one, with the blank lines
    before that point."""
    pieces = lines.splitlines(keepends=True)
    shallow = [i for i, line in enumerate(pieces) if line.strip() and _depth(line) <= column]
    deep = [i for i, line in enumerate(pieces) if line.strip() and _depth(line) > column]
    cut = shallow[0] if shallow else (deep[-1] + 1 if deep else 0)
    while cut > 0 and not pieces[cut - 1].strip():
        cut -= 1
    return "".join(pieces[:cut]), "".join(pieces[cut:])


def _depth(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _add_trailing(mapping: CommentedMap, key: Any, lines: str) -> None:
    slot, index, after_block = _last_slot(mapping, key)
    token = slot[index]
    if token is not None:
        token.value = token.value + lines
    else:
        slot[index] = CommentToken(lines if after_block else "\n" + lines, CommentMark(0))


def _put_before(mapping: CommentedMap, key: Any, tokens: list[Any]) -> None:
    slot = mapping.ca.items.setdefault(key, [None] * 4)
    slot[1] = [*tokens, *(slot[1] or [])]


def _restyle(node: object) -> None:
    """Block style throughout (an empty ``{}`` or ``[]`` has no other), and every text's
    quoting decided by ``_style``."""
    if isinstance(node, (CommentedMap, CommentedSeq)) and len(node):
        node.fa.set_block_style()
    if isinstance(node, CommentedMap):
        pairs = [(_style(key), value) for key, value in node.items()]
        OrderedDict.clear(node)  # the comments are kept apart, by key, and stay
        for key, value in pairs:
            _restyle(value)
            OrderedDict.__setitem__(node, key, _style(value))
    elif isinstance(node, CommentedSeq):
        for index, item in enumerate(node):
            _restyle(item)
            list.__setitem__(node, index, _style(item))


def _style(value: Any) -> Any:
    """The scalar to write for ``value``: plain where it reads back as the same text in
    YAML 1.1 and 1.2 alike, single-quoted where either would take it for a boolean,
    number, null or date (the emitter switches to double quotes where single ones cannot
    hold the text), double-quoted when it holds a line break so that it stays on one line.

    A plain scalar our loader reads as something other than text (``off`` as false) stays
    as it is: quoting it would change the data, and ``check`` reports it.
    """
    if not isinstance(value, str) or isinstance(value, _BLOCK_STYLES):
        return value
    text = str(value)
    if _LINE_BREAKS.search(text):
        return DoubleQuotedScalarString(text)
    was_plain = not isinstance(value, ScalarString)
    if was_plain and _read_by_loader(text) in _NOT_TEXT:
        return value
    if _needs_quotes(text):
        return SingleQuotedScalarString(text)
    return text


def _read_by_loader(text: str) -> str:
    tag: str = _readers()[0].resolve(yaml.ScalarNode, text, (True, False))  # type: ignore[no-untyped-call]
    return tag


def _needs_quotes(text: str) -> bool:
    """Whether a YAML 1.1 or 1.2 reader would take plain ``text`` for anything but text."""
    if text in _SHORT_BOOLEANS:
        return True
    if text and text[0].isalpha() and " " in text:
        return False  # booleans and nulls are one word; numbers and dates start otherwise
    one_two = _readers()[1].resolve(ScalarNode, text, (True, False))
    return _read_by_loader(text) != _STR_TAG or str(one_two) != _STR_TAG


def comments(text: str) -> dict[int, str]:
    """The comments of YAML ``text`` by (1-based) line, each without the spaces around it."""
    lines = text.split("\n")
    inside, code_ends = _content_map(text)
    found: dict[int, str] = {}
    for index, line in enumerate(lines):
        position = -1 if index in inside else _comment_start(line, code_ends.get(index, 0))
        if position >= 0:
            found[index + 1] = line[position:].strip()
    return found


def _lost_comment(before: str, after: str) -> str | None:
    """Why ``after`` does not hold every comment of ``before``, if it does not."""
    kept = Counter(comments(after).values())
    for line, comment in comments(before).items():
        if kept[comment] == 0:
            return (
                f"the formatted text would lose the comment on line {line} "
                "(ruamel.yaml drops comments inside [...] and {...}: move it out of them)"
            )
        kept[comment] -= 1
    return None


def _lay_out_comments(text: str) -> str:
    """Own-line comments indented like the content line after them (after the last one, no
    deeper than it), two spaces before an end-of-line comment, no trailing spaces; block
    scalars' lines are left as they are."""
    lines = text.split("\n")
    inside, code_ends = _content_map(text)
    structural = [
        index
        for index, line in enumerate(lines)
        if index not in inside and line.strip() and not line.lstrip().startswith("#")
    ]
    following = _next_structural(len(lines), structural)
    last = _depth(lines[structural[-1]]) if structural else 0
    for index, line in enumerate(lines):
        if index in inside:
            continue
        stripped = line.strip()
        position = _comment_start(line, code_ends.get(index, 0))
        if stripped.startswith("#"):
            target = following[index]
            depth = min(_depth(line), last) if target is None else _depth(lines[target])
            lines[index] = " " * depth + stripped
        elif position > 0:
            lines[index] = f"{line[:position].rstrip()}  {line[position:].rstrip()}"
        else:
            lines[index] = line.rstrip()
    return "\n".join(lines).rstrip("\n") + "\n"


def _content_map(text: str) -> tuple[set[int], dict[int, int]]:
    """The lines that are scalar text through and through (a block scalar's, or a quoted
    or plain scalar's before its last line), and per line the column where its last
    scalar ends (or a block scalar's header), past which a ``#`` can only start a comment."""
    inside: set[int] = set()
    code_ends: dict[int, int] = {}
    for event in yaml.parse(text, Loader=yaml.CSafeLoader):
        start, end = event.start_mark, event.end_mark
        if not isinstance(event, yaml.ScalarEvent) or start is None or end is None:
            continue
        if event.style in ("|", ">"):
            inside.update(range(start.line + 1, end.line + (1 if end.column else 0)))
            code_ends[start.line] = max(code_ends.get(start.line, 0), start.column + 1)
            continue
        inside.update(range(start.line, end.line))
        code_ends[end.line] = max(code_ends.get(end.line, 0), end.column)
    return inside, code_ends


def _comment_start(line: str, code_end: int) -> int:
    """Where the comment of ``line`` starts (-1 if none): a ``#`` past its last scalar, at
    the start of the line or after a space."""
    position = line.find("#", code_end)
    while position > 0 and line[position - 1] not in " \t":
        position = line.find("#", position + 1)
    return position


def _next_structural(count: int, structural: list[int]) -> list[int | None]:
    """For each line, the next content line at or after it (None past the last)."""
    following: list[int | None] = [None] * count
    upcoming: Iterator[int] = iter(structural)
    target = next(upcoming, None)
    for index in range(count):
        while target is not None and target < index:
            target = next(upcoming, None)
        following[index] = target
    return following
