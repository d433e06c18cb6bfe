"""Atom feeds (texts, and notes newest first by ``added``) and ``sitemap.xml``.

XML is built as ElementTree elements, so every contributor string is escaped by the
serialiser. Dates come from the content only (a text's ``date``, a note's ``added``), never
from the clock, so identical inputs give identical feeds.
"""

from __future__ import annotations

import functools
import heapq
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import jinja2
from markupsafe import Markup

from glossator.describe import Outline
from glossator.markdown import note_parser
from glossator.model import KIND_LABELS, RATING_LABELS, Annotation, Page, SiteConfig

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
    make: Callable[[], ET.Element]
    """Builds the ``<entry>``."""


def texts_feed(config: SiteConfig, outlines: Sequence[Outline]) -> Page:
    """Texts, most recently published or annotated first."""
    entries = []
    for outline in sorted(outlines, key=_slug):
        updated = max([_timestamp(outline.meta.date), *(_timestamp(note.added) for note in outline.notes)])
        entries.append(_Entry(updated, functools.partial(_text_entry, config, outline, updated)))
    newest = heapq.nlargest(FEED_LENGTH, entries, key=lambda entry: entry.updated)  # ties: by slug
    title, subtitle = f"{config.title}: texts", "New and newly annotated texts."
    return Page(TEXTS_FEED, _feed(config, TEXTS_FEED, title, subtitle, newest))


def notes_feed(env: jinja2.Environment, config: SiteConfig, outlines: Sequence[Outline]) -> Page:
    """Notes, newest first by ``added`` (notes without a date last, dated like their text)."""
    template = env.get_template("feed-note.html")
    title, subtitle = f"{config.title}: notes", "New context notes, rebuttals and footnotes."
    entries = []
    for outline, position in _newest_notes(outlines):
        updated = _timestamp(outline.notes[position].added or outline.meta.date)
        entries.append(_Entry(updated, functools.partial(_note_entry, template, config, outline, position, updated)))
    return Page(NOTES_FEED, _feed(config, NOTES_FEED, title, subtitle, entries))


def _newest_notes(outlines: Sequence[Outline]) -> list[tuple[Outline, int]]:
    """The :data:`FEED_LENGTH` newest notes by ``added`` (undated ones last), newest first, as (outline,
    position); of equally new notes, the first by text and then id. Only these become entries."""
    stamps: dict[str | None, str] = {None: ""}
    ranked = []
    order = 0
    for outline in sorted(outlines, key=_slug):
        notes = outline.notes
        for position in sorted(range(len(notes)), key=lambda index: notes[index].id):
            added = notes[position].added or None
            stamp = stamps.get(added)
            if stamp is None:
                stamp = stamps[added] = _timestamp(added)
            order -= 1  # of equally new notes, the first is the greatest
            ranked.append((stamp, order, position, outline))
    return [(outline, position) for _, _, position, outline in heapq.nlargest(FEED_LENGTH, ranked)]


def _text_entry(config: SiteConfig, outline: Outline, updated: str) -> ET.Element:
    meta = outline.meta
    url = config.url(f"{outline.slug}/")
    entry = ET.Element("entry")
    _child(entry, "id", url)
    _child(entry, "title", meta.title)
    ET.SubElement(entry, "link", rel="alternate", type="text/html", href=url)
    _child(entry, "updated", updated)
    if meta.date:
        _child(entry, "published", _timestamp(meta.date))
    if meta.author:
        _child(ET.SubElement(entry, "author"), "name", meta.author)
    _child(entry, "summary", outline.description)
    return entry


def _note_entry(
    template: jinja2.Template, config: SiteConfig, outline: Outline, position: int, updated: str
) -> ET.Element:
    """A note's entry: its whole annotation is unpacked only here, for the few newest notes."""
    note = outline.annotations()[position]
    url = config.url(f"{outline.slug}/") + f"#note-{note.id}"
    entry = ET.Element("entry")
    _child(entry, "id", url)
    _child(entry, "title", f"{KIND_LABELS[note.kind]} on “{outline.meta.title}”: “{_clip(note.quote, 80)}”")
    ET.SubElement(entry, "link", rel="alternate", type="text/html", href=url)
    _child(entry, "updated", updated)
    if note.added:
        _child(entry, "published", updated)
    if note.author:
        _child(ET.SubElement(entry, "author"), "name", note.author)
    ET.SubElement(entry, "category", term=note.kind, label=KIND_LABELS[note.kind])
    content = _child(entry, "content", _note_html(template, note), type="html")
    content.set(_XML_BASE, config.url(f"{outline.slug}/"))
    return entry


def sitemap(config: SiteConfig, outlines: Sequence[Outline]) -> Page:
    """Every HTML page, with the last date its content changed where the inputs say so."""
    urlset = ET.Element("urlset", xmlns=SITEMAP_NAMESPACE)
    dates = [_last_day([o.meta.date, *(note.added for note in o.notes)]) for o in outlines]
    _url(urlset, config.url(), _last_day(dates))
    for outline, date in zip(outlines, dates, strict=True):
        _url(urlset, config.url(f"{outline.slug}/"), date)
    _url(urlset, config.url("search/"), None)
    return Page(SITEMAP, _serialise(urlset))


def _feed(config: SiteConfig, path: str, title: str, subtitle: str, newest: Sequence[_Entry]) -> bytes:
    """The feed of its newest entries, given newest first."""
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


def _slug(outline: Outline) -> str:
    return outline.slug


def _clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
