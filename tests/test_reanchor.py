from __future__ import annotations

import codecs

import pytest

from glossator.document import parse_document
from glossator.load import load_project
from glossator.model import Location
from glossator.reanchor import Edit, FileChanged, apply_edits, format_plan, propose, rewrite_file, updated_files
from glossator.scaffold import QuoteFields

from .conftest import dedent, front

TEXT = front("T") + dedent(
    """
    The partnership has deepened significantly since the visit.

    Alpha beta gamma. Alpha again.
    """
)


@pytest.fixture
def plan_for(make_project):
    """Propose for one annotation file ``t/a.yaml``; returns the plan, the project and the file's new text."""

    def run(annotations: str, text: str = TEXT):
        project, problems = load_project(make_project(texts={"t": text}, annotations={"t/a.yaml": annotations}))
        assert not [p for p in problems if p.code.startswith(("schema", "yaml"))], problems
        plan = propose(project, [parse_document(t) for t in project.texts])
        files = updated_files(plan, project.source_lines)
        return plan, project, files.get("annotations/t/a.yaml", (None, None))[1]

    return run


NOTE = """
# Notes on the partnership.
- id: deepened  # keep this comment
  kind: context
  quote: has deepend significantly   # typo
  body: |
    Why it matters.
"""


def test_a_slightly_changed_quote_is_proposed_and_only_its_value_changes(plan_for):
    plan, _, after = plan_for(dedent(NOTE))
    (proposal,) = plan.proposals
    assert proposal.fields == QuoteFields("has deepened significantly")
    assert proposal.passage == Location("content/t.md", 4, 17)
    assert round(proposal.similarity, 2) == 0.98
    assert after == dedent(NOTE).replace("has deepend significantly   # typo", "has deepened significantly   # typo")
    assert plan.unresolved == ()


def test_the_change_is_shown_as_located_before_and_after_lines(plan_for):
    plan, project, _ = plan_for(dedent(NOTE))
    assert format_plan(plan, project.source_lines) == (
        "annotations/t/a.yaml:4:10: 'deepened': quote not found in content/t.md; "
        "the closest passage (98% similar) is at content/t.md:4:17\n"
        "     4 -   quote: has deepend significantly   # typo\n"
        "     4 +   quote: has deepened significantly   # typo\n"
    )
    colored = format_plan(plan, project.source_lines, color=True).splitlines()
    assert colored[1] == "\033[31m     4 -   quote: has deepend significantly   # typo\033[0m"
    assert colored[2] == "\033[32m     4 +   quote: has deepened significantly   # typo\033[0m"


@pytest.mark.parametrize(
    ("written", "rewritten"),
    [
        ('  quote: "has deepend significantly"\n', '  quote: "has deepened significantly"\n'),
        ("  quote: 'has deepend significantly'\n", "  quote: 'has deepened significantly'\n"),
        ("  quote: >-\n    has deepend\n    significantly\n\n", "  quote: >-\n    has deepened significantly\n\n"),
        ("  quote: has deepend\n    significantly\n", "  quote: has deepened significantly\n"),
        ("  quote:\n    has deepend significantly\n", "  quote:\n    has deepened significantly\n"),
        ('  quote: "has \\\n    deepend significantly"\n', '  quote: "has deepened significantly"\n'),
    ],
    ids=["double-quoted", "single-quoted", "folded-block", "plain-multiline", "plain-next-line", "escaped-newline"],
)
def test_each_scalar_style_is_kept(plan_for, written, rewritten):
    source = f"- id: n\n  kind: context\n{written}  body: b\n"
    plan, _, after = plan_for(source)
    assert len(plan.proposals) == 1
    assert after == source.replace(written, rewritten)


def test_a_prefix_that_still_fits_is_kept(plan_for):
    source = "- id: n\n  kind: context\n  quote: Alpha agan\n  prefix: gamma.\n  body: b\n"
    plan, _, after = plan_for(source)
    assert plan.proposals[0].fields == QuoteFields("Alpha again", prefix="gamma.")
    assert after == source.replace("Alpha agan", "Alpha again")


