"""Full-text search without a server: a data file of every text and note, searched in the browser.

The search page (``search/index.html``) lists every text and note, so without JavaScript it
is a page to browse; ``static/search.js`` reads ``search/data.js`` and shows the matches for
the query in its ``q`` parameter. The data is a script rather than JSON so that it loads
like any other script, with no ``fetch`` (it works from ``file://`` wherever scripts do).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from glossator.describe import NoteOutline, Outline
from glossator.document import Document
from glossator.model import KIND_LABELS, RATING_LABELS, Anchor, Annotation, Json, PiecedPage
from glossator.structured import markdown_text

PAGE = "search/index.html"
"""The search page."""
DATA = "search/data.js"
"""The search data, relative to the site root."""
DATA_VARIABLE = "glossatorSearchData"
"""The global the data file assigns."""


@dataclass(frozen=True)
class Listing:
    """A text and its notes, as the search page lists them for browsing."""

    slug: str
    """The text's URL path."""
    title: str
    """Its title."""
    notes: tuple[NoteOutline, ...]
    """Its notes, in reading order."""


def search_entries(document: Document, anchors: Sequence[Anchor]) -> bytes:
    """A text's part of the search data, its entry and its notes', encoded: every text's is kept.

    Not compressed: compressing them and undoing it took about 100 µs a text (2% of a build), and
    the search data file is written from these pieces (:func:`search_data`), never from a copy of them all.
    """
    entries = json.dumps(
        list(_entries(document, anchors)), ensure_ascii=False, separators=(",", ":"), check_circular=False
    )
    return entries[1:-1].encode()  # without the brackets: the site's list joins every text's


def search_data(outlines: Sequence[Outline]) -> PiecedPage:
    """The search data file: every text's reader text and every note's words.

    Made of each text's entries as they are kept (the site's largest file, never held twice).
    """
    pieces = [f'window.{DATA_VARIABLE} = {{"entries":['.encode()]
    for number, outline in enumerate(outlines):
        if number:
            pieces.append(b",")
        pieces.append(outline.search)
    pieces.append(b"]};\n")
    return PiecedPage(DATA, tuple(pieces))


def _entries(document: Document, anchors: Sequence[Anchor]) -> Iterator[Json]:
    text = document.text
    url = f"{text.slug}/index.html"
    yield {
        "url": url,
        "kind": "text",
        "label": "Text",
        "title": text.meta.title,
        "context": text.meta.author or "",
        "text": document.plain,
    }
    for anchor in anchors:
        yield _note_entry(url, text.meta.title, anchor.annotation)


def listings(outlines: Sequence[Outline]) -> list[Listing]:
    """What the search page lists without a query: each text's notes in reading order, unanchored ones last."""
    return [Listing(outline.slug, outline.meta.title, outline.notes) for outline in outlines]


def reading_order(anchors: Sequence[Anchor]) -> list[Anchor]:
    """Anchors by where their passage is, unanchored ones last."""
    return sorted(anchors, key=lambda a: (a.span is None, a.span.start if a.span else 0, a.span.end if a.span else 0))


def _note_entry(url: str, title: str, note: Annotation) -> Json:
    words = [
        note.quote,
        markdown_text(note.body) if note.body else "",
        note.claim or "",
        RATING_LABELS.get(note.rating or "", ""),
    ]
    words += [f"{source.title} {source.publisher or ''}" for source in note.sources]
    return {
        "url": f"{url}#note-{note.id}",
        "kind": note.kind,
        "label": KIND_LABELS[note.kind],
        "title": " ".join(note.quote.split()),
        "context": f"on “{title}”",
        "text": " ".join(" ".join(words).split()),
    }
