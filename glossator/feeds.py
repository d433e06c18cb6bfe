"""Atom feeds (texts, and notes newest first by ``added``) and ``sitemap.xml``.

XML is built as ElementTree elements, so every contributor string is escaped by the
serialiser. Dates come from the content only (a text's ``date``, a note's ``added``), never
from the clock, so identical inputs give identical feeds.
"""

from __future__ import annotations

import functools
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import jinja2
from markupsafe import Markup

from glossator.describe import describe_text
from glossator.document import Document
from glossator.markdown import note_parser
from glossator.model import KIND_LABELS, RATING_LABELS, Anchor, Annotation, Page, SiteConfig

ATOM = "http://www.w3.org/2005/Atom"
"""The Atom namespace."""
SITEMAP_NAMESPACE = "http://www.sitemaps.org/schemas/sitemap/0.9"
"""The sitemap protocol's namespace."""
TEXTS_FEED = "feeds/texts.xml"
"""The feed of texts, newest or most recently annotated first."""
NOTES_FEED = "feeds/notes.xml"
"""The feed of notes, newest first by ``added``."""
SITEMAP = "sitemap.xml"
"""The sitemap's path."""
FEED_LENGTH = 50
"""Entries per feed: the newest."""
NO_DATE = "1970-01-01T00:00:00Z"
"""Atom requires a date; content without any gets this one."""
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"
_FULL_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class _Entry:
    """One feed entry, made into XML only if it is among the newest."""

    updated: str
    """Its RFC 3339 date."""
    rank: tuple[str, ...]
    """Its place, newest first: a sortable date ("" when undated), then names that break ties."""
    make: Callable[[], ET.Element]
    """Builds the ``<entry>``."""


def feed_pages(
    env: jinja2.Environment, config: SiteConfig, documents: Sequence[Document], anchors: Mapping[str, Sequence[Anchor]]
) -> list[Page]:
    """Both feeds and the sitemap."""
    return [
        texts_feed(config, documents, anchors),
        notes_feed(env, config, documents, anchors),
        sitemap(config, documents, anchors),
    ]


def texts_feed(config: SiteConfig, documents: Sequence[Document], anchors: Mapping[str, Sequence[Anchor]]) -> Page:
    """Texts, most recently published or annotated first."""
    entries = []
    for document in documents:
        notes = anchors.get(document.text.slug, ())
        updated = max([_timestamp(document.text.meta.date), *(_timestamp(a.annotation.added) for a in notes)])
        make = functools.partial(_text_entry, config, document, notes, updated)
        entries.append(_Entry(updated, (updated, document.text.slug), make))
    title, subtitle = f"{config.title}: texts", "New and newly annotated texts."
    return Page(TEXTS_FEED, _feed(config, TEXTS_FEED, title, subtitle, entries))


def notes_feed(
    env: jinja2.Environment, config: SiteConfig, documents: Sequence[Document], anchors: Mapping[str, Sequence[Anchor]]
) -> Page:
    """Notes, newest first by ``added`` (notes without a date last, dated like their text)."""
    template = env.get_template("feed-note.html")
    entries = []
    for document in documents:
        for anchor in anchors.get(document.text.slug, ()):
            note = anchor.annotation
            updated = _timestamp(note.added or document.text.meta.date)
            make = functools.partial(_note_entry, template, config, document, note, updated)
            entries.append(_Entry(updated, (updated if note.added else "", document.text.slug, note.id), make))
    title, subtitle = f"{config.title}: notes", "New context notes, rebuttals and footnotes."
    return Page(NOTES_FEED, _feed(config, NOTES_FEED, title, subtitle, entries))


def _text_entry(config: SiteConfig, document: Document, notes: Sequence[Anchor], updated: str) -> ET.Element:
    text = document.text
    url = config.url(f"{text.slug}/")
    entry = ET.Element("entry")
    _child(entry, "id", url)
    _child(entry, "title", text.meta.title)
    ET.SubElement(entry, "link", rel="alternate", type="text/html", href=url)
    _child(entry, "updated", updated)
    if text.meta.date:
        _child(entry, "published", _timestamp(text.meta.date))
    if text.meta.author:
        _child(ET.SubElement(entry, "author"), "name", text.meta.author)
    _child(entry, "summary", describe_text(document, notes))
    return entry


