"""`render` in its rich, markdown and json formats; choosing a format and colour; refusing
to render canon whose frames cannot be trusted."""

from __future__ import annotations

import io
import json
import random
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from markdown_it import MarkdownIt
from rich.cells import cell_len

from jobframe_lint.discovery import collect
from jobframe_lint.frames.build import build_pages
from jobframe_lint.frames.model import Page
from jobframe_lint.frames.render_rich import make_console, render_rich
from jobframe_lint.lint import lint
from tests.conftest import (
    FAMILY_YAML,
    LEVELS_YAML,
    ROOT,
    SHIPPED_CANON,
    Run,
    run_process,
    write_families,
    write_files,
)

CliRun = Callable[..., Run]
ANSI = re.compile(r"\x1b\[[0-9;]*m")
NO_COMPLEXITY = FAMILY_YAML.replace("      complexity/problem-solving: Solves problems.\n", "")


def shipped_pages() -> list[Page]:
    return build_pages(lint(collect([SHIPPED_CANON], SHIPPED_CANON)).canon)


def rich_output(pages: list[Page], width: int, color: bool = False, omitted: bool = False) -> str:
    out = io.StringIO()
    render_rich(pages, make_console(out, color, width=width), omitted=omitted)
    return out.getvalue()


def collapsed(view: str) -> str:
    """The words of a boxed view in reading order: borders dropped, whitespace squeezed."""
    inner = (line.strip().strip("│╭╮╰╯─").strip() for line in view.splitlines())
    return " ".join(" ".join(inner).split())


# -- rich ---------------------------------------------------------------------------------


@pytest.mark.parametrize("width", [80, 200])
def test_rich_fits_the_width_and_shows_every_line(width: int) -> None:
    pages = shipped_pages()
    view = rich_output(pages, width)
    assert width - 10 < max(cell_len(line) for line in view.splitlines()) <= width
    assert not [line for line in view.splitlines() if line != line.rstrip()]  # no padding
    titles = [line.split(" ", 2)[1:] for line in view.splitlines() if line.startswith("╭─ ")]
    assert [" ".join(title).rstrip(" ─╮") for title in titles] == [
        "SMART goals",
        "OKRs",
        "MBO areas",
        "Scorecard",
    ]
    words = collapsed(view)
    for page in pages:
        for frame in page.frames:
            for block in frame.blocks:
                for line in block.lines:
                    assert " ".join(line.text.split()) in words


def test_rich_omitted_lines_keep_their_place_struck_with_reason(
    canon_dir: Path, cli: CliRun
) -> None:
    write_files(canon_dir, {"canon/family.yaml": NO_COMPLEXITY})
    plain = cli("render", "--format", "rich", "--omitted", "--color", "never").out
    labels = re.findall(r"^│    (\S+)", plain, flags=re.MULTILINE)
    assert labels[:5] == ["Specific", "Measurable", "Achievable", "Relevant", "Time-bound"]
    assert '│    Achievable  omitted: no "complexity/problem-solving" rubric for Example' in plain
    colored = cli("render", "--format", "rich", "--omitted", "--color", "always").out
    assert "\x1b[2;9mAchievable" in colored  # dim + strike
    assert "Achievable" not in cli("render", "--format", "rich", "--color", "never").out


def test_rich_highlights_template_placeholders_and_dims_tags(canon_dir: Path, cli: CliRun) -> None:
    out = cli("render", "--format", "rich", "--color", "always").out
    assert "from \x1b[1;35m⟨baseline⟩\x1b[0m to \x1b[1;35m⟨target⟩\x1b[0m" in out
    assert "Builds the thing.\x1b[2m  [source: JFM responsibility (P3)]\x1b[0m" in out


