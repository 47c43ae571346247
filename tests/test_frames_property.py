"""Property: over generated canons, the frames are exactly the templates filled with canon text.

The oracle below rebuilds every produced line from ``frames/templates.py`` and the generated
data alone (not from the builder's code), so it checks at once that each line is a template
with canon text substituted, that every responsibility appears in each frame, that no line
appears whose canon field is absent, and that each line's sources are the texts it quotes.
"""

from __future__ import annotations

import io
import re
import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from jobframe_lint.discovery import collect
from jobframe_lint.frames import templates as t
from jobframe_lint.frames.build import build_pages
from jobframe_lint.frames.model import Page
from jobframe_lint.frames.render_json import render_json
from jobframe_lint.frames.render_markdown import render_markdown
from jobframe_lint.frames.render_rich import make_console, render_rich
from jobframe_lint.frames.render_text import render_pages
from jobframe_lint.lint import lint

# Dimension name → its {dim_lc} form, written out by hand per SPEC §3.
DIMENSIONS = {
    "Scope": "scope",
    "Autonomy": "autonomy",
    "Decision rights": "decision rights",
    "AI scope": "AI scope",
    "R&D reach": "R&D reach",
    "IT": "IT",
    "A team": "a team",
    "Öffentlichkeit": "öffentlichkeit",
}
CODES = ["P1", "P2", "P3", "M1"]

# Letters, digits, spaces and the punctuation of every markup language we render into.
TEXT = st.text(
    alphabet=st.characters(
        codec="utf-8", categories=("L", "N", "P", "S", "Zs"), exclude_characters="\x85\u2028"
    ),
    min_size=1,
    max_size=12,
).filter(lambda text: text.strip() == text and text.strip())

Expected = tuple[str, str, tuple[str, ...]]  # role, text, quoted canon values


@st.composite
def canons(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, Any]]:
    """A level guide and a family using some of its levels; every optional field may be absent."""
    dims = draw(st.lists(st.sampled_from(sorted(DIMENSIONS)), unique=True, max_size=5))
    codes = draw(st.lists(st.sampled_from(CODES), unique=True, min_size=1, max_size=3))
    levels: dict[str, Any] = {}
    for code in codes:
        level: dict[str, Any] = {}
        if draw(st.booleans()):
            level["title"] = draw(TEXT)
        defined = draw(st.lists(st.sampled_from(dims), unique=True)) if dims else []
        if defined:
            level["dimensions"] = {dim: draw(TEXT) for dim in defined}
        levels[code] = level
    family: dict[str, Any] = {"kind": "family"}
    if draw(st.booleans()):
        family["function"] = draw(TEXT)
    family["family"] = draw(TEXT)
    family["levels"] = {}
    for code in draw(st.lists(st.sampled_from(codes), unique=True, min_size=1)):
        body: dict[str, Any] = {"responsibilities": draw(st.lists(TEXT, max_size=4, unique=True))}
        rubrics = {
            name: draw(TEXT)
            for name in ("complexity/problem-solving", "knowledge-application")
            if draw(st.booleans())
        }
        if rubrics:
            body["rubrics"] = rubrics
        family["levels"][code] = body
    return {"kind": "levels", "dimensions": dims, "levels": levels}, family


def expected_lines(guide: dict[str, Any], family: dict[str, Any], code: str) -> list[Expected]:
    """Every produced line of the page, in order, from the templates and the data alone."""
    level, body = guide["levels"][code], family["levels"][code]
    name, function, title = family["family"], family.get("function"), level.get("title")
    responsibilities, rubrics = body["responsibilities"], body.get("rubrics", {})
    set_bars = level.get("dimensions", {})
    bars = [(dim, set_bars[dim]) for dim in guide["dimensions"] if dim in set_bars]
    crumb = [function] if function else []
    crumb += [name, t.CODE_WITH_TITLE.format(code=code, title=title) if title else code]
    crumb_sources = tuple(value for value in (function, name, code, title) if value)
    lines: list[Expected] = [
        ("page.title", t.PAGE_TITLE.format(family=name, code=code), (name, code)),
        ("page.heading", t.PAGE_HEADING.format(family=name, code=code), (name, code)),
        ("page.breadcrumb", t.BREADCRUMB_SEPARATOR.join(crumb), crumb_sources),
    ]
    complexity, knowledge = (
        rubrics.get(key) for key in ("complexity/problem-solving", "knowledge-application")
    )
    for resp in responsibilities:
        lines += [
            ("smart.goal", resp, (resp,)),
            ("smart.specific", t.SMART_SPECIFIC.format(resp=resp), (resp,)),
            ("smart.measurable", t.SMART_MEASURABLE, ()),
        ]
        if complexity:
            lines.append(
                ("smart.achievable", t.SMART_ACHIEVABLE.format(rubric=complexity), (complexity,))
            )
        if function and title:
            relevant = t.SMART_RELEVANT.format(
                function=function, family=name, code=code, title=title
            )
            lines.append(("smart.relevant", relevant, (function, name, code, title)))
        lines.append(("smart.time_bound", t.SMART_TIME_BOUND, ()))
    for number, resp in enumerate(responsibilities, 1):
        lines += [
            ("okr.objective", resp, (resp,)),
            ("okr.kr1", t.OKR_KR1.format(resp=resp), (resp,)),
        ]
        if number <= len(bars):  # the number-th defined dimension: never one used before
            dim, bar = bars[number - 1]
            lines.append(("okr.kr2", t.OKR_KR2.format(dim_lc=DIMENSIONS[dim], bar=bar), (dim, bar)))
    for resp in responsibilities:
        lines.append(("mbo.area", resp, (resp,)))
        if knowledge:
            lines.append(("mbo.standard", t.MBO_STANDARD.format(rubric=knowledge), (knowledge,)))
        lines += [("mbo.target", t.MBO_TARGET, ()), ("mbo.due", t.MBO_DUE, ())]
    for resp in responsibilities:
        lines.append(("scorecard.internal", t.SCORECARD_RESPONSIBILITY.format(resp=resp), (resp,)))
    for dim, bar in bars:
        row = t.SCORECARD_DIMENSION.format(dim_lc=DIMENSIONS[dim], bar=bar)
        lines.append(("scorecard.role", row, (dim, bar)))
    return lines


