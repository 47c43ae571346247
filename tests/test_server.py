"""``jobframe-lint server`` driven as an editor drives it: a real client over stdio.

pytest-lsp's client starts ``python -m jobframe_lint server`` in a process of its own and
speaks the protocol to it (initialize, didOpen, didChange, hover, codeAction, shutdown);
what the server says is checked against what ``check`` and ``render`` say of the same
bytes, with columns counted in UTF-16 code units as editors count them.
"""

from __future__ import annotations

import asyncio
import json
import re
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from urllib.parse import urlparse
from urllib.request import url2pathname

import pytest
from lsprotocol import types
from pygls import uris
from pytest_lsp import LanguageClient, client_capabilities

from tests.conftest import FAMILY_YAML, LEVELS_YAML, ROOT, run_process, write_files
from tests.test_import_cost import run_probe

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

# A responsibility with a character outside the Basic Multilingual Plane before its doubled
# spaces: one code point to the loader, two UTF-16 code units to the editor.
EMOJI_FAMILY = FAMILY_YAML.replace(
    "      - Builds the thing.\n", '      - Builds the thing.\n      - "🚀 Ships  it."\n'
)


class Editor:
    """A client with the diagnostics it is sent, in order, to wait on."""

    def __init__(self, client: LanguageClient, root: Path) -> None:
        self.client = client
        self.root = root
        self.published: asyncio.Queue[types.PublishDiagnosticsParams] = asyncio.Queue()
        self.registrations: list[types.RegistrationParams] = []
        self.texts: dict[str, str] = {}
        self.versions: dict[str, int] = {}

    def uri(self, name: str) -> str:
        uri = uris.from_fs_path(str(self.root / name))
        assert uri is not None
        return uri

    def open(self, name: str, text: str | None = None) -> str:
        uri = self.uri(name)
        text = (self.root / name).read_text("utf-8") if text is None else text
        self.texts[uri], self.versions[uri] = text, 1
        item = types.TextDocumentItem(uri=uri, language_id="yaml", version=1, text=text)
        self.client.text_document_did_open(types.DidOpenTextDocumentParams(item))
        return uri

    def change(self, uri: str, text: str) -> None:
        self.texts[uri] = text
        self.versions[uri] += 1
        self.client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(
                    uri=uri, version=self.versions[uri]
                ),
                content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
            )
        )

    def close(self, uri: str) -> None:
        self.client.text_document_did_close(
            types.DidCloseTextDocumentParams(types.TextDocumentIdentifier(uri))
        )

    async def diagnostics(self, uri: str) -> list[types.Diagnostic]:
        """The next diagnostics published for ``uri`` (others published meanwhile skipped)."""
        while True:
            params = await asyncio.wait_for(self.published.get(), timeout=30)
            if params.uri == uri:
                return list(params.diagnostics)

    async def hover(self, uri: str, line: int, character: int) -> types.Hover | None:
        return await self.client.text_document_hover_async(
            types.HoverParams(types.TextDocumentIdentifier(uri), types.Position(line, character))
        )

    async def actions(
        self, uri: str, diagnostics: list[types.Diagnostic], only: list[str] | None = None
    ) -> list[types.CodeAction]:
        found = await self.client.text_document_code_action_async(
            types.CodeActionParams(
                types.TextDocumentIdentifier(uri),
                diagnostics[0].range,
                types.CodeActionContext(diagnostics=diagnostics, only=only),
            )
        )
        return [action for action in found or [] if isinstance(action, types.CodeAction)]


@asynccontextmanager
async def editor(root: Path, elsewhere: Path) -> AsyncIterator[Editor]:
    """A server for the workspace ``root``, started from another directory (``elsewhere``):
    the workspace, not the process's directory, decides the configuration and the canon."""
    client = LanguageClient()
    session = Editor(client, root)

    @client.feature(types.WINDOW_SHOW_MESSAGE)
    def show(params: types.ShowMessageParams) -> None:
        client.messages.append(params)

    @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def published(params: types.PublishDiagnosticsParams) -> None:
        session.published.put_nowait(params)

    @client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def register(params: types.RegistrationParams) -> None:
        session.registrations.append(params)

    await client.start_io(sys.executable, "-m", "jobframe_lint", "server", cwd=elsewhere)
    await client.initialize_session(
        types.InitializeParams(
            capabilities=client_capabilities("visual-studio-code"),
            root_uri=uris.from_fs_path(str(root)),
        )
    )
    try:
        yield session
    finally:
        await client.shutdown_session()


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    root = tmp_path / "workspace"
    write_files(root, {"canon/levels.yaml": LEVELS_YAML, "canon/family.yaml": EMOJI_FAMILY})
    return root


