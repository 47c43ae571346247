"""The loader composes from libyaml's events: what it builds is what PyYAML's node tree
holds, and what it refuses is what the two-pass loader before it refused, at the same place
with the same words.

The refusals were recorded (``data/loader-golden.json``) from that loader, which scanned
the events of some files and then composed and walked PyYAML's nodes: broken, hostile and
mutated documents, some under small limits. It checked limits in its tree walk for files
it did not scan, so where a file breaks a limit and has another error too, the error
reported can differ from the recording; such cases are left out of it.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from jobframe_lint.document import Limits, RawSpan
from jobframe_lint.loader import CORE_TAGS, STR_TAG, load_bytes
from tests.test_format_property import sources

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = json.loads((Path(__file__).parent / "data" / "loader-golden.json").read_text("utf-8"))


class _Reference:
    """The plain way: PyYAML composes the node tree, and a walk turns it into data, a
    position for every key, value and item, and the duplicate and non-text keys."""

    def __init__(self, text: str) -> None:
        self.raw: dict[Any, RawSpan] = {}
        self.implicit: dict[Any, str] = {}
        self.keys: list[tuple[str, int, int]] = []
        root = yaml.compose(text, Loader=yaml.CSafeLoader)
        self.raw[()] = _span(root)
        self.data = self.value(root, ())

    def value(self, node: Node, path: tuple[Any, ...]) -> Any:
        if isinstance(node, MappingNode):
            mapping: dict[str, Any] = {}
            for key_node, value_node in node.value:
                key = key_node.value
                if key_node.tag != STR_TAG:
                    self.keys.append(("JF002", *_start(key_node)))
                if key in mapping:
                    self.keys.append(("JF003", *_start(key_node)))
                    continue
                self.raw[(*path, key)] = _span(value_node) + _span(key_node)
                mapping[key] = self.value(value_node, (*path, key))
            return mapping
        if isinstance(node, SequenceNode):
            items = []
            for index, item in enumerate(node.value):
                self.raw[(*path, index)] = _span(item)
                items.append(self.value(item, (*path, index)))
            return items
        assert isinstance(node, ScalarNode)
        if node.tag == STR_TAG or node.tag not in CORE_TAGS:
            return node.value
        if not node.style and node.value:
            self.implicit[path] = node.value
        return yaml.constructor.SafeConstructor().construct_object(node)


def _span(node: Node) -> RawSpan:
    return (node.start_mark.line, node.start_mark.column, node.end_mark.line, node.end_mark.column)


def _start(node: Node) -> tuple[int, int]:
    return (node.start_mark.line + 1, node.start_mark.column + 1)


def _agrees_with_pyyaml(raw: bytes) -> None:
    document = load_bytes(raw, "x.yaml")
    reference = _Reference(raw.decode("utf-8-sig"))
    assert document.data == reference.data
    assert list(document.positions.raw.items()) == list(reference.raw.items())
    assert document.implicit_scalars == reference.implicit
    found = [(d.code, d.span.start.line, d.span.start.column) for d in document.diagnostics]
    assert found == reference.keys


TREES = [
    b"a: 1\na: 2\nb: {c: [1, {d: e}], c: x}\n",
    b"x:\n  - {k: 1, k: [2, 3]}\n  - - - y\n    - z\n",
    b"On: x\n2024-01-01: y\n<<: z\n=: w\n1: a\n'1': b\n",
    b"a: 2024-01-01\nb: 1.10\nc: No\nd: ''\ne:\nf: ~\ng: 0x1F\nh: .inf\ni: -.5\nj: !!str 5\n",
    b"a: |\n  block\n  text\nb: >-\n  folded\n  text\nc: 'x'\nd: \"y\\n\"\n",
    b"? a\n: b\n? c\n",
    b"%YAML 1.1\n---\na: [1, 2]\n...\n",
    b"\xef\xbb\xbfa: 1\r\nb: [1, 2]\r\n",
]


@pytest.mark.parametrize("raw", TREES)
def test_tree_is_what_pyyaml_composes(raw: bytes) -> None:
    _agrees_with_pyyaml(raw)


@pytest.mark.parametrize(
    "path", sorted([*ROOT.glob("canon/**/*.yaml"), *ROOT.glob("examples/**/*.y*ml")]), ids=str
)
def test_shipped_files_are_what_pyyaml_composes(path: Path) -> None:
    _agrees_with_pyyaml(path.read_bytes())


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sources())
def test_generated_documents_are_what_pyyaml_composes(raw: bytes) -> None:
    _agrees_with_pyyaml(raw)


@pytest.mark.parametrize("case", GOLDEN, ids=[str(number) for number in range(len(GOLDEN))])
def test_findings_are_what_the_two_pass_loader_gave(case: dict[str, Any]) -> None:
    raw = base64.b64decode(case["source"])
    document = load_bytes(raw, "x.yaml", Limits(1024 * 1024, *case["limits"]))
    found = [
        [d.code, *(number for position in d.span for number in position), d.message]
        for d in document.diagnostics
    ]
    assert found == case["findings"]
    assert json.dumps(document.data) == case["data"]
    positions = [[list(path), list(span)] for path, span in document.positions.raw.items()]
    assert positions == case["positions"]
    assert [[list(path), text] for path, text in document.implicit_scalars.items()] == case[
        "implicit"
    ]