def produced_lines(page: Page) -> list[Expected]:
    header = [page.title, page.heading, page.breadcrumb]
    body = [line for frame in page.frames for block in frame.blocks for line in block.lines]
    return [
        (line.role, line.text, tuple(source.value for source in line.sources))
        for line in [*header, *body]
        if line.produced
    ]


def write(root: Path, guide: dict[str, Any], family: dict[str, Any]) -> Path:
    for name, data in (("levels.yaml", guide), ("family.yaml", family)):
        text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
        (root / name).write_text(text, encoding="utf-8")
    return root


def build(root: Path) -> list[Page]:
    result = lint(collect([root], root))
    assert not [item for item in result.diagnostics if item.code < "JF100"], result.diagnostics
    return build_pages(result.canon)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(canons())
def test_frames_are_templates_filled_with_canon_text(
    canon: tuple[dict[str, Any], dict[str, Any]],
) -> None:
    guide, family = canon
    with tempfile.TemporaryDirectory() as folder:
        pages = build(write(Path(folder), guide, family))
    codes = [code for code in guide["levels"] if code in family["levels"]]
    assert [page.code for page in pages] == codes  # the guide's order
    for page in pages:
        assert produced_lines(page) == expected_lines(guide, family, page.code)
        responsibilities = family["levels"][page.code]["responsibilities"]
        assert quoted_responsibilities(page) == dict.fromkeys(FRAMES, responsibilities)
        shown = {frame.key for frame in page.shown_frames()}
        has_bars = bool(guide["levels"][page.code].get("dimensions"))
        assert shown == (set(FRAMES) if responsibilities else {"scorecard"} if has_bars else set())


FRAMES = ("smart", "okr", "mbo", "scorecard")
FIRSTS = {"smart.goal", "okr.objective", "mbo.area", "scorecard.internal"}


def quoted_responsibilities(page: Page) -> dict[str, list[str]]:
    """Per frame, the responsibility each goal, objective, area or Internal process row quotes."""
    return {
        frame.key: [
            line.sources[0].value
            for block in frame.blocks
            for line in block.lines
            if line.role in FIRSTS
        ]
        for frame in page.frames
    }


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(canons())
def test_rendering_is_deterministic(canon: tuple[dict[str, Any], dict[str, Any]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = write(Path(folder), *canon)
        first, second = build(root), build(root)
    for omitted in (False, True):
        assert render_pages(first, omitted) == render_pages(second, omitted)
        assert render_markdown(first, omitted) == render_markdown(second, omitted)
        assert rich(first, omitted) == rich(second, omitted)
    assert render_json(first) == render_json(second)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(canons())
def test_markdown_structure_comes_from_the_layout_only(
    canon: tuple[dict[str, Any], dict[str, Any]],
) -> None:
    """Whatever the canon text, the Markdown has exactly the headings and rules we write."""
    with tempfile.TemporaryDirectory() as folder:
        pages = build(write(Path(folder), *canon))
    html = (
        MarkdownIt("commonmark")
        .enable(["table", "strikethrough"])
        .render(render_markdown(pages, omitted=True))
    )
    assert html.count("<h1>") == len(pages)
    assert html.count("<h2>") == sum(len(page.frames) for page in pages)
    assert html.count("<hr />") == len(pages) - 1
    assert "<a " not in html
    # Code only where escape() sets a lone "@", "#" or ":" in it (against autolinks, mentions).
    assert set(re.findall(r"<code>(.*?)</code>", html, flags=re.DOTALL)) <= {"@", "#", ":"}
    assert html.count("<code") == html.count("<code>")


def rich(pages: list[Page], omitted: bool) -> str:
    out = io.StringIO()
    render_rich(pages, make_console(out, color=True, width=100), omitted)
    return out.getvalue()
