from __future__ import annotations

import copy
import json

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from glossator.schema import ANNOTATIONS, CONFIG, FRONT_MATTER, compile_schema, load_schema, validate
from glossator.yamlnodes import YamlError, parse

from .conftest import dedent


def problems(source: str):
    return validate(parse(dedent(source), "a.yaml"), ANNOTATIONS, "the annotation list")


def one(source: str):
    found = problems(source)
    assert len(found) == 1, found
    return found[0]


VALID = """
- id: ok
  kind: context
  quote: some words
  body: Explained.
"""


def test_valid_annotation_has_no_problems():
    assert problems(VALID) == []


def test_shipped_schemas_are_valid_json_schema():
    jsonschema = pytest.importorskip("jsonschema")
    for name in (ANNOTATIONS, FRONT_MATTER):
        jsonschema.Draft202012Validator.check_schema(load_schema(name))


def test_unknown_field_suggests_the_closest():
    d = one(VALID + "  qoute: typo\n")
    assert d.message == "unknown field 'qoute'"
    assert (d.location.line, d.location.col) == (5, 3)
    assert d.hint.startswith("did you mean 'quote'?")


def test_missing_required_field():
    d = one("- id: ok\n  kind: context\n  body: b\n")
    assert d.message == "missing required field 'quote' in item 1 of the annotation list"
    assert d.location.line == 1


def test_wrong_kind_suggests_a_valid_one():
    d = one(VALID.replace("kind: context", "kind: contxt"))
    assert d.message == "'contxt' is not a valid 'kind'; expected one of: context, rebuttal, footnote"
    assert d.hint == "did you mean 'context'?"
    assert (d.location.line, d.location.col) == (2, 9)


def test_bad_id_explains_the_pattern():
    d = one(VALID.replace("id: ok", "id: My Note"))
    assert d.message == "'My Note' is not a valid 'id'"
    assert "lowercase" in d.hint


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "ftp://x.org/a", "data:text/html,x", "https://", "https://a b.org"]
)
def test_source_urls_must_be_http(url):
    d = one(VALID + f"  sources:\n    - title: T\n      url: '{url}'\n")
    assert d.message.endswith("is not a valid 'url'")
    assert d.location.line == 7


def test_wrong_type_names_what_was_found():
    d = one(VALID + "  sources: a string\n")
    assert d.message == "'sources' must be a list, found 'a string'"


def test_body_required_for_context_and_rebuttal():
    d = one("- id: ok\n  kind: context\n  quote: q\n")
    assert d.message.startswith("missing required field 'body'")
    assert "need a 'body'" in d.hint


def test_sources_required_for_rebuttal_and_footnote():
    d = one("- id: ok\n  kind: footnote\n  quote: q\n")
    assert d.message.startswith("missing required field 'sources'")
    d = one("- id: ok\n  kind: rebuttal\n  quote: q\n  body: b\n  sources: []\n")
    assert d.message == "'sources' must list at least 1 item"


def test_claim_and_rating_only_on_rebuttals():
    d = one(VALID + "  claim: something\n")
    assert d.message == "'claim' is not allowed here"
    assert "belong to rebuttals" in d.hint


def test_rating_values():
    base = "- id: r\n  kind: rebuttal\n  quote: q\n  body: b\n  sources: [{title: t, url: 'https://a.org'}]\n"
    assert problems(base + "  rating: false\n  claim: c\n") == []
    d = one(base + "  rating: wrong\n")
    assert "expected one of: false, misleading, unsupported, disputed, lacks-context" in d.message


def test_dates_are_checked():
    d = one(VALID + "  added: 2025-13-01\n")
    assert d.message == "'2025-13-01' is not a valid date"


def test_the_file_must_be_a_list_of_mappings():
    d = one("id: x\nkind: context\n")
    assert d.message == "the annotation list must be a list, found a mapping"
    d = one("- just text\n")
    assert d.message.startswith("item 1 of the annotation list must be a mapping")


def test_front_matter_unknown_key():
    node = parse("title: T\nsubtitle: S\n", "c.md", first_line=2)
    (d,) = validate(node, FRONT_MATTER, "front matter")
    assert d.message == "unknown field 'subtitle'"
    assert d.location.line == 3


@pytest.mark.parametrize(
    "source",
    [
        VALID,
        VALID + "  qoute: x\n",
        VALID.replace("context", "contxt"),
        "- id: r\n  kind: rebuttal\n  quote: q\n  body: b\n",
        VALID + "  claim: c\n",
        VALID + "  sources:\n    - title: t\n      url: 'javascript:x'\n",
        VALID + "  added: '2025-01-02'\n",
    ],
)
def test_agrees_with_a_reference_json_schema_validator(source):
    jsonschema = pytest.importorskip("jsonschema")
    data = json.loads(json.dumps(parse(dedent(source), "a.yaml").to_python()))
    reference = list(jsonschema.Draft202012Validator(load_schema(ANNOTATIONS)).iter_errors(data))
    assert bool(reference) == bool(problems(source))


@pytest.mark.parametrize(("typo", "meant"), [("qoute", "quote"), ("bdoy", "body")])
def test_a_misspelt_required_field_is_reported_once_as_the_unknown_field(typo, meant):
    d = one(VALID.replace(f"  {meant}:", f"  {typo}:"))
    assert d.message == f"unknown field '{typo}'"
    assert d.hint.startswith(f"did you mean '{meant}'?")


