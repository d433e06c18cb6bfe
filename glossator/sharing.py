"""What each page says about itself in ``<head>``: for search engines, feed readers and link previews.

The theme's ``head.html`` turns a :class:`PageMeta` into a description, a canonical link, Open
Graph and Twitter card tags, feed and annotation links, and the page's JSON-LD.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from glossator.describe import Outline, count, describe_text
from glossator.document import Document
from glossator.feeds import NOTES_FEED, TEXTS_FEED
from glossator.model import Anchor, Json, SiteConfig
from glossator.structured import text_graph, website_graph


@dataclass(frozen=True)
class Alternate:
    """Another representation of a page, linked with ``rel="alternate"``."""

    path: str
    """Its path from the site root."""
    media_type: str
    """Its media type."""
    title: str
    """What it is, for the reader's browser or feed reader."""


@dataclass(frozen=True)
class PageMeta:
    """A page's description of itself."""

    title: str
    """The title shown in link previews."""
    description: str
    """One or two sentences about the page."""
    canonical: str
    """Its absolute URL under the configured base URL."""
    kind: str
    """Its Open Graph type: ``article`` or ``website``."""
    published: str | None
    """When the text was published (``article:published_time``)."""
    structured: Json
    """Its schema.org JSON-LD."""
    alternates: tuple[Alternate, ...]
    """Feeds and data files about it."""


def text_page_meta(config: SiteConfig, document: Document, anchors: Sequence[Anchor]) -> PageMeta:
    """A text page: an article with its annotations as W3C JSON-LD."""
    text = document.text
    description = describe_text(document, anchors)
    annotations = Alternate(
        f"{text.slug}/annotations.jsonld",
        'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"',
        "Annotations (W3C Web Annotation)",
    )
    return PageMeta(
        text.meta.title,
        description,
        config.url(f"{text.slug}/"),
        "article",
        text.meta.date,
        text_graph(config, text, anchors, description),
        (*_feeds(config), annotations),
    )


def index_page_meta(config: SiteConfig, outlines: Sequence[Outline]) -> PageMeta:
    """The index: the website itself."""
    notes = sum(len(outline.notes) for outline in outlines)
    texts = count(len(outlines), "annotated text", "annotated texts")
    description = config.description or f"{texts} with {count(notes, 'note', 'notes')}: context, rebuttals and sources."
    return PageMeta(
        config.title, description, config.url(), "website", None, website_graph(config, description), _feeds(config)
    )


def search_page_meta(config: SiteConfig) -> PageMeta:
    """The search page, which also lists every note."""
    description = f"Search the texts and notes of {config.title}, or browse every note."
    structured = {
        "@context": "https://schema.org",
        "@type": "SearchResultsPage",
        "url": config.url("search/"),
        "name": f"Search — {config.title}",
    }
    return PageMeta(
        f"Search — {config.title}", description, config.url("search/"), "website", None, structured, _feeds(config)
    )


def _feeds(config: SiteConfig) -> tuple[Alternate, ...]:
    return (
        Alternate(TEXTS_FEED, "application/atom+xml", f"{config.title}: new and updated texts"),
        Alternate(NOTES_FEED, "application/atom+xml", f"{config.title}: new notes"),
    )
