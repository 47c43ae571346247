"""Time the language server: from an edit of one family to its diagnostics (issue 16).

Generates a canon of ``--families`` families (200 by default, the target's size) with
``generate.py``, starts ``python -m jobframe_lint server`` over stdio, opens one family and
then sends ``--edits`` changes to it, each a responsibility reworded (every other one with
doubled spaces, so the findings change too), timing each from sending ``didChange`` until
the ``publishDiagnostics`` for that version's text arrives. Prints the median, the slowest
and the target (100 ms). Needs the server extra (pygls).

    python bench/server.py [--families N] [--edits N] [--workdir DIR]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

from lsprotocol import types
from pygls import uris
from pygls.lsp.client import LanguageClient

ROOT = Path(__file__).resolve().parent.parent
TARGET_MS = 100
EDITED = "families/family-00007.yaml"

sys.path.insert(0, str(ROOT / "bench"))
from generate import generate  # noqa: E402  (bench/ is not a package)


async def measure(workdir: Path, edits: int) -> list[float]:
    client = LanguageClient("bench", "1")
    arrived: asyncio.Queue[tuple[float, types.PublishDiagnosticsParams]] = asyncio.Queue()

    @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def published(params: types.PublishDiagnosticsParams) -> None:
        arrived.put_nowait((time.perf_counter(), params))

    await client.start_io(sys.executable, "-m", "jobframe_lint", "server", cwd=workdir)
    await client.initialize_async(
        types.InitializeParams(
            capabilities=types.ClientCapabilities(), root_uri=uris.from_fs_path(str(workdir))
        )
    )
    client.initialized(types.InitializedParams())
    path = workdir / "canon" / EDITED
    uri = uris.from_fs_path(str(path))
    assert uri is not None
    text = path.read_text("utf-8")
    item = types.TextDocumentItem(uri=uri, language_id="yaml", version=1, text=text)
    client.text_document_did_open(types.DidOpenTextDocumentParams(item))
    await _diagnostics_for(arrived, uri)
    first = text.splitlines()[6]  # the first responsibility of the first level
    timings: list[float] = []
    for version in range(2, edits + 2):
        spaces = "  " if version % 2 else " "
        changed = text.replace(first, f"{first[:-1]}{spaces}edited {version}.", 1)
        started = time.perf_counter()
        client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
                content_changes=[types.TextDocumentContentChangeWholeDocument(text=changed)],
            )
        )
        done = await _diagnostics_for(arrived, uri)
        timings.append((done - started) * 1000)
    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()
    return timings


async def _diagnostics_for(
    arrived: asyncio.Queue[tuple[float, types.PublishDiagnosticsParams]], uri: str
) -> float:
    while True:
        when, params = await asyncio.wait_for(arrived.get(), timeout=60)
        if params.uri == uri:
            return when


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--families", type=int, default=200)
    parser.add_argument("--edits", type=int, default=30)
    parser.add_argument("--workdir", type=Path, help="where to generate the canon (kept)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        workdir = args.workdir or Path(scratch)
        if not (workdir / "canon").is_dir():
            generate(workdir / "canon", args.families, 20261126)
        timings = asyncio.run(measure(workdir, args.edits))
    print(
        f"didChange → publishDiagnostics, one family of {args.families}, {len(timings)} edits: "
        f"median {statistics.median(timings):.1f} ms, slowest {max(timings):.1f} ms "
        f"(target {TARGET_MS} ms)"
    )


if __name__ == "__main__":
    main()
