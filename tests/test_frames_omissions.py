"""Every omission rule of SPEC §3, on canon variants, asserted line for line in the text view.

Each test names the rule it guards; the expected lines are written out in full so that
inventing a row, dropping the wrong one or misplacing a reason fails the test.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import Run, write_files

CliRun = Callable[..., Run]

LEVELS = """\
kind: levels
dimensions:
  - Scope
  - Autonomy
  - Complexity
levels:
  P3:
    title: Mid-Level Professional
    dimensions:
      Scope: Features end-to-end
      Autonomy: Works independently
      Complexity: Diverse problems
"""

FAMILY = """\
kind: family
function: Data Science
family: Example Family
levels:
  P3:
    responsibilities:
      - Builds the thing.
      - Runs the thing.
    rubrics:
      complexity/problem-solving: Solves problems.
      knowledge-application: Applies knowledge.
"""

MEASURABLE = "   Measurable:  Move the metric this drives from ⟨baseline⟩ to ⟨target⟩ by ⟨date⟩."
ACHIEVABLE = (
    "   Achievable:  Scoped to this level's jfm complexity/problem-solving rubric: "
    '"Solves problems."'
)
RELEVANT = (
    "   Relevant:    Advances the Data Science · Example Family mandate for a P3 — "
    "Mid-Level Professional."
)
TIME_BOUND = "   Time-bound:  ⟨date⟩"
STANDARD = (
    "   Standard: Consistent with this level's jfm knowledge-application rubric: "
    '"Applies knowledge."'
)
TARGET_DUE = "   Target:   ⟨target⟩   Due: ⟨date⟩"


def without(text: str, *lines: str) -> str:
    """``text`` less the lines whose stripped content is one of ``lines``."""
    dropped = set(lines)
    kept = [line for line in text.splitlines() if line.strip() not in dropped]
    assert len(kept) == len(text.splitlines()) - len(dropped), "a line to drop was not found"
    return "\n".join(kept) + "\n"


def render(cli: CliRun, root: Path, *args: str, levels: str = LEVELS, family: str = FAMILY) -> str:
    write_files(root, {"canon/levels.yaml": levels, "canon/family.yaml": family})
    result = cli("render", "--format", "text", "canon", *args)
    assert result.code == 0, result.err
    return result.out


def paragraph(out: str, start: str) -> str:
    """The blank-line-separated paragraph of ``out`` that starts with ``start``."""
    found = [part for part in out.rstrip("\n").split("\n\n") if part.startswith(start)]
    assert len(found) == 1, f"{len(found)} paragraphs start with {start!r}"
    return found[0]


def smart_goal(number: int, resp: str, *rows: str) -> str:
    head = f"{number}. {resp}  [source: JFM responsibility (P3)]"
    return "\n".join([head, f'   Specific:    Deliver: "{resp}"', MEASURABLE, *rows, TIME_BOUND])


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_complete_canon_produces_every_row(cli: CliRun, root: Path) -> None:
    out = render(cli, root)
    assert paragraph(out, "1. Builds") == smart_goal(1, "Builds the thing.", ACHIEVABLE, RELEVANT)
    assert paragraph(out, "1. Area") == "\n".join(
        [
            "1. Area: Builds the thing.  [source: JFM responsibility (P3) — reused, no distinct "
            "responsibility content]",
            STANDARD,
            TARGET_DUE,
        ]
    )
    assert "[omitted]" not in out


def test_no_complexity_rubric_omits_achievable_only(cli: CliRun, root: Path) -> None:
    family = without(FAMILY, "complexity/problem-solving: Solves problems.")
    out = render(cli, root, family=family)
    assert paragraph(out, "1. Builds") == smart_goal(1, "Builds the thing.", RELEVANT)
    assert paragraph(out, "2. Runs") == smart_goal(2, "Runs the thing.", RELEVANT)
    assert STANDARD in paragraph(out, "1. Area")
    assert "Achievable" not in out

    shown = render(cli, root, "--omitted", family=family)
    reason = (
        '   [omitted] Achievable: no "complexity/problem-solving" rubric for Example Family P3 '
        "(canon/family.yaml:5)"
    )
    assert paragraph(shown, "1. Builds") == smart_goal(1, "Builds the thing.", reason, RELEVANT)


def test_no_knowledge_rubric_omits_standard_only(cli: CliRun, root: Path) -> None:
    family = without(FAMILY, "knowledge-application: Applies knowledge.")
    out = render(cli, root, family=family)
    assert paragraph(out, "2. Area") == "\n".join(
        [
            "2. Area: Runs the thing.  [source: JFM responsibility (P3) — reused, no distinct "
            "responsibility content]",
            TARGET_DUE,
        ]
    )
    assert ACHIEVABLE in paragraph(out, "2. Runs")
    assert "Standard" not in out

    shown = render(cli, root, "--omitted", family=family)
    assert paragraph(shown, "2. Area").splitlines()[1] == (
        '   [omitted] Standard: no "knowledge-application" rubric for Example Family P3 '
        "(canon/family.yaml:5)"
    )


def test_no_rubrics_omits_achievable_and_standard(cli: CliRun, root: Path) -> None:
    family = without(
        FAMILY,
        "rubrics:",
        "complexity/problem-solving: Solves problems.",
        "knowledge-application: Applies knowledge.",
    )
    out = render(cli, root, family=family)
    assert paragraph(out, "1. Builds") == smart_goal(1, "Builds the thing.", RELEVANT)
    assert paragraph(out, "1. Area").splitlines()[1:] == [TARGET_DUE]
    assert "Achievable" not in out
    assert "Standard" not in out


def test_missing_dimension_kr2_takes_next_defined_and_scorecard_drops_row(
    cli: CliRun, root: Path
) -> None:
    levels = without(LEVELS, "Autonomy: Works independently")
    out = render(cli, root, levels=levels)
    assert paragraph(out, "Objective 1").splitlines()[2] == (
        '  KR2. Evidence at this level\'s scope bar: "Features end-to-end" — ⟨target⟩ by ⟨date⟩'
    )
    assert paragraph(out, "Objective 2").splitlines()[2] == (
        '  KR2. Evidence at this level\'s complexity bar: "Diverse problems" — ⟨target⟩ by ⟨date⟩'
    )
    assert paragraph(out, "Role calibration") == "\n".join(
        [
            "Role calibration",
            '  - Meets the scope bar: "Features end-to-end"  →  ⟨target⟩ by ⟨date⟩   '
            "[source: level dimension (Scope)]",
            '  - Meets the complexity bar: "Diverse problems"  →  ⟨target⟩ by ⟨date⟩   '
            "[source: level dimension (Complexity)]",
        ]
    )
    assert "autonomy" not in out.casefold()

    shown = render(cli, root, "--omitted", levels=levels)
    assert paragraph(shown, "Role calibration").splitlines()[2] == (
        '  [omitted] Autonomy: no "Autonomy" bar for level P3 (canon/levels.yaml:7)'
    )


def test_more_responsibilities_than_dimensions_never_reuses_a_dimension(
    cli: CliRun, root: Path
) -> None:
    family = FAMILY.replace("- Runs the thing.\n", "- Runs the thing.\n      - Ships the thing.\n")
    levels = without(LEVELS, "Autonomy: Works independently")
    out = render(cli, root, levels=levels, family=family)
    assert paragraph(out, "Objective 3") == "\n".join(
        [
            "Objective 3: Ships the thing.  [source: JFM responsibility (P3)]",
            '  KR1. From ⟨baseline⟩ to ⟨target⟩ by ⟨date⟩ — tied to: "Ships the thing."',
        ]
    )
    kr2 = [line for line in out.splitlines() if line.startswith("  KR2.")]
    assert [line.split("level's ")[1].split(" bar")[0] for line in kr2] == ["scope", "complexity"]

    shown = render(cli, root, "--omitted", levels=levels, family=family)
    assert paragraph(shown, "Objective 3").splitlines()[2] == (
        "  [omitted] KR2: no dimension bar left for objective 3: level P3 defines 2 of 3 "
        "declared dimensions (canon/levels.yaml:7)"
    )


def test_no_function_drops_breadcrumb_part_and_relevant(cli: CliRun, root: Path) -> None:
    family = without(FAMILY, "function: Data Science")
    out = render(cli, root, family=family)
    assert out.splitlines()[4] == "Example Family · P3 — Mid-Level Professional"
    assert paragraph(out, "1. Builds") == smart_goal(1, "Builds the thing.", ACHIEVABLE)
    assert "Relevant" not in out

    shown = render(cli, root, "--omitted", family=family)
    assert paragraph(shown, "1. Builds").splitlines()[4] == (
        "   [omitted] Relevant: no function for Example Family P3 (canon/family.yaml:2)"
    )


def test_no_title_drops_breadcrumb_part_and_relevant(cli: CliRun, root: Path) -> None:
    levels = without(LEVELS, "title: Mid-Level Professional")
    out = render(cli, root, levels=levels)
    assert out.splitlines()[4] == "Data Science · Example Family · P3"
    assert paragraph(out, "2. Runs") == smart_goal(2, "Runs the thing.", ACHIEVABLE)
    assert "Relevant" not in out

    shown = render(cli, root, "--omitted", levels=levels)
    assert paragraph(shown, "2. Runs").splitlines()[4] == (
        "   [omitted] Relevant: no level title for Example Family P3 (canon/levels.yaml:7)"
    )


def test_no_function_and_no_title_leave_family_and_code(cli: CliRun, root: Path) -> None:
    out = render(
        cli,
        root,
        levels=without(LEVELS, "title: Mid-Level Professional"),
        family=without(FAMILY, "function: Data Science"),
    )
    assert out.splitlines()[:5] == [
        "Example Family — P3",
        "",
        "Goal templates — Example Family — P3",
        "",
        "Example Family · P3",
    ]


def test_dimension_names_are_lower_cased_unless_acronyms(cli: CliRun, root: Path) -> None:
    levels = """\
    kind: levels
    dimensions: [AI scope, Scope, Decision rights, R&D reach]
    levels:
      P3:
        title: Mid-Level Professional
        dimensions:
          AI scope: Uses models
          Scope: Features
          Decision rights: Own scope
          R&D reach: Team
    """
    out = render(cli, root, levels=levels)
    assert [line.split(":")[0] for line in paragraph(out, "Role calibration").splitlines()] == [
        "Role calibration",
        "  - Meets the AI scope bar",
        "  - Meets the scope bar",
        "  - Meets the decision rights bar",
        "  - Meets the R&D reach bar",
    ]
    assert paragraph(out, "Objective 1").splitlines()[2] == (
        '  KR2. Evidence at this level\'s AI scope bar: "Uses models" — ⟨target⟩ by ⟨date⟩'
    )


# -- several families and levels ----------------------------------------------------------

MANY_LEVELS = """\
kind: levels
dimensions: [Scope]
levels:
  P3:
    title: Mid
    dimensions: {Scope: Features}
  P1:
    title: Entry
    dimensions: {Scope: Tasks}
  M1:
    title: Manager
    dimensions: {Scope: Team}
