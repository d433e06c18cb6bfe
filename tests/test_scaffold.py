from __future__ import annotations

import pytest

from glossator.document import parse_document
from glossator.load import load_project
from glossator.model import Location, Span, Text, TextMeta
from glossator.scaffold import (
    NoteRequest,
    QuoteFields,
    ScaffoldError,
    UsageError,
    anchors_at,
    fresh_id,
    plan_note,
    quote_fields,
    yaml_scalar,
)
from glossator.yamlnodes import parse

from .conftest import dedent, front

SCHEMA = "glossator/schema/annotations.schema.json"
TEXT = front("T") + dedent(
    """
    The partnership has *deepened* since the “no limits” visit.

    Alpha beta gamma.

    Alpha again, said the author.
    """
)
TODAY = "2026-11-22"


@pytest.fixture
def project(make_project):
    def load(texts=None, annotations=None):
        return load_project(make_project(texts={"t": TEXT} if texts is None else texts, annotations=annotations))

    return load


def plan(loaded, passage: str, **options):
    project, problems = loaded
    return plan_note(project, problems, NoteRequest("t", passage, TODAY, **options), SCHEMA)


def failure(loaded, passage: str, **options):
    with pytest.raises(ScaffoldError) as caught:
        plan(loaded, passage, **options)
    assert len(caught.value.diagnostics) == 1
    return caught.value.diagnostics[0]


def document(body: str):
    return parse_document(Text("t", "content/t.md", TextMeta("T"), body, 4))


def test_a_unique_passage_gets_a_file_with_the_fields_its_kind_needs(project):
    note = plan(project(), 'the "no limits" visit')
    assert note.path == "annotations/t/no-limits-visit.yaml"
    assert note.passage == Location("content/t.md", 4, 38)
    assert note.content == dedent(
        """
        # yaml-language-server: $schema=../../glossator/schema/annotations.schema.json
        - id: no-limits-visit
          kind: context
          quote: the “no limits” visit
          body: |
            TODO: explain the passage in your own neutral words (Markdown).
          sources:
            - title:
              url: https://
          # author: your name
          added: 2026-11-22
        """
    )


def test_the_quote_is_written_as_the_page_reads_across_markup(project):
    note = plan(project(), "has deepened  since")
    assert "  quote: has deepened since\n" in note.content
    assert note.passage == Location("content/t.md", 4, 17)


def test_rebuttal_offers_claim_and_rating_and_footnote_needs_no_body(project):
    rebuttal = plan(project(), "beta gamma", kind="rebuttal", author="Ann: Lee")
    assert "  # claim: the claim disputed, in one line\n" in rebuttal.content
    assert "  # rating: false | misleading | unsupported | disputed | lacks-context\n" in rebuttal.content
    assert '  author: "Ann: Lee"\n' in rebuttal.content
    footnote = plan(project(), "beta gamma", kind="footnote")
    assert "body" not in footnote.content and "  sources:\n" in footnote.content


def test_a_repeated_passage_asks_which_match_and_lists_them_in_context(project):
    d = failure(project(), "Alpha")
    assert d.message == 'passage "Alpha" occurs 2 times in content/t.md; choose one with --match N'
    assert d.location == Location("content/t.md", 6, 1)
    assert [(r.location.line, r.message) for r in d.related] == [
        (6, "match 1: [Alpha] beta gamma."),
        (8, "match 2: [Alpha] again, said the author."),
    ]
    assert d.hint == "run again with --match 1 to --match 2, or lengthen the passage until it occurs once"


def test_the_chosen_match_gets_the_suffix_that_singles_it_out(project):
    note = plan(project(), "Alpha", match=2)
    assert note.passage == Location("content/t.md", 8, 1)
    fields = parse(note.content, note.path).value[0].value  # type: ignore[index,union-attr]
    assert (fields["quote"].value, fields["suffix"].value, "prefix" in fields) == ("Alpha", "again,", False)
    first = plan(project(), "Alpha", match=1)
    assert "  suffix: beta\n" in first.content


def test_a_match_number_out_of_range_is_refused(project):
    d = failure(project(), "Alpha", match=3)
    assert d.message == "--match 3, but the passage occurs 2 times in content/t.md"


def test_context_words_stay_in_the_paragraph_unless_they_must_cross():
    doc = document("Alpha one.\n\nAlpha two.\n")
    second = doc.folded.text.rindex("Alpha")
    assert quote_fields(doc, second, second + 5) == QuoteFields("Alpha", suffix="two.")
    doc = document("One two.\n\nOne two.\n")
    second = doc.folded.text.rindex("One")
    assert quote_fields(doc, second, second + len("One two.")) == QuoteFields("One two.", prefix="two.")


def test_passages_whose_surroundings_repeat_too_cannot_be_singled_out():
    doc = document("la " * 30 + "\n")
    assert quote_fields(doc, 14 * 3, 14 * 3 + 2) is None
    assert quote_fields(doc, 3, 5) is None
    assert quote_fields(document("a a a\n"), 2, 3) == QuoteFields("a", prefix="a", suffix="a")


