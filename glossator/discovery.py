"""What the pages about all texts know of each text (its outline), and the search page made from it.

The index, feeds, sitemap and search are made from each text's :class:`~glossator.describe.Outline`,
which is all a build keeps of a text once its own files are rendered. Each text's W3C annotations
are rendered with its page (:func:`glossator.render.render_text_pages`).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from itertools import islice

import jinja2

from glossator.describe import NoteOutline, Outline, describe_text, pack
from glossator.document import Document
from glossator.model import KIND_LABELS, Anchor, Page, SiteConfig
from glossator.search import PAGE, listings, reading_order, search_entries
from glossator.sharing import search_page_meta

PIECES_PER_WRITE = 4096
"""Pieces of a rendered template encoded at a time (a large page is never held as pieces, string and bytes)."""


def outline(document: Document, anchors: Sequence[Anchor]) -> Outline:
    """What the pages about all texts use of one text, made with its own files (in any process) and kept."""
    notes = [anchor.annotation for anchor in reading_order(anchors)]
    return Outline(
        slug=document.text.slug,
        meta=document.text.meta,
        description=describe_text(document, anchors),
        notes=tuple(map(NoteOutline.of, notes)),
        packed=pack(notes),
        search=search_entries(document, anchors),
    )


def search_page(env: jinja2.Environment, config: SiteConfig, outlines: Sequence[Outline]) -> Page:
    """The search page: every text and note listed, and the form that searches them (:func:`search_data`)."""
    template = env.get_template("search.html")
    listed = listings(outlines)
    return Page(PAGE, _encoded(template, root="../", texts=listed, labels=KIND_LABELS, meta=search_page_meta(config)))


def _encoded(template: jinja2.Template, **context: object) -> bytes:
    """The template rendered and encoded as UTF-8, the same bytes as ``render(...).encode()`` in less memory."""
    pieces = template.generate(**context)
    page = io.BytesIO()
    while batch := list(islice(pieces, PIECES_PER_WRITE)):
        page.write("".join(batch).encode("utf-8"))
    return page.getvalue()
