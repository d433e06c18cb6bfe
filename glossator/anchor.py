"""Anchoring: find each annotation's quote in the text as a reader sees it.

Exact matching on folded text; ``prefix``/``suffix`` choose among repeats. A quote that
matches nowhere is reported with the closest passage as a suggestion, never re-anchored
to a lookalike; the fuzzy search runs only for such quotes.
"""

from __future__ import annotations

import bisect
import difflib
import heapq
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from glossator.document import Document
from glossator.fold import fold_text
from glossator.model import Anchor, Annotation, Diagnostic, Related, Span

SIMILARITY_FLOOR = 0.6
"""Least similarity for a passage to be suggested as the one a lost quote meant."""
MAX_MATCHES = 1000
"""Most places one quote may match before it is refused as too common to anchor."""
MAX_SEARCHED = 20
"""Lost quotes per text that get a closest-passage suggestion; later ones are only reported."""
MAX_COMPARED = 20_000_000
"""Character comparisons (window length times quote length) all of a text's searches may make."""
MAX_OVERLAP = 8
"""Most notes that may highlight the same character: each one nests another ``<mark>``."""
_MAX_LISTED = 10
_SEEDS = 24
"""Pieces of a lost quote looked up in the text to find places it may have been."""
_LOOKED_UP = 96
"""Pieces of a long quote counted in the text (each count is a scan), taken evenly along the quote."""
_MAX_HITS = 256
"""Occurrences of one piece followed up; commoner pieces say little about where the quote was."""
_CANDIDATES = 12
"""Places compared in full with a lost quote."""
_COMPARE_BUDGET = 6_000_000
"""Character comparisons one search may make: enough to compare the longest quote once."""
_HINT_WINDOW = 1000
"""Characters around a match searched for a prefix or suffix to suggest."""
_WORD = re.compile(r"[^ \x00]+")
_TRAILING = " .,;:!?)]}\"'"
"""Punctuation a suggested passage may end without, so that "beta gamma." can be "beta gamma"."""


@dataclass
class SearchBudget:
    """What looking for lost quotes' closest passages may still cost in one text.

    The similarity measure is quadratic: without a bound, a file of long lost quotes could keep a
    build busy for hours. Once the budget is spent, lost quotes are reported without a suggestion.
    """

    searches: int = MAX_SEARCHED
    """Lost quotes that may still be looked for."""
    comparisons: int = MAX_COMPARED
    """Character comparisons still allowed."""


def anchor_document(document: Document, annotations: Sequence[Annotation]) -> tuple[list[Anchor], list[Diagnostic]]:
    """Anchor every annotation of one text; lost quotes get ``span=None`` and a diagnostic."""
    anchors: list[Anchor] = []
    problems: list[Diagnostic] = []
    budget = SearchBudget()
    for annotation in annotations:
        span, problem = anchor_one(document, annotation, budget)
        anchors.append(Anchor(annotation, span))
        if problem:
            problems.append(problem)
    return limit_overlap(document, anchors, problems)


def limit_overlap(
    document: Document, anchors: list[Anchor], problems: list[Diagnostic]
) -> tuple[list[Anchor], list[Diagnostic]]:
    """Unanchor notes that would make more than :data:`MAX_OVERLAP` highlights cover one character.

    Passages are taken in text order; one that starts where MAX_OVERLAP others are still open
    is refused, so no character is ever covered more than MAX_OVERLAP times.
    """
    placed = sorted((a.span.start, index) for index, a in enumerate(anchors) if a.span is not None)
    open_ends: list[int] = []
    for start, index in placed:
        while open_ends and open_ends[0] <= start:
            heapq.heappop(open_ends)
        anchor = anchors[index]
        assert anchor.span is not None
        if len(open_ends) < MAX_OVERLAP:
            heapq.heappush(open_ends, anchor.span.end)
            continue
        anchors[index] = Anchor(anchor.annotation, None)
        problems.append(
            _diagnostic(
                anchor.annotation,
                f"more than {MAX_OVERLAP} notes would highlight the passage at {_where(document, start)}",
                "anchor-overlap",
                hint="quote a shorter passage, or merge some of the notes on this passage",
            )
        )
    return anchors, problems


def _where(document: Document, offset: int) -> str:
    location = document.location(offset)
    return f"{location.path}:{location.line}:{location.col}"


