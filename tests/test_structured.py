"""schema.org JSON-LD: an Article per text, a ClaimReview per rated rebuttal, safely embedded."""

from __future__ import annotations

import json

import pytest

from glossator.build import render
from glossator.config import BASE_URL_VARIABLE
from glossator.structured import markdown_text

from .sample_site import make_sample, page, parse_html

CLAIM_REVIEW_REQUIRED = ("claimReviewed", "reviewRating", "url")
"""What search engines require of a ClaimReview (reviewRating with alternateName)."""


@pytest.fixture(autouse=True)
def no_base_url_override(monkeypatch):
    monkeypatch.delenv(BASE_URL_VARIABLE, raising=False)


def json_ld(html: str) -> list[dict]:
    """Every JSON-LD block of a page, read the way a crawler does."""
    blocks = []

    def collect(element):
        for child in element.children:
            if isinstance(child, str):
                continue
            if child.tag == "script" and child.attrs.get("type") == "application/ld+json":
                blocks.append(json.loads("".join(c for c in child.children if isinstance(c, str))))
            collect(child)

    collect(parse_html(html))
    return blocks


@pytest.fixture
def sample(make_project):
    return render(make_sample(make_project))


def graph(result, path: str) -> dict[str, dict]:
    (block,) = json_ld(page(result, path).decode())
    assert block["@context"] == "https://schema.org"
    return {node["@type"] + ":" + node["@id"].rsplit("#", 1)[1]: node for node in block["@graph"]}


def test_text_page_describes_its_article(sample):
    article = graph(sample, "edge-cases/index.html")["Article:article"]
    assert article["url"] == article["mainEntityOfPage"] == "https://example.org/reader/edge-cases/"
    assert article["headline"] == article["name"] == "Edge cases: </script> & friends"
    assert article["author"] == {"@type": "Person", "name": "A. Writer"}
    assert article["publisher"] == {"@type": "Organization", "name": "The Daily"}
    assert article["datePublished"] == "2024-05-02"
    assert article["isBasedOn"] == "https://news.example.com/a"
    assert article["inLanguage"] == "en-GB"
    assert article["isPartOf"]["url"] == "https://example.org/reader/"
    assert article["description"].startswith("The first paragraph has a bold passage")


def test_rated_rebuttals_become_claim_reviews_with_the_required_fields(sample):
    nodes = graph(sample, "edge-cases/index.html")
    reviews = [node for key, node in nodes.items() if key.startswith("ClaimReview:")]
    assert len(reviews) == 1  # one rebuttal names a claim and a rating
    review = reviews[0]
    assert all(review.get(field) for field in CLAIM_REVIEW_REQUIRED)
    assert review["url"] == "https://example.org/reader/edge-cases/#note-repeated"
    assert review["claimReviewed"] == "Echo </script><script>alert(1)</script> is repeated"
    assert review["reviewRating"] == {
        "@type": "Rating",
        "alternateName": "Misleading",
        "ratingExplanation": "It is not.",
    }
    assert review["author"] == {"@type": "Organization", "name": "The Editors", "url": "https://example.org/reader/"}
    assert review["datePublished"] == "2025-03-01"
    assert review["itemReviewed"] == {
        "@type": "Claim",
        "author": {"@type": "Person", "name": "A. Writer"},
        "datePublished": "2024-05-02",
        "appearance": {
            "@type": "CreativeWork",
            "url": "https://news.example.com/a",
            "headline": "Edge cases: </script> & friends",
        },
    }


def test_contributor_text_cannot_close_the_script_element(sample):
    html = page(sample, "edge-cases/index.html").decode()
    start = html.index('<script type="application/ld+json">')
    data = html[start : html.index("</script>", start)]
    assert "<" not in data[len('<script type="application/ld+json">') :]  # every < is \u003c, so no </script>
    assert html.count("<script") == html.count("</script>") == 2  # reader.js and the data block, nothing injected
    assert "script-src 'self'" in html  # the policy stays strict: JSON-LD is data, never executed


def test_index_and_search_pages_describe_the_site(sample):
    site = graph(sample, "index.html")["WebSite:website"]
    assert site["name"] == "Sample Reader" and site["url"] == "https://example.org/reader/"
    assert (
        site["potentialAction"]["target"]["urlTemplate"] == "https://example.org/reader/search/?q={search_term_string}"
    )
    (search,) = json_ld(page(sample, "search/index.html").decode())
    assert search["@type"] == "SearchResultsPage"


def test_markdown_text_keeps_words_and_drops_markup():
    assert (
        markdown_text("Some *emphasis*,\na [link](https://x.org) and `code`.\n\nTwo <b>paras</b>.")
        == "Some emphasis, a link and code. Two <b>paras</b>."
    )
