"""The check pipeline: files → documents with positions → schema → canon → rules.

Everything whose result depends on one file and the level guides (loading, schema,
per-file rules) is done file by file, in ``analyse``: that unit is what the cache keeps
and what worker processes share out on large canons. This module reads and hashes every
file, takes what it can from the cache and has ``analyse`` judge the rest, reading those
again (see ``_read``). Only rules marked ``cross_file`` see the whole canon, in outline
(see ``Rule.cross_file``), on every run that the cache's verdict on the canon as it stands
does not answer (``_answered``).
"""

from __future__ import annotations

import gc
import os
import re
import time
from _blake2 import blake2b  # not hashlib, which loads OpenSSL (see ``cache``)
from collections.abc import Mapping, Sequence
from typing import NamedTuple

from jobframe_lint.cache import Cache, Entry, Stamp, Verdict, digest, pack, unpack
from jobframe_lint.canon import Canon, build_canon
from jobframe_lint.custom import NO_CUSTOM, CustomRules
from jobframe_lint.diagnostics import Diagnostic, by_place
from jobframe_lint.discovery import FileSet
from jobframe_lint.document import (
    DEFAULT_LIMITS,
    Document,
    Limits,
    Positions,
    Refusal,
    decode,
    read_source,
)
from jobframe_lint.rules import RULES

# Files that may be level guides, loaded first because every other file is judged against
# them; a guide this misses (flow style, odd quoting) is found after loading, and the run
# then judges everything again against the full set. Not anchored to a line start: a
# literal prefix lets the regex engine skip through the 20 MB of a large canon.
_GUIDE_HINT = re.compile(rb"kind:[ \t]*[\"']?levels\b")
# How long a file must have been left alone before its metadata may vouch for its bytes:
# well above the coarsest timestamps in use (FAT's two seconds).
SETTLED_NS = 3_000_000_000


class Result(NamedTuple):
    canon: Canon
    targets: list[str]
    diagnostics: list[Diagnostic]


class Source(NamedTuple):
    """A file of the run: its bytes and their digest.

    ``raw`` is None where the file was not read: it cannot be (``digest`` is empty then),
    or its cache entry vouches for it (``stamp``; see ``_read``). A file that must be read
    after all is read by ``_with_bytes``, whose source then names the bytes it read.
    """

    display: str
    raw: bytes | None
    digest: bytes
    stamp: Stamp | None

    @property
    def unreadable(self) -> bool:
        return not self.digest


def lint(
    files: FileSet,
    cache: Cache | None = None,
    texts: bool = True,
    limits: Limits = DEFAULT_LIMITS,
    guides: bool = True,
    custom: CustomRules = NO_CUSTOM,
    staged: Mapping[str, bytes] | None = None,
) -> Result:
    """Findings for the target files, judged against the whole canon around them.

    ``Result.canon`` holds the targets in full with ``texts`` (render, ``--fix``), the level
    guides in full with ``guides`` (render), and every other file in outline: its top-level
    scalars and level codes, what cross-file rules read. ``check`` needs findings only, and
    with every file answered from the cache it then parses nothing at all. ``custom`` rules
    run beside the built-in ones, per file or across the canon as each needs. ``staged``
    holds every file's bytes as the git index has them (``check --staged``): the files on
    disk are then not read.
    """
    # A run allocates millions of objects and frees them by reference counting; the
    # cycle collector would only rescan them, again and again (a third of the run).
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _lint(files, cache, texts, limits, guides, custom, staged)
    finally:
        if collecting:
            gc.enable()


def _lint(
    files: FileSet,
    cache: Cache | None,
    texts: bool,
    limits: Limits,
    guides_in_full: bool,
    custom: CustomRules,
    staged: Mapping[str, bytes] | None,
) -> Result:
    paths = files.all()
    targets = list(files.targets)
    if cache is not None and not (texts or guides_in_full) and staged is None:
        answered = _answered(paths, targets, cache, limits, custom)
        if answered is not None:
            return answered
    wanted = set(targets)
    in_full = wanted if texts else set()
    sources, cached = _read(paths, cache, limits, staged, in_full)
    _with_bytes(sources, cached, in_full, limits)
    # Where targets are wanted in full (render, --fix), a target may be a guide: so are they.
    in_full_guides = guides_in_full or bool(in_full)
    guides, entries = _judged(sources, cached, cache, limits, in_full_guides, custom)
    by_path = {guide.path: guide for guide in guides}
    canon = build_canon(
        by_path.get(source.display)
        or _document(source, entries[source.display], limits, source.display in in_full)
        for source in sources
    )
    across = cross_file(canon, custom)
    if cache is not None:
        if staged is None:
            _keep_verdict(cache, sources, entries, across, custom)
        cache.save()
    found = _taken(entries, sources, wanted)
    found.extend(item for item in across if _concerns(item, wanted))
    return Result(canon, targets, sorted(custom.settled(found), key=by_place))