@pytest.fixture
def elsewhere(tmp_path: Path) -> Path:
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    return folder


def utf16(line: str, code_points: int) -> int:
    """The UTF-16 column of a code-point column: what editors count."""
    return len(line[:code_points].encode("utf-16-le")) // 2


def check_json(root: Path, *args: str) -> list[dict[str, object]]:
    result = run_process("check", "--format", "json", "--no-cache", *args, cwd=root)
    found: list[dict[str, object]] = json.loads(result.out)
    return found


def expected_range(text: str, finding: dict[str, object]) -> types.Range:
    """``check``'s 1-based code-point span as the editor's 0-based UTF-16 range."""
    lines = text.split("\n")
    line, column = int(str(finding["line"])) - 1, int(str(finding["column"])) - 1
    end_line, end_column = int(str(finding["end_line"])) - 1, int(str(finding["end_column"])) - 1
    return types.Range(
        types.Position(line, utf16(lines[line], column)),
        types.Position(end_line, utf16(lines[end_line], end_column)),
    )


def apply(text: str, edits: list[types.TextEdit]) -> str:
    """Apply edits as an editor does: positions in UTF-16 code units, last edit first."""
    lines = text.split("\n")

    def offset(position: types.Position) -> int:
        line = lines[position.line]
        units = line.encode("utf-16-le")[: position.character * 2].decode("utf-16-le")
        return sum(len(before) + 1 for before in lines[: position.line]) + len(units)

    for edit in sorted(edits, key=lambda item: offset(item.range.start), reverse=True):
        text = text[: offset(edit.range.start)] + edit.new_text + text[offset(edit.range.end) :]
    return text


@pytest.mark.asyncio
async def test_diagnostics_are_check_s_findings_at_utf16_columns(
    workspace: Path, elsewhere: Path
) -> None:
    text = (workspace / "canon/family.yaml").read_text("utf-8")
    expected = check_json(workspace, "canon/family.yaml")
    assert [item["code"] for item in expected] == ["JF108"]
    async with editor(workspace, elsewhere) as session:
        uri = session.open("canon/family.yaml")
        found = await session.diagnostics(uri)
        assert [(item.code, item.message) for item in found] == [
            (item["code"], item["message"]) for item in expected
        ]
        [diagnostic] = found
        assert diagnostic.range == expected_range(text, expected[0])
        # The emoji counts twice: check's column 17 (code points) is the editor's 17 of
        # line 8, 0-based, so the loader's column is not passed through as it is.
        assert diagnostic.range.start.character == int(str(expected[0]["column"]))
        assert diagnostic.severity == types.DiagnosticSeverity.Warning
        assert diagnostic.source == "jobframe-lint"
        assert diagnostic.code_description is not None
        docs = urlparse(diagnostic.code_description.href)
        assert docs.fragment == "jf108"
        readme = Path(url2pathname(docs.path)).read_text("utf-8")
        assert '<a id="jf108"></a>' in readme

        # An edit that is not saved: the buffer is what is checked, the file is left alone.
        broken = text.replace("knowledge-application: Applies knowledge.\n", "")
        session.change(uri, broken)
        found = await session.diagnostics(uri)
        assert sorted(item.code for item in found) == ["JF102", "JF108"]
        jf102 = next(item for item in found if item.code == "JF102")
        assert jf102.message.startswith('no "knowledge-application" rubric for P3')
        assert (workspace / "canon/family.yaml").read_text("utf-8") == text


@pytest.mark.asyncio
async def test_a_level_guide_edit_republishes_every_open_family(
    workspace: Path, elsewhere: Path
) -> None:
    write_files(
        workspace,
        {"canon/other.yaml": FAMILY_YAML.replace("Example Family", "Other Family")},
    )
    async with editor(workspace, elsewhere) as session:
        family = session.open("canon/family.yaml")
        other = session.open("canon/other.yaml")
        guide = session.open("canon/levels.yaml")
        assert [item.code for item in await session.diagnostics(family)] == ["JF108"]
        assert await session.diagnostics(other) == []

        # P3 renamed in the unsaved guide: both families now use a level no guide defines.
        session.change(guide, LEVELS_YAML.replace("  P3:", "  P4:"))
        for uri in (family, other):
            codes = [item.code for item in await session.diagnostics(uri)]
            assert "JF104" in codes

        # Closing the guide without saving: the guide on disk is the context again.
        session.close(guide)
        assert await session.diagnostics(guide) == []
        assert [item.code for item in await session.diagnostics(family)] == ["JF108"]
        assert await session.diagnostics(other) == []


