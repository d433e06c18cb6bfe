"""Anchoring: find each annotation's quote in the text as a reader sees it.

Exact matching on folded text; ``prefix``/``suffix`` choose among repeats. A quote that
matches nowhere is reported with the closest passage as a suggestion, never re-anchored
to a lookalike; the fuzzy search runs only for such quotes.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence

from glossator.document import Document
from glossator.fold import fold_text
from glossator.model import Anchor, Annotation, Diagnostic, Related, Span

SIMILARITY_FLOOR = 0.6
"""Least similarity for a passage to be suggested as the one a lost quote meant."""
_MAX_LISTED = 10


def anchor_document(document: Document, annotations: Sequence[Annotation]) -> tuple[list[Anchor], list[Diagnostic]]:
    """Anchor every annotation of one text; lost quotes get ``span=None`` and a diagnostic."""
    anchors: list[Anchor] = []
    problems: list[Diagnostic] = []
    for annotation in annotations:
        span, problem = anchor_one(document, annotation)
        anchors.append(Anchor(annotation, span))
        if problem:
            problems.append(problem)
    return anchors, problems


def anchor_one(document: Document, annotation: Annotation) -> tuple[Span | None, Diagnostic | None]:
    """Anchor one annotation: its span, or None and the reason."""
    quote = fold_text(annotation.quote)
    if not quote:
        return None, _diagnostic(annotation, "quote is empty once invisible characters are removed", "anchor-empty")
    found = find_all(document.folded.text, quote)
    chosen = [start for start in found if _fits(document, start, start + len(quote), annotation)]
    if len(chosen) == 1:
        return _span(document, chosen[0], len(quote)), None
    if not found:
        return None, _not_found(document, annotation, quote)
    if not chosen:
        return None, _context_mismatch(document, annotation, quote, found)
    return None, _ambiguous(document, annotation, quote, chosen)


def find_all(haystack: str, needle: str) -> list[int]:
    """Every start of ``needle`` in ``haystack``, overlapping ones included."""
    starts = []
    start = haystack.find(needle)
    while start >= 0:
        starts.append(start)
        start = haystack.find(needle, start + 1)
    return starts


def _span(document: Document, start: int, length: int) -> Span:
    begin, end = document.folded.original(start, start + length)
    return Span(begin, end)


def _fits(document: Document, start: int, end: int, annotation: Annotation) -> bool:
    text = document.folded.text
    if annotation.prefix is not None:
        prefix = fold_text(annotation.prefix)
        before = text[max(0, start - len(prefix) - 1) : start].replace("\x00", " ").rstrip(" ")
        if not before.endswith(prefix):
            return False
    if annotation.suffix is not None:
        suffix = fold_text(annotation.suffix)
        after = text[end : end + len(suffix) + 1].replace("\x00", " ").lstrip(" ")
        if not after.startswith(suffix):
            return False
    return True


def _diagnostic(annotation: Annotation, message: str, code: str, **extra) -> Diagnostic:
    return Diagnostic(annotation.quote_location, message, code=code, **extra)


def _excerpt(document: Document, start: int, length: int, limit: int = 80) -> str:
    begin, end = document.folded.original(start, start + length)
    text = " ".join(document.plain[begin:end].split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _places(document: Document, starts: Sequence[int], length: int, what: str) -> tuple[Related, ...]:
    begin = lambda start: document.folded.original(start, start + length)[0]  # noqa: E731
    return tuple(
        Related(document.location(begin(start)), f"{what} {number}: \"{_excerpt(document, start, length)}\"")
        for number, start in enumerate(starts[:_MAX_LISTED], 1)
    )


def _not_found(document: Document, annotation: Annotation, quote: str) -> Diagnostic:
    best = closest_passage(document.folded.text, quote)
    path = document.text.path
    if best is None:
        return _diagnostic(
            annotation,
            f"quote not found in {path}, and no passage is similar to it",
            "anchor-not-found",
            hint="copy the passage from the text as it reads now; a quote must lie within one paragraph",
        )
    start, end, ratio = best
    passage = _excerpt(document, start, end - start, limit=200)
    begin, _ = document.folded.original(start, end)
    return _diagnostic(
        annotation,
        f"quote not found in {path}",
        "anchor-not-found",
        hint=f'did you mean "{passage}"? (update the quote if that passage is the one meant)',
        related=(Related(document.location(begin), f"closest passage ({ratio:.0%} similar) is here"),),
    )


def _context_mismatch(document: Document, annotation: Annotation, quote: str, found: list[int]) -> Diagnostic:
    given = " and ".join(name for name in ("prefix", "suffix") if getattr(annotation, name) is not None)
    return _diagnostic(
        annotation,
        f"quote found {len(found)} time(s) in {document.text.path}, but none matches the given {given}",
        "anchor-context-mismatch",
        hint=f"make the {given} the text just around the passage you mean, or remove it if the quote is unique",
        related=_places(document, found, len(quote), "match"),
    )


def _ambiguous(document: Document, annotation: Annotation, quote: str, starts: list[int]) -> Diagnostic:
    return _diagnostic(
        annotation,
        f"quote matches {len(starts)} passages in {document.text.path}; add a prefix or suffix to choose one",
        "anchor-ambiguous",
        hint=_disambiguation_hint(document, starts, len(quote)),
        related=_places(document, starts, len(quote), "match"),
    )


def _disambiguation_hint(document: Document, starts: list[int], length: int) -> str:
    """Suggest the shortest prefix (or suffix) of whole words that singles out the first match."""
    text = document.folded.text.replace("\x00", " ")
    first = starts[0]
    for words in range(1, 9):
        prefix = " ".join(text[:first].split(" ")[-words - 1 :]).strip()
        if prefix and all(not text[:other].rstrip().endswith(prefix) for other in starts[1:]):
            return f'to anchor on match 1, add  prefix: "{prefix}"  (other matches need their own prefix or suffix)'
        suffix = " ".join(text[first + length :].split(" ")[: words + 1]).strip()
        if suffix and all(not text[other + length :].lstrip().startswith(suffix) for other in starts[1:]):
            return f'to anchor on match 1, add  suffix: "{suffix}"  (other matches need their own prefix or suffix)'
    return "lengthen the quote, or add a prefix or suffix, until it matches one passage only"


def closest_passage(text: str, quote: str) -> tuple[int, int, float] | None:
    """The window of ``text`` most similar to ``quote`` within one block, if similar enough."""
    matcher = difflib.SequenceMatcher(autojunk=False)
    matcher.set_seq2(quote)
    size = len(quote)
    candidates: list[tuple[float, int]] = []
    for start in _word_starts(text):
        window = text[start : start + size].split("\x00", 1)[0]
        matcher.set_seq1(window)
        if matcher.real_quick_ratio() >= SIMILARITY_FLOOR:
            candidates.append((matcher.quick_ratio(), start))
    best: tuple[int, int, float] | None = None
    for _, start in sorted(candidates, key=lambda c: (-c[0], c[1]))[:12]:
        for end in _word_ends(text, start, size):
            matcher.set_seq1(text[start:end])
            ratio = matcher.ratio()
            if ratio >= SIMILARITY_FLOOR and (best is None or ratio > best[2]):
                best = (start, end, ratio)
    return best


def _word_starts(text: str) -> list[int]:
    return [i for i in range(len(text)) if text[i] not in " \x00" and (i == 0 or text[i - 1] in " \x00")]


def _word_ends(text: str, start: int, size: int) -> list[int]:
    """Candidate window ends near ``start + size``, at word boundaries inside the block."""
    block_end = text.find("\x00", start)
    block_end = len(text) if block_end < 0 else block_end
    target = min(start + size, block_end)
    ends = {target, block_end if block_end - start < size * 1.3 else target}
    for direction in (-1, 1):
        position, seen = target, 0
        while 0 < position < block_end and seen < 3:
            position += direction
            if position >= block_end or text[position] == " ":
                ends.add(min(position, block_end))
                seen += 1
    return sorted(end for end in ends if end > start)
