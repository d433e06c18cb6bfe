"""A parsed text: markdown-it tokens plus the plain text a reader sees, mapped back to both."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import NamedTuple

from markdown_it.token import Token

from glossator.fold import Folded, FoldedBuilder
from glossator.markdown import text_parser
from glossator.model import Location, Text

BLOCK_SEPARATOR = "\n\n"
"""Between blocks in the plain text; quotes never cross it."""
_BLOCK_SENTINEL = "\x00"
"""What a block separator folds to, so that no folded quote can match across it."""


class Piece(NamedTuple):
    """Plain text contributed by one inline child token (a tuple: a text has thousands)."""

    start: int
    """Plain offset of its first character."""
    end: int
    """Plain offset one past its last character."""
    child: int
    """Index of the child token inside the block's inline token."""


@dataclass(frozen=True, slots=True)
class Block:
    """One inline token's worth of plain text (a paragraph, heading, list item or cell)."""

    start: int
    """Plain offset where the block starts."""
    end: int
    """Plain offset where it ends."""
    token: int
    """Index of the inline token in the document's token list."""
    line: int
    """0-based body line where the block starts."""
    pieces: tuple[Piece, ...]
    """The children that carry text, in order."""
    refs: tuple[int, ...] = ()
    """Indexes of the children that are footnote references (each becomes a marker)."""


@dataclass(frozen=True)
class Document:
    """A text parsed once, for anchoring and rendering."""

    text: Text
    """The source text."""
    tokens: tuple[Token, ...]
    """Block tokens of the body, footnote definitions removed."""
    footnotes: tuple[tuple[str, tuple[Token, ...]], ...]
    """Each footnote definition: its label and its block tokens."""
    plain: str
    """The text as a reader sees it, blocks separated by :data:`BLOCK_SEPARATOR`."""
    blocks: tuple[Block, ...]
    """Blocks in document order."""
    folded: Folded
    """Folded ``plain``, block separators folded to a sentinel."""

    def block_at(self, offset: int) -> Block:
        """The block containing a plain offset."""
        low, high = 0, len(self.blocks) - 1
        while low < high:
            mid = (low + high + 1) // 2
            if self.blocks[mid].start <= offset:
                low = mid
            else:
                high = mid - 1
        return self.blocks[low]

    @cached_property
    def body_lines(self) -> list[str]:
        """The body's source lines, split once however many locations are asked for."""
        return self.text.body.split("\n")

    def location(self, offset: int) -> Location:
        """The source file location of a plain offset."""
        block = self.block_at(offset)
        lines = self.body_lines
        line = block.line + self.plain.count("\n", block.start, offset)
        col = 1
        if 0 <= line < len(lines):
            newline = self.plain.find("\n", offset, block.end)
            col = _column(lines[line], self.plain[offset : newline if newline >= 0 else block.end])
        return Location(self.text.path, self.text.body_line + line, col)


def _column(source: str, ahead: str) -> int:
    """Best guess of the source column where the rendered text ``ahead`` starts."""
    for size in (24, 12, 6, 3, 1):
        probe = ahead[:size]
        if probe.strip() and (found := source.find(probe)) >= 0:
            return found + 1
    return len(source) - len(source.lstrip()) + 1


def parse_document(text: Text) -> Document:
    """Parse a text's body and compute its plain text."""
    env: dict = {}
    tokens = text_parser().parse(text.body, env)
    body, footnotes = _split_footnotes(tokens)
    plain_parts: list[str] = []
    blocks: list[Block] = []
    folded = FoldedBuilder()
    offset = 0
    for index, token in enumerate(body):
        if token.type != "inline" or token.map is None:
            continue
        if blocks:
            plain_parts.append(BLOCK_SEPARATOR)
            folded.add(_BLOCK_SENTINEL, offset, offset + len(BLOCK_SEPARATOR))
            offset += len(BLOCK_SEPARATOR)
        block_text, pieces, refs = _inline_text(token, offset)
        blocks.append(Block(offset, offset + len(block_text), index, token.map[0], pieces, refs))
        plain_parts.append(block_text)
        folded.fold(block_text, offset)
        offset += len(block_text)
    return Document(text, tuple(body), footnotes, "".join(plain_parts), tuple(blocks), folded.build())


def _inline_text(token: Token, offset: int) -> tuple[str, tuple[Piece, ...], tuple[int, ...]]:
    """A block's plain text, the children it comes from, and its footnote references."""
    parts: list[str] = []
    pieces: list[Piece] = []
    refs: list[int] = []
    position = offset
    for child_index, child in enumerate(token.children or ()):
        kind = child.type
        if kind == "text" or kind == "code_inline":
            content = child.content
        elif kind == "softbreak" or kind == "hardbreak":
            content = "\n"
        else:
            if kind == "footnote_ref":
                refs.append(child_index)
            continue
        parts.append(content)
        pieces.append(Piece(position, position + len(content), child_index))
        position += len(content)
    return "".join(parts), tuple(pieces), tuple(refs)


def _split_footnotes(tokens: list[Token]) -> tuple[list[Token], tuple[tuple[str, tuple[Token, ...]], ...]]:
    """Take the footnote block markdown-it put at the end out of the body, one entry per footnote."""
    body: list[Token] = []
    footnotes: list[tuple[str, tuple[Token, ...]]] = []
    current: list[Token] | None = None
    label = ""
    inside = False
    for token in tokens:
        if token.type == "footnote_block_open":
            inside = True
        elif token.type == "footnote_block_close":
            inside = False
        elif token.type == "footnote_open":
            current, label = [], str(token.meta["id"] + 1)
        elif token.type == "footnote_close" and current is not None:
            footnotes.append((label, tuple(current)))
            current = None
        elif inside:
            if current is not None and token.type != "footnote_anchor":
                current.append(token)
        else:
            body.append(token)
    return body, tuple(footnotes)