def _concerns(item: Diagnostic, wanted: set[str]) -> bool:
    return item.path in wanted or not wanted.isdisjoint(item.related)


def canon_digest(paths: Sequence[str], stamps: Sequence[Stamp], custom: CustomRules) -> bytes:
    """Names a canon as it stands: each file's path and stamp, in order, and the custom
    rules. While a file's stamp is unchanged so are its bytes (see ``_read``), and entries
    are worked out from these alone, the cross-file findings from the entries: a verdict
    kept under this name holds for the canon."""
    named = blake2b(custom.fingerprint.encode("utf-8", "surrogateescape") + b"\0", digest_size=16)
    named.update("\0".join(paths).encode("utf-8", "surrogateescape") + b"\0")
    named.update(repr(list(stamps)).encode())
    return named.digest()


def _keep_verdict(
    cache: Cache,
    sources: Sequence[Source],
    entries: Mapping[str, Entry],
    across: Sequence[Diagnostic],
    custom: CustomRules,
) -> None:
    """Keeps what the canon's files say of each other, where every file's stamp vouches
    for the bytes judged (settled, and read after it was taken) and all were judged
    against one set of guides."""
    judged = [entries[source.display] for source in sources]
    stamps = [source.stamp for source in sources if source.stamp is not None]
    guides = {entry.guides for entry in judged}
    if len(stamps) < len(sources) or any(s.unreadable for s in sources) or len(guides) != 1:
        return
    naming: dict[str, list[int]] = {}
    for place, entry in enumerate(judged):
        for path in entry.named():
            naming.setdefault(path, []).append(place)
    verdict = Verdict(guides.pop(), [pack(item) for item in across], naming)
    paths = [source.display for source in sources]
    cache.keep_verdict(canon_digest(paths, stamps, custom), verdict)


def _answered(
    paths: list[str], targets: list[str], cache: Cache, limits: Limits, custom: CustomRules
) -> Result | None:
    """The result from the cache's verdict on the canon and the entries of the files
    concerned, when every file's stamp vouches for it (see ``_read``) and the canon as it
    stands has been judged: a hook checking one unchanged file of a large canon then
    neither loads every entry nor runs the cross-file rules. None otherwise: the run goes
    the whole way, and keeps its verdict for the next.

    The findings are those ``_lint`` gives, in its order (sorting keeps the order of
    ties): file by file, a target's own findings or another file's that name a target,
    then the cross-file ones.
    """
    stamps = _stamps(paths)
    verdict = None if stamps is None else cache.verdict(canon_digest(paths, stamps, custom))
    if stamps is None or verdict is None:
        return None
    wanted = set(targets)
    across = [item for item in map(unpack, verdict.across) if _concerns(item, wanted)]
    concerned = {item.path for item in across}.union(targets)
    concerned.update(paths[place] for path in targets for place in verdict.naming.get(path, ()))
    stamp_of = dict(zip(paths, stamps, strict=True))
    entries: dict[str, Entry] = {}  # in the canon's order
    for path in (path for path in paths if path in concerned):
        entry = cache.get(path)
        if entry is None or entry.stamp != stamp_of[path] or entry.guides != verdict.guides:
            return None  # the shard is another run's than the verdict: judge in full
        entries[path] = entry
    found = [
        item
        for path, entry in entries.items()
        for item in (entry.findings if path in wanted else entry.related_to(wanted))
    ]
    found.extend(across)
    canon = build_canon(
        _document(Source(path, None, entry.digest, entry.stamp), entry, limits, full=False)
        for path, entry in entries.items()
    )
    return Result(canon, targets, sorted(custom.settled(found), key=by_place))


def _stamps(paths: Sequence[str]) -> list[Stamp] | None:
    """Every file's stamp, if each has one (see ``_stamp``)."""
    settled = time.time_ns() - SETTLED_NS
    stamps: list[Stamp] = []
    for path in paths:
        stamp = _stamp(path, settled)
        if stamp is None:
            return None
        stamps.append(stamp)
    return stamps


def _taken(
    entries: dict[str, Entry], sources: Sequence[Source], wanted: set[str]
) -> list[Diagnostic]:
    """The findings of each source's entry on the files ``wanted``, the entry let go as
    they are taken: a run would otherwise hold every finding twice, packed (~50 MB at
    20,000 files) and unpacked."""
    found: list[Diagnostic] = []
    for source in sources:
        entry = entries.pop(source.display)
        found.extend(entry.findings if source.display in wanted else entry.related_to(wanted))
    return found


