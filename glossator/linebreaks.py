"""Soft line breaks kept inside their text, instead of as ``softbreak`` tokens between pieces of it.

Prose in Markdown is often wrapped: a paragraph of ten lines is, to markdown-it, ten text tokens
and nine ``softbreak`` tokens, each made, highlighted, rendered and read for the plain text in
turn. markdown-it renders a soft break as a line break (``\\n``) where its ``breaks`` option is
off, so keeping the line break in the text (``"one\\ntwo"``) gives the same HTML and the same
plain text from fewer tokens (a third fewer in a text of the benchmark's corpus). Hard breaks (two
spaces or a backslash before the line's end), and soft ones where ``breaks`` is on, are
markdown-it's own tokens.
``tests/test_linebreaks.py`` checks that the HTML is markdown-it's, and that the tokens are
markdown-it's with each soft break joined to the text around it.
"""

from __future__ import annotations

from collections.abc import Callable

from markdown_it import MarkdownIt
from markdown_it import rules_inline as stock
from markdown_it.rules_inline import StateInline


def line_breaks_plugin(md: MarkdownIt) -> None:
    """Keep soft line breaks in the text around them: :func:`newline` in place of markdown-it's rule."""
    md.inline.ruler.at("newline", newline)


def newline(state: StateInline, silent: bool) -> bool:
    """markdown-it's ``newline``, but a soft break becomes a ``\\n`` in the pending text, not a token."""
    src, pos = state.src, state.pos
    if src[pos] != "\n":
        return False
    if silent or state.md.options["breaks"]:
        return stock.newline(state, silent)  # a soft break rendered as <br>
    if pos and src[pos - 1] == " ":  # else the pending text cannot end with a space: it ends at ``pos``
        pending = state.pending
        if pending.endswith("  "):
            return stock.newline(state, silent)  # a hard break
        if pending.endswith(" "):
            state.pending = pending[:-1]  # as markdown-it drops the one space before a soft break
    append_pending(state, "\n")
    pos += 1
    end = state.posMax
    while pos < end and src[pos] in " \t":  # the next line's indent, which markdown-it skips
        pos += 1
    state.pos = pos
    return True


def _pending_plus(state: StateInline, text: str) -> None:
    state.pending += text


append_pending: Callable[[StateInline, str], None] = getattr(StateInline, "append_pending", _pending_plus)
"""Add text to the pending text token (markdown-it-py before 4.3 has no ``append_pending``)."""
