"""Full-text search without a server: a data file of every text and note, searched in the browser.

The search page (``search/index.html``) lists every text and note, so without JavaScript it
is a page to browse; ``static/search.js`` reads ``search/data.js`` and shows the matches for
the query in its ``q`` parameter. The data is a script rather than JSON so that it loads
like any other script, with no ``fetch`` (it works from ``file://`` wherever scripts do).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from glossator.document import Document
from glossator.model import KIND_LABELS, RATING_LABELS, Anchor, Annotation, Json, Page
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
    notes: tuple[Annotation, ...]
    """Its notes, in reading order."""


def search_data(documents: Sequence[Document], anchors: Mapping[str, Sequence[Anchor]]) -> Page:
    """The search data file: every text's reader text and every note's words.

    Encoded an entry at a time, so that a large site's data is never held as one string as well.
    """
    parts = [f'window.{DATA_VARIABLE} = {{"entries":['.encode()]
    for number, entry in enumerate(_entries(documents, anchors)):
        parts.append((b"," if number else b"") + json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode())
    parts.append(b"]};\n")
    return Page(DATA, b"".join(parts))


def _entries(documents: Sequence[Document], anchors: Mapping[str, Sequence[Anchor]]) -> Iterator[Json]:
    for document in documents:
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
        for anchor in anchors.get(text.slug, ()):
            yield _note_entry(url, text.meta.title, anchor.annotation)


def listings(documents: Sequence[Document], anchors: Mapping[str, Sequence[Anchor]]) -> list[Listing]:
    """What the search page lists without a query: each text's notes in reading order, unanchored ones last."""
    return [
        Listing(
            d.text.slug, d.text.meta.title, tuple(a.annotation for a in _reading_order(anchors.get(d.text.slug, ())))
        )
        for d in documents
    ]


def _reading_order(anchors: Sequence[Anchor]) -> list[Anchor]:
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
