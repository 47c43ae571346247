"""The Language Server Protocol side of ``jobframe-lint server``, on pygls.

The server works from the workspace's root as ``check`` works from the directory it runs
in: the configuration is found from there, the canon directory is the configured one, and
only files under it are canon. Buffers are synchronised whole (a family file is ~10 KB),
so the text linted is exactly the editor's, line breaks included.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path

from lsprotocol import types
from pygls import uris
from pygls.lsp.server import LanguageServer

from jobframe_lint import __version__
from jobframe_lint.config import ConfigProblem, Settings, load_settings
from jobframe_lint.diagnostics import Diagnostic, Position, Severity, Span
from jobframe_lint.server import actions, preview
from jobframe_lint.server.lines import LineIndex
from jobframe_lint.server.session import Session, local

SOURCE = "jobframe-lint"
SEVERITIES = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.INFO: types.DiagnosticSeverity.Information,
}
FIX_ALL = f"{types.CodeActionKind.SourceFixAll.value}.{SOURCE}"
# What to watch on disk: canon files and the configuration, wherever they are.
WATCHED = ("**/*.yaml", "**/*.yml", "**/pyproject.toml", "**/jobframe-lint.toml")


class CanonServer(LanguageServer):
    """Holds the session and what was last published, by URI."""

    def __init__(self) -> None:
        super().__init__(
            SOURCE, __version__, text_document_sync_kind=types.TextDocumentSyncKind.Full
        )
        self.session = Session(Settings())
        self.uris: dict[str, str] = {}  # path → the URI the client opened it under
        self.published: dict[str, list[types.Diagnostic]] = {}
        self.reported: dict[str, list[tuple[types.Diagnostic, Diagnostic]]] = {}
        self.config_problem: str | None = None
        self.docs = rule_docs()

    def settings(self) -> Settings | None:
        """The configuration in force now (it is read again each time: an edit to it
        applies at once); a broken one is shown once, and the last good one kept."""
        try:
            settings = load_settings()
        except ConfigProblem as problem:
            message = f"{SOURCE}: {problem}"
            if message != self.config_problem:
                self.window_show_message(
                    types.ShowMessageParams(type=types.MessageType.Error, message=message)
                )
            self.config_problem = message
            return None
        self.config_problem = None
        return settings

    # -- positions ------------------------------------------------------------------------

    def index(self, path: str) -> LineIndex:
        return LineIndex(self.session.buffers.get(path, ""))

    def editor_range(self, index: LineIndex, start: int, end: int) -> types.Range:
        units = self.workspace.position_codec.client_num_units
        (start_line, start_char), (end_line, end_char) = (
            index.to_editor(start, units),
            index.to_editor(end, units),
        )
        return types.Range(
            types.Position(start_line, start_char), types.Position(end_line, end_char)
        )

    def span_range(self, index: LineIndex, span: Span) -> types.Range:
        return self.editor_range(index, index.offset(span.start), index.offset(span.end))

    def loader_position(self, index: LineIndex, position: types.Position) -> Position:
        units = self.workspace.position_codec.client_num_units
        return index.position(index.from_editor(position.line, position.character, units))

    # -- diagnostics ----------------------------------------------------------------------

    def refresh(self, changed: str | None = None) -> None:
        """Lint every open canon buffer against the current canon; publish what changed
        (and always the buffer just changed, which the editor waits to hear about)."""
        settings = self.settings()
        if settings is not None:
            self.session.configure(settings)
        session = self.session
        open_paths = [path for path in session.buffers if session.owns(path)]
        findings = session.findings(session.snapshot(), open_paths)
        for path in session.buffers:
            items = findings.get(path, [])
            index = self.index(path)
            pairs = [(self.diagnostic(index, item), item) for item in items]
            self.reported[path] = pairs
            diagnostics = [lsp for lsp, _ in pairs]
            if path == changed or diagnostics != self.published.get(path):
                self.publish(path, diagnostics)

    def publish(self, path: str, diagnostics: list[types.Diagnostic]) -> None:
        self.published[path] = diagnostics
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=self.uris[path], diagnostics=diagnostics)
        )

    def diagnostic(self, index: LineIndex, item: Diagnostic) -> types.Diagnostic:
        return types.Diagnostic(
            range=self.span_range(index, item.span),
            message=item.message,
            severity=SEVERITIES[item.severity],
            code=item.code,
            code_description=(
                types.CodeDescription(href=f"{self.docs}#{item.code.lower()}")
                if self.docs is not None and item.code.startswith("JF")  # the README's rules
                else None
            ),
            source=SOURCE,
        )

    # -- code actions ---------------------------------------------------------------------

    def code_actions(self, params: types.CodeActionParams) -> list[types.CodeAction]:
        path = path_of(params.text_document.uri)
        snapshot = self.session.snapshot()
        document = snapshot.documents.get(path)
        if document is None or path not in self.session.buffers:
            return []
        index = self.index(path)
        # Clients send back the diagnostics they show, not always field for field.
        asked = [(item.range, item.code, item.message) for item in params.context.diagnostics]
        found: list[types.CodeAction] = []
        for lsp, item in self.reported.get(path, []):
            if (lsp.range, lsp.code, lsp.message) not in asked:
                continue
            if item.fixable:
                edits = actions.fixes(document, index, {item.span})
                found.extend(self.action(path, index, edits, f"Fix {item.code}", lsp, True))
            edit = actions.suppression(document, index, item)
            title = f"Suppress {item.code} on this line"
            found.extend(self.action(path, index, [edit] if edit else [], title, lsp, False))
        fixable = {item.span for _, item in self.reported.get(path, []) if item.fixable}
        if fixable:
            edits = actions.fixes(document, index, fixable)
            title = f"Fix all certain {SOURCE} findings in this file"
            found.extend(self.action(path, index, edits, title, None, False))
        return [action for action in found if wanted(action.kind, params.context.only)]

    def action(
        self,
        path: str,
        index: LineIndex,
        edits: list[actions.Edit],
        title: str,
        diagnostic: types.Diagnostic | None,
        preferred: bool,
    ) -> list[types.CodeAction]:
        if not edits:
            return []
        text_edits = [
            types.TextEdit(self.editor_range(index, edit.start, edit.end), edit.text)
            for edit in edits
        ]
        return [
            types.CodeAction(
                title=title,
                kind=types.CodeActionKind.QuickFix if diagnostic else FIX_ALL,
                diagnostics=[diagnostic] if diagnostic else None,
                is_preferred=preferred or None,
                edit=types.WorkspaceEdit(changes={self.uris[path]: text_edits}),
            )
        ]


def wanted(kind: str | None, only: Sequence[str] | None) -> bool:
    """Whether ``kind`` is among the kinds the client asked for (``only``; None: all)."""
    if only is None or kind is None:
        return True
    return any(kind == asked or kind.startswith(f"{asked}.") for asked in only)


def path_of(uri: str) -> str:
    """A file's path as the session names it (see ``session.local``)."""
    return local([uris.to_fs_path(uri) or uri])[0]


