"""The formatter's transformation alone (SPEC §9): canonical layout, quoting, comments,
BOM and line endings, and the proof that the data is what it was."""

from __future__ import annotations

import codecs
import textwrap

import pytest

from jobframe_lint import formatter
from jobframe_lint.formatter import FormatError, Unloadable, format_bytes, format_canon, same_data
from jobframe_lint.loader import load_bytes

MESSY = """\
# yaml-language-server: $schema=../../schema/family.schema.json
levels:
    P3:
        rubrics: {knowledge-application: 'Applies knowledge.', complexity/problem-solving: "Solves problems."}
        # the core outputs
        responsibilities: ["Builds the thing.", 'Ships it.']   # two for now
    P4:
        responsibilities:
        -   Leads the thing.
function: 'Data Science & Analytics'
# the family's name, as in the catalogue
family: Example Family
kind: family
# end of file
"""

CANONICAL = """\
# yaml-language-server: $schema=../../schema/family.schema.json
kind: family
function: Data Science & Analytics
# the family's name, as in the catalogue
family: Example Family
levels:
  P3:
    # the core outputs
    responsibilities:  # two for now
      - Builds the thing.
      - Ships it.
    rubrics:
      complexity/problem-solving: Solves problems.
      knowledge-application: Applies knowledge.
  P4:
    responsibilities:
      - Leads the thing.
# end of file
"""


def formatted(text: str) -> str:
    return format_canon(textwrap.dedent(text).encode("utf-8"), "canon/x.yaml").decode("utf-8")


def loaded(text: str) -> object:
    document = load_bytes(text.encode("utf-8"), "canon/x.yaml")
    assert document.data is not None, document.diagnostics
    return document.data


def test_messy_file_takes_the_canonical_layout_with_its_comments_in_place() -> None:
    assert formatted(MESSY) == CANONICAL
    assert same_data(loaded(MESSY), loaded(CANONICAL))


def test_canonical_file_is_returned_as_it_is() -> None:
    assert formatted(CANONICAL) == CANONICAL
    raw = CANONICAL.encode("utf-8")
    assert format_canon(raw, "x.yaml") is raw


def test_level_guide_keys_follow_its_schema_and_level_codes_keep_their_order() -> None:
    guide = """\
    levels:
      P4:
        dimensions:
          Scope: Wider
        title: Senior
      P3:
        title: Mid
    dimensions: [Scope]
    kind: levels
    """
    assert formatted(guide) == textwrap.dedent("""\
    kind: levels
    dimensions:
      - Scope
    levels:
      P4:
        title: Senior
        dimensions:
          Scope: Wider
      P3:
        title: Mid
    """)


def test_unknown_keys_follow_the_known_ones_in_their_own_order() -> None:
    text = """\
    zeta: 1
    kind: family
    alpha: 2
    family: F
    """
    assert formatted(text) == "kind: family\nfamily: F\nzeta: 1\nalpha: 2\n"


@pytest.mark.parametrize(
    "text",
    [
        "No",
        "off",
        "yes",
        "ON",
        "y",  # a YAML 1.1 boolean that PyYAML alone reads as text
        "N",
        "1.10",
        "0x1F",
        "0o17",  # an integer in YAML 1.2
        "1e3",  # a float in YAML 1.2, text in PyYAML
        "1_000",
        "1:20",  # sexagesimal in YAML 1.1
        "+1",
        ".5",
        ".inf",
        "~",
        "null",
        "",
        "2024-01-01",  # a date in YAML 1.1
        "=",
    ],
)
def test_text_a_reader_would_retype_keeps_quotes_however_it_was_quoted(text: str) -> None:
    for quoted in (f"'{text}'", f'"{text}"'):
        result = formatted(f"kind: family\nfamily: {quoted}\n")
        assert result == f"kind: family\nfamily: '{text}'\n"
        assert loaded(result) == {"kind": "family", "family": text}


@pytest.mark.parametrize(
    ("source", "written"),
    [
        ("'Mid Level'", "Mid Level"),
        ('"No way"', "No way"),
        ("'1.10 release'", "1.10 release"),
        ('"it\'s"', "it's"),
        ("'a: b'", "'a: b'"),  # plain would be a mapping
        ('"# not a comment"', "'# not a comment'"),
        ('"- item"', "'- item'"),
        ('"tab\\there"', '"tab\\there"'),  # only double quotes can write the tab out
        ('"two\\nlines"', '"two\\nlines"'),  # one line, never a multi-line scalar
    ],
)
def test_quotes_only_where_needed(source: str, written: str) -> None:
    result = formatted(f"kind: family\nfamily: {source}\n")
    assert result == f"kind: family\nfamily: {written}\n"
    assert same_data(loaded(result), loaded(f"kind: family\nfamily: {source}\n"))


def test_plain_values_the_loader_reads_as_non_text_are_left_plain() -> None:
    """Quoting `No` would turn false into "No": the data must not change (check reports it)."""
    text = "kind: family\nfunction: 1.10\nfamily: No\nlevels: ~\n"
    assert formatted(text) == text
    assert loaded(text) == {"kind": "family", "family": False, "function": 1.1, "levels": None}


def test_quoted_keys_follow_the_same_rule() -> None:
    text = "kind: levels\nlevels:\n  P3:\n    dimensions:\n      'yes': a\n      'Scope': b\n"
    assert formatted(text) == (
        "kind: levels\nlevels:\n  P3:\n    dimensions:\n      'yes': a\n      Scope: b\n"
    )


