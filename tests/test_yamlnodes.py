from __future__ import annotations

import re

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from glossator.model import Location
from glossator.yamlnodes import MAX_DEPTH, YamlError, YNode, parse

from .conftest import REPO


def error(source: str):
    with pytest.raises(YamlError) as caught:
        parse(source, "a.yaml")
    return caught.value.diagnostic


def test_values_keep_their_locations_and_stay_strings():
    node = parse("- id: x\n  added: 2025-03-18\n  title: yes\n", "a.yaml")
    item = node.value[0]
    assert node.to_python() == [{"id": "x", "added": "2025-03-18", "title": "yes"}]
    assert item.value["added"].tag == "timestamp"
    assert (item.value["added"].location.line, item.value["added"].location.col) == (2, 10)
    assert item.key_locations["title"].line == 3


def test_front_matter_lines_are_offset():
    node = parse("title: x\n", "c.md", first_line=2)
    assert node.value["title"].location.line == 2


def test_aliases_and_anchors_are_refused_before_expansion():
    bomb = 'a: &a ["x","x"]\nb: &b [*a,*a]\nc: [*b,*b]\n'
    d = error(bomb)
    assert d.code == "yaml-alias"
    assert (d.location.line, d.location.col) == (1, 4)
    assert "not allowed" in d.message


def test_duplicate_keys_point_at_both_places():
    d = error("- id: a\n  kind: context\n  kind: rebuttal\n")
    assert d.message == "duplicate key 'kind'"
    assert d.location.line == 3
    assert d.related[0].location.line == 2


def test_tab_indentation_gets_a_hint():
    d = error("- id: a\n\tkind: context\n")
    assert d.location.line == 2
    assert d.hint == "YAML indentation must use spaces, not tabs"


@pytest.mark.parametrize(
    ("source", "line", "col"),
    [("- id: a\n\tkind: context\n", 2, 1), ("-\tid: a\n", 1, 2), ("- id: a\n  sources:\n    \t- x\n", 3, 5)],
)
def test_a_tab_in_indentation_is_named_as_such_and_points_at_the_tab(source, line, col):
    d = error(source)
    assert (d.message, d.code, d.related) == ("invalid YAML: a tab character is used for indentation", "yaml-tab", ())
    assert (d.location.line, d.location.col) == (line, col)


def test_a_tab_inside_a_value_is_not_blamed_for_another_mistake():
    d = error("- id: a\n  body: a\tb: c\n")
    assert d.code == "yaml-syntax" and "quoted" in d.hint


def test_values_know_where_they_end():
    node = parse('- quote: plain words  # c\n  prefix: "q"\n  body: >-\n    folded\n\n  x: y\n', "a.yaml")
    fields = node.value[0].value
    assert (fields["quote"].end.line, fields["quote"].end.col) == (1, 21)
    assert (fields["prefix"].end.line, fields["prefix"].end.col) == (2, 14)
    assert (fields["body"].end.line, fields["body"].end.col) == (6, 1)
    assert (node.end.line, node.end.col) == (7, 1)


def test_unquoted_colon_gets_a_hint():
    d = error("- id: a\n  body: Note: this breaks\n")
    assert d.location.line == 2
    assert "quoted" in d.hint


def test_deep_nesting_is_bounded():
    d = error("[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5))
    assert d.code == "yaml-too-deep"


def test_deep_nesting_far_beyond_the_limit_does_not_crash():
    d = error("[" * 100_000)
    assert d.code in ("yaml-too-deep", "yaml-syntax")


def test_one_document_per_file():
    assert error("a: 1\n---\nb: 2\n").code == "yaml-multiple-documents"


def test_empty_file_is_none():
    assert parse("# only a comment\n", "a.yaml") is None


# The composer against PyYAML's own: for every input it accepts, the same tree, tag and mark for mark.

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff]")


def ours(node: YNode | None):
    """A tree of plain tuples: (value, tag, location, key locations, end)."""
    if node is None:
        return None
    if isinstance(node.value, list):
        value: object = [ours(item) for item in node.value]
    elif isinstance(node.value, dict):
        value = {key: ours(item) for key, item in node.value.items()}
    else:
        value = node.value
    return (value, node.tag, node.location, node.key_locations, node.end)


def reference(node: yaml.Node | None, first_line: int = 1):
    """The same shape, from the node graph PyYAML's composer builds (``yaml.compose``)."""
    if node is None:
        return None

    def at(mark):
        return Location("a.yaml", mark.line + first_line, mark.column + 1)

    keys: dict[str, Location] = {}
    if isinstance(node, yaml.SequenceNode):
        value: object = [reference(item, first_line) for item in node.value]
        tag = "seq"
    elif isinstance(node, yaml.MappingNode):
        value = {key.value: reference(item, first_line) for key, item in node.value}
        keys = {key.value: at(key.start_mark) for key, _ in node.value}
        tag = "map"
    else:
        value, tag = node.value, node.tag.rsplit(":", 1)[-1]
    return (value, tag, at(node.start_mark), keys, at(node.end_mark))