@pytest.mark.asyncio
async def test_hover_on_a_responsibility_shows_the_lines_it_produces(
    workspace: Path, elsewhere: Path
) -> None:
    render = json.loads(run_process("render", "--format", "json", cwd=workspace).out)
    quoting = [
        line["text"]
        for frame in render[0]["frames"]
        for block in frame["blocks"]
        for line in block["lines"]
        if any(source["field"] == "levels.P3.responsibilities[1]" for source in line["sources"])
    ]
    assert len(quoting) == 6  # goal, Specific, objective, KR1, area, Scorecard row
    text = EMOJI_FAMILY.splitlines()
    line = next(number for number, content in enumerate(text) if "Ships" in content)
    async with editor(workspace, elsewhere) as session:
        uri = session.open("canon/family.yaml")
        await session.diagnostics(uri)
        # On "Ships", after the emoji: UTF-16 column 12 is code point 11.
        hover = await session.hover(uri, line, utf16(text[line], text[line].index("Ships")))
        assert hover is not None
        assert isinstance(hover.contents, types.MarkupContent)
        shown = hover.contents.value
        assert shown.startswith("**Example Family — P3** — frame lines quoting this:")
        for produced in quoting:
            assert produced in shown
        assert 'SMART goals · Goal 2 · Specific: Deliver: "🚀 Ships  it."' in shown
        assert "Builds the thing." not in shown  # the other responsibility's lines
        start = text[line].index('"')
        assert hover.range == types.Range(
            types.Position(line, start), types.Position(line, utf16(text[line], len(text[line])))
        )


@pytest.mark.asyncio
async def test_hover_on_a_level_lacking_a_rubric_lists_the_omitted_lines(
    workspace: Path, elsewhere: Path
) -> None:
    text = EMOJI_FAMILY.replace("      knowledge-application: Applies knowledge.\n", "")
    line = text.splitlines().index("    rubrics:")
    async with editor(workspace, elsewhere) as session:
        uri = session.open("canon/family.yaml", text)
        await session.diagnostics(uri)
        hover = await session.hover(uri, line, 6)
        assert hover is not None
        assert isinstance(hover.contents, types.MarkupContent)
        reason = (
            '[omitted] no "knowledge-application" rubric for Example Family P3 '
            "(canon/family.yaml:5)"
        )
        lines = hover.contents.value.splitlines()
        assert lines[0] == "**Example Family — P3**: 31 lines produced, 2 omitted"
        assert lines[3:6] == [
            reason,
            "  MBO areas · Area 1 · Standard",
            "  MBO areas · Area 2 · Standard",
        ]
        assert hover.range == types.Range(types.Position(line, 4), types.Position(line, 11))


@pytest.mark.asyncio
async def test_hover_on_a_dimension_bar_shows_its_lines_in_every_family(
    workspace: Path, elsewhere: Path
) -> None:
    write_files(
        workspace,
        {"canon/other.yaml": FAMILY_YAML.replace("Example Family", "Other Family")},
    )
    line = LEVELS_YAML.splitlines().index("      Scope: Features end-to-end")
    async with editor(workspace, elsewhere) as session:
        uri = session.open("canon/levels.yaml")
        await session.diagnostics(uri)
        hover = await session.hover(uri, line, 20)
        assert hover is not None
        assert isinstance(hover.contents, types.MarkupContent)
        shown = hover.contents.value.splitlines()
        assert shown[0] == (
            "**Level P3** — 2 pages: Example Family, Other Family — frame lines quoting this:"
        )
        assert shown[3:5] == [
            "OKRs · Objective 1 · KR2: Evidence at this level's scope bar: "
            '"Features end-to-end" — ⟨target⟩ by ⟨date⟩',
            'Scorecard · Role calibration · Scope: Meets the scope bar: "Features end-to-end"',
        ]
        assert len(shown) == 6  # heading, blank, fence, the two lines, fence
    render = json.loads(run_process("render", "--format", "json", cwd=workspace).out)
    quoting = {
        line["text"]
        for page in render
        for frame in page["frames"]
        for block in frame["blocks"]
        for line in block["lines"]
        if {"path": "canon/levels.yaml", "field": "levels.P3.dimensions.Scope"}.items()
        <= next(iter(line["sources"][-1:]), {}).items()
    }
    assert [line.split(": ", 1)[1] for line in shown[3:5]] == sorted(quoting)


