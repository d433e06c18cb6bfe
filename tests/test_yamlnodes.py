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
