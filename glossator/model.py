"""The data that flows between the stages: plain, frozen and named."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

KINDS = ("context", "rebuttal", "footnote")
"""Annotation kinds, in the order the reader's legend shows them."""

RATINGS = ("false", "misleading", "unsupported", "disputed", "lacks-context")
"""Ratings a rebuttal may give the claim it disputes."""

KIND_LABELS = {"context": "Context", "rebuttal": "Rebuttal", "footnote": "Footnote"}
"""What each kind is called on the page."""
RATING_LABELS = {
    "false": "False",
    "misleading": "Misleading",
    "unsupported": "Unsupported",
    "disputed": "Disputed",
    "lacks-context": "Lacks context",
}
"""What each rating is called on the page, in feeds and in structured data."""


@dataclass(frozen=True, order=True, slots=True)
class Location:
    """A place in an input file, 1-based like a compiler's."""

    path: str
    """File path relative to the project root, with forward slashes."""
    line: int
    """Line number, 1-based."""
    col: int = 1
    """Column number, 1-based."""


class Severity(StrEnum):
    """How bad a problem is."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Related:
    """A second place a diagnostic points at (PyYAML's context mark)."""

    location: Location
    """Where."""
    message: str
    """What is there."""


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem found in the inputs."""

    location: Location
    """Where the problem is."""
    message: str
    """What is wrong, naming what was expected."""
    severity: Severity = Severity.ERROR
    """Error or warning."""
    hint: str | None = None
    """How to fix it."""
    related: tuple[Related, ...] = ()
    """Other places that explain the problem."""
    code: str = ""
    """A stable short name for the kind of problem, for tools and tests."""


@dataclass(frozen=True, slots=True)
class Source:
    """A source a note cites."""

    title: str
    """The source's title as published."""
    url: str
    """An http(s) URL."""
    publisher: str | None = None
    """Who published it."""
    date: str | None = None
    """Publication date: YYYY, YYYY-MM or YYYY-MM-DD."""


@dataclass(frozen=True, slots=True)
class Annotation:
    """A contributor's note anchored to a quoted passage of one text."""

    id: str
    """Unique within the text; the permalink is ``#note-<id>``."""
    kind: str
    """One of :data:`KINDS`."""
    quote: str
    """The passage as a reader sees it."""
    location: Location
    """Where the annotation starts in its YAML file."""
    quote_location: Location
    """Where its ``quote`` field is, for anchoring errors."""
    prefix: str | None = None
    """Text just before the passage, to choose among repeats."""
    suffix: str | None = None
    """Text just after the passage."""
    body: str | None = None
    """Markdown body."""
    sources: tuple[Source, ...] = ()
    """Cited sources."""
    author: str | None = None
    """Who wrote the note."""
    added: str | None = None
    """When the note was added (YYYY-MM-DD)."""
    claim: str | None = None
    """For rebuttals: the claim disputed, in one line."""
    rating: str | None = None
    """For rebuttals: one of :data:`RATINGS`."""


@dataclass(frozen=True, slots=True)
class TextMeta:
    """A text's front matter."""

    title: str
    """The text's title."""
    author: str | None = None
    """Its author."""
    publisher: str | None = None
    """Where it was published."""
    date: str | None = None
    """Publication date."""
    source_url: str | None = None
    """The original's URL."""
    summary: str | None = None
    """A one-paragraph summary."""


@dataclass(frozen=True, slots=True)
class Text:
    """A source text: front matter and Markdown body."""

    slug: str
    """The file name without ``.md``; the page's URL path."""
    path: str
    """Its path relative to the project root."""
    meta: TextMeta
    """Front matter."""
    body: str
    """The Markdown body, after the front matter."""
    body_line: int
    """The 1-based line of the file on which the body starts."""


@dataclass(frozen=True, slots=True)
class SiteConfig:
    """The site's settings from ``glossator.yaml``; every field has a default."""

    title: str = "Glossator"
    """The site's name, in the header, feeds and sharing cards."""
    description: str | None = None
    """One sentence about the site, for the index page's description."""
    base_url: str = "http://localhost:8000/"
    """Where the site is published, ending in ``/``; absolute URLs (canonical, feeds, sitemap) start with it."""
    language: str = "en"
    """BCP 47 language tag of the texts and notes."""
    author: str | None = None
    """Who publishes the site; the default author of feeds and notes without one."""

    def url(self, path: str = "") -> str:
        """The absolute URL of an output path, ``index.html`` dropped (``t/index.html`` -> ``<base>t/``)."""
        return self.base_url + path.removesuffix("index.html")


@dataclass(frozen=True, slots=True)
class Project:
    """Everything loaded from a project folder."""

    texts: tuple[Text, ...]
    """The texts, sorted by slug."""
    annotations: dict[str, tuple[Annotation, ...]]
    """Annotations per text slug, in file and list order."""
    theme: dict[str, str] = field(default_factory=dict)
    """Template and static files by relative name (project files override the package's)."""
    source_lines: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Each input file's lines, for showing diagnostics in context."""
    config: SiteConfig = field(default_factory=SiteConfig)
    """Site settings (``glossator.yaml``)."""


@dataclass(frozen=True, slots=True)
class Span:
    """A half-open range of a text's plain (rendered) characters."""

    start: int
    """First character."""
    end: int
    """One past the last character."""


@dataclass(frozen=True, slots=True)
class Anchor:
    """Where an annotation landed, or ``span`` None when its quote was lost."""

    annotation: Annotation
    """The annotation."""
    span: Span | None
    """Its passage in the plain text, or None when unanchored."""


@dataclass(frozen=True, slots=True)
class Page:
    """One output file."""

    path: str
    """Path inside the output folder, with forward slashes."""
    content: bytes
    """Exact bytes to write."""

    @property
    def pieces(self) -> tuple[bytes, ...]:
        """The bytes to write, in order (here, all in one)."""
        return (self.content,)


@dataclass(frozen=True, slots=True)
class PiecedPage:
    """One large output file, written piece after piece and never joined in memory (the search data)."""

    path: str
    """Path inside the output folder, with forward slashes."""
    pieces: tuple[bytes, ...]
    """The bytes to write, in order."""

    @property
    def content(self) -> bytes:
        """All of its bytes at once, for whoever needs them whole (the in-memory build, tests)."""
        return b"".join(self.pieces)


Json = dict[str, Any]
