"""Inserting highlights, note markers and note groups into a text's token stream.

Works like a markdown-it core rule: text tokens are split at passage boundaries and
wrapped in ``<mark>`` open/close tokens, one segment per piece of inline markup, so a
passage crossing emphasis or links nests properly; overlapping passages nest marks.
Segments carry their note's kind (``hl--KIND``); a passage's first and last segments
also carry ``hl--start`` / ``hl--end`` and the marker's label, so the theme can tell
screen readers where the passage starts and ends.
A marker (a ``glossator_marker`` token: a superscript link to the note) follows each passage's
last segment, and a ``glossator_notes`` token after the block carries the ids of the notes it
introduces.
The input tokens are not changed: affected tokens are copied.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from markdown_it.token import Token

from glossator.document import Block, Document, Piece
from glossator.inline import new_token
from glossator.markdown import MARKER_TOKEN, NOTES_TOKEN, MarkerLink
from glossator.model import Anchor


@dataclass(frozen=True)
class Marker:
    """A note's marker as it appears in the text."""

    note_id: str
    """The note's id (``note-`` + this is its element id)."""
    label: str
    """What the marker shows."""


def footnote_note_id(label: str) -> str:
    """The note id of a source footnote (``_`` keeps it apart from annotation ids)."""
    return f"fn_{label}"


def highlight(document: Document, anchors: Sequence[Anchor]) -> tuple[list[Token], list[Marker]]:
    """The document's tokens with highlights and markers, and the markers in reading order."""
    by_block: dict[int, list[Anchor]] = {}
    for anchor in anchors:
        if anchor.span is not None:
            by_block.setdefault(document.block_at(anchor.span.start).token, []).append(anchor)
    tokens = list(document.tokens)
    order: list[Marker] = []
    seen: set[str] = set()
    groups: dict[int, list[str]] = {}
    numbers = _numbers(anchors)
    for block in document.blocks:
        inline = tokens[block.token]
        children, markers = _mark_block(inline, block, by_block.get(block.token, []), numbers)
        new = [m for m in dict.fromkeys(markers) if m.note_id not in seen]
        seen.update(m.note_id for m in new)
        if markers:
            copy = _token(inline.type, inline.tag, inline.nesting, content=inline.content)
            copy.map, copy.children = inline.map, children
            tokens[block.token] = copy
            if new:
                groups.setdefault(_group_position(tokens, block.token), []).extend(m.note_id for m in new)
                order.extend(new)
    for position in sorted(groups, reverse=True):
        notes = _token(NOTES_TOKEN, "", 0)
        notes.meta = {"ids": tuple(groups[position])}
        tokens.insert(position, notes)
    return tokens, order


def _numbers(anchors: Sequence[Anchor]) -> dict[str, str]:
    """Marker labels: annotations numbered in reading order by where their passage ends."""
    placed = sorted((a.span.end, a.span.start, a.annotation.id) for a in anchors if a.span is not None)
    return {note_id: str(number) for number, (_, _, note_id) in enumerate(placed, 1)}


def _group_position(tokens: list[Token], inline_index: int) -> int:
    """Where a block's notes go: after the block, or after the table holding the cell."""
    close = inline_index + 1
    if tokens[close].type in ("th_close", "td_close"):
        depth = 0
        for index in range(close, len(tokens)):
            if tokens[index].type == "table_open":
                depth += 1
            elif tokens[index].type == "table_close":
                if depth == 0:
                    return index + 1
                depth -= 1
    return close + 1


def _mark_block(
    inline: Token, block: Block, anchors: list[Anchor], numbers: dict[str, str]
) -> tuple[list[Token], list[Marker]]:
    """New children for one inline token, and its markers in order."""
    children = inline.children or []
    if not anchors and not block.refs:
        return children, []
    anchors = sorted(anchors, key=lambda a: (a.span.start, -a.span.end, a.annotation.id))  # type: ignore[union-attr]
    cuts = sorted({o for a in anchors for o in (a.span.start, a.span.end)})  # type: ignore[union-attr]
    covering = _sweep(anchors)
    pieces = _touched(block, anchors)
    out: list[Token] = []
    markers: list[Marker] = []
    done = 0
    for index in sorted({*block.refs, *pieces}):
        out.extend(children[done:index])  # children no passage touches stay as they are
        done = index + 1
        child = children[index]
        if child.type == "footnote_ref":
            note_id = footnote_note_id(str(child.meta["id"] + 1))
            label = str(child.meta["id"] + 1)
            sub = child.meta.get("subId", 0)
            ref_id = f"ref-{note_id}" + (f"-{sub + 1}" if sub else "")
            out.append(_marker(note_id, ref_id, f"[{label}]", f"Reference {label}", "note-ref note-ref--source"))
            markers.append(Marker(note_id, f"[{label}]"))
            continue
        piece = pieces.get(index)
        if piece is None:
            out.append(child)
            continue
        for start, end in _segments(piece.start, piece.end, cuts):
            active = covering(start, end)
            for anchor in active:
                out.append(_mark_open(anchor, start, end, numbers[anchor.annotation.id]))
            out.append(_slice(child, start - piece.start, end - piece.start))
            out.extend(_MARK_CLOSE for _ in active)
            for anchor in sorted((a for a in active if a.span.end == end), key=lambda a: a.span.start):  # type: ignore[union-attr]
                note_id = anchor.annotation.id
                label = numbers[note_id]
                kind_class = f"note-ref note-ref--{anchor.annotation.kind}"
                out.append(_marker(note_id, f"ref-{note_id}", label, f"Note {label}", kind_class))
                markers.append(Marker(note_id, label))
    out.extend(children[done:])
    return out, markers