@pytest.mark.asyncio
async def test_code_actions_fix_as_check_fix_does_and_suppress_on_the_line(
    workspace: Path, elsewhere: Path, tmp_path: Path
) -> None:
    text = EMOJI_FAMILY
    fixed_on_disk = tmp_path / "fixed"
    write_files(fixed_on_disk, {"canon/levels.yaml": LEVELS_YAML, "canon/family.yaml": text})
    run_process("check", "--fix", "--no-cache", cwd=fixed_on_disk)
    expected_fix = (fixed_on_disk / "canon/family.yaml").read_text("utf-8")
    assert expected_fix != text
    async with editor(workspace, elsewhere) as session:
        uri = session.open("canon/family.yaml")
        found = await session.diagnostics(uri)
        actions = await session.actions(uri, found)
        titles = [action.title for action in actions]
        assert titles == [
            "Fix JF108",
            "Suppress JF108 on this line",
            "Fix all certain jobframe-lint findings in this file",
        ]
        fix, suppress, fix_all = actions
        assert fix.kind == types.CodeActionKind.QuickFix
        assert fix.is_preferred
        assert fix_all.kind == "source.fixAll.jobframe-lint"
        for action in (fix, fix_all):
            assert action.edit is not None and action.edit.changes is not None
            assert apply(text, list(action.edit.changes[uri])) == expected_fix

        # A client that sends back only what it shows (no source, no link) gets the same.
        shown = [types.Diagnostic(item.range, item.message, code=item.code) for item in found]
        assert [action.title for action in await session.actions(uri, shown)] == titles

        # What a client asks for on save: only the fix-all kind.
        only = await session.actions(uri, found, only=["source.fixAll"])
        assert [action.title for action in only] == [fix_all.title]

        assert suppress.edit is not None and suppress.edit.changes is not None
        suppressed = apply(text, list(suppress.edit.changes[uri]))
        assert '"🚀 Ships  it."  # jobframe-lint: disable=JF108\n' in suppressed
        session.change(uri, suppressed)
        assert await session.diagnostics(uri) == []

        # A second code on a line that holds a directive joins it.
        broken = suppressed.replace(
            "    rubrics:\n", "    rubrics:  # jobframe-lint: disable=JF111\n"
        )
        broken = broken.replace("      knowledge-application: Applies knowledge.\n", "")
        session.change(uri, broken)
        found = await session.diagnostics(uri)
        assert [item.code for item in found] == ["JF102", "JF100"]
        jf102 = [item for item in found if item.code == "JF102"]
        [action] = await session.actions(uri, jf102)
        assert action.edit is not None and action.edit.changes is not None
        joined = apply(broken, list(action.edit.changes[uri]))
        assert "    rubrics:  # jobframe-lint: disable=JF111,JF102\n" in joined


@pytest.mark.asyncio
async def test_suppression_is_not_offered_where_a_comment_would_change_the_data(
    workspace: Path, elsewhere: Path
) -> None:
    # A plain scalar over two lines: a comment after its first line would cut it short,
    # so the directive goes on its last line.
    text = FAMILY_YAML.replace(
        "      - Builds the thing.\n", "      - Builds the  thing\n        over two lines.\n"
    )
    async with editor(workspace, elsewhere) as session:
        uri = session.open("canon/family.yaml", text)
        found = await session.diagnostics(uri)
        assert [item.code for item in found] == ["JF108"]
        actions = await session.actions(uri, found)
        suppress = next(action for action in actions if action.title.startswith("Suppress"))
        assert suppress.edit is not None and suppress.edit.changes is not None
        suppressed = apply(text, list(suppress.edit.changes[uri]))
        assert "        over two lines.  # jobframe-lint: disable=JF108\n" in suppressed
        session.change(uri, suppressed)
        assert await session.diagnostics(uri) == []