def test_rich_is_the_default_on_a_terminal(
    canon_dir: Path, cli: CliRun, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    out = cli("render").out
    assert "╭─" in out
    assert "\x1b[" in out


@pytest.mark.parametrize(
    ("env", "args", "colored"),
    [
        ({"NO_COLOR": "1"}, [], False),
        ({"NO_COLOR": "1"}, ["--color", "always"], True),
        ({"FORCE_COLOR": "1"}, ["--color", "never"], False),
        ({}, ["--color", "never"], False),
    ],
)
def test_rich_colour_follows_flag_then_environment_on_a_terminal(
    canon_dir: Path,
    cli: CliRun,
    monkeypatch: pytest.MonkeyPatch,
    env: dict[str, str],
    args: list[str],
    colored: bool,
) -> None:
    for name in ("NO_COLOR", "FORCE_COLOR"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    out = cli("render", *args).out
    assert "╭─ SMART goals" in ANSI.sub("", out)
    assert ("\x1b[" in out) is colored


def test_force_color_colours_rich_even_when_piped(
    canon_dir: Path, cli: CliRun, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert "\x1b[" in cli("render", "--format", "rich").out
    assert "\x1b[" not in cli("render").out  # piped: text, which is never coloured


# -- markdown -----------------------------------------------------------------------------


def markdown_html(text: str) -> str:
    return str(MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(text))


def test_markdown_layout(canon_dir: Path, cli: CliRun) -> None:
    out = cli("render", "--format", "markdown").out
    assert out.startswith(
        "# Example Family — P3\n\n**Goal templates — Example Family — P3**\n\n"
        "_Data Science & Analytics · Example Family · P3 — Mid-Level Professional_\n\n> These"
    )
    assert (
        "\n".join(
            [
                "1. Builds the thing. _\\[source: JFM responsibility (P3)\\]_",
                '   - **Specific:** Deliver: "Builds the thing."',
                "   - **Measurable:** Move the metric this drives from ⟨baseline⟩ to ⟨target⟩ by ⟨date⟩.",
                "   - **Achievable:** Scoped to this level's jfm complexity/problem-solving rubric: "
                '"Solves problems."',
            ]
        )
        in out
    )
    assert (
        "\n".join(
            [
                "### Role calibration",
                "",
                "| Measure | Target | Source |",
                "|---|---|---|",
                '| Meets the scope bar: "Features end-to-end" | ⟨target⟩ by ⟨date⟩ | '
                "level dimension (Scope) |",
            ]
        )
        in out
    )
    html = markdown_html(out)
    assert re.findall(r"<h[1-3]>([^<]*)</h", html) == [
        "Example Family — P3",
        "SMART goals",
        "OKRs",
        "MBO areas",
        "Scorecard",
        "Internal process",
        "Role calibration",
    ]


def test_markdown_omitted_lines_are_struck_with_reason(canon_dir: Path, cli: CliRun) -> None:
    write_files(canon_dir, {"canon/family.yaml": NO_COMPLEXITY})
    out = cli("render", "--format", "markdown", "--omitted").out
    assert (
        '   - ~~Achievable:~~ _omitted: no "complexity/problem-solving" rubric for Example '
        "Family P3 (canon/family.yaml:5)_"
    ) in out
    assert "<s>Achievable:</s>" in markdown_html(out)
    assert "Achievable" not in cli("render", "--format", "markdown").out


# -- json ---------------------------------------------------------------------------------


def test_json_carries_omitted_lines_and_groups_with_reasons(canon_dir: Path, cli: CliRun) -> None:
    write_files(
        canon_dir,
        {
            "canon/family.yaml": NO_COMPLEXITY,
            "canon/levels.yaml": LEVELS_YAML.replace("      Scope: Features end-to-end\n", ""),
        },
    )
    [page] = json.loads(cli("render", "--format", "json").out)
    smart = next(frame for frame in page["frames"] if frame["frame"] == "smart")
    achievable = next(line for line in smart["blocks"][0]["lines"] if line["label"] == "Achievable")
    assert achievable == {
        "role": "smart.achievable",
        "label": "Achievable",
        "status": "omitted",
        "text": None,
        "source_tag": None,
        "sources": [],
        "missing": {
            "field": "levels.P3.rubrics.complexity/problem-solving",
            "path": "canon/family.yaml",
            "line": 5,
            "column": 3,
            "reason": 'no "complexity/problem-solving" rubric for Example Family P3 '
            "(canon/family.yaml:5)",
        },
    }
    scorecard = next(frame for frame in page["frames"] if frame["frame"] == "scorecard")
    role = scorecard["blocks"][1]
    assert (role["heading"], role["status"], role["missing"]) == (
        "Role calibration",
        "produced",
        None,
    )
    assert [(line["label"], line["status"]) for line in role["lines"]] == [
        ("Scope", "omitted"),
        ("Autonomy", "produced"),
    ]
    assert role["lines"][1]["sources"] == [
        {
            "path": "canon/levels.yaml",
            "line": 9,
            "column": 7,
            "field": "levels.P3.dimensions.Autonomy",
        },
        {
            "path": "canon/levels.yaml",
            "line": 9,
            "column": 17,
            "field": "levels.P3.dimensions.Autonomy",
        },
    ]


def test_json_marks_a_group_the_canon_cannot_back(canon_dir: Path, cli: CliRun) -> None:
    levels = LEVELS_YAML.split("    dimensions:\n")[0]
    write_files(canon_dir, {"canon/levels.yaml": levels})
    [page] = json.loads(cli("render", "--format", "json").out)
    scorecard = next(frame for frame in page["frames"] if frame["frame"] == "scorecard")
    role = scorecard["blocks"][1]
    assert (role["status"], role["lines"]) == ("omitted", [])
    assert role["missing"]["reason"] == "no dimension bars for level P3 (canon/levels.yaml:6)"
    text = cli("render", "--format", "text", "--omitted").out
    assert text.endswith(
        "Role calibration\n  [omitted] no dimension bars for level P3 (canon/levels.yaml:6)\n"
    )
    assert "Role calibration" not in cli("render", "--format", "text").out


# -- canon that cannot be rendered --------------------------------------------------------


@pytest.mark.parametrize(
    ("family", "code", "where"),
    [
        # Where the bracket opens, not at the end of the file.
        ("kind: family\nfamily: [unclosed\n", "JF001", "canon/family.yaml:2:9"),
        (FAMILY_YAML.replace("rubrics:", "rubric:"), "JF002", "canon/family.yaml:8:5"),
        (FAMILY_YAML + "family: Again\n", "JF003", "canon/family.yaml:11:1"),
        (
            FAMILY_YAML.replace("family: Example", "family: &a Example"),
            "JF004",
            "canon/family.yaml:3:9",
        ),
        (
            FAMILY_YAML.replace("      - Builds the thing.\n", "").replace(
                "responsibilities:", "responsibilities: []"
            ),
            "JF101",
            "canon/family.yaml:6:5",
        ),
        (FAMILY_YAML.replace("P3:", "P9:"), "JF104", "canon/family.yaml:5:3"),
    ],
    ids=["JF001", "JF002", "JF003", "JF004", "JF101", "JF104"],
)
@pytest.mark.parametrize("fmt", ["text", "rich", "json", "markdown"])
def test_render_refuses_canon_with_blocking_errors(
    canon_dir: Path, cli: CliRun, family: str, code: str, where: str, fmt: str
) -> None:
    write_files(canon_dir, {"canon/family.yaml": family})
    result = cli("render", "--format", fmt)
    assert result.code == 1
    assert result.out == ("[]\n" if fmt == "json" else "")  # no page: nothing else loads
    assert f"{where}: {code} " in result.err
    assert "not rendered: 1 file with errors" in result.err
    assert "canon/family.yaml" in result.err.splitlines()[-1]


def test_one_family_with_an_error_does_not_block_the_others(canon_dir: Path, cli: CliRun) -> None:
    broken = FAMILY_YAML.replace("family: Example Family", "family: Broken").replace("P3:", "P9:")
    write_files(canon_dir, {"canon/broken.yaml": broken})
    for fmt in ("text", "json", "markdown"):
        result = cli("render", "--format", fmt)
        assert result.code == 1
        assert "Example Family" in result.out
        assert "Broken" not in result.out
        assert "canon/broken.yaml:5:3: JF104 " in result.err


@pytest.mark.parametrize(
    "config",
    [
        '[tool.jobframe-lint]\nignore = ["JF104"]\n',
        '[tool.jobframe-lint]\nper-file-ignores = {"canon/family.yaml" = ["JF104"]}\n',
        '[tool.jobframe-lint.severity]\nJF104 = "warning"\n',
    ],
    ids=["ignore", "per-file-ignores", "severity"],
)
def test_render_blocks_on_what_check_fails_and_nothing_else(
    canon_dir: Path, cli: CliRun, config: str
) -> None:
    """A blocking finding the configuration silences does not block render, as check passes."""
    write_files(canon_dir, {"canon/family.yaml": FAMILY_YAML.replace("P3:", "P9:")})
    assert cli("render").code == 1
    write_files(canon_dir, {"pyproject.toml": config})
    assert cli("check").code == 0
    result = cli("render", "--format", "text")
    assert (result.code, result.err) == (0, "")
    assert "Example Family — P9" in result.out


def test_render_takes_the_configuration_file_check_takes(canon_dir: Path, cli: CliRun) -> None:
    write_files(canon_dir, {"canon/family.yaml": FAMILY_YAML.replace("P3:", "P9:")})
    write_files(canon_dir, {"ci.toml": 'ignore = ["JF104"]\n'})
    assert cli("render").code == 1
    assert cli("render", "--config", "ci.toml").code == 0


def test_level_is_matched_case_aside_like_family(canon_dir: Path, cli: CliRun) -> None:
    assert (
        cli("render", "--level", "p3", "--family", "example FAMILY").out
        == cli("render", "--level", "P3").out
    )


def test_shipped_canon_renders_in_every_format() -> None:
    for fmt in ("rich", "json", "markdown"):
        result = run_process("render", "--format", fmt, cwd=ROOT)
        assert result.code == 0, result.err
        assert "Machine Learning Engineering" in result.out


# -- at canon scale: streamed pages, rich's wrapping, the JSON encoder ----------------------


def test_wrapping_is_richs_own_for_words_that_fit_a_line() -> None:
    """The rich view lays lines out itself for speed; it wraps where rich's Text.wrap does."""
    from rich.console import Console
    from rich.text import Text

    from jobframe_lint.frames.render_rich import wrap

    console = Console(file=io.StringIO(), width=200)
    words = ["a", "bb", "end-to-end,", "—", "⟨target⟩", "日本語", "x  y", "Lead\u200bs", "(P3)"]
    rng = random.Random(7)
    for _ in range(2000):
        text = " ".join(rng.choice(words) for _ in range(rng.randint(1, 40)))
        width = rng.randint(12, 80)
        ours = [text[start:end] for start, end in wrap(text, width)]
        assert ours == [line.plain.rstrip() for line in Text(text).wrap(console, width)], text


def test_a_word_longer_than_the_line_is_folded() -> None:
    from jobframe_lint.frames.render_rich import wrap

    text = "see " + "x" * 25 + " end"
    assert [text[start:end] for start, end in wrap(text, 10)] == [
        "see",
        "x" * 10,
        "x" * 10,
        "xxxxx end",
    ]


def test_render_makes_each_page_as_it_is_written(
    canon_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One family file is read in full at a time: the first page needs only the first."""
    import jobframe_lint.loader
    from jobframe_lint.commands.render import _pages, prepare

    for index in range(5):
        text = FAMILY_YAML.replace("Example Family", f"Family {index}")
        write_files(canon_dir, {f"canon/family-{index}.yaml": text})
    chosen = prepare([Path("canon")], None, None)
    loaded: list[str] = []
    load_file = jobframe_lint.loader.load_file

    def counting(path: Any, *args: Any) -> Any:
        loaded.append(str(path))
        return load_file(path, *args)

    monkeypatch.setattr(jobframe_lint.loader, "load_file", counting)
    paths = [family.path for family in chosen.families]
    pages = _pages(chosen.guides, paths, chosen.limits, None)
    first = next(pages)
    assert (first.family, loaded) == ("Example Family", ["canon/family.yaml"])
    assert [page.family for page in pages] == [f"Family {index}" for index in range(5)]
    assert len(loaded) == 6


def test_json_is_the_frame_model_page_by_page() -> None:
    """The streamed encoder writes exactly ``page_dict`` of every page."""
    from jobframe_lint.frames.render_json import page_dict, render_json

    pages = shipped_pages()
    out = render_json(pages)
    assert json.loads(out) == [page_dict(page) for page in pages]
    assert out.count("\n") == len(pages) + 2  # one page a line, inside the brackets
    assert render_json([]) == "[]\n"


@pytest.mark.parametrize("fmt", ["text", "markdown", "json", "rich"])
def test_pages_made_in_workers_are_the_pages_made_here(
    canon_dir: Path, cli: CliRun, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    """A large canon's pages are made in worker processes: the same output, in order."""
    import jobframe_lint.commands.render as render
    import jobframe_lint.processes

    for index in range(12):
        text = FAMILY_YAML.replace("Example Family", f"Family {index:02d}")
        write_files(
            canon_dir, {f"canon/family-{index:02d}.yaml": text.replace("P3:", "P3:\n    # x")}
        )
    monkeypatch.setattr(jobframe_lint.processes, "cores", lambda: 2)
    monkeypatch.setattr(render, "PARALLEL_FROM", 1000)
    here = cli("render", "--format", fmt, "--color", "always", "--omitted")
    monkeypatch.setattr(render, "PARALLEL_FROM", 2)
    pooled: list[int] = []
    in_workers = render._in_workers

    def counting(*args: Any) -> Any:
        pooled.append(len(args[1]))
        return in_workers(*args)

    monkeypatch.setattr(render, "_in_workers", counting)
    assert cli("render", "--format", fmt, "--color", "always", "--omitted") == here
    assert pooled == [13]  # every family's pages made in the workers
    assert here.out.count("Family") >= 12


def test_workers_render_only_a_few_batches_ahead_of_what_is_written(
    canon_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A slow reader (a pager) must not have every page of the canon pile up in memory."""
    from concurrent.futures import ProcessPoolExecutor

    import jobframe_lint.commands.render as render
    import jobframe_lint.processes

    write_families(canon_dir, 40)
    monkeypatch.setattr(jobframe_lint.processes, "cores", lambda: 2)
    submitted: list[list[str]] = []
    submit = ProcessPoolExecutor.submit

    def counting(pool: ProcessPoolExecutor, work: Any, batch: list[str]) -> Any:
        submitted.append(batch)
        return submit(pool, work, batch)

    monkeypatch.setattr(ProcessPoolExecutor, "submit", counting)
    chosen = render.prepare([Path("canon")], None, None)
    paths = [family.path for family in chosen.families]
    pages = render._in_workers(
        chosen.guides,
        paths,
        chosen.limits,
        None,
        render.FormatSpec("text"),
    )
    first = next(pages)  # the first family's, made here
    assert len(submitted) == render.AHEAD * 2  # of the 40 families left, in batches of 5
    rest = list(pages)
    assert [path for batch in submitted for path in batch] == paths[1:]
    assert [page.family for page in [first, *rest]] == [
        family.name.value for family in chosen.families
    ]


def test_output_dir_writes_a_file_per_page_and_check_says_what_would_change(
    canon_dir: Path, cli: CliRun
) -> None:
    second = FAMILY_YAML.replace("Example Family", "AI / ML Engineering")
    write_files(canon_dir, {"canon/second.yaml": second})
    result = cli("render", "--output-dir", "frames")
    assert (result.code, result.out.splitlines()) == (
        1,
        ["wrote frames/ai-ml-engineering/P3.md", "wrote frames/example-family/P3.md"],
    )
    page = canon_dir / "frames/example-family/P3.md"
    text = page.read_text("utf-8")
    assert text.startswith(
        "<!-- Generated by jobframe-lint render from the canon: do not edit. -->\n"
    )
    assert (
        text.split("\n", 1)[1]
        == cli("render", "--format", "markdown", "--family", "Example Family").out
    )
    assert cli("render", "--output-dir", "frames", "--check") == Run(0, "", "")

    write_files(canon_dir, {"frames/example-family/notes.md": "mine\n"})  # not ours: kept
    (canon_dir / "canon/second.yaml").unlink()
    page.write_text(text + "edited\n", "utf-8")
    check = cli("render", "--output-dir", "frames", "--check")
    assert check.code == 1
    assert check.out.splitlines() == [
        "would write frames/example-family/P3.md",
        "would remove frames/ai-ml-engineering/P3.md",
    ]
    assert "2 page file(s) out of step with the canon" in check.err
    assert page.read_text("utf-8").endswith("edited\n")  # --check wrote nothing
    assert cli("render", "--output-dir", "frames").code == 1  # it changed files
    assert cli("render", "--output-dir", "frames").code == 0  # all in step
    assert page.read_text("utf-8") == text
    assert not (canon_dir / "frames/ai-ml-engineering/P3.md").exists()
    assert (canon_dir / "frames/example-family/notes.md").read_text("utf-8") == "mine\n"
    text_pages = cli("render", "--output-dir", "pages", "--format", "text")
    assert text_pages.out == "wrote pages/example-family/P3.txt\n"
    assert cli("render", "--output-dir", "pages", "--format", "json").code == 2
    assert cli("render", "--check").code == 2


def test_without_worker_processes_a_large_canon_renders_in_one(
    canon_dir: Path, cli: CliRun, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A sandbox without semaphores cannot start workers: the pages are made here instead."""
    import concurrent.futures

    import jobframe_lint.commands.render as render
    import jobframe_lint.processes

    def refused(*args: Any, **kwargs: Any) -> None:
        raise OSError("no semaphores")

    for index in range(4):
        text = FAMILY_YAML.replace("Example Family", f"Family {index}")
        write_files(canon_dir, {f"canon/family-{index}.yaml": text})
    expected = cli("render", "--format", "text")
    monkeypatch.setattr(jobframe_lint.processes, "cores", lambda: 2)
    monkeypatch.setattr(render, "PARALLEL_FROM", 2)
    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", refused)
    assert cli("render", "--format", "text") == expected
