"""W3C Web Annotation export: one ``<slug>/annotations.jsonld`` per text.

Each file is an AnnotationCollection whose first (and only) AnnotationPage embeds every
contributor note as an Annotation (https://www.w3.org/TR/annotation-model/). Its target is
the text's page with two equivalent selectors:

- a TextQuoteSelector: the passage (``exact``) and up to :data:`CONTEXT_LENGTH` characters
  before and after it (``prefix``, ``suffix``);
- a TextPositionSelector: ``start`` and ``end`` in Unicode code points of the page's
  *reader text*, the plain text glossator anchors quotes in (``Document.plain``): the text of
  the page's paragraphs, headings, list items and table cells, in order, joined by a blank
  line, without note markers, note groups or code blocks (docs/open-data.md says exactly how a
  client extracts it from the published page).

An unanchored note keeps only its quote selector: its passage is no longer in the text.
"""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import quote

from glossator.document import Document
from glossator.markdown import render_note
from glossator.model import RATING_LABELS, Anchor, Annotation, Json, Page, SiteConfig, Source
from glossator.structured import to_json

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
"""The Web Annotation JSON-LD context."""
MOTIVATIONS = {"context": "describing", "rebuttal": "assessing", "footnote": "linking"}
"""The W3C motivation of each kind of note."""
CONTEXT_LENGTH = 32
"""Characters of prefix and suffix recorded around a passage (as the Hypothesis client does)."""
FILE_NAME = "annotations.jsonld"
"""The export's name inside each text's folder."""
_URI_CHARACTERS = ":/?#[]@!$&'()*+,;=%~"
"""Reserved characters and ``%`` (existing escapes), kept as they are when a URL becomes a URI."""


def export_annotations(config: SiteConfig, document: Document, anchors: Sequence[Anchor]) -> Page:
    """The text's annotations as a JSON-LD file next to its page."""
    path = f"{document.text.slug}/{FILE_NAME}"
    return Page(path, to_json(annotation_collection(config, document, anchors)))


def annotation_collection(config: SiteConfig, document: Document, anchors: Sequence[Anchor]) -> Json:
    """An AnnotationCollection embedding its single AnnotationPage (``first`` and ``last``)."""
    slug = document.text.slug
    collection_id = config.url(f"{slug}/{FILE_NAME}")
    items = [annotation(config, document, anchor, collection_id) for anchor in anchors]
    page_id = f"{collection_id}#page1"
    return {
        "@context": CONTEXT,
        "id": collection_id,
        "type": "AnnotationCollection",
        "label": f"Notes on “{document.text.meta.title}”",
        "total": len(items),
        "first": {
            "id": page_id,
            "type": "AnnotationPage",
            "partOf": {"id": collection_id},
            "startIndex": 0,
            "items": items,
        },
        "last": page_id,
    }


def annotation(config: SiteConfig, document: Document, anchor: Anchor, collection_id: str) -> Json:
    """One note as a W3C Annotation (with its own ``@context``, so it can be copied out alone)."""
    note = anchor.annotation
    result: Json = {
        "@context": CONTEXT,
        "id": f"{collection_id}#{note.id}",
        "type": "Annotation",
        "motivation": MOTIVATIONS[note.kind],
    }
    bodies = _bodies(note, config.language)
    if bodies:
        result["body"] = bodies if len(bodies) > 1 else bodies[0]
    result["target"] = {
        "type": "SpecificResource",
        "source": config.url(f"{document.text.slug}/"),
        "selector": _selectors(document, anchor),
    }
    if note.author:
        result["creator"] = {"type": "Person", "name": note.author}
    if note.added:
        result["created"] = f"{note.added}T00:00:00Z"
    return result


def _selectors(document: Document, anchor: Anchor) -> list[Json]:
    if anchor.span is None:
        quote: Json = {"type": "TextQuoteSelector", "exact": anchor.annotation.quote}
        quote.update(
            {
                key: value
                for key, value in (("prefix", anchor.annotation.prefix), ("suffix", anchor.annotation.suffix))
                if value
            }
        )
        return [quote]
    start, end = anchor.span.start, anchor.span.end
    plain = document.plain
    return [
        {
            "type": "TextQuoteSelector",
            "exact": plain[start:end],
            "prefix": plain[max(0, start - CONTEXT_LENGTH) : start],
            "suffix": plain[end : end + CONTEXT_LENGTH],
        },
        {"type": "TextPositionSelector", "start": start, "end": end},
    ]


def _bodies(note: Annotation, language: str) -> list[Json]:
    """The note's text, its claim and rating (rebuttals), and a linking body per source."""
    bodies: list[Json] = []
    if note.body:
        bodies.append(_text(render_note(note.body), "text/html", language))
    if note.claim:
        bodies.append({**_text(note.claim, "text/plain", language), "purpose": "describing"})
    if note.rating:
        bodies.append({**_text(RATING_LABELS[note.rating], "text/plain", "en"), "purpose": "classifying"})
    bodies.extend(_source(source) for source in note.sources)
    return bodies


def _text(value: str, media_type: str, language: str) -> Json:
    return {"type": "TextualBody", "value": value, "format": media_type, "language": language}


def _source(source: Source) -> Json:
    """A cited source: an external resource given the ``linking`` purpose through a SpecificResource."""
    resource: Json = {"id": as_uri(source.url), "type": "Text", "dc:title": source.title}
    if source.publisher:
        resource["dc:publisher"] = source.publisher
    if source.date:
        resource["dc:date"] = source.date
    return {"type": "SpecificResource", "purpose": "linking", "source": resource}


def as_uri(url: str) -> str:
    """An IRI as a URI (RFC 3987, 3.1): non-ASCII and other disallowed characters percent-encoded as UTF-8."""
    return quote(url, safe=_URI_CHARACTERS)
