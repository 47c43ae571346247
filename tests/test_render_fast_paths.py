"""``render``'s fast paths, taken only where no text needs making safe.

JSON: orjson where no text needs ``json_safe``; every page must come out exactly as the
safe reference writes it, the standard library's compact encoding made safe by
``json_safe``. Text: the texts laid out as they are where ``printable`` would change none;
every page must come out exactly as laid out with each text through ``printable``.
Checked over generated canons whose texts are made of what a fast path must not miss
(``#``, ``:`` and ``[`` that could meet as ``##[`` or ``::``, backslashes, line breaks,
invisible and bidirectional characters), written to files both raw and as YAML escapes.
"""

from __future__ import annotations

import json
import string
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jobframe_lint.discovery import collect
from jobframe_lint.frames import templates as t
from jobframe_lint.frames.build import build_pages
from jobframe_lint.frames.model import Page
from jobframe_lint.frames.output import encode
from jobframe_lint.frames.render_json import JsonPages, page_dict
from jobframe_lint.frames.render_text import TextPages
from jobframe_lint.lint import lint
from jobframe_lint.terminal import json_inert, json_safe

HOSTILE = "ab #[]\\:\n\t\u202e\u200b\u2028\xad—⟨"
TEXT = st.text(alphabet=HOSTILE, min_size=1, max_size=8).filter(
    lambda text: text.strip() == text and text.strip()
)


def reference(page: Page) -> bytes:
    data = page_dict(page)
    return encode(json_safe(json.dumps(data, ensure_ascii=False, separators=(",", ":"))))


def pages_of(root: Path, guide: dict[str, Any], family: dict[str, Any], raw: bool) -> list[Page]:
    """The pages of the canon written to ``root``: as YAML escapes, or with every
    character raw in a double-quoted scalar where that is valid YAML."""
    for name, data in (("levels.yaml", guide), ("family.yaml", family)):
        text = yaml.safe_dump(data, allow_unicode=raw, sort_keys=False, default_style='"')
        (root / name).write_text(text, encoding="utf-8")
    result = lint(collect([root], root))
    if [item for item in result.diagnostics if item.code < "JF100"]:
        return []  # not YAML the loader takes: nothing to render
    return build_pages(result.canon)


def one_page(root: Path, responsibility: str) -> Page:
    """The page of a family with one responsibility, its file written raw."""
    guide = {"kind": "levels", "dimensions": ["Scope"], "levels": {"P1": {"title": "One"}}}
    family = {
        "kind": "family",
        "family": "Data",
        "levels": {"P1": {"responsibilities": [responsibility]}},
    }
    [page] = pages_of(root, guide, family, raw=True)
    return page


@st.composite
def canons(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, Any]]:
    dims = draw(st.lists(TEXT, unique=True, min_size=1, max_size=3))
    guide = {
        "kind": "levels",
        "dimensions": dims,
        "levels": {"P1": {"title": draw(TEXT), "dimensions": {dim: draw(TEXT) for dim in dims}}},
    }
    level = {
        "responsibilities": draw(st.lists(TEXT, min_size=1, max_size=3, unique=True)),
        "rubrics": {"complexity/problem-solving": draw(TEXT), "knowledge-application": draw(TEXT)},
    }
    family = {
        "kind": "family",
        "function": draw(TEXT),
        "family": draw(TEXT),
        "levels": {"P1": level},
    }
    return guide, family


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(canon=canons(), raw=st.booleans())
def test_every_page_is_written_as_the_safe_reference_writes_it(
    canon: tuple[dict[str, Any], dict[str, Any]],
    raw: bool,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    root = tmp_path_factory.mktemp("canon")
    fmt = JsonPages()
    for page in pages_of(root, *canon, raw):
        assert fmt.page(page) == reference(page)
        assert json.loads(fmt.page(page)) == page_dict(page)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(canon=canons(), raw=st.booleans(), omitted=st.booleans())
def test_every_text_page_is_laid_out_as_with_every_text_made_printable(
    canon: tuple[dict[str, Any], dict[str, Any]],
    raw: bool,
    omitted: bool,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    root = tmp_path_factory.mktemp("canon")
    fmt = TextPages(omitted)
    for page in pages_of(root, *canon, raw):
        assert fmt.text(page) == fmt.shown.page(page)


@pytest.mark.parametrize(
    ("responsibility", "inert"),
    [
        ("Ships models", True),
        ("Ships models ##[error]", False),
        ("Ends with ##", False),
        ("#[starts here", False),
        ("a # b [c]", True),  # a # and a [ apart: no ##[ can form beside other text
        ("right\u202eto left", False),
        ("zero\u200bwidth", False),
    ],
)
def test_the_fast_path_is_taken_only_for_inert_files(
    tmp_path: Path, responsibility: str, inert: bool
) -> None:
    page = one_page(tmp_path, responsibility)
    assert JsonPages().is_inert(page) is inert
    assert JsonPages().page(page) == reference(page)


@pytest.mark.parametrize(
    ("responsibility", "inert"),
    [
        ("Ships models", True),
        ("a # b [c] d: e", True),
        ("Ships: ::models", False),
        ("ends with a colon:", False),
        (":starts with one", False),
        ("[starts with a bracket", False),
        ("ends with a hash #", False),
        ("two\nlines", False),
        ("a\ttab", False),
        ("right\u202eto left", False),
    ],
)
def test_text_is_laid_out_as_it_is_only_where_printable_changes_nothing(
    tmp_path: Path, responsibility: str, inert: bool
) -> None:
    page = one_page(tmp_path, responsibility)
    fmt = TextPages(omitted=True)
    assert fmt.is_inert(page) is inert
    assert fmt.text(page) == fmt.shown.page(page)


def test_a_file_name_that_needs_escapes_takes_the_safe_path(tmp_path: Path) -> None:
    folder = tmp_path / "canon ##"
    folder.mkdir()
    guide = {"kind": "levels", "dimensions": ["Scope"], "levels": {"P1": {"title": "One"}}}
    family = {"kind": "family", "family": "Data", "levels": {"P1": {"responsibilities": ["x"]}}}
    [page] = pages_of(folder, guide, family, raw=True)
    assert not JsonPages().is_inert(page)
    assert JsonPages().page(page) == reference(page)


def test_templates_give_no_hash_or_bracket_to_meet_canon_text() -> None:
    """What ``json_inert`` relies on: no template holds ``#`` or ``[``, or two fields
    side by side, so ``##[`` can only form from canon text that holds ``##`` or ``#[``."""
    templates = [value for name, value in vars(t).items() if name.isupper()]
    texts = [
        text for value in templates for text in (value if isinstance(value, tuple) else [value])
    ]
    assert texts and all(isinstance(text, str) for text in texts)
    for text in texts:
        assert "#" not in text and "[" not in text, text
        fields = list(string.Formatter().parse(text))
        assert all(literal for literal, _, _, _ in fields[1:]), text


def test_json_inert() -> None:
    assert json_inert("kind: family\n# a comment\nfamily: Data [draft]\n")
    for text in ("a\\u202e", "a##b", "x#[y", "\x7f", "\x85", "\u2066", "\udcff"):
        assert not json_inert(text), text