@pytest.mark.asyncio
async def test_configuration_and_files_outside_the_canon(workspace: Path, elsewhere: Path) -> None:
    # Outside the canon directory: not canon, though it reads as a level guide.
    notes_yaml = LEVELS_YAML.replace("  P3:", "  P9:")
    write_files(workspace, {"jobframe-lint.toml": 'ignore = ["JF108"]\n', "notes.yaml": notes_yaml})
    async with editor(workspace, elsewhere) as session:
        uri = session.open("canon/family.yaml")
        assert await session.diagnostics(uri) == []
        # Watching canon and configuration files on disk is asked for where the client can
        # (on `initialized`, before any diagnostics).
        [registration] = session.registrations
        assert registration.registrations[0].method == types.WORKSPACE_DID_CHANGE_WATCHED_FILES
        notes = session.open("notes.yaml")  # not linted, and not a level guide of the canon
        assert await session.diagnostics(notes) == []
        session.change(uri, session.texts[uri].replace("  P3:", "  P9:"))
        assert [item.code for item in await session.diagnostics(uri)] == ["JF104"]
        session.change(uri, session.texts[uri].replace("  P9:", "  P3:"))
        assert await session.diagnostics(uri) == []

        (workspace / "jobframe-lint.toml").write_text('select = ["JF108"]\n', "utf-8")
        session.client.workspace_did_change_watched_files(
            types.DidChangeWatchedFilesParams(
                [types.FileEvent(session.uri("jobframe-lint.toml"), types.FileChangeType.Changed)]
            )
        )
        assert [item.code for item in await session.diagnostics(uri)] == ["JF108"]

        (workspace / "jobframe-lint.toml").write_text('selct = ["JF108"]\n', "utf-8")
        session.change(uri, session.texts[uri] + "\n")
        await session.diagnostics(uri)
        [message] = session.client.messages
        assert message.type == types.MessageType.Error
        assert "selct: unknown key; did you mean 'select'?" in message.message


@pytest.mark.asyncio
async def test_a_workspace_reached_through_a_link(workspace: Path, elsewhere: Path) -> None:
    # The editor's paths go through the link, the canon walk's through the real folder:
    # one file either way, not a family clashing with itself (JF109).
    link = elsewhere / "link"
    link.symlink_to(workspace, target_is_directory=True)
    async with editor(link, elsewhere) as session:
        uri = session.open("canon/family.yaml")
        assert [item.code for item in await session.diagnostics(uri)] == ["JF108"]


@pytest.mark.asyncio
async def test_broken_buffers_are_findings_not_failures(workspace: Path, elsewhere: Path) -> None:
    async with editor(workspace, elsewhere) as session:
        uri = session.open("canon/family.yaml", "kind: family\nfamily: [unclosed\n")
        [finding] = await session.diagnostics(uri)
        assert finding.code == "JF001"
        assert finding.message.startswith("malformed YAML")
        session.change(uri, "a: " + "x" * (1024 * 1024) + "\n")
        [finding] = await session.diagnostics(uri)
        assert (finding.code, finding.range.start) == ("JF001", types.Position(0, 0))
        assert "larger than 1,048,576 bytes" in finding.message
        session.change(uri, "kind: family\nfamily: &a x\nfunction: *a\n")
        assert {item.code for item in await session.diagnostics(uri)} == {"JF004"}
        session.change(uri, EMOJI_FAMILY)  # and the server still answers
        assert [item.code for item in await session.diagnostics(uri)] == ["JF108"]


@pytest.mark.asyncio
async def test_shutdown_ends_the_server_cleanly(workspace: Path, elsewhere: Path) -> None:
    async with editor(workspace, elsewhere) as session:
        uri = session.open("canon/family.yaml")
        await session.diagnostics(uri)
        server = session.client._server
    assert server is not None
    assert server.returncode == 0


def test_without_the_server_extra_it_says_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from jobframe_lint.cli import main

    monkeypatch.setitem(sys.modules, "pygls", None)  # import pygls raises ImportError
    monkeypatch.delitem(sys.modules, "jobframe_lint.server.app", raising=False)
    assert main(["server"]) == 2
    assert capsys.readouterr().err == (
        "jobframe-lint: the language server needs pygls, which comes with the server extra: "
        "pip install 'jobframe-lint[server]'\n"
    )


def test_check_imports_neither_the_server_nor_the_watcher(canon_dir: Path) -> None:
    result, modules = run_probe(canon_dir, "check")
    assert result.code == 0
    assert not {name.split(".")[0] for name in modules} & {"pygls", "lsprotocol", "watchfiles"}
    assert "jobframe_lint.server.app" not in modules


def test_the_readme_s_editor_settings_start_this_server() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    section = readme[readme.index("### The language server") : readme.index("## pre-commit")]
    blocks = re.findall(r"```(\w+)\n(.*?)```", section, re.DOTALL)
    settings = dict(blocks)
    vscode = json.loads(settings["json"])
    assert [vscode["glspc.server.command"], *vscode["glspc.server.commandArguments"]] == [
        "jobframe-lint",
        "server",
    ]
    helix = tomllib.loads(settings["toml"])
    server = helix["language-server"]["jobframe-lint"]
    assert [server["command"], *server["args"]] == ["jobframe-lint", "server"]
    assert "jobframe-lint" in helix["language"][0]["language-servers"]
    assert 'cmd = { "jobframe-lint", "server" }' in settings["lua"]
