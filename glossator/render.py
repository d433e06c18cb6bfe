"""Rendering: anchored documents into HTML pages through the theme's Jinja templates."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

import jinja2
from markupsafe import Markup

from glossator import escaping
from glossator.describe import Outline
from glossator.discovery import outline, search_page
from glossator.document import Document
from glossator.export import export_annotations
from glossator.feeds import notes_feed, sitemap, texts_feed
from glossator.highlight import Marker, footnote_note_id, highlight
from glossator.markdown import render_note, text_parser
from glossator.model import (
    KIND_LABELS,
    KINDS,
    RATING_LABELS,
    Anchor,
    Diagnostic,
    Location,
    Page,
    PiecedPage,
    Project,
    SiteConfig,
    Source,
    TextMeta,
)
from glossator.search import search_data
from glossator.sharing import index_page_meta, text_page_meta


class Note(NamedTuple):
    """A note as the templates see it (a named tuple: one is made for every note, in about a sixth of the
    time a frozen dataclass of its twelve fields takes)."""

    id: str
    """Element id suffix: the element is ``note-<id>``."""
    kind: str
    """One of the annotation kinds."""
    kind_label: str
    """The kind's display name."""
    marker: str
    """The marker's label in the text ("3", "[1]"), empty when unanchored."""
    body: Markup
    """Rendered body."""
    sources: tuple[Source, ...]
    """Sources to list."""
    author: str | None
    """Who wrote it."""
    added: str | None
    """When it was added."""
    claim: str | None
    """Disputed claim, for rebuttals."""
    rating: str | None
    """Rating label, for rebuttals."""
    quote: str
    """The passage it is about."""
    from_text: bool
    """True for the text's own footnotes, False for contributors' annotations."""


class RenderError(Exception):
    """A template failed; carries a diagnostic."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


def template_environment(theme: Mapping[str, bytes], config: SiteConfig | None = None) -> jinja2.Environment:
    """Jinja with autoescape and StrictUndefined over the theme's ``.html`` files; ``site`` is the configuration."""
    templates = {name: data.decode("utf-8") for name, data in theme.items() if name.endswith(".html")}
    env = jinja2.Environment(
        loader=jinja2.DictLoader(templates),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,  # the templates of one environment never change: a theme change makes a new one
    )
    if escaping.AVAILABLE:
        env.code_generator_class = escaping.EscapingCodeGenerator  # the same pages, 4% sooner
    env.globals["site"] = config or SiteConfig()
    return env


def render_site(
    project: Project, documents: Sequence[Document], anchors: Mapping[str, Sequence[Anchor]]
) -> list[Page | PiecedPage]:
    """Every output file: each text's own files, then the files about all texts and the static assets."""
    env = template_environment(project.theme, project.config)
    pages: list[Page | PiecedPage] = []
    for document in documents:
        pages += render_text_pages(env, project.config, document, anchors.get(document.text.slug, ()))
    outlines = [outline(document, anchors.get(document.text.slug, ())) for document in documents]
    return pages + list(render_site_pages(env, project.config, project.theme, outlines))


def render_text_pages(
    env: jinja2.Environment, config: SiteConfig, document: Document, anchors: Sequence[Anchor]
) -> list[Page]:
    """A text's own files: its page and its annotations export.

    They depend on nothing but the text, its annotations, the theme and the configuration, so a
    build may render texts apart, in parallel or only when they change (:mod:`glossator.incremental`);
    whatever needs several texts belongs in :func:`render_site_pages`.
    """
    try:
        return [render_text(env, document, anchors), export_annotations(config, document, anchors)]
    except (jinja2.TemplateError, RecursionError) as error:
        raise RenderError(_template_diagnostic(error)) from None


SITE_PARTS = 2
"""The pages about all texts come in this many parts, which processes may make at once."""


def render_site_pages(
    env: jinja2.Environment, config: SiteConfig, theme: Mapping[str, bytes], outlines: Sequence[Outline]
) -> Iterator[Page | PiecedPage]:
    """The files about every text (index, feeds, sitemap, static assets, search), one at a time.

    They see each text through its outline (:func:`glossator.discovery.outline`), and are made as
    they are written, so that only one of them is in memory at once.
    """
    for part in range(SITE_PARTS):
        yield from render_site_part(env, config, theme, outlines, part)


def render_site_part(
    env: jinja2.Environment, config: SiteConfig, theme: Mapping[str, bytes], outlines: Sequence[Outline], part: int
) -> Iterator[Page | PiecedPage]:
    """One of the :data:`SITE_PARTS` parts of :func:`render_site_pages`, which take about as long as each
    other: 0, the index, the texts feed, the sitemap, the static assets and the search data; 1, the notes
    feed and the search page (the two pages that render a template for every note)."""
    try:
        if part == 0:
            yield render_index_page(env, config, outlines)
            yield texts_feed(config, outlines)
            yield sitemap(config, outlines)
            yield from (Page(name, data) for name, data in sorted(theme.items()) if name.startswith("static/"))
            yield search_data(outlines)
        else:
            yield notes_feed(env, config, outlines)
            yield search_page(env, config, outlines)
    except (jinja2.TemplateError, RecursionError) as error:
        raise RenderError(_template_diagnostic(error)) from None


