"""Folding away what a contributor cannot see, keeping a map back to the original text.

Quotes are matched on folded text: whitespace runs become one space; curly quotes and
apostrophes become straight ones; dash variants become '-'; '…' becomes '...'; soft hyphens
and zero-width characters vanish; and each base character with its combining marks is
composed (NFC). :meth:`Folded.original` gives the original range behind any folded span.

The map is kept sparse, as segments: most folded characters stand for exactly one original
character, the one at the same distance from their segment's start, so a text of plain words
costs one segment per paragraph rather than two integers per character.
"""

from __future__ import annotations

import bisect
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

_UNCHANGED = re.compile(r"[!-~]+(?:[ \t\n\r\f\v][!-~]+)*")
"""Printable ASCII words with single ASCII whitespace between them: text that folds one character to one."""
_SPACES = str.maketrans("\t\n\r\f\v", "     ")
LINEAR = -1
"""In :attr:`Folded.ends`: each folded character of the segment stands for one original character."""


@dataclass(frozen=True)
class Folded:
    """Folded text and, segment by segment, the original ranges its characters came from."""

    text: str
    """The folded text."""
    breaks: Sequence[int] = ()
    """Folded offset where each segment starts, ascending (the first is 0)."""
    origins: Sequence[int] = ()
    """Original offset where each segment's first character came from."""
    ends: Sequence[int] = ()
    """Per segment: :data:`LINEAR`, or the original end that every one of its characters shares."""

    def original(self, start: int, end: int) -> tuple[int, int]:
        """The original span behind folded ``[start, end)`` (which must not be empty)."""
        return self.start_of(start), self.end_of(end - 1)

    def start_of(self, index: int) -> int:
        """Where the original range of folded character ``index`` starts."""
        segment = bisect.bisect_right(self.breaks, index) - 1
        if self.ends[segment] == LINEAR:
            return self.origins[segment] + index - self.breaks[segment]
        return self.origins[segment]

    def end_of(self, index: int) -> int:
        """Where the original range of folded character ``index`` ends."""
        segment = bisect.bisect_right(self.breaks, index) - 1
        if self.ends[segment] == LINEAR:
            return self.origins[segment] + index - self.breaks[segment] + 1
        return self.ends[segment]


class FoldedBuilder:
    """Folded text made piece by piece, from texts that lie at given offsets of one original."""

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._length = 0
        self._last = ""
        self._breaks, self._origins, self._ends = array("i"), array("i"), array("i")

    def fold(self, text: str, origin: int = 0) -> None:
        """Append ``text`` folded; it lies at ``origin`` in the original.

        Runs of printable ASCII words are copied whole; only the characters around them are
        folded one by one.
        """
        done, n = 0, len(text)
        for match in _UNCHANGED.finditer(text):
            start, end = match.span()
            if end < n and not text[end].isascii():
                end -= 1  # the last character may be the base of a cluster: fold it with what follows
            self._fold_span(text, done, start, origin)
            if end > start:
                self._add(_spaced(text[start:end]), origin + start, LINEAR)
            done = max(end, start)
        self._fold_span(text, done, n, origin)

    def add(self, text: str, origin: int, end: int) -> None:
        """Append ``text`` unfolded, every character of it standing for original ``[origin, end)``."""
        self._add(text, origin, end)

    def build(self) -> Folded:
        """The folded text and its map."""
        return Folded("".join(self._parts), self._breaks, self._origins, self._ends)

    def _add(self, text: str, origin: int, end: int) -> None:
        if end == LINEAR and self._ends and self._ends[-1] == LINEAR:
            previous = len(self._breaks) - 1
            if self._origins[previous] + self._length - self._breaks[previous] == origin:
                self._append(text)  # continues the previous segment
                return
        self._breaks.append(self._length)
        self._origins.append(origin)
        self._ends.append(end)
        self._append(text)

    def _append(self, text: str) -> None:
        self._parts.append(text)
        self._length += len(text)
        self._last = text[-1]

    def _widen_last(self, end: int) -> None:
        """Make the last folded character (a space) stand for original text up to ``end``."""
        index, segment = self._length - 1, len(self._breaks) - 1
        begin = self._origins[segment]
        if self._ends[segment] == LINEAR:
            begin += index - self._breaks[segment]
        if self._breaks[segment] == index:
            self._origins[segment], self._ends[segment] = begin, end
        else:
            self._breaks.append(index)
            self._origins.append(begin)
            self._ends.append(end)

    def _fold_span(self, text: str, i: int, stop: int, origin: int) -> None:
        """Fold ``text[i:stop]`` character by character."""
        n = len(text)
        while i < stop:
            char = text[i]
            j = i + 1
            if char.isspace():
                while j < n and (text[j].isspace() or text[j] in _INVISIBLE):
                    j += 1
                if self._last != " ":
                    self._add(" ", origin + i, LINEAR if j == i + 1 else origin + j)
                else:
                    self._widen_last(origin + j)
                i = j
                continue
            while j < n and unicodedata.combining(text[j]):
                j += 1
            cluster = text[i:j] if j - i == 1 else unicodedata.normalize("NFC", text[i:j])
            folded = "".join(_TABLE.get(ord(piece), piece) for piece in cluster)
            if folded:
                self._add(folded, origin + i, LINEAR if j - i == 1 and len(folded) == 1 else origin + j)
            i = j


def _spaced(text: str) -> str:
    """ASCII whitespace made spaces: ``text.translate(_SPACES)``, with ``replace`` where the only kind is a
    line break (a paragraph's wrapped lines), which is three times faster."""
    if "\t" in text or "\r" in text or "\f" in text or "\v" in text:
        return text.translate(_SPACES)
    return text.replace("\n", " ")


def fold(text: str) -> Folded:
    """Fold ``text``, remembering where each folded character came from."""
    builder = FoldedBuilder()
    builder.fold(text)
    return builder.build()


def fold_text(text: str) -> str:
    """Fold a string for comparison (no map); also strips the ends."""
    if _UNCHANGED.fullmatch(text):  # the common case: plain words
        return _spaced(text)
    return fold(text).text.strip(" ")
