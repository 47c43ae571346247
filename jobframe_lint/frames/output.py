"""What every page format shares: pages rendered one at a time, written in order.

A format renders one page to a string and says what goes before, between and after
pages; so pages can be rendered anywhere (in worker processes, for a large canon) and
written here in order, each as soon as it comes, whatever the format.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import IO, Protocol

from jobframe_lint.frames.model import Page


class PageFormat(Protocol):
    opening: str  # before the first page
    separator: str  # between two pages
    closing: str  # after the last page
    empty: str  # the whole output when there is no page

    def page(self, page: Page) -> str: ...


def write_pages(rendered: Iterable[str], fmt: PageFormat, out: IO[str]) -> None:
    """Pages rendered by ``fmt.page``, written as they come: a pager shows the first at once."""
    written = False
    for text in rendered:
        out.write((fmt.separator if written else fmt.opening) + text)
        out.flush()
        written = True
    out.write(fmt.closing if written else fmt.empty)


def render(pages: Iterable[Page], fmt: PageFormat) -> str:
    """The whole output as one string, for callers that want it in hand."""
    parts = [fmt.page(page) for page in pages]
    if not parts:
        return fmt.empty
    return fmt.opening + fmt.separator.join(parts) + fmt.closing