def anchor_one(
    document: Document, annotation: Annotation, budget: SearchBudget | None = None
) -> tuple[Span | None, Diagnostic | None]:
    """Anchor one annotation: its span, or None and the reason (with a closest passage while ``budget`` lasts)."""
    quote = fold_text(annotation.quote)
    if not quote:
        return None, _diagnostic(annotation, "quote is empty once invisible characters are removed", "anchor-empty")
    found = find_all(document.folded.text, quote, MAX_MATCHES + 1)
    if len(found) > MAX_MATCHES:
        return None, _diagnostic(
            annotation,
            f"quote occurs more than {MAX_MATCHES:,} times in {document.text.path}",
            "anchor-too-common",
            hint="quote a longer passage: a few words that occur only where the note belongs",
        )
    prefix = None if annotation.prefix is None else fold_text(annotation.prefix)
    suffix = None if annotation.suffix is None else fold_text(annotation.suffix)
    chosen = [start for start in found if _fits(document, start, start + len(quote), prefix, suffix)]
    if len(chosen) == 1:
        return _span(document, chosen[0], len(quote)), None
    if not found:
        return None, _not_found(document, annotation, quote, budget or SearchBudget())
    if not chosen:
        return None, _context_mismatch(document, annotation, quote, found)
    return None, _ambiguous(document, annotation, quote, chosen)


def find_all(haystack: str, needle: str, limit: int | None = None) -> list[int]:
    """Every start of ``needle`` in ``haystack``, overlapping ones included (the first ``limit`` if given)."""
    starts = []
    start = haystack.find(needle)
    while start >= 0 and len(starts) != limit:
        starts.append(start)
        start = haystack.find(needle, start + 1)
    return starts


def _span(document: Document, start: int, length: int) -> Span:
    begin, end = document.folded.original(start, start + length)
    return Span(begin, end)


def _fits(document: Document, start: int, end: int, prefix: str | None, suffix: str | None) -> bool:
    text = document.folded.text
    if prefix is not None:
        before = text[max(0, start - len(prefix) - 1) : start].replace("\x00", " ").rstrip(" ")
        if not before.endswith(prefix):
            return False
    if suffix is not None:
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
        Related(document.location(begin(start)), f'{what} {number}: "{_excerpt(document, start, length)}"')
        for number, start in enumerate(starts[:_MAX_LISTED], 1)
    )


def _not_found(document: Document, annotation: Annotation, quote: str, budget: SearchBudget) -> Diagnostic:
    path = document.text.path
    if budget.searches <= 0 or budget.comparisons < _COMPARE_BUDGET:
        return _diagnostic(
            annotation,
            f"quote not found in {path}",
            "anchor-not-found",
            hint="copy the passage from the text as it reads now (the closest passage is looked for only "
            "for the first lost quotes of a text: fix those first)",
        )
    best, spent = _closest(document.folded.text, quote, min(_COMPARE_BUDGET, budget.comparisons))
    budget.searches -= 1
    budget.comparisons -= spent
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
        hint=f'did you mean "{passage}"? (update the quote if that passage is the one meant; `reanchor` can do it)',
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
    """Suggest the shortest prefix (or suffix) of whole words that singles out the first match.

    Words of the match's own paragraph are tried first: a prefix from the paragraph before reads oddly.
    """
    folded, first = document.folded.text, starts[0]
    paragraph_end = folded.find("\x00", first)
    paragraph = (folded.rfind("\x00", 0, first) + 1, len(folded) if paragraph_end < 0 else paragraph_end)
    for begin, end in (paragraph, (0, len(folded))):
        before = _plain(folded, max(begin, first - _HINT_WINDOW), first)
        after = _plain(folded, first + length, min(end, first + length + _HINT_WINDOW))
        for words in range(1, 9):
            prefix = " ".join(before.split(" ")[-words - 1 :]).strip()
            if prefix and not any(_preceded_by(folded, other, prefix) for other in starts[1:]):
                return f'to anchor on match 1, add  prefix: "{prefix}"  (other matches need their own prefix or suffix)'
            suffix = " ".join(after.split(" ")[: words + 1]).strip()
            if suffix and not any(_followed_by(folded, other + length, suffix) for other in starts[1:]):
                return f'to anchor on match 1, add  suffix: "{suffix}"  (other matches need their own prefix or suffix)'
    return "lengthen the quote, or add a prefix or suffix, until it matches one passage only"


def _plain(folded: str, start: int, end: int) -> str:
    """A slice of the folded text with block boundaries read as spaces."""
    return folded[max(start, 0) : end].replace("\x00", " ")


def _preceded_by(folded: str, position: int, prefix: str) -> bool:
    return _plain(folded, position - len(prefix) - 8, position).rstrip().endswith(prefix)


def _followed_by(folded: str, position: int, suffix: str) -> bool:
    return _plain(folded, position, position + len(suffix) + 8).lstrip().startswith(suffix)


