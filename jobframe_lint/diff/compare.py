"""Compare the frames of two canons, line by line, per (family, level, frame).

Pages are paired by family name and level, then (for a moved or renamed family) by file.
Inside a frame, goals/objectives/areas are aligned on the responsibility they quote and
Scorecard rows on their text, with ``difflib.SequenceMatcher``: a responsibility inserted
at the top shows as one new goal, not as every later goal changed. Aligned blocks that
differ are paired in order, so an edited responsibility shows as changed lines.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterator, Sequence
from difflib import SequenceMatcher
from typing import TYPE_CHECKING, NamedTuple, TypeVar

from jobframe_lint.canon import Canon, build_canon
from jobframe_lint.diff.model import (
    Change,
    Diff,
    FrameDiff,
    Kind,
    Op,
    PageDiff,
    PageStatus,
    Place,
    Segment,
    Skipped,
)
from jobframe_lint.frames.build import PageBuilder, build_pages, level_order
from jobframe_lint.frames.model import Block, Frame, Line, Page

if TYPE_CHECKING:
    from jobframe_lint.diff.sides import Unchanged

Item = TypeVar("Item")
Opcode = tuple[str, int, int, int, int]
Pair = tuple[Item | None, Item | None]

UNITS = {"smart": "Goal", "okr": "Objective", "mbo": "Area"}
HEADER_LABELS = {"page.title": "Title", "page.heading": "Heading", "page.breadcrumb": "Breadcrumb"}
_WORDS = re.compile(r"\w+\s*|[^\w\s]+\s*|\s+")
# SequenceMatcher is quadratic in the worst case (repetitive text, duplicate keys): past
# this many pairs of items compared, a run is shown as replaced whole (words) or paired in
# order (blocks), which is what a reader makes of so large an edit anyway.
MATCH_BUDGET = 250_000


class Side(NamedTuple):
    """One side of the comparison: its canon and the files it could not load."""

    label: str
    canon: Canon
    skipped: list[Skipped]


def compare(base: Side, head: Side, unchanged: Unchanged) -> Diff:
    """Only files that differ are compared (or reported as not loadable): see ``_narrow``.

    The families of ``unchanged`` files are compared one at a time, and only at the levels
    whose guide entry differs between the sides: nothing else about their pages can.
    """
    changed = _changed_paths(base.canon, head.canon)
    skipped = [item for item in (*base.skipped, *head.skipped) if item.path in changed]
    diff = Diff(base.label, head.label, skipped=skipped)
    broken = {item.path for item in skipped}
    old_canon, new_canon = _narrow(base.canon, head.canon, changed)
    old_pages, new_pages = build_pages(old_canon), build_pages(new_canon)
    families = {page.family.casefold() for page in new_pages}
    for old, new in _pair_pages(old_pages, new_pages):
        if (old and _depends(old_canon, old) & broken) or (
            new and _depends(new_canon, new) & broken
        ):
            continue
        gone = _gone_reason(old, families) if old and not new else ""
        page = _page_diff(old, new, gone)
        if page is not None:
            diff.pages.append(page)
    diff.pages.extend(_unchanged_families(base.canon, head.canon, unchanged, broken))
    diff.pages.sort(key=_page_order(head.canon))
    return diff


def _unchanged_families(
    old: Canon, new: Canon, unchanged: Unchanged, broken: set[str]
) -> Iterator[PageDiff]:
    """The page diffs of families whose file is the same on both sides, one file at a time."""
    affected = _affected_levels(old, new)
    if not affected:
        return
    old_builder, new_builder = PageBuilder(old.guides), PageBuilder(new.guides)
    for document in unchanged.documents():
        for family in build_canon([document]).families:
            levels = [level for level in family.levels if level.code.value in affected]
            for family_level in levels:
                old_page = old_builder.page(family, family_level)
                new_page = new_builder.page(family, family_level)
                if (_depends(old, old_page) | _depends(new, new_page)) & broken:
                    continue
                page = _page_diff(old_page, new_page, "")
                if page is not None:
                    yield page


def _affected_levels(old: Canon, new: Canon) -> set[str]:
    """Level codes whose guide entry (or the dimensions its guide declares) differs."""
    codes = {
        level.code.value for canon in (old, new) for guide in canon.guides for level in guide.levels
    }
    return {code for code in codes if _level_inputs(old, code) != _level_inputs(new, code)}


def _level_inputs(canon: Canon, code: str) -> Hashable:
    """What a page at level ``code`` reads from its level guide."""
    found = canon.find_level(code)
    if found is None:
        return None
    guide, level = found
    return (
        guide.path,
        tuple(dimension.value for dimension in guide.dimensions),
        level.title.value if level.title else None,
        tuple((name.value, bar.value) for name, bar in level.bars),
    )


def _page_order(canon: Canon) -> Callable[[PageDiff], tuple[str, str, int]]:
    """Pages as ``render`` orders them: families by name, levels as the guides list them."""
    order = level_order(canon.guides)
    return lambda page: (page.family.casefold(), page.path, order.get(page.code, len(order)))


def _changed_paths(old: Canon, new: Canon) -> set[str]:
    """Files whose text differs between the sides; an undecodable one counts as changed."""
    old_texts = {document.path: document.text for document in old.documents}
    new_texts = {document.path: document.text for document in new.documents}
    return {
        path
        for path in old_texts.keys() | new_texts.keys()
        if old_texts.get(path) is None or old_texts.get(path) != new_texts.get(path)
    }


def _narrow(old: Canon, new: Canon, changed: set[str]) -> tuple[Canon, Canon]:
    """Both canons with only the families whose file changed, unless a level guide changed.

    A page is built from its family's file and its level guide's: when neither changed,
    nor did the page. Rendering only what may differ keeps a one-family edit fast in a
    canon of hundreds of families.
    """
    if any(guide.path in changed for guide in (*old.guides, *new.guides)):
        return old, new

    def keep_changed(canon: Canon) -> Canon:
        return canon._replace(families=[item for item in canon.families if item.path in changed])

    return keep_changed(old), keep_changed(new)


def _depends(canon: Canon, page: Page) -> set[str]:
    """The files a page is built from: its family's and its level guide's."""
    found = canon.find_level(page.code)
    return {page.path, found[0].path} if found else {page.path}


def _pair_pages(old: list[Page], new: list[Page]) -> list[Pair[Page]]:
    """Same family and level (same file first), else same file and level: a renamed family."""
    keys: list[Callable[[Page], Hashable]] = [
        lambda page: (page.family.casefold(), page.code, page.path),
        lambda page: (page.family.casefold(), page.code),
        lambda page: (page.path, page.code),
    ]
    partner: dict[int, int] = {}
    for key in keys:
        free: dict[Hashable, list[int]] = defaultdict(list)
        taken = set(partner.values())
        for index, page in enumerate(old):
            if index not in taken:
                free[key(page)].append(index)
        for index, page in enumerate(new):
            if index not in partner and free[key(page)]:
                partner[index] = free[key(page)].pop(0)
    return _merge_order(old, new, partner)


def _merge_order(old: list[Page], new: list[Page], partner: dict[int, int]) -> list[Pair[Page]]:
    """Head order, with each unpaired base page placed where it stood in the base."""
    paired = set(partner.values())
    pairs: list[Pair[Page]] = []
    cursor = 0
    for index, page in enumerate(new):
        stop = partner.get(index, cursor)
        while cursor < stop:
            if cursor not in paired:
                pairs.append((old[cursor], None))
            cursor += 1
        pairs.append((old[partner[index]] if index in partner else None, page))
    pairs.extend((old[index], None) for index in range(cursor, len(old)) if index not in paired)
    return pairs


def _gone_reason(old: Page, families: set[str]) -> str:
    """Why a page is gone: its level left the family, or the family left the canon."""
    if old.family.casefold() in families:
        return f"level {old.code} is no longer in family {old.family}"
    return f"family {old.family} is no longer in the canon"


def _page_diff(old: Page | None, new: Page | None, gone: str) -> PageDiff | None:
    shown = new or old
    assert shown is not None
    header = FrameDiff("header", "Header", _header_changes(old, new, gone))
    frames = [header, *_frame_diffs(old, new, gone)]
    frames = [frame for frame in frames if frame.changes]
    if not frames:
        return None
    status = PageStatus.ADDED if old is None else PageStatus.REMOVED if new is None else None
    old_path: str | None = None
    old_family: str | None = None
    if old is not None and new is not None:
        old_path = old.path if old.path != new.path else None
        old_family = old.family if old.family != new.family else None
    return PageDiff(
        shown.family,
        shown.code,
        shown.path,
        status or PageStatus.CHANGED,
        frames,
        old_path,
        old_family,
    )


def _header_changes(old: Page | None, new: Page | None, gone: str) -> list[Change]:
    def lines(page: Page | None) -> list[Line]:
        return [page.title, page.heading, page.breadcrumb] if page else []

    changes = []
    for old_line, new_line in _align(lines(old), lines(new), lambda line: line.role):
        change = _line_change(old_line, new_line)
        if change is not None:
            changes.append(
                change._replace(where=HEADER_LABELS[change.role], reason=change.reason or gone)
            )
    return changes


def _frame_diffs(old: Page | None, new: Page | None, gone: str) -> list[FrameDiff]:
    olds = {frame.key: frame for frame in old.frames} if old else {}
    news = {frame.key: frame for frame in new.frames} if new else {}
    diffs = []
    for key in dict.fromkeys([*news, *olds]):
        old_frame, new_frame = olds.get(key), news.get(key)
        shown = new_frame or old_frame
        assert shown is not None
        reason = gone
        if new_frame is not None and new_frame.missing is not None:
            reason = f"now omitted: {new_frame.missing.reason}"
        changes = _frame_changes(old_frame, new_frame, UNITS.get(key, ""), reason)
        diffs.append(FrameDiff(key, shown.title, changes))
    return diffs


def _frame_changes(old: Frame | None, new: Frame | None, unit: str, gone: str) -> list[Change]:
    """``gone`` explains lines whose frame or page is gone; removed canon text explains itself."""
    changes = []
    for old_block, new_block in _align(_blocks(old), _blocks(new), _block_key):
        reason = gone
        if new_block is not None and new_block.missing is not None:
            reason = f"now omitted: {new_block.missing.reason}"
        elif new is not None and new.produced:
            reason = ""
        anchor = old_block.lines[0] if old_block and old_block.lines else None
        for old_line, new_line in _align(_lines(old_block), _lines(new_block), _line_key):
            change = _line_change(old_line, new_line)
            if change is None:
                continue
            line = old_line if change.kind is Kind.OMITTED else new_line
            block = new_block or old_block  # numbered as the head numbers it, if it still exists
            assert line is not None and block is not None
            if change.kind is Kind.OMITTED and change.reason is None:
                change = change._replace(reason=reason or _removed(line, anchor))
            changes.append(change._replace(where=_where(line, block, unit)))
    return changes


def _blocks(frame: Frame | None) -> list[Block]:
    return frame.blocks if frame else []


def _lines(block: Block | None) -> list[Line]:
    return block.lines if block else []


def _where(line: Line, block: Block, unit: str) -> str:
    """``Goal 2 · Achievable``, ``Objective 1``, ``Role calibration``."""
    place = block.heading or f"{unit} {block.number}"
    return place if not line.label or line.label == unit else f"{place} · {line.label}"


def _block_key(block: Block) -> Hashable:
    """A Scorecard group by its heading; a goal, objective or area by the text it quotes."""
    if block.heading is not None:
        return block.heading
    return block.lines[0].text if block.lines else block.number


def _line_key(line: Line) -> Hashable:
    """Lines of a goal have one role each; Scorecard rows share a role and differ by text."""
    return (line.role, line.text) if line.role.startswith("scorecard.") else line.role


def _removed(line: Line, anchor: Line | None) -> str:
    """Why a line whose canon text left the canon is gone, naming where that text was."""
    sources = line.sources or (anchor.sources if anchor else ())
    if not sources:
        return "its canon text was removed"
    text = sources[-1]
    return f"canon text removed: {text.field} ({text.path}:{text.span.start.line})"


def _line_change(old: Line | None, new: Line | None) -> Change | None:
    """The change from ``old`` to ``new`` (either may be absent), located by the caller.

    A line no longer produced gets its reason here only when the head omits it; when the
    head has no such line, the caller knows why (page, frame or canon text gone).
    """
    if old is not None and old.produced:
        if new is not None and new.produced:
            if old.text == new.text:
                return None
            words = word_diff(old.text, new.text)
            return Change(Kind.CHANGED, "", new.role, old.text, new.text, None, words, _places(new))
        reason = f"now omitted: {new.missing.reason}" if new and new.missing else None
        return Change(Kind.OMITTED, "", old.role, old.text, None, reason, (), _places(old))
    if new is not None and new.produced:
        was = f"was omitted: {old.missing.reason}" if old and old.missing else None
        return Change(Kind.PRODUCED, "", new.role, None, new.text, was, (), _places(new))
    return None


def _places(line: Line) -> tuple[Place, ...]:
    return tuple(Place.of(source) for source in line.sources)


def _align(
    old: Sequence[Item], new: Sequence[Item], key: Callable[[Item], Hashable]
) -> list[Pair[Item]]:
    """Pair items with equal keys in order; unequal runs pair up in order, the rest stand alone."""
    old_keys, new_keys = [key(item) for item in old], [key(item) for item in new]
    if old_keys == new_keys:  # the usual case: nothing inserted or removed
        return list(zip(old, new, strict=True))
    pairs: list[Pair[Item]] = []
    for _, old_start, old_end, new_start, new_end in _opcodes(old_keys, new_keys):
        olds, news = old[old_start:old_end], new[new_start:new_end]
        common = min(len(olds), len(news))
        pairs.extend(zip(olds[:common], news[:common], strict=True))
        pairs.extend((item, None) for item in olds[common:])
        pairs.extend((None, item) for item in news[common:])
    return pairs


def word_diff(old: str, new: str) -> tuple[Segment, ...]:
    """Word-level runs turning ``old`` into ``new``, like ``git diff --word-diff``.

    Words (and runs of punctuation, so a quote is not part of the word it opens) are
    compared with the space after them, so a shared space cannot split a replaced
    phrase into interleaved single words; the space is given back outside the change.
    """
    before, after = _WORDS.findall(old), _WORDS.findall(new)
    # Most edits touch a few words: only the part between the common ends needs matching.
    start = _common_length(before, after)
    stop = _common_length(before[start:][::-1], after[start:][::-1])
    middle_old, middle_new = before[start : len(before) - stop], after[start : len(after) - stop]
    segments: list[Segment] = []
    _append(segments, Op.EQUAL, "".join(before[:start]))
    for tag, old_start, old_end, new_start, new_end in _opcodes(middle_old, middle_new):
        removed = "".join(middle_old[old_start:old_end])
        added = "".join(middle_new[new_start:new_end])
        if tag == "equal":
            _append(segments, Op.EQUAL, removed)
            continue
        space = _shared_space(removed, added) if tag == "replace" else ""
        _append(segments, Op.DELETE, removed[: len(removed) - len(space)])
        _append(segments, Op.INSERT, added[: len(added) - len(space)])
        _append(segments, Op.EQUAL, space)
    _append(segments, Op.EQUAL, "".join(before[len(before) - stop :]))
    return tuple(segments)


def _opcodes(old: Sequence[Hashable], new: Sequence[Hashable]) -> list[Opcode]:
    """``SequenceMatcher``'s opcodes, or one replacement where matching would cost more than
    ``MATCH_BUDGET`` (the ends the sequences share are matched first, so an edit inside a
    long text still shows only the edited part)."""
    if len(old) * len(new) <= MATCH_BUDGET:
        return list(SequenceMatcher(None, old, new, autojunk=False).get_opcodes())
    start = _common_length(old, new)
    stop = _common_length(old[start:][::-1], new[start:][::-1])
    old_end, new_end = len(old) - stop, len(new) - stop
    tag = (
        "replace"
        if start < old_end and start < new_end
        else "delete"
        if start < old_end
        else "insert"
    )
    opcodes: list[Opcode] = [("equal", 0, start, 0, start)] if start else []
    if start < old_end or start < new_end:
        opcodes.append((tag, start, old_end, start, new_end))
    if stop:
        opcodes.append(("equal", len(old) - stop, len(old), len(new) - stop, len(new)))
    return opcodes


def _common_length(first: Sequence[Hashable], second: Sequence[Hashable]) -> int:
    count = 0
    for one, other in zip(first, second, strict=False):
        if one != other:
            break
        count += 1
    return count


def _shared_space(removed: str, added: str) -> str:
    space = removed[len(removed.rstrip()) :]
    return space if space and added.endswith(space) else ""


def _append(segments: list[Segment], op: Op, text: str) -> None:
    if not text:
        return
    if segments and segments[-1].op is op:
        segments[-1] = Segment(op, segments[-1].text + text)
    else:
        segments.append(Segment(op, text))