def _judged(
    sources: list[Source],
    cached: dict[str, Entry],
    cache: Cache | None,
    limits: Limits,
    in_full: bool,
    custom: CustomRules,
) -> tuple[list[Document], dict[str, Entry]]:
    """The level guides (in full when asked or when a file must be judged against them,
    else in outline), and an entry for every source judged against them."""
    if not in_full and len(cached) == len(sources) and _agreed(sources, cached, custom):
        guides = [
            _document(source, cached[source.display], limits, full=False)
            for source in sources
            if cached[source.display].kind == "levels"
        ]
        return guides, cached
    _with_bytes(sources, cached, {path for path, e in cached.items() if e.kind == "levels"}, limits)
    guides = _guides(sources, cached, limits)
    entries = _judge(sources, cached, guides, cache, limits, custom)
    found_kinds = {display for display, entry in entries.items() if entry.kind == "levels"}
    if found_kinds == {guide.path for guide in guides}:
        return guides, entries
    # A level guide the hint missed: judge every file again, now against all of them, each
    # guide loaded from the bytes its digest names.
    _with_bytes(sources, cached, found_kinds, limits)
    guides = [
        _document(source, entries[source.display], limits)
        for source in sources
        if source.display in found_kinds
    ]
    return guides, _judge(sources, {}, guides, cache, limits, custom)


def _read(
    paths: Sequence[str],
    cache: Cache | None,
    limits: Limits,
    staged: Mapping[str, bytes] | None,
    in_full: set[str],
) -> tuple[list[Source], dict[str, Entry]]:
    """Every file, and the cache entries made from the bytes each holds now.

    A file is read and hashed unless its entry's stamp vouches for it: its metadata is
    what it was when the entry's bytes were hashed, as git trusts its index. A write
    changes the change time (which no one can set back), and the stamp is only given to a
    file settled for ``SETTLED_NS`` before it was looked at: a write in the same tick of a
    coarse clock, after the hashing, would otherwise go unseen.

    Of the bytes read, a source keeps those of the files ``in_full``, of the files that
    may be level guides, and staged ones: the run loads these itself. Every other file is
    read again where it is judged, so a run never holds the whole canon's bytes (240 MB at
    20,000 files) nor sends them to its workers.
    """
    settled = time.time_ns() - SETTLED_NS
    sources: list[Source] = []
    cached: dict[str, Entry] = {}
    for path in paths:
        # Staged bytes are not the file on disk: its metadata vouches for nothing.
        stamp = _stamp(path, settled) if staged is None else None
        entry = cache.get(path) if cache is not None else None
        if entry is not None and stamp is not None and entry.stamp == stamp:
            sources.append(Source(path, None, entry.digest, stamp))
            cached[path] = entry
            continue
        source = _read_one(path, stamp, limits, staged)
        if staged is None and path not in in_full and not _may_be_guide(source.raw):
            source = source._replace(raw=None)
        sources.append(source)
        if cache is not None and entry is not None and entry.digest == source.digest:
            cached[path] = entry
            if entry.stamp != stamp:  # the same bytes: vouch for them from now on
                cache.put(path, entry.stamped(stamp))
    return sources, cached


def _may_be_guide(raw: bytes | None) -> bool:
    return raw is not None and _GUIDE_HINT.search(raw) is not None


def _read_one(
    path: str, stamp: Stamp | None, limits: Limits, staged: Mapping[str, bytes] | None
) -> Source:
    """The file's bytes as read now (or as staged), their digest, and ``stamp``, taken
    before the read.

    Before, not after: a write between the two leaves a stamp older than the bytes, which
    the next run's stat tells apart (the change time moved on), so the file is read again;
    a stamp taken after would vouch for bytes that were never hashed.
    """
    raw = read_source(path, limits) if staged is None else staged[path]
    return Source(path, raw, b"" if raw is None else digest(raw), stamp)


def _with_bytes(
    sources: list[Source], cached: dict[str, Entry], paths: set[str], limits: Limits
) -> None:
    """Reads the files of ``paths`` that were vouched for unread, in place: whatever is
    judged, loaded or shown is then these bytes, under their own digest.

    The file may have changed since its stamp vouched for it (an editor's save, an undo,
    ``git stash pop``): its entry, made from other bytes, is then dropped, and what is
    judged now is stored under the new bytes' digest and a stamp taken before this read,
    never under the old ones (where an undo would find it again: a false pass).
    """
    if not paths:
        return
    settled = time.time_ns() - SETTLED_NS
    for index, source in enumerate(sources):
        if source.raw is None and not source.unreadable and source.display in paths:
            fresh = _read_one(source.display, _stamp(source.display, settled), limits, None)
            sources[index] = fresh
            if fresh.digest != source.digest:
                cached.pop(source.display, None)