def test_a_missing_field_with_no_lookalike_is_still_required():
    d = one(VALID.replace("  quote: some words\n", "  author: someone\n"))
    assert d.message == "missing required field 'quote' in item 1 of the annotation list"


def test_a_body_left_as_todo_is_refused():
    d = one(VALID.replace("body: Explained.", "body: |\n    TODO: explain the passage"))
    assert d.message == "'TODO: explain the passage' is not a valid 'body'"
    assert "in place of the TODO line" in d.hint
    assert problems(VALID.replace("body: Explained.", "body: Explained; TODO lists are fine inside.")) == []


# The compiled check alone decides that a value is valid, so it must agree with the detailed walk on every value.

NOTES = [
    {"id": "a", "kind": "context", "quote": "some words", "body": "Explained."},
    {
        "id": "r-1",
        "kind": "rebuttal",
        "quote": "q",
        "body": "b",
        "claim": "c",
        "rating": "false",
        "sources": [{"title": "T", "url": "https://a.org/x", "publisher": "P", "date": "2024-05"}],
        "added": "2025-03-18",
        "author": "A",
    },
    {"id": "f", "kind": "footnote", "quote": "q", "prefix": "p", "sources": [{"title": "T", "url": "http://a.org"}]},
]
SETTINGS = [
    {"title": "T", "author": "A", "publisher": "P", "date": "2024", "source_url": "https://a.org", "summary": "S"},
    {"title": "T", "description": "D", "base_url": "https://a.org/r/", "language": "en-GB"},
]
FIELDS = sorted({key for note in NOTES + SETTINGS for key in note} | {"suffix", "qoute", "bdoy", "url", "x"})
ODD = [
    "",
    " ",
    "null",
    "~",
    "TODO: explain",
    "2025-13-01",
    "2025-01-02\n",
    "2025",
    "javascript:x",
    "https://a b.org",
    "My Note",
    "contxt",
    "rebuttal",
    "footnote",
    "disputed",
    "en",
    "a\nb",
    "x" * 81,
    "y" * 2001,
]
VALUES = st.recursive(
    st.one_of(st.sampled_from(ODD), st.text(max_size=12), st.none(), st.booleans(), st.integers(), st.dates()),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(FIELDS), inner, max_size=3),
    max_leaves=6,
)


@st.composite
def edited(draw, bases):
    """A valid value with some fields changed, added or removed: mostly near misses, sometimes still valid."""
    value = copy.deepcopy(draw(st.sampled_from(bases)))
    for key in draw(st.lists(st.sampled_from(sorted(value)), max_size=2)):
        value.pop(key, None)
    value.update(draw(st.dictionaries(st.sampled_from(FIELDS), VALUES, max_size=2)))
    return value


DOCUMENTS = st.one_of(
    st.lists(edited(NOTES), max_size=3),
    st.lists(st.sampled_from(NOTES), min_size=1, max_size=3),
    edited(SETTINGS),
    st.sampled_from(SETTINGS),
    VALUES,
)


class Dumper(yaml.SafeDumper):
    """Writes a value repeated in the document out in full each time: aliases are refused."""

    def ignore_aliases(self, data) -> bool:
        return True


def dump(document, **options) -> str:
    return yaml.dump(document, Dumper=Dumper, allow_unicode=True, sort_keys=False, **options)


def agree(node) -> None:
    for name in (ANNOTATIONS, FRONT_MATTER, CONFIG):
        compiled = compile_schema(name)
        walked = compiled.problems(node, "the value")
        assert compiled.check(node) == (not walked), (name, node.to_python(), walked)
        assert validate(node, name, "the value") == walked


def test_the_compiled_check_agrees_with_the_walk_on_every_single_field_change():
    many = [{"title": "T", "url": "https://a.org"}] * 51
    odd = [*ODD, None, True, 7, [], ["x"], {}, {"title": "T"}, [{"title": "T", "url": "ftp://a"}], many, many[1:]]
    for base in NOTES + SETTINGS:
        for key in FIELDS:
            for value in odd:
                document = [{**base, key: value}] if base in NOTES else {**base, key: value}
                agree(parse(dump(document), "a.yaml"))
    for count in (5000, 5001):
        agree(parse(dump([NOTES[0]] * count, default_flow_style=True), "a.yaml"))


@settings(max_examples=400, deadline=None)
@given(document=DOCUMENTS, flow=st.booleans())
def test_the_compiled_check_agrees_with_the_detailed_walk(document, flow):
    try:
        node = parse(dump(document, default_flow_style=flow), "a.yaml")
    except YamlError:
        return
    if node is not None:
        agree(node)


def test_valid_notes_pass_the_compiled_check_and_near_misses_do_not():
    valid = parse(dump(NOTES), "a.yaml")
    assert compile_schema(ANNOTATIONS).check(valid)
    for broken in (VALID.replace("kind: context", "kind: contxt"), VALID + "  claim: c\n", VALID + "  x: y\n"):
        assert not compile_schema(ANNOTATIONS).check(parse(dedent(broken), "a.yaml"))


def test_references_are_resolved_once_at_compile_time():
    compiled = compile_schema(ANNOTATIONS)
    source = compiled.schema["items"]["properties"]["sources"]["items"]
    assert "$ref" not in compiled.schema["items"] and "$ref" not in source
    assert source["properties"]["url"]["pattern"].startswith("^https?://")
    assert compile_schema(ANNOTATIONS) is compiled