def first_control(node: yaml.Node | None) -> yaml.ScalarNode | None:
    """The first scalar, in document order, that holds a control character."""
    if node is None or isinstance(node, yaml.ScalarNode):
        return node if node and CONTROL.search(node.value) else None
    children = node.value if isinstance(node, yaml.SequenceNode) else [n for pair in node.value for n in pair]
    return next((found for child in children if (found := first_control(child))), None)


def assert_composed_like_pyyaml(text: str, first_line: int = 1) -> None:
    expected = yaml.compose(text, Loader=Loader)
    control = first_control(expected)
    if control is not None:
        with pytest.raises(YamlError) as caught:
            parse(text, "a.yaml", first_line)
        d = caught.value.diagnostic
        assert d.code == "yaml-control-character"
        assert (d.location.line, d.location.col) == (
            control.start_mark.line + first_line,
            control.start_mark.column + 1,
        )
        return
    assert ours(parse(text, "a.yaml", first_line)) == reference(expected, first_line)


TRICKY = [
    "",
    "# only a comment\n",
    "---\n",
    "just a scalar",
    "--- |\n  a block\n...\n",
    "a: 1\nb: 1.5\nc: true\nd: ~\ne: 2025-03-18\nf: 0x1F\ng: .inf\nh: <<\ni: =\nj: null\nk:\n",
    "a: ! 12\nb: !!str 1\nc: !custom x\nd: !!int '3'\ne: !<tag:yaml.org,2002:str> y\n",
    "q: 'it''s'\nr: \"tab\\there, \\u00e9\"\ns: \"\\N next line\"\n",
    "body: |+\n  kept\n\n\nnext: >-\n  folded\n  lines\n\n  para\nlast: |2\n    indented\n",
    "- [a, {b: c, d: [e, f]}, ''] # comment\n- {}\n- []\n- ? key\n  : value\n",
    'plain: multi\n  line\n    plain\nquoted: "multi\n  line"\n',
    "\ufeffkey: after a byte order mark\n",
    "a: x\r\nb: y\r\n",
    "a: x\x85b: y\n",
    "a: 'line\u2028separator'\n",
    "tabs: a\tb\n",
    "unicode: ελληνικά — “quotes”\n",
    "- id: a\n  sources:\n    - title: T\n      url: https://a.org\n",
]


@pytest.mark.parametrize("text", TRICKY)
@pytest.mark.parametrize("first_line", [1, 2])
def test_the_tree_is_pyyamls_node_graph(text, first_line):
    assert_composed_like_pyyaml(text, first_line)


def test_the_project_annotation_files_compose_like_pyyaml():
    files = sorted((REPO / "annotations").glob("*/*.yaml"))
    assert files
    for path in files:
        assert_composed_like_pyyaml(path.read_text(encoding="utf-8"))


def test_every_fuzz_corpus_input_that_parses_composes_like_pyyaml():
    parsed = 0
    for path in sorted((REPO / "fuzz" / "corpus").iterdir()):
        for part in path.read_bytes().split(b"\n%%%%\n"):
            text = part.decode("utf-8", "replace")
            try:
                parse(text, "a.yaml")
            except YamlError:
                continue
            assert_composed_like_pyyaml(text)
            parsed += 1
    assert parsed > 50


@pytest.mark.parametrize("char", [char for char in map(chr, range(0x10000)) if CONTROL.match(char)])
def test_control_characters_are_refused_however_they_are_written(char):
    escaped = f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}"
    written = [
        f"a: x{char}y\n",
        f"a: 'x{char}y'\n",
        f'a: "x{char}y"\n',
        f"a: |\n  x{char}y\n",
        f"x{char}y: 1\n",
        f'a: "ok"\nb: ["{escaped}"]\n',
        f'"k{escaped}": v\n',
        f'- "fine \\t"\n- "then {escaped}"\n',
    ]
    for text in written:
        try:
            expected = yaml.compose(text, Loader=Loader)
        except yaml.YAMLError:
            with pytest.raises(YamlError):
                parse(text, "a.yaml")
            continue
        assert_composed_like_pyyaml(text)
        assert (first_control(expected) is not None) == ("\\" in text)


KEYS = st.text(st.characters(blacklist_categories=("Cs",)), max_size=8)
SCALARS = st.one_of(
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=20),
    st.sampled_from(["yes", "No", "~", "null", "1_000", "0o17", "+.5", "2025-03-18", "2001-12-14t21:59:43.10-05:00"]),
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.dates(),
)
DATA = st.recursive(
    SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=4), max_leaves=20
)


class Dumper(yaml.SafeDumper):
    """Writes a value repeated in the document out in full each time: aliases are refused."""

    def ignore_aliases(self, data) -> bool:
        return True


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    data=DATA,
    flow=st.sampled_from([False, True, None]),
    style=st.sampled_from([None, "'", '"', "|", ">"]),
    width=st.integers(10, 100),
    indent=st.integers(2, 6),
    explicit=st.booleans(),
)
def test_any_document_composes_like_pyyaml(data, flow, style, width, indent, explicit):
    text = yaml.dump(
        data,
        Dumper=Dumper,
        default_flow_style=flow,
        default_style=style,
        width=width,
        indent=indent,
        explicit_start=explicit,
        explicit_end=explicit,
        allow_unicode=True,
        sort_keys=False,
    )
    assert_composed_like_pyyaml(text)
