"""Link previews and discovery in <head>: description, canonical URL, Open Graph, Twitter, alternates."""

from __future__ import annotations

import pytest

from glossator.build import render
from glossator.config import BASE_URL_VARIABLE
from glossator.describe import DESCRIPTION_LENGTH, describe_text
from glossator.document import parse_document
from glossator.model import Anchor, Annotation, Location, Span, Text, TextMeta

from .sample_site import make_sample, page, parse_html


@pytest.fixture(autouse=True)
def no_base_url_override(monkeypatch):
    monkeypatch.delenv(BASE_URL_VARIABLE, raising=False)


def head(html: str) -> dict[str, str]:
    """``name``/``property`` of each meta tag, ``rel`` of each link (alternates by title), to their values."""
    found: dict[str, str] = {}
    head = parse_html(html).find(lambda e: e.tag == "head")
    for element in head.children:
        if isinstance(element, str):
            continue
        if element.tag == "meta" and ("name" in element.attrs or "property" in element.attrs):
            found[element.attrs.get("name") or element.attrs["property"]] = element.attrs["content"]
        elif element.tag == "link" and element.attrs.get("rel") in ("canonical", "alternate"):
            found[element.attrs["rel"] + ":" + element.attrs.get("type", "")] = element.attrs["href"]
    return found


def test_text_page_has_canonical_url_and_link_preview(make_project):
    result = render(make_sample(make_project))
    meta = head(page(result, "edge-cases/index.html").decode())
    description = meta["description"]
    assert description.startswith("The first paragraph has a bold passage that crosses markup")
    assert description.endswith("Annotated with 10 notes: 8 context notes, 1 rebuttal, 1 footnote.")
    assert meta["canonical:"] == meta["og:url"] == "https://example.org/reader/edge-cases/"
    assert meta["og:type"] == "article" and meta["og:site_name"] == "Sample Reader" and meta["og:locale"] == "en_GB"
    assert meta["og:title"] == meta["twitter:title"] == "Edge cases: </script> & friends"
    assert meta["og:description"] == meta["twitter:description"] == description
    assert meta["twitter:card"] == "summary"
    assert meta["article:published_time"] == "2024-05-02"
    assert meta["alternate:application/atom+xml"] == "../feeds/notes.xml"
    assert (
        meta['alternate:application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"']
        == "../edge-cases/annotations.jsonld"
    )


def test_index_page_is_the_website(make_project):
    meta = head(page(render(make_sample(make_project)), "index.html").decode())
    assert meta["og:type"] == "website" and meta["canonical:"] == "https://example.org/reader/"
    assert meta["description"] == "2 annotated texts with 11 notes: context, rebuttals and sources."


def doc(body: str, summary: str | None = None):
    return parse_document(Text("t", "content/t.md", TextMeta("T", summary=summary), body, 4))


def anchor(kind: str) -> Anchor:
    return Anchor(Annotation(kind, kind, "q", Location("a.yaml", 1), Location("a.yaml", 1)), Span(0, 1))


def test_description_prefers_the_summary_and_counts_notes_by_kind():
    document = doc("# Heading\n\nOpening words.\n", summary="A summary.")
    assert describe_text(document, []) == "A summary."
    assert describe_text(document, [anchor("rebuttal"), anchor("context"), anchor("rebuttal")]) == (
        "A summary. Annotated with 3 notes: 1 context note, 2 rebuttals."
    )


def test_description_quotes_the_opening_paragraphs_cut_at_a_word():
    words = " ".join(f"word{i}" for i in range(80))
    described = describe_text(doc(f"# A heading is skipped\n\nShort start.\n\n{words}\n"), [])
    assert described.startswith("Short start. word0 word1")
    assert described.endswith("…") and len(described) <= DESCRIPTION_LENGTH + 1
    assert described[:-1].split()[-1].startswith("word")  # no word is cut in half
    assert described[:-1] in "Short start. " + words
