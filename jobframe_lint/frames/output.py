"""What every page format shares: pages rendered one at a time, written in order.

A format renders one page and says what goes before, between and after pages; so pages
can be rendered anywhere (in worker processes, for a large canon) and written here in
order, each as soon as it comes, whatever the format.

A page is rendered to UTF-8 bytes, the form it is written in: a page as a ``str`` would be
encoded by pickle on its way from a worker, decoded in the parent and encoded again on
writing, three passes over the 25-66 MB a 200-family canon renders to, the parent's two
of them in series with everything else it does.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import IO, BinaryIO, Protocol

from jobframe_lint.document import Document
from jobframe_lint.frames.model import Page


def encode(text: str) -> bytes:
    """A page's text as written: UTF-8, a lone surrogate as its escape, as the command
    line's own streams write it (``cli`` sets them to ``backslashreplace``)."""
    return text.encode("utf-8", "backslashreplace")


class EveryFile:
    """Whether ``holds`` of every file a page is made from (``Page.documents``, whose
    names are the page's paths too): a format's fast path is safe for the page. Each file
    is tested once, the few that pages share remembered by identity (holding the document
    keeps its id its own)."""

    _FILES = 64

    def __init__(self, holds: Callable[[Document], bool]) -> None:
        self.holds = holds
        self.known: dict[int, tuple[Document, bool]] = {}

    def __call__(self, page: Page) -> bool:
        if len(self.known) > self._FILES:
            self.known.clear()
        for document in page.documents:
            found = self.known.get(id(document))
            if found is None:
                found = self.known[id(document)] = (document, self.holds(document))
            if not found[1]:
                return False
        return True


class PageFormat(Protocol):
    opening: str  # before the first page
    separator: str  # between two pages
    closing: str  # after the last page
    empty: str  # the whole output when there is no page

    def page(self, page: Page) -> bytes: ...  # UTF-8


def write_pages(rendered: Iterable[bytes], fmt: PageFormat, out: IO[str]) -> None:
    """Pages rendered by ``fmt.page``, written as they come: a pager shows the first at once.

    They go to the stream's byte buffer where it has one (standard output, a pager's pipe),
    else decoded to the stream itself."""
    out.flush()
    buffer: BinaryIO | None = getattr(out, "buffer", None)
    write = buffer.write if buffer is not None else lambda data: out.write(data.decode())
    flush = buffer.flush if buffer is not None else out.flush
    written = False
    for data in rendered:
        write(encode(fmt.separator if written else fmt.opening))
        write(data)
        flush()
        written = True
    write(encode(fmt.closing if written else fmt.empty))
    flush()


def render(pages: Iterable[Page], fmt: PageFormat) -> str:
    """The whole output as one string, for callers that want it in hand."""
    parts = [fmt.page(page).decode() for page in pages]
    if not parts:
        return fmt.empty
    return fmt.opening + fmt.separator.join(parts) + fmt.closing
