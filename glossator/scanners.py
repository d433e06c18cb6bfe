"""markdown-it's scanners of link destinations and emphasis runs, in fewer steps per character.

markdown-it-py reads a link's destination one character at a time, and classifies the characters
on either side of each run of ``*`` or ``_`` with several Unicode lookups. Here a regular
expression reads a destination at once where it holds no spaces, parentheses or escapes (nearly
every URL), and a character's classes are looked up once and remembered; anything else goes
through markdown-it's own code. ``*word*`` between two single markers, and ``[words](url)``, are
read at once into the tokens markdown-it would make of them (:func:`emphasis_at_once`,
:func:`link_at_once`).
``tests/test_scanners.py`` checks that the results are its own.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from types import SimpleNamespace

from markdown_it import MarkdownIt, helpers
from markdown_it.common.utils import isMdAsciiPunct, isPunctChar, isWhiteSpace, unescapeAll
from markdown_it.helpers.parse_link_destination import _Result
from markdown_it.helpers.parse_link_destination import parseLinkDestination as stock_destination
from markdown_it.rules_inline import StateInline
from markdown_it.rules_inline.state_inline import Delimiter, Scanned

InlineRule = Callable[[StateInline, bool], bool]

_PLAIN_DESTINATION = re.compile(r"[^\x00-\x20\x7f()\\]+")
"""A run of characters markdown-it's destination scanner steps over one by one without looking back."""
_DESTINATION_ENDS = frozenset(" )\x7f").union(map(chr, range(0x20)))
"""Where that scanner stops a destination holding no parenthesis: a space, a ``)``, a control character."""
_CLASSES: dict[str, tuple[bool, bool]] = {}
"""Characters met beside emphasis markers: whether each is punctuation, and whether it is white space."""
_REMEMBERED = 4096
"""Most characters :data:`_CLASSES` keeps (a text in many scripts must not grow it without end)."""


def scanners_plugin(md: MarkdownIt) -> None:
    """Use these scanners for link destinations and, where the rule is enabled, for emphasis."""
    shared = {name: value for name, value in vars(helpers).items() if not name.startswith("_")}
    md.helpers = SimpleNamespace(**{**shared, "parseLinkDestination": parse_link_destination})
    if "emphasis" in md.inline.ruler.get_all_rules():
        md.inline.ruler.at("emphasis", emphasis)


def parse_link_destination(string: str, pos: int, maximum: int) -> _Result:
    """markdown-it's ``parseLinkDestination``: the destination starting at ``pos``, and where it ends."""
    if pos < maximum and string[pos] != "<" and (run := _PLAIN_DESTINATION.match(string, pos, maximum)):
        end = run.end()
        if end == maximum or string[end] in _DESTINATION_ENDS:
            result = _Result()
            result.str, result.pos, result.ok = unescapeAll(string[pos:end]), end, True
            return result
    return stock_destination(string, pos, maximum)


def scan_delims(state: StateInline, start: int, can_split_word: bool) -> Scanned:
    """markdown-it's ``StateInline.scanDelims``: the run of markers at ``start``, and whether it may open or close."""
    src, maximum = state.src, state.posMax
    marker = src[start]
    pos = start + 1
    while pos < maximum and src[pos] == marker:
        pos += 1
    last_punct, last_space = _classes(src[start - 1] if start > 0 else " ")
    next_punct, next_space = _classes(src[pos] if pos < maximum else " ")
    left_flanking = not (next_space or (next_punct and not (last_space or last_punct)))
    right_flanking = not (last_space or (last_punct and not (next_space or next_punct)))
    can_open = left_flanking and (can_split_word or not right_flanking or last_punct)
    can_close = right_flanking and (can_split_word or not left_flanking or next_punct)
    return Scanned(can_open, can_close, pos - start)


def _classes(char: str) -> tuple[bool, bool]:
    known = _CLASSES.get(char)
    if known is None:
        code = ord(char)
        known = (isMdAsciiPunct(code) or isPunctChar(char), isWhiteSpace(code))
        if len(_CLASSES) < _REMEMBERED:
            _CLASSES[char] = known
    return known


def emphasis(state: StateInline, silent: bool) -> bool:
    """markdown-it's ``emphasis`` tokenize rule: each marker a text token, and a delimiter to pair later."""
    start = state.pos
    marker = state.src[start]
    if silent or (marker != "*" and marker != "_"):
        return False
    can_open, can_close, length = scan_delims(state, start, marker == "*")
    code = ord(marker)
    for _ in range(length):
        token = state.push("text", "", 0)
        token.content = marker
        state.delimiters.append(Delimiter(code, length, len(state.tokens) - 1, -1, can_open, can_close))
    state.pos += length
    return True


def emphasis_at_once(stops: re.Pattern[str], rule: InlineRule, state: StateInline, silent: bool) -> bool:
    """``rule`` (markdown-it's ``emphasis``), where ``*word*`` is read at once.

    A single marker that may open and not close, then text holding no character in ``stops`` (none
    where markup may start), then a single marker that may close: markdown-it's delimiter pairing
    would pair the two (nothing between them is a delimiter, and a closer pairs with the nearest
    opener of its marker), so the ``em_open``, text and ``em_close`` tokens it would make are made here.
    """
    start, src, end = state.pos, state.src, state.posMax
    marker = src[start]
    if not silent and (marker == "*" or marker == "_"):
        stop = stops.search(src, start + 1, end)
        close = stop.start() if stop else end
        if start + 1 < close < end and src[close] == marker:
            opening = scan_delims(state, start, marker == "*")
            if opening.length == 1 and opening.can_open and not opening.can_close:
                closing = scan_delims(state, close, marker == "*")
                if closing.length == 1 and closing.can_close:
                    state.push("em_open", "em", 1).markup = marker
                    state.push("text", "", 0).content = src[start + 1 : close]
                    state.push("em_close", "em", -1).markup = marker
                    state.pos = close + 1
                    return True
    return rule(state, silent)


def link_at_once(stops: re.Pattern[str], rule: InlineRule, state: StateInline, silent: bool) -> bool:
    """``rule`` (markdown-it's ``link``), where ``[words](destination)`` is read at once.

    A label holding no character in ``stops`` (none where markup may start, so no line break and no
    nested brackets), then ``(``, a destination the site accepts and ``)`` with no space or title:
    markdown-it would find the same label, tokenize it into one text, and make the ``link_open``,
    text and ``link_close`` tokens made here.
    """
    start, src, end = state.pos, state.src, state.posMax
    if not silent and src[start] == "[":
        stop = stops.search(src, start + 1, end)
        close = stop.start() if stop else end
        # markdown-it finds the label by skipping from its first character, unless an earlier scan gave up
        # there (nested too deep) and remembered it in the state's cache
        if start + 1 < close < end - 2 and src[close] == "]" and src[close + 1] == "(" and start + 1 not in state.cache:
            found = state.md.helpers.parseLinkDestination(src, close + 2, end)
            if found.ok and close + 2 < found.pos < end and src[found.pos] == ")":
                href = state.md.normalizeLink(found.str)
                if state.md.validateLink(href):
                    state.push("link_open", "a", 1).attrs = {"href": href}
                    state.push("text", "", 0).content = src[start + 1 : close]
                    state.push("link_close", "a", -1)
                    state.pos = found.pos + 1
                    return True
    return rule(state, silent)