def _stamp(path: str, settled: int) -> Stamp | None:
    try:
        info = os.stat(path)  # noqa: PTH116 (a Path per file costs more than the stat)
    except OSError:
        return None
    if max(info.st_mtime_ns, info.st_ctime_ns) >= settled:
        return None
    return (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino, info.st_dev)


def _guides(sources: Sequence[Source], cached: dict[str, Entry], limits: Limits) -> list[Document]:
    """The level guides: known from the cache, else files the hint picks that load as one."""
    from jobframe_lint.loader import load_bytes

    guides: list[Document] = []
    for source in sources:
        entry = cached.get(source.display)
        if entry is not None and entry.kind == "levels":
            guides.append(_document(source, entry, limits))
        elif entry is None and source.raw is not None and _GUIDE_HINT.search(source.raw):
            document = load_bytes(source.raw, source.display, limits)
            if document.kind == "levels":
                guides.append(document)
    return guides


def _guides_key(paths: set[str], sources: Sequence[Source], custom: CustomRules) -> bytes:
    """Names the set of level guides and their contents, and the custom rules: per-file
    rule findings hold while they are unchanged."""
    key = blake2b(digest_size=16)
    key.update(custom.fingerprint.encode("utf-8", "surrogateescape") + b"\0")
    for source in sources:
        if source.display in paths:
            key.update(source.display.encode("utf-8", "surrogateescape") + b"\0" + source.digest)
    return key.digest()


def _agreed(sources: Sequence[Source], cached: dict[str, Entry], custom: CustomRules) -> bool:
    """Whether every entry was judged against the level guides as the entries say they are."""
    paths = {display for display, entry in cached.items() if entry.kind == "levels"}
    key = _guides_key(paths, sources, custom)
    return all(entry.guides == key for entry in cached.values())


def _judge(
    sources: list[Source],
    cached: dict[str, Entry],
    guides: list[Document],
    cache: Cache | None,
    limits: Limits,
    custom: CustomRules,
) -> dict[str, Entry]:
    """An entry for every source: from the cache where still valid, else worked out."""
    key = _guides_key({guide.path for guide in guides}, sources, custom)
    entries = {display: entry for display, entry in cached.items() if entry.guides == key}
    stale = [source for source in sources if source.display not in entries]
    if stale:
        entries.update(_judge_stale(stale, guides, key, cache, limits, custom))
    return entries


def _judge_stale(
    stale: list[Source],
    guides: list[Document],
    key: bytes,
    cache: Cache | None,
    limits: Limits,
    custom: CustomRules,
) -> list[tuple[str, Entry]]:
    """Entries for ``stale``, each made from the bytes the source holds, else from those
    read as it is judged: its stamp was taken before either, so it never vouches for bytes
    that were not hashed (see ``_read_one``)."""
    # Parsing and validating cost ~35 ms of imports: only a run with files to judge pays.
    from jobframe_lint.analyse import analyse

    tasks = [(source.display, source.raw, source.stamp) for source in stale]
    judged = analyse(tasks, guides, key, limits, custom)
    fresh = [(source.display, entry) for source, entry in zip(stale, judged, strict=True)]
    if cache is not None:
        for display, entry in fresh:
            if entry.digest:  # not a file that could not be read: it is tried again
                cache.put(display, entry)
    return fresh


def _document(source: Source, entry: Entry, limits: Limits, full: bool = True) -> Document:
    """The document an entry was made from (loaded again from the bytes the source holds,
    see ``_with_bytes``), or (not ``full``) its outline."""
    if full or source.unreadable:
        from jobframe_lint.loader import load_bytes, load_file

        if source.raw is None:
            return load_file(source.display, source.display, limits)
        return load_bytes(source.raw, source.display, limits)
    data, positions = entry.outline
    # What an outline's text is read for: its suppression comments, in the few files
    # that hold one. The bytes are those the entry was made from, unless the file changed
    # since it was looked at: then the text is left out, and the next run judges it.
    raw = source.raw
    if raw is None and entry.directed:
        raw = read_source(source.display, limits)
    text = _text(raw) if raw is not None and digest(raw) == entry.digest else None
    return Document(source.display, text, data, Positions(positions))


def _text(raw: bytes) -> str | None:
    try:
        return decode(raw)
    except Refusal:
        return None


def cross_file(canon: Canon, custom: CustomRules = NO_CUSTOM) -> list[Diagnostic]:
    """Findings of the rules that compare files, over ``canon`` (in outline or in full)."""
    checks = [rule.check for rule in RULES.values() if rule.check is not None and rule.cross_file]
    return [item for check in (*checks, *custom.cross_file) for item in check(canon)]