def test_long_text_is_never_folded() -> None:
    sentence = " ".join(["word"] * 200)
    text = f"kind: family\nfamily: >-\n  {sentence}\nfunction: '{sentence}'\n"
    result = formatted(text)
    assert f"function: {sentence}\n" in result
    assert f"family: >-\n  {sentence}\n" in result


def test_block_scalars_keep_their_lines_hash_signs_included() -> None:
    text = (
        "kind: family\nfamily: |\n    # not a comment\n    text   # nor this\nfunction: F  # real\n"
    )
    assert formatted(text) == (
        "kind: family\nfunction: F  # real\nfamily: |\n  # not a comment\n  text   # nor this\n"
    )


def test_own_line_comments_are_indented_like_the_line_they_precede() -> None:
    text = """\
    kind: family
    levels:
        P3:
                # far right
            responsibilities:
            - One.
         # between levels
        P4:
            responsibilities: [Two.]
    """
    assert formatted(text) == textwrap.dedent("""\
    kind: family
    levels:
      P3:
        # far right
        responsibilities:
          - One.
      # between levels
      P4:
        responsibilities:
          - Two.
    """)


def test_end_of_line_comments_get_two_spaces_and_stay_on_their_line() -> None:
    text = "kind: family # kind\nfamily: F          # name\nlevels: {}  #   empty\n"
    assert formatted(text) == "kind: family  # kind\nfamily: F  # name\nlevels: {}  #   empty\n"


def test_bom_and_crlf_line_endings_are_kept() -> None:
    raw = codecs.BOM_UTF8 + MESSY.replace("\n", "\r\n").encode("utf-8")
    result = format_canon(raw, "x.yaml")
    assert result == codecs.BOM_UTF8 + CANONICAL.replace("\n", "\r\n").encode("utf-8")
    assert format_canon(result, "x.yaml") == result


def test_lf_files_stay_lf() -> None:
    assert b"\r" not in format_bytes(MESSY.encode("utf-8"))


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("kind: family\nfamily: [\n", "JF001"),
        ("kind: family\nfamily: A\nfamily: B\n", "JF003"),
        ("kind: family\nfamily: &a A\nfunction: *a\n", "JF004"),
        ("- a list\n", "JF001"),
        (b"kind: \xff\n", "JF001"),
    ],
)
def test_files_the_loader_refuses_are_not_formatted(text: str | bytes, code: str) -> None:
    raw = text if isinstance(text, bytes) else text.encode("utf-8")
    with pytest.raises(Unloadable) as refused:
        format_canon(raw, "x.yaml")
    assert [item.code for item in refused.value.diagnostics] == [code]


def test_a_result_that_would_not_load_to_the_same_data_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(formatter, "format_bytes", lambda raw: raw.replace(b"Ships", b"Sinks"))
    with pytest.raises(FormatError, match="would not load to the same data"):
        format_canon(MESSY.encode("utf-8"), "x.yaml")


def test_same_data_tells_types_apart() -> None:
    assert not same_data({"a": True}, {"a": 1})
    assert not same_data([1], [1.0])
    assert not same_data("1", 1)
    assert same_data({"a": [float("nan")]}, {"a": [float("nan")]})
    assert same_data({"a": 1, "b": 2}, {"b": 2, "a": 1})
    assert not same_data(["a", "b"], ["b", "a"])


def test_a_result_that_loses_a_comment_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(formatter, "format_bytes", lambda raw: raw.replace(b"# two for now", b""))
    with pytest.raises(FormatError, match="would lose the comment on line 6 "):
        format_canon(MESSY.encode("utf-8"), "x.yaml")


def test_comments_inside_flow_collections_leave_the_file_alone() -> None:
    """ruamel.yaml drops them when it reads the file: the guard says which and what to do."""
    text = "kind: family\nlevels: {P3: {rubrics: {},\n  # why none\n  responsibilities: [One.]}}\n"
    with pytest.raises(FormatError) as refused:
        format_canon(text.encode("utf-8"), "x.yaml")
    assert str(refused.value) == (
        "the formatted text would lose the comment on line 3 "
        "(ruamel.yaml drops comments inside [...] and {...}: move it out of them)"
    )


def test_comments_are_told_from_hash_signs_in_text() -> None:
    text = textwrap.dedent("""\
    # top
    a: 'x # not' # one
    b: "multi # not
      line # not"   # two
    c: |  # three
      # not
    d: x#not
    e: [p, # four
        q]
    """)
    assert formatter.comments(text) == {
        1: "# top",
        2: "# one",
        4: "# two",
        5: "# three",
        8: "# four",
    }


def test_what_comes_before_an_opening_marker_is_kept_as_it_is() -> None:
    text = "# licence\n%YAML 1.1\n---   # the document\n# about the kind\nfamily: F\nkind: family\n"
    assert formatted(text) == (
        "# licence\n%YAML 1.1\n---   # the document\n# about the kind\nkind: family\nfamily: F\n"
    )


def test_reordering_moves_the_comments_above_a_key_and_keeps_those_closing_an_entry() -> None:
    text = """\
    # modeline
    levels:
      P3:
        rubrics:
          knowledge-application: Applies.
          # closes the rubrics
        # above responsibilities

        responsibilities:
          - One.
        # closes P3
    # above kind
    kind: family
    # the end
    """
    assert formatted(text) == textwrap.dedent("""\
    # modeline
    # above kind
    kind: family
    levels:
      P3:
        # above responsibilities

        responsibilities:
          - One.
        rubrics:
          knowledge-application: Applies.
          # closes the rubrics
        # closes P3
    # the end
    """)
