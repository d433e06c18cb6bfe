from __future__ import annotations

from hypothesis import assume, given
from hypothesis import strategies as st

from glossator.anchor import anchor_one, closest_passage
from glossator.document import parse_document
from glossator.model import Annotation, Location, Text, TextMeta

BODY = """\
The partnership has *deepened significantly* since [the visit](https://example.org).

Xi met with Putin last week in Moscow. Putin said that China and Russia would act.

Schuman said the risk was growing. Later, Schuman said it again.
"""


def doc(body: str = BODY):
    return parse_document(Text("t", "content/t.md", TextMeta("T"), body, 4))


def note(quote: str, **fields) -> Annotation:
    return Annotation(
        id=fields.pop("id", "n"),
        kind="context",
        quote=quote,
        location=Location("annotations/t/a.yaml", 1, 3),
        quote_location=Location("annotations/t/a.yaml", 3, 10),
        **fields,
    )


def anchored(document, annotation):
    span, problem = anchor_one(document, annotation)
    assert problem is None, problem
    return document.plain[span.start : span.end]


def test_exact_match():
    assert anchored(doc(), note("met with Putin")) == "met with Putin"


def test_folded_quotes_dashes_and_whitespace_match():
    body = "He called it a “joint struggle… against the United States” — twice.\n"
    assert anchored(doc(body), note('joint struggle... against  the United\nStates" - twice')) == (
        "joint struggle… against the United States” — twice"
    )


def test_quote_may_cross_emphasis_and_links():
    assert (
        anchored(doc(), note("has deepened significantly since the visit"))
        == "has deepened significantly since the visit"
    )


def test_prefix_and_suffix_choose_among_repeats():
    d = doc()
    assert anchored(d, note("Schuman said", prefix="Later,")) == "Schuman said"
    span, _ = anchor_one(d, note("Schuman said", prefix="Later,"))
    assert span.start == d.plain.index("Later, Schuman") + len("Later, ")
    span, _ = anchor_one(d, note("Schuman said", suffix="the risk"))
    assert span.start == d.plain.index("Schuman said the risk")


def test_ambiguous_quote_lists_every_place_and_suggests_a_prefix():
    span, problem = anchor_one(doc(), note("Schuman said"))
    assert span is None
    assert problem.code == "anchor-ambiguous"
    assert problem.message == "quote matches 2 passages in content/t.md; add a prefix or suffix to choose one"
    assert problem.location == Location("annotations/t/a.yaml", 3, 10)
    assert [r.location.line for r in problem.related] == [8, 8]
    line = BODY.split("\n")[4]
    assert [r.location.col for r in problem.related] == [1, line.index("Schuman said it") + 1]
    assert 'add  suffix: "the"' in problem.hint  # from the match's own paragraph, not the one before


def test_missing_quote_names_the_closest_passage():
    span, problem = anchor_one(doc(), note("Xi met with Putn last week in Moscow"))
    assert span is None
    assert problem.code == "anchor-not-found"
    assert problem.message == "quote not found in content/t.md"
    assert problem.hint.startswith('did you mean "Xi met with Putin last week in Moscow')
    (closest,) = problem.related
    assert closest.location.line == 6 and closest.location.col == 1
    assert "similar" in closest.message


def test_missing_quote_with_nothing_similar():
    span, problem = anchor_one(doc(), note("entirely unrelated words about gardening"))
    assert span is None
    assert problem.message == "quote not found in content/t.md, and no passage is similar to it"
    assert problem.related == ()


def test_quote_never_spans_two_blocks():
    span, problem = anchor_one(doc(), note("the visit. Xi met"))
    assert span is None and problem.code == "anchor-not-found"


def test_prefix_that_matches_nothing_is_reported():
    span, problem = anchor_one(doc(), note("Schuman said", prefix="Nobody"))
    assert span is None
    assert problem.code == "anchor-context-mismatch"
    assert "none matches the given prefix" in problem.message
    assert len(problem.related) == 2


def test_overlapping_quotes_both_anchor():
    d = doc()
    assert anchored(d, note("met with Putin last")) == "met with Putin last"
    assert anchored(d, note("Putin last week", id="other")) == "Putin last week"


def test_closest_passage_respects_the_floor():
    assert closest_passage("alpha beta gamma", "zzzz qqqq") is None
    start, end, ratio = closest_passage("alpha beta gamma delta", "beta gamna")
    assert "alpha beta gamma delta"[start:end] == "beta gamma" and ratio > 0.8


words = st.lists(
    st.sampled_from(["alpha", "beta", "“gamma”", "delta—x", "eps…", "*zeta*", "eta"]), min_size=3, max_size=30
)


@given(words, st.data())
def test_any_unique_passage_copied_from_the_page_anchors_to_itself(paragraph, data):
    body = " ".join(paragraph) + "\n"
    d = doc(body)
    start = data.draw(st.integers(0, len(d.plain) - 1))
    end = data.draw(st.integers(start + 1, len(d.plain)))
    passage = d.plain[start:end]
    assume(passage.strip() == passage and passage)
    assume(d.plain.count(passage) == 1)
    span, problem = anchor_one(d, note(passage))
    if problem is None:
        assert (span.start, span.end) == (start, end)
    else:  # folding may make a unique raw passage repeat; then it must say so, never pick one
        assert problem.code == "anchor-ambiguous"
