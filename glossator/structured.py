"""schema.org structured data (JSON-LD): an Article per text, a ClaimReview per rated rebuttal.

Pages embed the graph in ``<script type="application/ld+json">``; the template serialises it
with Jinja's ``tojson``, which escapes ``<``, ``>``, ``&`` and ``'`` so that no contributor
string can close the script element. A Content-Security-Policy with ``script-src 'self'``
still allows the element: it is data, never executed.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from glossator.markdown import note_text
from glossator.model import RATING_LABELS, Anchor, Annotation, Json, SiteConfig, Text

SCHEMA_ORG = "https://schema.org"
"""The JSON-LD context of structured data."""
HEADLINE_LENGTH = 110
"""Longest headline search engines show."""


def to_json(data: object) -> bytes:
    """Deterministic, compact JSON bytes for a data file (``python -m json.tool`` shows it indented).

    Compact because ``json`` encodes indented output in pure Python, several times slower. The data
    is built afresh from strings and numbers, so it holds no cycle to look for (13% of the time).
    """
    return (json.dumps(data, ensure_ascii=False, separators=(",", ":"), check_circular=False) + "\n").encode("utf-8")


def text_graph(config: SiteConfig, text: Text, anchors: Sequence[Anchor], description: str) -> Json:
    """A text page's structured data: its Article and the ClaimReviews of its rated rebuttals."""
    graph = [article(config, text, description)]
    graph += [claim_review(config, text, a.annotation) for a in anchors if a.annotation.claim and a.annotation.rating]
    return {"@context": SCHEMA_ORG, "@graph": graph}


def website_graph(config: SiteConfig, description: str) -> Json:
    """The index page's structured data: the site, with its search page as a SearchAction."""
    site: Json = {"@type": "WebSite", "@id": config.url() + "#website", "url": config.url(), "name": config.title}
    site["description"] = description
    site["inLanguage"] = config.language
    site["potentialAction"] = {
        "@type": "SearchAction",
        "target": {"@type": "EntryPoint", "urlTemplate": config.url("search/") + "?q={search_term_string}"},
        "query-input": "required name=search_term_string",
    }
    return {"@context": SCHEMA_ORG, "@graph": [site]}


def article(config: SiteConfig, text: Text, description: str) -> Json:
    """The text as an Article: its own author and publisher, based on the original."""
    url = config.url(f"{text.slug}/")
    meta = text.meta
    result: Json = {
        "@type": "Article",
        "@id": url + "#article",
        "url": url,
        "mainEntityOfPage": url,
        "headline": _clip(meta.title, HEADLINE_LENGTH),
        "name": meta.title,
        "description": description,
        "inLanguage": config.language,
        "isPartOf": {"@type": "WebSite", "@id": config.url() + "#website", "name": config.title, "url": config.url()},
    }
    result.update(
        _optional(author=_person(meta.author), publisher=_organization(meta.publisher), datePublished=meta.date)
    )
    result.update(_optional(isBasedOn=meta.source_url))
    return result


def claim_review(config: SiteConfig, text: Text, note: Annotation) -> Json:
    """A rebuttal as a ClaimReview, with the fields search engines require and recommend.

    Required: ``claimReviewed``, ``reviewRating.alternateName`` and ``url``; recommended:
    ``author``, ``datePublished`` and ``itemReviewed`` (the Claim: who made it, when and where).
    """
    page = config.url(f"{text.slug}/")
    url = f"{page}#note-{note.id}"
    rating: Json = {"@type": "Rating", "alternateName": RATING_LABELS[note.rating or ""]}
    rating.update(_optional(ratingExplanation=markdown_text(note.body) if note.body else None))
    claim: Json = {"@type": "Claim"}
    claim.update(
        _optional(author=_person(text.meta.author) or _organization(text.meta.publisher), datePublished=text.meta.date)
    )
    claim["appearance"] = {
        "@type": "CreativeWork",
        "url": text.meta.source_url or page,
        "headline": _clip(text.meta.title, HEADLINE_LENGTH),
    }
    reviewer = _person(note.author) or _organization(config.author or config.title, config.url())
    review: Json = {"@type": "ClaimReview", "@id": url, "url": url, "claimReviewed": note.claim, "reviewRating": rating}
    review.update({"itemReviewed": claim, "author": reviewer, "inLanguage": config.language})
    review.update(_optional(datePublished=note.added))
    return review


def markdown_text(source: str) -> str:
    """What a Markdown note says, as plain text on one line."""
    return note_text(source)


def _person(name: str | None) -> Json | None:
    return {"@type": "Person", "name": name} if name else None


def _organization(name: str | None, url: str | None = None) -> Json | None:
    if not name:
        return None
    return {"@type": "Organization", "name": name, **({"url": url} if url else {})}


def _optional(**fields: object) -> Json:
    return {key: value for key, value in fields.items() if value}


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