def test_anchors_at_agrees_with_the_anchorer():
    doc = document("Alpha beta. Alpha gamma.\n")
    second = Span(12, 17)
    assert anchors_at(doc, QuoteFields("Alpha", suffix="gamma"), second)
    assert not anchors_at(doc, QuoteFields("Alpha"), second)
    assert not anchors_at(doc, QuoteFields("Alpha", suffix="beta"), second)


def test_a_passage_with_a_typo_names_the_closest_passage(project):
    d = failure(project(), "beta gama")
    assert d.message == 'passage "beta gama" not found in content/t.md; the closest passage (95% similar) is here'
    assert d.location == Location("content/t.md", 6, 7)
    assert d.hint == 'did you mean "beta gamma"? copy the passage from the page as it reads'


def test_a_passage_like_nothing_in_the_text(project):
    d = failure(project(), "zebra crossing at midnight")
    assert d.message == (
        'passage "zebra crossing at midnight" not found in content/t.md, and no passage is similar to it'
    )
    assert d.location == Location("content/t.md", 4, 1)
    assert d.hint == "copy the passage from the page as it reads now; it must lie within one paragraph"


def test_an_unknown_text_is_a_usage_error_with_a_suggestion(project):
    loaded = project(texts={"china-russia": TEXT})
    with pytest.raises(UsageError) as caught:
        plan_note(*loaded, NoteRequest("china-rusia", "Alpha", TODAY), SCHEMA)
    assert str(caught.value) == "no text 'china-rusia': content/china-rusia.md does not exist"
    assert caught.value.hint == "did you mean 'china-russia'?"


def test_a_text_that_does_not_load_reports_its_own_problem(project):
    loaded = project(texts={"t": "no front matter\n"})
    with pytest.raises(ScaffoldError) as caught:
        plan_note(*loaded, NoteRequest("t", "Alpha", TODAY), SCHEMA)
    assert caught.value.diagnostics[0].location == Location("content/t.md", 1)
    assert caught.value.diagnostics[0].code == "text-no-front-matter"


def test_empty_passage_is_a_usage_error(project):
    with pytest.raises(UsageError, match="the passage is empty"):
        plan(project(), " \u200b ")


def test_fresh_ids_avoid_ids_and_file_names_already_used(project):
    existing = "- id: beta-gamma\n  kind: context\n  quote: Alpha again\n  body: b\n"
    note = plan(project(annotations={"t/beta-gamma-2.yaml": existing}), "beta gamma")
    assert note.note_id == "beta-gamma-3"
    assert note.path == "annotations/t/beta-gamma-3.yaml"


def test_a_chosen_id_must_be_valid_and_free(project):
    existing = "- id: taken\n  kind: context\n  quote: Alpha again\n  body: b\n"
    loaded = project(annotations={"t/a.yaml": existing})
    d = failure(loaded, "beta gamma", note_id="taken")
    assert d.message == "id 'taken' is already used by a note on this text"
    assert d.location == Location("annotations/t/a.yaml", 1, 3)
    with pytest.raises(UsageError, match="'Bad Id' is not a valid id"):
        plan(loaded, "beta gamma", note_id="Bad Id")
    assert plan(loaded, "beta gamma", note_id="mine").path == "annotations/t/mine.yaml"


def test_fresh_id_is_short_ascii_and_meaningful():
    assert fresh_id("the “no limits” partnership in February 2022", set()) == "no-limits-partnership-february-2022"
    assert fresh_id("Zürich’s deal", set()) == "zurichs-deal"
    assert fresh_id("Alpha", {"alpha", "alpha-2"}) == "alpha-3"
    assert fresh_id("战争与和平", set()) == "note"
    assert len(fresh_id("a" * 100, set())) == 40


def test_the_projects_own_modeline_is_reused(project):
    modeline = "# yaml-language-server: $schema=https://example.org/s.json\n"
    existing = modeline + "- id: x\n  kind: context\n  quote: Alpha\n  body: b\n"
    note = plan(project(annotations={"t/a.yaml": existing}), "beta gamma")
    assert note.content.startswith("# yaml-language-server: $schema=https://example.org/s.json\n")


def test_an_installed_schema_is_named_by_its_absolute_path(project, tmp_path):
    project_, problems = project()
    absolute = str(tmp_path / "site-packages" / "annotations.schema.json")
    note = plan_note(project_, problems, NoteRequest("t", "beta gamma", TODAY), absolute)
    assert note.content.startswith(f"# yaml-language-server: $schema={absolute}\n")


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("beta gamma", "beta gamma"),
        ("the “no limits” visit", "the “no limits” visit"),
        ("it's", "it's"),
        ("yes", '"yes"'),
        ("2022-02-04", '"2022-02-04"'),
        ("Note: this", '"Note: this"'),
        ("# not a comment", '"# not a comment"'),
        ("- not a list", '"- not a list"'),
        ('"quoted"', '"\\"quoted\\""'),
        ("a #b", '"a #b"'),
    ],
)
def test_yaml_scalar_is_plain_only_when_it_reads_back_unchanged(value, written):
    assert yaml_scalar(value) == written
    assert parse(f"k: {written}\n", "x.yaml").value["k"].value == value  # type: ignore[union-attr,index]