def rule_docs() -> str | None:
    """Where the rules are explained (the README's rule list; ``#jf102`` picks one): the
    distribution's Documentation URL, else the README of the checkout it runs from."""
    try:
        urls = metadata.metadata("jobframe-lint").get_all("Project-URL") or []
    except metadata.PackageNotFoundError:
        urls = []
    for entry in urls:
        label, _, url = str(entry).partition(",")
        if label.strip().lower() == "documentation":
            return url.strip()
    readme = Path(__file__).resolve().parents[2] / "README.md"
    return readme.as_uri() if readme.is_file() else None


def create_server() -> CanonServer:
    server = CanonServer()

    @server.feature(types.INITIALIZED)
    def initialized(ls: CanonServer, params: types.InitializedParams) -> None:
        root = ls.workspace.root_path or next(
            (uris.to_fs_path(folder.uri) for folder in ls.workspace.folders.values()), None
        )
        try:
            if root:
                os.chdir(root)  # relative paths, the configuration and the canon: as `check`
        except OSError as error:
            message = f"{SOURCE}: cannot work in {root}: {error.strerror or error}"
            ls.window_show_message(
                types.ShowMessageParams(type=types.MessageType.Error, message=message)
            )
        watching = ls.client_capabilities.workspace
        changes = watching.did_change_watched_files if watching else None
        if changes is not None and changes.dynamic_registration:
            ls.client_register_capability(
                types.RegistrationParams(
                    [
                        types.Registration(
                            id="jobframe-lint-files",
                            method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                            register_options=types.DidChangeWatchedFilesRegistrationOptions(
                                [types.FileSystemWatcher(glob) for glob in WATCHED]
                            ),
                        )
                    ]
                )
            )
        ls.refresh()

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: CanonServer, params: types.DidOpenTextDocumentParams) -> None:
        path = path_of(params.text_document.uri)
        ls.uris[path] = params.text_document.uri
        ls.session.buffers[path] = params.text_document.text
        ls.refresh(path)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: CanonServer, params: types.DidChangeTextDocumentParams) -> None:
        path = path_of(params.text_document.uri)
        ls.session.buffers[path] = ls.workspace.get_text_document(params.text_document.uri).source
        ls.refresh(path)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: CanonServer, params: types.DidCloseTextDocumentParams) -> None:
        path = path_of(params.text_document.uri)
        ls.session.buffers.pop(path, None)
        ls.reported.pop(path, None)
        if ls.published.pop(path, None):
            ls.text_document_publish_diagnostics(
                types.PublishDiagnosticsParams(uri=params.text_document.uri, diagnostics=[])
            )
        ls.uris.pop(path, None)
        ls.refresh()  # the file on disk is the context again

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def files_changed(ls: CanonServer, params: types.DidChangeWatchedFilesParams) -> None:
        ls.refresh()

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def hover(ls: CanonServer, params: types.HoverParams) -> types.Hover | None:
        path = path_of(params.text_document.uri)
        snapshot = ls.session.snapshot()
        document = snapshot.documents.get(path)
        if document is None or path not in ls.session.buffers:
            return None
        index = ls.index(path)
        found = preview.hover(snapshot.canon, document, ls.loader_position(index, params.position))
        if found is None:
            return None
        return types.Hover(
            contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=found.markdown),
            range=ls.span_range(index, found.span),
        )

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix, FIX_ALL]),
    )
    def code_action(ls: CanonServer, params: types.CodeActionParams) -> list[types.CodeAction]:
        return ls.code_actions(params)

    return server


def serve() -> None:
    """Serve one client over stdin and stdout until it exits."""
    create_server().start_io()
