from __future__ import annotations

import pytest

from glossator.yamlnodes import MAX_DEPTH, YamlError, parse


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