def render_index_page(env: jinja2.Environment, config: SiteConfig, outlines: Sequence[Outline]) -> Page:
    """The index: every text's title, front matter and note counts."""
    try:
        meta = index_page_meta(config, outlines)
        texts = [_summary(text) for text in outlines]
        return _render(env, "index.html", "index.html", root="", texts=texts, meta=meta)
    except (jinja2.TemplateError, RecursionError) as error:
        raise RenderError(_template_diagnostic(error)) from None


def render_text(env: jinja2.Environment, document: Document, anchors: Sequence[Anchor]) -> Page:
    """One text's page."""
    tokens, markers = highlight(document, anchors)
    notes = {note.id: note for note in _notes(document, anchors, markers)}
    group = env.get_template("notes.html")
    md = text_parser()
    context = {"render_notes": lambda ids: group.render(notes=[notes[i] for i in ids])}
    body = Markup(md.renderer.render(tokens, md.options, context))
    unanchored = [_note(a, "") for a in anchors if a.span is None]
    shown = list(notes.values()) + unanchored
    return _render(
        env,
        "page.html",
        f"{document.text.slug}/index.html",
        root="../",
        text=document.text,
        body=body,
        notes=shown,
        unanchored=unanchored,
        counts=_counts(shown),
        kinds=[(kind, KIND_LABELS[kind]) for kind in KINDS],
        meta=text_page_meta(env.globals["site"], document, anchors),
    )


def _render(env: jinja2.Environment, template: str, path: str, **context) -> Page:
    return Page(path, env.get_template(template).render(**context).encode("utf-8"))


def _notes(document: Document, anchors: Sequence[Anchor], markers: Sequence[Marker]) -> list[Note]:
    """Notes in reading order: each marker's annotation or the text's own footnote."""
    by_id = {a.annotation.id: a for a in anchors if a.span is not None}
    footnotes = {footnote_note_id(label): tokens for label, tokens in document.footnotes}
    md = text_parser()
    notes = []
    for marker in markers:
        if marker.note_id in by_id:
            notes.append(_note(by_id[marker.note_id], marker.label, document))
        elif marker.note_id in footnotes:
            body = Markup(md.renderer.render(list(footnotes[marker.note_id]), md.options, {}))
            notes.append(
                Note(marker.note_id, "footnote", "Reference", marker.label, body, (), None, None, None, None, "", True)
            )
    return notes


def _note(anchor: Anchor, marker: str, document: Document | None = None) -> Note:
    a = anchor.annotation
    quote = a.quote
    if document is not None and anchor.span is not None:
        quote = " ".join(document.plain[anchor.span.start : anchor.span.end].split())
    body = Markup(render_note(a.body)) if a.body else Markup("")
    rating = RATING_LABELS[a.rating] if a.rating else None
    return Note(
        a.id, a.kind, KIND_LABELS[a.kind], marker, body, a.sources, a.author, a.added, a.claim, rating, quote, False
    )


def _counts(notes: Sequence[Note]) -> dict[str, int]:
    counted = Counter(note.kind for note in notes if not note.from_text)
    return {kind: counted.get(kind, 0) for kind in KINDS}


@dataclass(frozen=True)
class TextSummary:
    """A text as the index lists it."""

    slug: str
    """Its URL path."""
    meta: TextMeta
    """Its front matter."""
    counts: dict[str, int]
    """Notes per kind."""
    total: int
    """All its notes."""


def _summary(outline: Outline) -> TextSummary:
    """Counting notes by kind needs only their kinds: rendering their bodies here cost a third of the index."""
    return TextSummary(outline.slug, outline.meta, dict(zip(KINDS, outline.counts, strict=True)), len(outline.notes))


def _template_diagnostic(error: jinja2.TemplateError | RecursionError) -> Diagnostic:
    if isinstance(error, RecursionError):
        return Diagnostic(
            Location("templates", 1),
            "template error: templates include or extend each other without end",
            hint="look in the project's templates/ for a template that includes or extends itself",
            code="template-error",
        )
    name = getattr(error, "name", None) or getattr(error, "filename", None) or "templates"
    line = getattr(error, "lineno", None) or 1
    return Diagnostic(
        Location(f"templates/{name}", line),
        f"template error: {error.message or error}",
        hint="fix the template, or delete it to use the built-in one",
        code="template-error",
    )