def test_a_new_quote_that_repeats_gets_a_prefix_line_under_the_quote(plan_for):
    text = front("T") + "Alpha beta gamma. Alpha again.\n"
    source = "- id: n  # c\n  kind: context\n  quote: Alpah\n  body: b\n"
    plan, _, after = plan_for(source, text)
    assert plan.proposals[0].fields == QuoteFields("Alpha", suffix="beta")
    assert after == "- id: n  # c\n  kind: context\n  quote: Alpha\n  suffix: beta\n  body: b\n"


def test_an_obsolete_suffix_is_removed(plan_for):
    source = "- id: n\n  kind: context\n  quote: deepend significantly\n  suffix: after\n  body: b\n"
    plan, _, after = plan_for(source)
    assert plan.proposals[0].fields == QuoteFields("deepened significantly")
    assert after == "- id: n\n  kind: context\n  quote: deepened significantly\n  body: b\n"


def test_a_tagged_quote_is_left_for_a_hand_edit(plan_for):
    plan, _, _ = plan_for("- id: n\n  kind: context\n  quote: !!str has deepend significantly\n  body: b\n")
    assert plan.unresolved[0].message.endswith("reanchor cannot update it: its quote carries a YAML tag")


def test_a_flow_mapping_is_left_for_a_hand_edit(plan_for):
    plan, _, after = plan_for("- {id: n, kind: context, quote: has deepend significantly, body: b}\n")
    assert plan.proposals == () and after is None
    (d,) = plan.unresolved
    assert d.message == (
        "quote of 'n' not found, and reanchor cannot update it: the note is written as a {...} flow mapping"
    )
    assert d.location == Location("annotations/t/a.yaml", 1, 33)


def test_notes_without_a_similar_passage_or_with_other_problems_are_reported_as_check_does(plan_for):
    source = dedent(
        """
        - id: lost
          kind: context
          quote: nothing like this at all in the text
          body: b
        - id: twice
          kind: context
          quote: Alpha
          body: b
        - id: fine
          kind: context
          quote: the visit
          body: b
        """
    )
    plan, _, after = plan_for(source)
    assert plan.proposals == () and after is None
    assert [(d.code, d.location.line) for d in plan.unresolved] == [("anchor-not-found", 3), ("anchor-ambiguous", 7)]


def test_several_notes_in_one_file_are_all_updated(plan_for):
    note = "- id: {}\n  kind: context\n  quote: {}\n  body: b\n"
    source = note.format("a", "the visitt") + note.format("b", "beta gama")
    plan, _, after = plan_for(source)
    assert len(plan.proposals) == 2
    assert after == source.replace("the visitt", "the visit").replace("beta gama", "beta gamma")


def test_apply_edits_applies_from_the_end():
    assert apply_edits("abcdef", [Edit(0, 1, "X"), Edit(4, 6, "YZW"), Edit(2, 2, "-")]) == "Xb-cdYZW"


def test_rewrite_keeps_bom_and_crlf(tmp_path):
    path = tmp_path / "a.yaml"
    path.write_bytes(codecs.BOM_UTF8 + b"- id: a\r\n  quote: old\r\n")
    rewrite_file(path, "- id: a\n  quote: old\n", "- id: a\n  quote: new\n")
    assert path.read_bytes() == codecs.BOM_UTF8 + b"- id: a\r\n  quote: new\r\n"
    assert not list(tmp_path.glob(".*"))


def test_rewrite_refuses_a_file_that_changed_since_it_was_read(tmp_path):
    path = tmp_path / "a.yaml"
    path.write_text("- id: a\n  quote: edited meanwhile\n")
    with pytest.raises(FileChanged):
        rewrite_file(path, "- id: a\n  quote: old\n", "- id: a\n  quote: new\n")
    assert path.read_text() == "- id: a\n  quote: edited meanwhile\n"