"""

BETA = """\
kind: family
function: Ops
family: beta team
levels:
  M1: {responsibilities: [Leads.]}
  P1: {responsibilities: [Learns.]}
  P3: {responsibilities: [Builds.]}
"""

ALPHA = """\
kind: family
function: Ops
family: Alpha
levels:
  P3: {responsibilities: [Designs.]}
"""


@pytest.fixture
def many(root: Path) -> Path:
    write_files(
        root,
        {"canon/levels.yaml": MANY_LEVELS, "canon/a-beta.yaml": BETA, "canon/z-alpha.yaml": ALPHA},
    )
    return root


def titles(out: str) -> list[str]:
    return [line for line in out.splitlines() if line.startswith("Goal templates — ")]


def test_pages_ordered_by_family_name_then_guide_order(cli: CliRun, many: Path) -> None:
    result = cli("render", "--format", "text", "canon")
    assert result.code == 0, result.err
    assert titles(result.out) == [
        "Goal templates — Alpha — P3",
        "Goal templates — beta team — P3",
        "Goal templates — beta team — P1",
        "Goal templates — beta team — M1",
    ]


def test_pages_separated_by_exactly_one_blank_line(cli: CliRun, many: Path) -> None:
    whole = cli("render", "--format", "text", "canon").out
    pages = [
        cli("render", "--format", "text", "canon", "--family", name, "--level", code).out
        for name, code in [("Alpha", "P3"), ("beta team", "P3"), ("beta team", "P1")]
    ] + [cli("render", "--format", "text", "canon", "--family", "beta team", "--level", "M1").out]
    assert all(page.endswith("\n") and not page.endswith("\n\n") for page in pages)
    assert whole == "\n".join(pages)
    assert "\n\n\n" not in whole


@pytest.mark.parametrize("family", ["BETA TEAM", "beta team", "canon/a-beta.yaml"])
def test_family_by_name_any_case_or_by_path(cli: CliRun, many: Path, family: str) -> None:
    result = cli("render", "--format", "text", "canon", "--family", family)
    assert result.code == 0, result.err
    assert titles(result.out) == [
        "Goal templates — beta team — P3",
        "Goal templates — beta team — P1",
        "Goal templates — beta team — M1",
    ]


def test_family_by_absolute_path(cli: CliRun, many: Path) -> None:
    path = str(many / "canon" / "z-alpha.yaml")
    result = cli("render", "--format", "text", "canon", "--family", path)
    assert titles(result.out) == ["Goal templates — Alpha — P3"]


def test_level_selects_across_families(cli: CliRun, many: Path) -> None:
    result = cli("render", "--format", "text", "canon", "--level", "P3")
    assert titles(result.out) == ["Goal templates — Alpha — P3", "Goal templates — beta team — P3"]
    one = cli("render", "--format", "text", "canon", "--family", "alpha", "--level", "P3")
    assert titles(one.out) == ["Goal templates — Alpha — P3"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--family", "Gamma"], "jobframe-lint: no family named 'Gamma'\n"),
        (
            ["--family", "beta tam"],
            "jobframe-lint: no family named 'beta tam'; did you mean 'beta team'?\n",
        ),
        (["--level", "P9"], "jobframe-lint: no level 'P9'\n"),
        (
            ["--family", "alpha", "--level", "P1"],
            "jobframe-lint: no level 'P1' in family 'alpha'\n",
        ),
    ],
)
def test_unknown_family_or_level_is_a_usage_error(
    cli: CliRun, many: Path, args: list[str], message: str
) -> None:
    result = cli("render", "--format", "text", "canon", *args)
    assert result.code == 2
    assert result.err == message
    assert result.out == ""


def test_build_pages_orders_families_by_name_then_guide_order(many: Path) -> None:
    from jobframe_lint.discovery import collect
    from jobframe_lint.frames.build import build_pages
    from jobframe_lint.lint import lint

    pages = build_pages(lint(collect([Path("canon")], Path("canon"))).canon)
    assert [(page.family, page.code) for page in pages] == [
        ("Alpha", "P3"),
        ("beta team", "P3"),
        ("beta team", "P1"),
        ("beta team", "M1"),
    ]
