"""What is said of a text beyond its own page: its description, and its outline for the pages about all texts."""

from __future__ import annotations

import marshal
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

from glossator.document import Document
from glossator.model import KINDS, Anchor, Annotation, Location, Source, TextMeta

DESCRIPTION_LENGTH = 200
"""Longest opening quoted in a description (search engines show about 160 characters)."""
KIND_NOUNS = {
    "context": ("context note", "context notes"),
    "rebuttal": ("rebuttal", "rebuttals"),
    "footnote": ("footnote", "footnotes"),
}
"""Singular and plural of each kind, for descriptions."""


class NoteOutline(NamedTuple):
    """A note as the pages about all texts list and rank it (a tuple: every note's is kept, and sent
    back from the worker that compiled its text, where a tuple costs a quarter of a dataclass to pickle)."""

    id: str
    """Its id: the permalink is ``#note-<id>``."""
    kind: str
    """One of the annotation kinds."""
    quote: str
    """The passage it is about, as written."""
    added: str | None
    """When it was added."""

    @classmethod
    def of(cls, note: Annotation) -> NoteOutline:
        """A note's outline; kinds and dates repeat from note to note, so one string stands for each."""
        return cls(note.id, sys.intern(note.kind), note.quote, sys.intern(note.added) if note.added else note.added)


@dataclass(frozen=True, slots=True)
class Outline:
    """What the pages about all texts (index, feeds, sitemap, search) use of one text.

    Every text's is kept, through a build and between the preview's rebuilds, so it is compact:
    the notes' annotations (of which only the notes feed's newest are shown) are kept packed,
    and the text's search entries encoded: about 16 KB a text in the benchmark's corpus.
    """

    slug: str
    """The text's slug."""
    meta: TextMeta
    """Its front matter."""
    description: str
    """Its description (:func:`describe_text`)."""
    notes: tuple[NoteOutline, ...]
    """Its notes in reading order, unanchored ones last."""
    packed: bytes
    """The same notes' annotations, packed (:meth:`annotations`)."""
    search: bytes
    """Its entries of the search data, encoded (:func:`glossator.search.search_entries`)."""

    @property
    def counts(self) -> tuple[int, ...]:
        """Its notes per kind, in the order of :data:`KINDS`."""
        counted = Counter(note.kind for note in self.notes)
        return tuple(counted[kind] for kind in KINDS)

    def annotations(self) -> tuple[Annotation, ...]:
        """Its notes' annotations, in the order of :attr:`notes`."""
        return tuple(map(_annotation, marshal.loads(self.packed)))


def pack(annotations: Sequence[Annotation]) -> bytes:
    """Annotations in the compact form :meth:`Outline.annotations` reads: under a third of their objects' memory.

    ``marshal`` writes the rows of strings, numbers and lists in a fifth of the time JSON takes; the
    bytes never leave the build (they are read back by the same Python, in this process or the one
    a worker returns them to). Compressing them would save 2 KB a text for about 37 µs.
    """
    rows = [
        [a.id, a.kind, a.quote, _place(a.location), _place(a.quote_location), a.prefix, a.suffix, a.body]
        + [[[s.title, s.url, s.publisher, s.date] for s in a.sources], a.author, a.added, a.claim, a.rating]
        for a in annotations
    ]
    return marshal.dumps(rows)


def _place(location: Location) -> list:
    return [location.path, location.line, location.col]


def _annotation(row: list) -> Annotation:
    note, kind, quote, location, quote_location, prefix, suffix, body, sources, author, added, claim, rating = row
    where, quoted, cited = Location(*location), Location(*quote_location), tuple(Source(*s) for s in sources)
    return Annotation(note, kind, quote, where, quoted, prefix, suffix, body, cited, author, added, claim, rating)


def describe_text(document: Document, anchors: Sequence[Anchor]) -> str:
    """The text's summary (or its opening words), then what its notes are."""
    opening = document.text.meta.summary or _opening(document)
    counts = Counter(anchor.annotation.kind for anchor in anchors)
    if not counts:
        return opening
    parts = [count(counts[kind], *KIND_NOUNS[kind]) for kind in KINDS if counts[kind]]
    notes = f"Annotated with {count(sum(counts.values()), 'note', 'notes')}: {', '.join(parts)}."
    return f"{opening} {notes}" if opening else notes


def _opening(document: Document) -> str:
    """The first paragraphs' words, cut at a word near :data:`DESCRIPTION_LENGTH` characters."""
    words: list[str] = []
    length = 0  # of the words so far, each with a space
    for block in document.blocks:
        if document.tokens[block.token - 1].type != "paragraph_open":
            continue
        found = document.plain[block.start : block.end].split()
        words += found
        length += sum(map(len, found)) + len(found)
        if length > DESCRIPTION_LENGTH:
            break
    opening = " ".join(words)
    if len(opening) <= DESCRIPTION_LENGTH:
        return opening
    cut = opening.rfind(" ", 0, DESCRIPTION_LENGTH)
    return opening[: cut if cut > 0 else DESCRIPTION_LENGTH].rstrip(",;:") + "…"


def count(number: int, singular: str, plural: str) -> str:
    """``1 note``, ``2 notes``."""
    return f"{number} {singular if number == 1 else plural}"
