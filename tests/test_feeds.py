"""Atom feeds and the sitemap, read back with a feed parser and the sitemap protocol's XML Schema."""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from pathlib import Path

import feedparser
import pytest
import xmlschema

from glossator.build import render
from glossator.config import BASE_URL_VARIABLE
from glossator.feeds import FEED_LENGTH, NOTES_FEED, SITEMAP, SITEMAP_NAMESPACE, TEXTS_FEED

from .conftest import front
from .sample_site import make_sample, page

SITEMAP_XSD = Path(
    os.environ.get("GLOSSATOR_SITEMAP_XSD")
    or Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    / "glossator/sitemap-9.0.1/package/schema/sitemap.xsd"
)
"""The sitemaps.org 0.9 schema as the npm package "sitemap" ships it; .ci/run fetches it."""


@pytest.fixture(autouse=True)
def no_base_url_override(monkeypatch):
    monkeypatch.delenv(BASE_URL_VARIABLE, raising=False)


@pytest.fixture
def sample(make_project):
    result = render(make_sample(make_project))
    assert result.pages, result.diagnostics
    return result


def parsed(result, path: str):
    feed = feedparser.parse(page(result, path))
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    return feed


def test_notes_feed_lists_notes_newest_first_by_added(sample):
    feed = parsed(sample, NOTES_FEED)
    ids = [entry.id.rsplit("#note-", 1)[1] for entry in feed.entries]
    assert ids[:4] == ["repeated", "emoji-target", "crossing", "cell"]
    assert ids[4:] == [
        "across-lines",
        "code",
        "entities",
        "lost",
        "nested",
        "overlap",
        "here",
    ]  # undated: by text, then id
    assert feed.feed.updated == "2025-03-01T00:00:00Z"  # the newest note, not the clock
    assert feed.feed.title == "Sample Reader: notes" and feed.feed.author == "The Editors"
    assert feed.feed.language == "en-GB"
    first = feed.entries[0]
    assert first.link == "https://example.org/reader/edge-cases/#note-repeated"
    assert first.published == first.updated == "2025-03-01T00:00:00Z"
    assert first.title == "Rebuttal on “Edge cases: </script> & friends”: “echo”"
    assert first.tags[0].term == "rebuttal"
    html = first.content[0].value
    assert (
        "Echo &lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt; is repeated" in html
    )  # text, still escaped inside the HTML
    assert (
        "<em>Misleading</em>" in html and '<a href="https://example.org/echo">Echo studies &lt;/script&gt;</a>' in html
    )
    crossing = next(e for e in feed.entries if e.id.endswith("#note-crossing"))
    assert crossing.author == "Ann Notator"
    undated = next(e for e in feed.entries if e.id.endswith("#note-code"))
    assert undated.updated == "2024-05-02T00:00:00Z" and "published" not in undated  # dated like its text


def test_texts_feed_orders_texts_by_publication_or_newest_note(sample):
    feed = parsed(sample, TEXTS_FEED)
    assert [e.link for e in feed.entries] == [
        "https://example.org/reader/edge-cases/",
        "https://example.org/reader/plain/",
    ]
    edge, plain = feed.entries
    assert edge.updated == "2025-03-01T00:00:00Z" and edge.published == "2024-05-02T00:00:00Z"
    assert plain.updated == plain.published == "2023-01-01T00:00:00Z"
    assert edge.author == "A. Writer"
    assert edge.summary.endswith("Annotated with 10 notes: 8 context notes, 1 rebuttal, 1 footnote.")
    assert feed.feed.links[0].rel == "self" and feed.feed.links[0].href == "https://example.org/reader/feeds/texts.xml"


def test_feeds_without_any_date_still_parse(make_project):
    result = render(make_project(texts={"t": front("Undated") + "Words.\n"}))
    feed = parsed(result, TEXTS_FEED)
    assert feed.feed.updated == "1970-01-01T00:00:00Z"
    assert parsed(result, NOTES_FEED).entries == []


def test_feeds_keep_only_the_newest_entries(make_project):
    notes = "".join(
        f"- id: n{i:03}\n  kind: context\n  quote: word{i:03}\n  body: B.\n  added: 2024-01-{i % 28 + 1:02}\n"
        for i in range(FEED_LENGTH + 5)
    )
    text = front() + " ".join(f"word{i:03}" for i in range(FEED_LENGTH + 5)) + "\n"
    feed = parsed(render(make_project(texts={"t": text}, annotations={"t/a.yaml": notes})), NOTES_FEED)
    assert len(feed.entries) == FEED_LENGTH
    assert feed.entries[0].updated == "2024-01-28T00:00:00Z"
    newest = sorted(range(FEED_LENGTH + 5), key=lambda i: (-(i % 28), i))[:FEED_LENGTH]  # equally new: by id
    assert [entry.id.rsplit("#note-", 1)[1] for entry in feed.entries] == [f"n{i:03}" for i in newest]


def test_sitemap_lists_every_page_with_content_dates(sample):
    root = ET.fromstring(page(sample, SITEMAP))
    assert root.tag == f"{{{SITEMAP_NAMESPACE}}}urlset"
    urls = [(u.findtext(f"{{{SITEMAP_NAMESPACE}}}loc"), u.findtext(f"{{{SITEMAP_NAMESPACE}}}lastmod")) for u in root]
    assert urls == [
        ("https://example.org/reader/", "2025-03-01"),
        ("https://example.org/reader/edge-cases/", "2025-03-01"),
        ("https://example.org/reader/plain/", None),  # "2023" is not a whole date, which lastmod requires
        ("https://example.org/reader/search/", None),
    ]


def test_sitemap_is_valid_against_the_sitemap_schema(sample):
    if not SITEMAP_XSD.is_file():
        message = f"the sitemap 0.9 XML Schema is not at {SITEMAP_XSD}; .ci/run fetches it (npm pack sitemap@9.0.1)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    schema = xmlschema.XMLSchema(str(SITEMAP_XSD))
    schema.validate(page(sample, SITEMAP).decode())
    with pytest.raises(xmlschema.XMLSchemaValidationError):
        schema.validate(
            page(sample, SITEMAP).decode().replace("<lastmod>2025-03-01</lastmod>", "<lastmod>2025</lastmod>", 1)
        )


def test_feeds_and_sitemap_are_byte_identical_across_builds(make_project):
    root = make_sample(make_project)
    paths = (TEXTS_FEED, NOTES_FEED, SITEMAP)
    assert [page(render(root), p) for p in paths] == [page(render(root), p) for p in paths]