def closest_passage(text: str, quote: str) -> tuple[int, int, float] | None:
    """The window of ``text`` most similar to ``quote`` within one block, if similar enough.

    Only places where pieces of the quote occur are compared in full, and the comparisons
    stop at a budget, so a lost quote costs a few scans of the text however long both are.
    """
    return _closest(text, quote, _COMPARE_BUDGET)[0]


def _closest(text: str, quote: str, budget: int) -> tuple[tuple[int, int, float] | None, int]:
    """:func:`closest_passage` making at most ``budget`` character comparisons; also what it made."""
    matcher = difflib.SequenceMatcher(autojunk=False)
    matcher.set_seq2(quote)
    size = len(quote)
    best: tuple[int, int, float] | None = None
    spent = 0
    for start in _candidates(text, quote, matcher):
        for end in sorted(_word_ends(text, start, size), key=lambda end: (abs(end - start - size), end)):
            if spent + (end - start) * size > budget:
                return best, spent
            matcher.set_seq1(text[start:end])
            if matcher.real_quick_ratio() < SIMILARITY_FLOOR or matcher.quick_ratio() < SIMILARITY_FLOOR:
                continue
            spent += (end - start) * size
            ratio = matcher.ratio()
            if ratio >= SIMILARITY_FLOOR and (best is None or ratio > best[2]):
                best = (start, end, ratio)
    return best, spent


def _candidates(text: str, quote: str, matcher: difflib.SequenceMatcher) -> list[int]:
    """Word starts where the quote may have been, most likely first.

    Each occurrence of a piece of the quote votes for the word start its offset in the quote
    points to; the best-voted starts and their neighbours are ranked by a quick similarity bound.
    """
    starts = _word_starts(text)
    votes: Counter[int] = Counter()
    for piece, offset in _seeds(text, quote):
        position, hits = text.find(piece), 0
        while position >= 0 and hits < _MAX_HITS:
            block = text.rfind("\x00", 0, position) + 1
            votes[starts[bisect.bisect_right(starts, max(position - offset, block)) - 1]] += len(piece)
            position, hits = text.find(piece, position + 1), hits + 1
    voted = sorted(votes, key=lambda start: (-votes[start], start))[:_CANDIDATES]
    near = {starts[i] for start in voted for i in range(*_around(starts, start))}
    ranked: list[tuple[float, int]] = []
    for start in sorted(near):
        matcher.set_seq1(text[start : start + len(quote)].split("\x00", 1)[0])
        if matcher.real_quick_ratio() >= SIMILARITY_FLOOR:
            ranked.append((matcher.quick_ratio(), start))
    return [start for _, start in sorted(ranked, key=lambda c: (-c[0], c[1]))[:_CANDIDATES]]


def _around(starts: list[int], start: int) -> tuple[int, int]:
    """Index range of a word start and the two word starts on either side of it."""
    index = bisect.bisect_left(starts, start)
    return max(index - 2, 0), min(index + 3, len(starts))


def _seeds(text: str, quote: str) -> list[tuple[str, int]]:
    """The rarest pieces of the quote found in the text, with their offsets in the quote.

    Pieces are its words, pairs of words, and the first and last few letters of each word (so a
    misspelt word still has a piece that matches). Pieces found too often are left out, unless
    nothing else is found.
    """
    words = [(match.group(), match.start()) for match in _WORD.finditer(quote)]
    pieces: dict[str, int] = {}
    for (word, at), (following, after) in zip(words, [*words[1:], ("", -1)], strict=True):
        pieces.setdefault(word, at)
        if following:
            pieces.setdefault(quote[at : after + len(following)], at)
        if len(word) >= 3:
            letters = 3 if len(word) >= 4 else 2
            pieces.setdefault(word[:letters], at)
            pieces.setdefault(word[-letters:], at + len(word) - letters)
    spread = list(pieces.items())[:: max(1, len(pieces) // _LOOKED_UP)][:_LOOKED_UP]
    found = [c for c in sorted((text.count(piece), -len(piece), at, piece) for piece, at in spread) if c[0]]
    rare = [(piece, at) for count, _, at, piece in found if count <= _MAX_HITS][:_SEEDS]
    return rare or [(piece, at) for _, _, at, piece in found[:1]]


@lru_cache(maxsize=4)
def _word_starts(text: str) -> list[int]:
    return [match.start() for match in _WORD.finditer(text)]


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
    ends |= {end - len(text[start:end]) + len(text[start:end].rstrip(_TRAILING)) for end in ends}
    return sorted(end for end in ends if end > start)
