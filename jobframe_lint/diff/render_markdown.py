"""The diff as GitHub-flavoured Markdown, for a PR comment or ``$GITHUB_STEP_SUMMARY``.

Every piece of canon text (and file name and revision) goes through ``markdown.escape``;
the template text around it is ours and written as is, as in ``render``'s Markdown.
"""

from __future__ import annotations

from collections.abc import Hashable

from jobframe_lint.diff.group import Group, grouped_keys, groups, is_grouped
from jobframe_lint.diff.model import Change, Diff, Kind, Op, PageDiff
from jobframe_lint.diff.render_plan import frame_summary, page_title, pages_list, summary
from jobframe_lint.markdown import escape

_OPS = {Op.EQUAL: "{}", Op.DELETE: "~~{}~~", Op.INSERT: "**{}**"}


# GitHub's cap on a job's step summary; a pull-request comment's is smaller still (65,536).
DEFAULT_MAX_BYTES = 1024 * 1024


def render_markdown(diff: Diff, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """The diff, cut to ``max_bytes`` (UTF-8) at a page boundary, saying what was left out."""
    if diff.empty:
        return f"No changes to the frames ({escape(diff.base)} → {escape(diff.head)}).\n"
    head = [f"### Frame diff: {escape(diff.base)} → {escape(diff.head)}"]
    if diff.kinds():
        head.append(_legend(diff))
    repeated = groups(diff)
    body = _groups(repeated)
    keys = grouped_keys(repeated)
    body.extend(part for part in (_page(page, keys) for page in diff.pages) if part)
    if diff.skipped:
        body.append(
            "\n".join(
                f"- Not compared: {escape(item.path)} ({escape(item.side)}): {escape(item.message)}"
                for item in diff.skipped
            )
        )
    tail = [f"**{summary(diff)}**"]
    return _within(head, body, tail, max_bytes)


def _within(head: list[str], body: list[str], tail: list[str], max_bytes: int) -> str:
    """``head``, as much of ``body`` as fits, and ``tail``; a note says what did not fit."""
    parts = [*head, *body, *tail]
    whole = "\n\n".join(parts) + "\n"
    if len(whole.encode()) <= max_bytes:
        return whole
    note_room = 400
    used = sum(len(part.encode()) + 2 for part in (*head, *tail)) + note_room
    kept: list[str] = []
    for part in body:
        used += len(part.encode()) + 2
        if used > max_bytes:
            break
        kept.append(part)
    left = len(body) - len(kept)
    note = (
        f"_{left} more section{'s' if left != 1 else ''} not shown: this summary is capped at "
        f"{max_bytes:,} bytes (`--max-bytes`). Run `jobframe-lint diff` to see every change._"
    )
    return "\n\n".join([*head, *kept, note, *tail]) + "\n"


def _legend(diff: Diff) -> str:
    return " · ".join(f"`{kind.value}` {kind.meaning}" for kind in diff.kinds())


def _groups(repeated: list[Group]) -> list[str]:
    """A heading, then each repeated change with the pages it is made on."""
    if not repeated:
        return []
    items = [f"{_change(group.change)}  \n  _{pages_list(_escaped(group))}_" for group in repeated]
    return ["**Changes made on several pages, each shown once**", *items]


def _escaped(group: Group) -> Group:
    return group._replace(pages=[_shown(page) for page in group.pages])


def _shown(page: PageDiff) -> PageDiff:
    """The page with its canon text and file names escaped, for the templates around them."""
    return page._replace(
        family=escape(page.family),
        code=escape(page.code),
        path=escape(page.path),
        old_path=page.old_path and escape(page.old_path),
        old_family=page.old_family and escape(page.old_family),
    )


def _page(page: PageDiff, grouped: set[Hashable]) -> str:
    parts = []
    for frame in page.frames:
        own = [change for change in frame.changes if not is_grouped(frame.key, change, grouped)]
        if own:
            changes = "\n".join(_change(change) for change in own)
            parts.append(f"**{frame_summary(frame)}**\n\n{changes}")
    return "\n\n".join([f"#### {page_title(_shown(page))}", *parts]) if parts else ""


def _change(change: Change) -> str:
    if change.kind is Kind.CHANGED:
        body = "".join(_styled(segment.op, segment.text) for segment in change.words)
    else:
        body = escape(change.new if change.new is not None else change.old or "")
    line = f"- `{change.kind.value}` {escape(change.where)}: {body}"
    if change.reason:
        line += f"  \n  _{escape(change.reason)}_"
    return line


def _styled(op: Op, text: str) -> str:
    """Emphasis around the words only: GFM ignores ``~~`` or ``**`` next to a space inside."""
    core = text.strip()
    if op is Op.EQUAL or not core:
        return escape(text)
    start = text.index(core)
    return escape(text[:start]) + _OPS[op].format(escape(core)) + escape(text[start + len(core) :])