def _note_entry(
    template: jinja2.Template, config: SiteConfig, document: Document, note: Annotation, updated: str
) -> ET.Element:
    text = document.text
    url = config.url(f"{text.slug}/") + f"#note-{note.id}"
    entry = ET.Element("entry")
    _child(entry, "id", url)
    _child(entry, "title", f"{KIND_LABELS[note.kind]} on “{text.meta.title}”: “{_clip(note.quote, 80)}”")
    ET.SubElement(entry, "link", rel="alternate", type="text/html", href=url)
    _child(entry, "updated", updated)
    if note.added:
        _child(entry, "published", updated)
    if note.author:
        _child(ET.SubElement(entry, "author"), "name", note.author)
    ET.SubElement(entry, "category", term=note.kind, label=KIND_LABELS[note.kind])
    content = _child(entry, "content", _note_html(template, note), type="html")
    content.set(_XML_BASE, config.url(f"{text.slug}/"))
    return entry


def sitemap(config: SiteConfig, documents: Sequence[Document], anchors: Mapping[str, Sequence[Anchor]]) -> Page:
    """Every HTML page, with the last date its content changed where the inputs say so."""
    urlset = ET.Element("urlset", xmlns=SITEMAP_NAMESPACE)
    dates = {
        d.text.slug: _last_day([d.text.meta.date, *(a.annotation.added for a in anchors.get(d.text.slug, ()))])
        for d in documents
    }
    _url(urlset, config.url(), _last_day(list(dates.values())))
    for document in documents:
        _url(urlset, config.url(f"{document.text.slug}/"), dates[document.text.slug])
    _url(urlset, config.url("search/"), None)
    return Page(SITEMAP, _serialise(urlset))


def _feed(config: SiteConfig, path: str, title: str, subtitle: str, entries: list[_Entry]) -> bytes:
    newest = sorted(entries, key=lambda e: e.rank[1:])
    newest.sort(key=lambda e: e.rank[0], reverse=True)
    newest = newest[:FEED_LENGTH]
    feed = ET.Element("feed", {"xmlns": ATOM, _XML_LANG: config.language})
    _child(feed, "id", config.url(path))
    _child(feed, "title", title)
    _child(feed, "subtitle", subtitle)
    _child(feed, "updated", max([NO_DATE, *(e.updated for e in newest)]))
    ET.SubElement(feed, "link", rel="self", type="application/atom+xml", href=config.url(path))
    ET.SubElement(feed, "link", rel="alternate", type="text/html", href=config.url())
    _child(ET.SubElement(feed, "author"), "name", config.author or config.title)
    _child(feed, "generator", "Glossator")
    feed.extend(entry.make() for entry in newest)
    return _serialise(feed)


def _note_html(template: jinja2.Template, note: Annotation) -> str:
    """The note as the page shows it (claim, rating, body, sources), through the theme's template."""
    body = Markup(note_parser().render(note.body)) if note.body else Markup("")
    rating = RATING_LABELS[note.rating] if note.rating else None
    return template.render(note=note, body=body, rating=rating, kind_label=KIND_LABELS[note.kind]).strip()


def _url(urlset: ET.Element, loc: str, lastmod: str | None) -> None:
    url = ET.SubElement(urlset, "url")
    _child(url, "loc", loc)
    if lastmod:
        _child(url, "lastmod", lastmod)


def _child(parent: ET.Element, tag: str, text: str, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attributes)
    element.text = text
    return element


def _timestamp(date: str | None) -> str:
    """An RFC 3339 timestamp from ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (missing parts are the first)."""
    if not date:
        return NO_DATE
    year, month, day = ([*date.split("-"), "01", "01"])[:3]
    return f"{year}-{month}-{day}T00:00:00Z"


def _last_day(dates: Sequence[str | None]) -> str | None:
    """The newest full date (the sitemap's ``lastmod`` must be a whole date)."""
    full = [date for date in dates if date and _FULL_DATE.match(date)]
    return max(full) if full else None


def _serialise(root: ET.Element) -> bytes:
    ET.indent(root)
    return (
        b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="utf-8", xml_declaration=False) + b"\n"
    )


def _clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
