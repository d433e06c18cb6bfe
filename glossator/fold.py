"""Folding away what a contributor cannot see, keeping a map back to the original text.

Quotes are matched on folded text: whitespace runs become one space; curly quotes and
apostrophes become straight ones; dash variants become '-'; '…' becomes '...'; soft hyphens
and zero-width characters vanish; and each base character with its combining marks is
composed (NFC). ``starts[i]`` and ``ends[i]`` give the original range behind folded
character ``i``, so any folded span maps back to an original span.
"""

from __future__ import annotations

import re
import unicodedata
from array import array
from collections.abc import Sequence
from dataclasses import dataclass

_SINGLE_QUOTES = "\u2018\u2019\u201a\u201b\u2032\u02bc"
_DOUBLE_QUOTES = "\u201c\u201d\u201e\u201f\u2033"
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
_INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff"

_TABLE = {
    **{ord(c): "'" for c in _SINGLE_QUOTES},
    **{ord(c): '"' for c in _DOUBLE_QUOTES},
    **{ord(c): "-" for c in _DASHES},
    **{ord(c): "" for c in _INVISIBLE},
    ord("\u2026"): "...",
}


_UNCHANGED = re.compile(r"[!-~]+(?: [!-~]+)*")
"""Printable ASCII words separated by single spaces: text that folds to itself."""


@dataclass(frozen=True)
class Folded:
    """Folded text and, per folded character, the original range it came from."""

    text: str
    """The folded text."""
    starts: Sequence[int]
    """Original start offset of each folded character (an ``array``: a tuple of ints takes nine times the memory)."""
    ends: Sequence[int]
    """Original end offset of each folded character."""

    def original(self, start: int, end: int) -> tuple[int, int]:
        """The original span behind folded ``[start, end)`` (which must not be empty)."""
        return self.starts[start], self.ends[end - 1]


def fold_text(text: str) -> str:
    """Fold a string for comparison (no map); also strips the ends."""
    return fold(text).text.strip(" ")


def fold(text: str) -> Folded:
    """Fold ``text``, remembering where each folded character came from.

    Runs of printable ASCII words with single spaces between them fold to themselves, so they
    are copied whole; only the characters around them go through :func:`_fold_span`.
    """
    out: list[str] = []
    starts, ends = array("i"), array("i")
    done, n = 0, len(text)
    for match in _UNCHANGED.finditer(text):
        start, end = match.span()
        if end < n and not text[end].isascii():
            end -= 1  # the last character may be the base of a cluster: fold it with what follows
        _fold_span(text, done, start, out, starts, ends)
        if end > start:
            out.append(text[start:end])
            starts.extend(range(start, end))
            ends.extend(range(start + 1, end + 1))
        done = max(end, start)
    _fold_span(text, done, n, out, starts, ends)
    return Folded("".join(out), starts, ends)


def _fold_span(text: str, i: int, stop: int, out: list[str], starts: array[int], ends: array[int]) -> None:
    """Fold ``text[i:stop]`` character by character, appending to the output and the map."""
    n = len(text)
    while i < stop:
        char = text[i]
        j = i + 1
        if char.isspace():
            while j < n and (text[j].isspace() or text[j] in _INVISIBLE):
                j += 1
            if not out or out[-1][-1] != " ":
                out.append(" ")
                starts.append(i)
                ends.append(j)
            else:
                ends[-1] = j
            i = j
            continue
        while j < n and unicodedata.combining(text[j]):
            j += 1
        cluster = text[i:j] if j - i == 1 else unicodedata.normalize("NFC", text[i:j])
        for piece in cluster:
            for folded in _TABLE.get(ord(piece), piece):
                out.append(folded)
                starts.append(i)
                ends.append(j)
        i = j
