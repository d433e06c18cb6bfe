"""Generated descriptions of texts, for link previews, feeds and structured data."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from glossator.document import Document
from glossator.model import KINDS, Anchor

DESCRIPTION_LENGTH = 200
"""Longest opening quoted in a description (search engines show about 160 characters)."""
KIND_NOUNS = {
    "context": ("context note", "context notes"),
    "rebuttal": ("rebuttal", "rebuttals"),
    "footnote": ("footnote", "footnotes"),
}
"""Singular and plural of each kind, for descriptions."""


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
    for block in document.blocks:
        if document.tokens[block.token - 1].type != "paragraph_open":
            continue
        words += document.plain[block.start : block.end].split()
        if sum(len(word) + 1 for word in words) > DESCRIPTION_LENGTH:
            break
    opening = " ".join(words)
    if len(opening) <= DESCRIPTION_LENGTH:
        return opening
    cut = opening.rfind(" ", 0, DESCRIPTION_LENGTH)
    return opening[: cut if cut > 0 else DESCRIPTION_LENGTH].rstrip(",;:") + "…"


def count(number: int, singular: str, plural: str) -> str:
    """``1 note``, ``2 notes``."""
    return f"{number} {singular if number == 1 else plural}"
