"""The diff as GitHub-flavoured Markdown, for a PR comment or ``$GITHUB_STEP_SUMMARY``.

Every piece of canon text (and file name and revision) goes through ``markdown.escape``;
the template text around it is ours and written as is, as in ``render``'s Markdown.
"""

from __future__ import annotations

from jobframe_lint.diff.model import Change, Diff, Kind, Op, PageDiff
from jobframe_lint.diff.render_plan import frame_summary, page_title, summary
from jobframe_lint.markdown import escape

_OPS = {Op.EQUAL: "{}", Op.DELETE: "~~{}~~", Op.INSERT: "**{}**"}


def render_markdown(diff: Diff) -> str:
    if diff.empty:
        return f"No changes to the frames ({escape(diff.base)} → {escape(diff.head)}).\n"
    parts = [f"### Frame diff: {escape(diff.base)} → {escape(diff.head)}"]
    if diff.kinds():
        parts.append(_legend(diff))
    parts.extend(_page(page) for page in diff.pages)
    if diff.skipped:
        parts.append(
            "\n".join(
                f"- Not compared: {escape(item.path)} ({escape(item.side)}): {escape(item.message)}"
                for item in diff.skipped
            )
        )
    parts.append(f"**{summary(diff)}**")
    return "\n\n".join(parts) + "\n"


def _legend(diff: Diff) -> str:
    return " · ".join(f"`{kind.value}` {kind.meaning}" for kind in diff.kinds())


def _page(page: PageDiff) -> str:
    shown = page._replace(
        family=escape(page.family),
        code=escape(page.code),
        path=escape(page.path),
        old_path=page.old_path and escape(page.old_path),
        old_family=page.old_family and escape(page.old_family),
    )
    parts = [f"#### {page_title(shown)}"]
    for frame in page.frames:
        changes = "\n".join(_change(change) for change in frame.changes)
        parts.append(f"**{frame_summary(frame)}**\n\n{changes}")
    return "\n\n".join(parts)


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
