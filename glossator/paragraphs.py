"""markdown-it's paragraph and setext-heading rules: the same tokens for less work.

For every line of a paragraph, markdown-it asks each rule that may interrupt one (lists, fences,
headings, ...) whether the line starts it, and it reads each paragraph twice: once to look for a
setext underline (``lheading``), then again as a paragraph. Each of those rules gives up unless
the line starts in a certain way (``- ``, ``> ``, three backticks, ...), so asking only when it
does changes nothing; and when no underline is found, the first reading already knows where the
paragraph ends.
``tests/test_paragraphs.py`` checks that the tokens equal markdown-it's own, rule for rule.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from markdown_it import MarkdownIt
from markdown_it import rules_block as stock
from markdown_it.common.utils import mdTrim
from markdown_it.rules_block import StateBlock
from mdit_py_plugins.footnote.index import footnote_def

BlockRule = Callable[[StateBlock, int, int, bool], bool]

_STARTS: dict[BlockRule, str] = {
    stock.fence: r"```|~~~",
    stock.blockquote: r">",
    stock.hr: r"\*[ \t]*\*|_[ \t]*_|-[ \t]*-",
    stock.list_block: r"[*+-](?:[ \t]|$)|[0-9]{1,9}[.)](?:[ \t]|$)",
    stock.html_block: r"<",
    stock.heading: r"#",
    footnote_def: r"\[\^",
}
"""How a line starts (after its indent) if each rule is to match it: it returns False on any other line."""
_TABLE_DELIMITER_START = "|-:"
"""``table`` looks at the line after: a table's delimiter row starts with one of these."""


def paragraphs_plugin(md: MarkdownIt) -> None:
    """Replace ``paragraph`` and ``lheading`` by their faster equivalents (where enabled)."""
    md.block.ruler.at("paragraph", paragraph)
    md.block.ruler.at("lheading", lheading)


def paragraph(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    """markdown-it's ``paragraph``: always matches, up to the first line that ends it."""
    old_parent = state.parentType
    state.parentType = "paragraph"
    line, _ = _scan(state, start_line, state.lineMax, underline=False)
    _push_paragraph(state, start_line, line)
    state.parentType = old_parent
    return True


def lheading(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    """markdown-it's ``lheading`` (a paragraph underlined with ``===`` or ``---``).

    Where it finds no underline and ``paragraph`` is the next rule, it makes the paragraph itself
    from the lines it has just read; markdown-it's ``lheading`` then leaves ``parentType`` set to
    ``"paragraph"``, and so does this, so that later rules see the same state.
    """
    if state.is_code_block(start_line):
        return False
    old_parent = state.parentType
    state.parentType = "paragraph"
    line, marker = _scan(state, start_line, end_line, underline=True)
    if marker is None:
        if end_line != state.lineMax or not _paragraph_follows(state.md.block.ruler.getRules("")):
            return False
        _push_paragraph(state, start_line, line)
        return True
    content = mdTrim(state.getLines(start_line, line, state.blkIndent, False))
    state.line = line + 1
    tag = "h1" if marker == "=" else "h2"
    token = state.push("heading_open", tag, 1)
    token.markup = marker
    token.map = [start_line, state.line]
    token = state.push("inline", "", 0)
    token.content = content
    token.map = [start_line, state.line - 1]
    token.children = []
    token = state.push("heading_close", tag, -1)
    token.markup = marker
    state.parentType = old_parent
    return True


def _push_paragraph(state: StateBlock, start_line: int, line: int) -> None:
    content = mdTrim(state.getLines(start_line, line, state.blkIndent, False))
    state.line = line
    token = state.push("paragraph_open", "p", 1)
    token.map = [start_line, line]
    token = state.push("inline", "", 0)
    token.content = content
    token.map = [start_line, line]
    token.children = []
    state.push("paragraph_close", "p", -1)


def _scan(state: StateBlock, start_line: int, end_line: int, underline: bool) -> tuple[int, str | None]:
    """Where a paragraph from ``start_line`` ends, and the setext underline there if ``underline``
    is asked for and found (the loops of markdown-it's ``lheading`` and ``paragraph``)."""
    rules = state.md.block.ruler.getRules("paragraph")
    may_end, table = _filter(rules)
    src, starts, shifts, ends, indents = state.src, state.bMarks, state.tShift, state.eMarks, state.sCount
    block_indent = state.blkIndent
    line = start_line + 1
    while line < end_line:
        pos = starts[line] + shifts[line]
        if pos >= ends[line]:
            break
        indent = indents[line]
        if indent - block_indent > 3:
            line += 1
            continue
        char = src[pos]
        if underline and indent >= block_indent and (char == "-" or char == "="):
            if state.skipSpaces(state.skipCharsStr(pos, char)) >= ends[line]:
                return line, char
        if indent < 0:
            line += 1
            continue
        if may_end is None or may_end(src, pos, ends[line]) or (table and _delimiter_next(state, line, end_line)):
            ended = False
            for rule in rules:
                if rule(state, line, end_line, True):
                    ended = True
                    break
            if ended:
                break
        line += 1
    return line, None


def _delimiter_next(state: StateBlock, line: int, end_line: int) -> bool:
    """Whether the next line could be a table's delimiter row (else ``table`` returns False)."""
    following = line + 1
    if following >= end_line:
        return False
    pos = state.bMarks[following] + state.tShift[following]
    return pos < state.eMarks[following] and state.src[pos] in _TABLE_DELIMITER_START


_filters: dict[int, tuple[Sequence[BlockRule], Callable | None, bool]] = {}


def _filter(rules: Sequence[BlockRule]) -> tuple[Callable[[str, int, int], object] | None, bool]:
    """A test of whether a line (its text from after the indent to its end) could start one of
    ``rules`` (None: any line could, as some rule is not one this module knows), and whether
    ``table`` is among them.

    Kept by the identity of markdown-it's cached rule list, which it replaces when rules change.
    """
    known = _filters.get(id(rules))
    if known is None or known[0] is not rules:
        table = stock.table in rules
        others = [rule for rule in rules if rule is not stock.table]
        may_end = None
        if all(rule in _STARTS for rule in others):
            may_end = re.compile("|".join(f"(?:{_STARTS[rule]})" for rule in others) or "(?!)").match
        if len(_filters) > 64:
            _filters.clear()
        known = (rules, may_end, table)
        _filters[id(rules)] = known
    return known[1], known[2]


def _paragraph_follows(rules: Sequence[BlockRule]) -> bool:
    """Whether ``paragraph`` is the rule markdown-it tries right after ``lheading``."""
    try:
        return rules[rules.index(lheading) + 1] is paragraph
    except (ValueError, IndexError):
        return False
