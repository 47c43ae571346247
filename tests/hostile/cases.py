"""The hostile corpus: files no canon should hold, each with the finding it must produce.

Generated rather than committed: several cases are megabytes, and a generator states what
each case is (100,000 nested lists) more plainly than the bytes would. ``bench/hostile.py``
and ``fuzz/`` reuse it.
"""

from __future__ import annotations

import codecs
import os
import random
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

DEEP = 100_000
# Created by the shell command the object-constructing tags carry, should anything run it.
MARKER = "pwned-marker"
# Lays out the hostile entry at the given path (inside a canon directory).
Maker = Callable[[Path], None]


@dataclass(frozen=True)
class Case:
    """A hostile file and a finding it must produce: ``(code, line, column)``, or None when it
    is allowed (big but within limits) and only time and memory are at stake."""

    name: str
    make: Maker
    finding: tuple[str, int, int] | None
    # Would hang, crash or fill memory if its guard regressed: run only in a subprocess.
    isolate: bool = False


def _bytes(content: bytes) -> Maker:
    return lambda path: path.write_bytes(content)


def _lazy(generate: Callable[[], bytes]) -> Maker:
    """For the big cases: built when a test asks, not when the module is imported."""
    return lambda path: path.write_bytes(generate())


def _billion_laughs() -> bytes:
    lines = [b'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for index in range(1, 10):
        prev, name = chr(ord("a") + index - 1), chr(ord("a") + index)
        items = ", ".join([f"*{prev}"] * 9)
        lines.append(f"{name}: &{name} [{items}]".encode())
    return b"\n".join(lines) + b"\n"


def _indented_block_nesting() -> bytes:
    """Each level one space deeper: the deepest block nesting the size limit leaves room for."""
    return b"".join(b" " * depth + b"k:\n" for depth in range(1400))


def _family(responsibility: bytes) -> bytes:
    return (
        b"kind: family\nfamily: Big\nlevels:\n  P3:\n    responsibilities:\n      - "
        + responsibility
        + b"\n"
    )


def _tag(tag: bytes) -> bytes:
    return b"kind: levels\nlevels: " + tag + b' ["touch ' + MARKER.encode() + b'"]\n'


CONTENT_CASES = [
    # Malformed YAML.
    # An unclosed bracket or quote is reported where it opens, not at the end of the file.
    Case("unclosed-flow", _bytes(b"kind: [levels\n"), ("JF001", 1, 7)),
    Case("unterminated-quote", _bytes(b"kind: 'levels\n"), ("JF001", 1, 7)),
    Case("mapping-in-plain-scalar", _bytes(b"kind: levels: x\n"), ("JF001", 1, 13)),
    # At the line indented too deep, where it is.
    Case("bad-indentation", _bytes(b"kind: levels\n  levels: x\n y: z\n"), ("JF001", 2, 3)),
    Case("bad-escape", _bytes(b'kind: "lev\\qels"\n'), ("JF001", 1, 11)),
    Case("surrogate-escape", _bytes(b'kind: "\\ud800"\n'), ("JF001", 1, 10)),
    Case("bad-yaml-version", _bytes(b"%YAML 2.0\n---\nkind: levels\n"), ("JF001", 1, 1)),
    Case("stray-block-end", _bytes(b"kind: levels\n]\n"), ("JF001", 2, 1)),
    Case("tab-indentation", _bytes(b"kind: levels\nlevels:\n\tP3: {}\n"), ("JF001", 3, 1)),
    Case("nul-byte", _bytes(b"kind: levels\x00\n"), ("JF001", 1, 13)),
    Case("escape-byte", _bytes(b"kind: levels\x1b]0;title\x07\n"), ("JF001", 1, 13)),
    # Not UTF-8, or not text at all.
    Case("invalid-utf8", _bytes(b"kind: levels\ntitle: caf\xc3\n"), ("JF001", 2, 11)),
    Case("overlong-utf8", _bytes(b"kind: \xc0\xaflevels\n"), ("JF001", 1, 7)),
    Case("utf16", _bytes("kind: levels\n".encode("utf-16")), ("JF001", 1, 1)),
    Case("binary", _bytes(random.Random(7).randbytes(4096)), ("JF001", 1, 2)),
    Case("elf-header", _bytes(b"\x7fELF\x02\x01\x01" + bytes(57)), ("JF001", 1, 1)),
    # Accepted encodings, with a finding whose position must not be thrown off by them.
    Case("bom", _bytes(codecs.BOM_UTF8 + b"kind: levels\nkind: levels\n"), ("JF003", 2, 1)),
    Case("crlf", _bytes(b"kind: levels\r\nlevels: {}\r\nlevels: {}\r\n"), ("JF003", 3, 1)),
    Case("cr-only", _bytes(b"kind: levels\rlevels: {}\rlevels: {}\r"), ("JF003", 3, 1)),
    Case("tab-in-text", _bytes(b"kind: levels\nlevels:\t{}\nbad:\tx\n"), ("JF002", 3, 1)),
    # Not one mapping.
    Case("empty-file", _bytes(b""), ("JF001", 1, 1)),
    Case("comment-only", _bytes(b"# nothing here\n"), ("JF001", 1, 1)),
    Case("null-document", _bytes(b"null\n"), ("JF001", 1, 1)),
    Case("tilde-document", _bytes(b"---\n~\n"), ("JF001", 2, 1)),
    Case("top-level-list", _bytes(b"- kind: levels\n"), ("JF001", 1, 1)),
    Case("top-level-scalar", _bytes(b"kind levels\n"), ("JF001", 1, 1)),
    Case("two-documents", _bytes(b"kind: levels\n---\nkind: family\n"), ("JF001", 2, 1)),
    Case("document-end-then-more", _bytes(b"kind: levels\n...\nkind: x\n"), ("JF001", 3, 1)),
    # Keys that are not text.
    Case("integer-key", _bytes(b"kind: levels\n1: x\n"), ("JF002", 2, 1)),
    Case("null-key", _bytes(b"kind: levels\n~: x\n"), ("JF002", 2, 1)),
    Case("bool-key", _bytes(b"kind: levels\nyes: x\n"), ("JF002", 2, 1)),
    Case("complex-key-list", _bytes(b"kind: levels\n? [a]\n: b\n"), ("JF002", 2, 3)),
    Case("complex-key-mapping", _bytes(b"kind: levels\n? {a: 1}\n: b\n"), ("JF002", 2, 3)),
    Case("flow-key", _bytes(b"kind: levels\n[a, b]: c\n"), ("JF002", 2, 1)),
    Case("duplicate-key", _bytes(b"kind: levels\nkind: levels\n"), ("JF003", 2, 1)),
    # Aliases, anchors and tags that would construct objects.
    Case("billion-laughs", _bytes(_billion_laughs()), ("JF004", 1, 4)),
    Case("merge-key", _bytes(b"kind: levels\nx: &x {a: 1}\ny:\n  <<: *x\n"), ("JF004", 2, 4)),
    Case("python-apply", _bytes(_tag(b"!!python/object/apply:os.system")), ("JF004", 2, 9)),
    Case("python-new", _bytes(_tag(b"!!python/object/new:os.system")), ("JF004", 2, 9)),
    Case("python-name", _bytes(b"kind: !!python/name:os.system ''\n"), ("JF004", 1, 7)),
    Case(
        "tag-directive",
        _bytes(b"%TAG !p! tag:yaml.org,2002:python/object/apply:\n---\n" + _tag(b"!p!os.system")),
        ("JF004", 4, 9),
    ),
    Case("tag-on-key", _bytes(b"kind: levels\n!!python/none x: y\n"), ("JF004", 2, 1)),
    Case("local-tag", _bytes(b"kind: !shell levels\n"), ("JF004", 1, 7)),
    # Core tags on values they cannot hold: the constructor raises, it has no message.
    Case("int-tag-on-text", _bytes(b"kind: !!int abc\n"), ("JF001", 1, 7)),
    Case("float-tag-on-text", _bytes(b"kind: levels\nx: [!!float abc]\n"), ("JF001", 2, 5)),
    Case("bool-tag-on-text", _bytes(b"kind: levels\nx:\n  y: !!bool maybe\n"), ("JF001", 3, 6)),
    Case("int-tag-on-nothing", _bytes(b"kind: !!int\n"), ("JF001", 1, 7)),
    Case("int-tag-bad-digit", _bytes(b"kind: !!int 0o9\n"), ("JF001", 1, 7)),
    Case("int-tag-too-long", _bytes(b"kind: !!int " + b"1" * 5000 + b"\n"), ("JF001", 1, 7)),
    Case("int-too-long", _bytes(b"kind: levels\nx: " + b"1" * 5000 + b"\n"), ("JF001", 2, 4)),
    # Text that would act on a CI runner or read as what it is not (tests/test_hostile_output.py
    # checks every format for them): the finding quotes the key back.
    Case(
        "workflow-command-key",
        _bytes(b'kind: levels\n"::error file=x::forged": y\n'),
        ("JF002", 2, 1),
    ),
    Case("legacy-command-key", _bytes(b'kind: levels\n"##[error]forged": y\n'), ("JF002", 2, 1)),
    Case("zero-width-key", _bytes("kind: levels\nDa\u200bta: y\n".encode()), ("JF002", 2, 1)),
    # Size and shape limits.
    Case("deep-flow", _lazy(lambda: b"a: " + b"[" * DEEP + b"]" * DEEP + b"\n"), ("JF001", 1, 67)),
    Case("deep-flow-mapping", _lazy(lambda: b"a: " + b"{a: " * DEEP + b"\n"), ("JF001", 1, 256)),
    Case(
        "deep-block-compact",
        _lazy(lambda: b"a:\n" + b"- " * DEEP + b"x\n"),
        ("JF001", 2, 127),
        isolate=True,
    ),
    Case(
        "deep-block-explicit", _lazy(lambda: b"? " * DEEP + b"x\n"), ("JF001", 1, 129), isolate=True
    ),
    Case("deep-block-indented", _lazy(_indented_block_nesting), ("JF001", 65, 65)),
    Case("huge-scalar", _lazy(lambda: _family(b"a" * 20_000_000)), ("JF001", 1, 1)),
    # Over the node limit, in a file the event scan counts (over 64 KiB) and in one the
    # walker counts.
    Case(
        "many-block-items",
        _lazy(lambda: b"kind: levels\nx:\n" + b"- a\n" * 150_000),
        ("JF001", 9_998, 3),
    ),
    Case(
        "many-small-items",
        _lazy(lambda: b"kind: levels\nx:\n" + b"- a\n" * 12_000),
        ("JF001", 9_998, 3),
    ),
    Case(
        "many-flow-items",
        _lazy(lambda: b"kind: levels\nx: [" + b"a," * 300_000 + b"]\n"),
        ("JF001", 2, 19_995),
    ),
    Case("big-allowed-scalar", _lazy(lambda: _family(b"a" * 1_000_000)), None),
]


def _directory(path: Path) -> None:
    (path / "inner.yaml").parent.mkdir()
    (path / "inner.yaml").write_text("kind: levels\nkind: levels\n")


def _symlink_loop(path: Path) -> None:
    path.symlink_to(path.name)


def _dangling(path: Path) -> None:
    path.symlink_to("does-not-exist.yaml")


def _fifo(path: Path) -> None:
    os.mkfifo(path)


def _device(path: Path) -> None:
    path.symlink_to("/dev/zero")


def _unreadable(path: Path) -> None:
    path.write_text("kind: levels\n")
    path.chmod(0)


def _sparse(path: Path) -> None:
    """Reports 20 GB without using the disk: must be refused without reading it."""
    with path.open("wb") as stream:
        stream.truncate(20 * 1024**3)


# Entries that are not files a canon could hold. All are findings (exit 1) when the canon
# walk meets them; ``directory`` is walked (its YAML files are canon like any other).
FILESYSTEM_CASES = [
    Case("directory-named-yaml", _directory, ("JF003", 2, 1)),
    Case("symlink-loop", _symlink_loop, ("JF001", 1, 1)),
    Case("dangling-symlink", _dangling, ("JF001", 1, 1)),
    Case("fifo", _fifo, ("JF001", 1, 1), isolate=True),
    Case("device", _device, ("JF001", 1, 1), isolate=True),
    Case("unreadable", _unreadable, ("JF001", 1, 1)),
    Case("sparse-20gb", _sparse, ("JF001", 1, 1)),
]

ALL_CASES = [*CONTENT_CASES, *FILESYSTEM_CASES]

# What may stand where the cache keeps its file, planted by a commit or another user: each
# is a miss (the run goes uncached and writes a fresh file), never a hang or a memory blow-up.
CACHE_FILE_CASES = [
    Case("fifo", _fifo, None),
    Case("device", _device, None),
    Case("sparse-20gb", _sparse, None),
    Case("directory", lambda path: path.mkdir(), None),
    Case("dangling-symlink", _dangling, None),
]


@dataclass(frozen=True)
class ConfigCase:
    """A hostile ``jobframe-lint.toml`` and the start of the one-line error (exit 2) it must
    give, naming the file and the key; None where it is valid and only time is at stake."""

    name: str
    text: str
    error: str | None


def _ignoring(glob: str) -> str:
    return f'[per-file-ignores]\n"{glob}" = ["JF102"]\n'


# 16 folders deep, as the canon the exponential globs were tried on.
DEEP_FAMILY = "canon/" + "/".join("abcdefghijklmnop") + "/deep.yaml"
LONG_NAME = "canon/" + "a" * 200 + ".yaml"

CONFIG_CASES = [
    ConfigCase(
        "reversed-range",
        '[per-file-ignores]\n"[z-a].yaml" = ["JF102"]\n',
        'jobframe-lint.toml: per-file-ignores."[z-a].yaml": not a glob: [z-a]: bad character',
    ),
    ConfigCase(
        "posix-class",
        '[per-file-ignores]\n"[[:alpha:]].yaml" = ["JF102"]\n',
        'jobframe-lint.toml: per-file-ignores."[[:alpha:]].yaml": not a glob: [[:alpha:]: ',
    ),
    ConfigCase(
        "severity-list",
        '[severity]\nJF102 = ["error"]\n',
        'jobframe-lint.toml: severity.JF102: expected "error", "warning" or "info", got',
    ),
    ConfigCase(
        "severity-table",
        "[severity.JF102]\nlevel = 1\n",
        'jobframe-lint.toml: severity.JF102: expected "error", "warning" or "info", got',
    ),
    ConfigCase(
        "nested-arrays",
        "select = " + "[" * 5000 + "]" * 5000 + "\n",
        "jobframe-lint.toml: select: values nested too deeply",
    ),
    ConfigCase(
        "nested-tables",
        '[per-file-ignores]\n"a.yaml" = ' + "{a = " * 5000 + "1" + "}" * 5000 + "\n",
        'jobframe-lint.toml: per-file-ignores."a.yaml": values nested too deeply',
    ),
    ConfigCase("codes-not-a-list", 'select = "JF102"\n', "jobframe-lint.toml: select: expected"),
    ConfigCase(
        "codes-in-a-table",
        '[per-file-ignores]\n"*.yaml" = {JF102 = true}\n',
        'jobframe-lint.toml: per-file-ignores."*.yaml": expected a list of rule codes',
    ),
    # Globs a backtracking matcher takes minutes or more over, against DEEP_FAMILY and
    # LONG_NAME: valid, and matched in bounded time.
    # Each starts and ends as the paths do, so that only matching can tell them apart.
    ConfigCase("many-globstars", _ignoring("**/" * 14 + "q/**/deep.yaml"), None),
    ConfigCase("many-stars", _ignoring("canon/" + "*a" * 12 + "*b*.yaml"), None),
    ConfigCase("many-double-stars", _ignoring("**a" * 12 + "**b**.yaml"), None),
]


def reported_path(case: Case, path: Path) -> Path:
    """The file a case's finding is reported on: inside the directory for that case."""
    return path / "inner.yaml" if case.make is _directory else path


def can_bypass_permissions() -> bool:
    """Root reads files whatever their mode, so an unreadable file cannot be made that way."""
    return hasattr(os, "geteuid") and os.geteuid() == 0


def unreadable(case: Case) -> bool:
    return case.make is _unreadable
