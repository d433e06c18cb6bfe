"""Folding away what a contributor cannot see, keeping a map back to the original text.

Quotes are matched on folded text: whitespace runs become one space; curly quotes and
apostrophes become straight ones; dash variants become '-'; '…' becomes '...'; soft hyphens
and zero-width characters vanish; and each base character with its combining marks is
composed (NFC). ``starts[i]`` and ``ends[i]`` give the original range behind folded
character ``i``, so any folded span maps back to an original span.
"""

from __future__ import annotations

import unicodedata
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


@dataclass(frozen=True)
class Folded:
    """Folded text and, per folded character, the original range it came from."""

    text: str
    """The folded text."""
    starts: tuple[int, ...]
    """Original start offset of each folded character."""
    ends: tuple[int, ...]
    """Original end offset of each folded character."""

    def original(self, start: int, end: int) -> tuple[int, int]:
        """The original span behind folded ``[start, end)`` (which must not be empty)."""
        return self.starts[start], self.ends[end - 1]


def fold_text(text: str) -> str:
    """Fold a string for comparison (no map); also strips the ends."""
    return fold(text).text.strip(" ")


def fold(text: str) -> Folded:
    """Fold ``text``, remembering where each folded character came from."""
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    i, n = 0, len(text)
    while i < n:
        char = text[i]
        j = i + 1
        if char.isspace():
            while j < n and (text[j].isspace() or text[j] in _INVISIBLE):
                j += 1
            if not out or out[-1] != " ":
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
    return Folded("".join(out), tuple(starts), tuple(ends))