def _touched(block: Block, anchors: list[Anchor]) -> dict[int, Piece | None]:
    """The children some passage covers part of, by index; those that carry no text map to None.

    A block's pieces are contiguous, so each merged passage covers one run of them, found by bisection.
    """
    starts = [piece.start for piece in block.pieces]
    touched: dict[int, Piece | None] = {}
    for start, end in _merged([(a.span.start, a.span.end) for a in anchors]):  # type: ignore[union-attr]
        first = bisect.bisect_right(starts, start) - 1
        last = bisect.bisect_left(starts, end) - 1
        touched.update((piece.child, piece) for piece in block.pieces[first : last + 1])
        for child in range(block.pieces[first].child, block.pieces[last].child + 1):
            touched.setdefault(child, None)
    return touched


def _mark_open(anchor: Anchor, start: int, end: int, label: str) -> Token:
    """A highlight segment; the passage's first and last segments say so, for screen-reader cues."""
    span = anchor.span
    assert span is not None
    classes = ["hl", f"hl--{anchor.annotation.kind}"]
    if start == span.start:
        classes.append("hl--start")
    if end == span.end:
        classes.append("hl--end")
    attrs = {"class": " ".join(classes), "data-note": anchor.annotation.id}
    if start == span.start or end == span.end:
        attrs["data-label"] = label
    return _token("mark_open", "mark", 1, attrs)


def _sweep(anchors: list[Anchor]) -> Callable[[int, int], list[Anchor]]:
    """The anchors covering each segment, asked in text order: linear in segments times overlap depth."""
    pending = iter(anchors)
    upcoming = next(pending, None)
    covering: list[Anchor] = []

    def active(start: int, end: int) -> list[Anchor]:
        nonlocal upcoming
        while upcoming is not None and upcoming.span.start < end:  # type: ignore[union-attr]
            covering.append(upcoming)
            upcoming = next(pending, None)
        covering[:] = [a for a in covering if a.span.end > start]  # type: ignore[union-attr]
        return list(covering)

    return active


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted spans with overlapping ones merged: the stretches of a block some passage covers."""
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _segments(start: int, end: int, cuts: list[int]) -> list[tuple[int, int]]:
    inner = cuts[bisect.bisect_right(cuts, start) : bisect.bisect_left(cuts, end)]
    bounds = [start, *inner, end]
    return [(a, b) for a, b in itertools.pairwise(bounds) if b > a]


def _slice(token: Token, start: int, end: int) -> Token:
    if start == 0 and end == len(token.content) or token.type in ("softbreak", "hardbreak"):
        return token
    sliced = _token(token.type, token.tag, token.nesting, content=token.content[start:end])
    sliced.markup = token.markup
    return sliced


def _marker(note_id: str, ref_id: str, label: str, spoken: str, css_class: str) -> Token:
    """A superscript link to the note (rendered, every value escaped, by :func:`glossator.markdown.render_marker`)."""
    marker = _token(MARKER_TOKEN, "", 0)
    marker.meta = {"marker": MarkerLink(note_id, ref_id, label, spoken, css_class)}
    return marker


def _token(kind: str, tag: str, nesting: int, attrs: dict[str, str] | None = None, content: str = "") -> Token:
    """``Token(kind, tag, nesting, attrs=attrs, content=content)``, made as quickly as the inline parser's."""
    token = new_token(kind, tag, nesting)
    if attrs:
        token.attrs = attrs
    token.content = content
    return token


_MARK_CLOSE = Token("mark_close", "mark", -1)
"""Closing tokens carry nothing of their own, so one serves every highlight."""
