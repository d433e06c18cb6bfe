"""markdown-it's inline tokenizer, trying each rule only at the characters it can start at.

At every character that may start markup (``*``, ``[``, ``:``, ``-``, a line break, ...)
markdown-it tries each inline rule in turn, and most characters of that set start nothing
here (``:`` and ``-`` are there for plugins). Each rule gives up at once on a character it does
not start with, so trying only the rules that start with it, and reading every other character
as text, gives the same tokens for less work. Where a rule this module does not know is enabled,
markdown-it's own tokenizer runs. Simple emphasis (``*word*``) and links (``[words](url)``) are
read at once (:mod:`glossator.scanners`), not as delimiters to pair or a label to tokenize.
Likewise, the rules that pair ``~~`` and ``*``/``_`` delimiters once a paragraph is tokenized walk
all of its tokens, and run here only where the paragraph holds such a character and tokenizing left
delimiters to pair; so do the rules that join the text left over from them (``fragments_join``),
and from backslash escapes and entities (``text_join``, where every enabled inline rule is one this
module knows). Tokens are made without the dataclass machinery of ``Token(...)`` (which
costs as much again as setting their fields). ``tests/test_inline.py`` checks that the tokens are equal.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from functools import partial
from typing import NamedTuple

from markdown_it import MarkdownIt, rules_core
from markdown_it import rules_inline as stock
from markdown_it.parser_inline import ParserInline
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.rules_inline.state_inline import Delimiter
from markdown_it.token import Token
from markdown_it.utils import EnvType
from mdit_py_plugins.footnote.index import footnote_inline, footnote_ref

from glossator import linebreaks, scanners
from glossator.linebreaks import append_pending
from glossator.scanners import InlineRule

_STARTS: dict[Callable, str] = {
    stock.linkify: ":",
    stock.newline: "\n",
    linebreaks.newline: "\n",
    stock.escape: "\\",
    stock.backtick: "`",
    stock.strikethrough.tokenize: "~",
    stock.emphasis.tokenize: "*_",
    scanners.emphasis: "*_",
    stock.link: "[",
    stock.image: "!",
    stock.autolink: "<",
    stock.html_inline: "<",
    stock.entity: "&",
    footnote_inline: "^",
    footnote_ref: "[",
}
"""The characters each rule can match at: it returns False, changing nothing, at any other."""
_EMPHASIS = (stock.emphasis.tokenize, scanners.emphasis)
_AT_ONCE = {
    "*": (_EMPHASIS, scanners.emphasis_at_once),
    "_": (_EMPHASIS, scanners.emphasis_at_once),
    "[": ((stock.link,), scanners.link_at_once),
}
"""Rules wrapped where they are the first tried at a character, by a function reading their simplest
case at once (and the rule otherwise)."""
_LABEL_END = "]"
"""Where a link label ends: ``text`` must stop there for the label to be found."""


class _Table(NamedTuple):
    starts: dict[str, tuple[InlineRule, ...]]
    """For each character that may start markup, the rules to try there, in order."""
    stops: re.Pattern[str]
    """Those characters: where a run of plain text ends."""


class _Known(NamedTuple):
    rules: list[InlineRule]
    """The enabled rules, as markdown-it lists them (a new list when they change)."""
    terminators: object
    """markdown-it's own stops for text (a new pattern when a plugin adds one)."""
    table: _Table | None
    """What to try where; None when a rule this module does not know is enabled."""


_PAIRED: dict[Callable, str] = {
    stock.strikethrough.postProcess: "~",
    stock.emphasis.postProcess: "*_",
}
"""Rules that pair delimiters after tokenizing, and the characters the only delimiters they act on are made at."""


class _Inlines(NamedTuple):
    """What ``text_join`` reads of markdown-it's core state: its tokens."""

    tokens: list[Token]


_FIELDS = (
    *("type", "tag", "nesting", "attrs", "map", "level", "children"),
    *("content", "markup", "info", "meta", "block", "hidden"),
)
"""The fields of markdown-it's ``Token`` that :func:`_made` sets, in order."""
_blank = Token.__new__


def _made(kind: str, tag: str, nesting: int) -> Token:
    token = _blank(Token)
    token.type, token.tag, token.nesting, token.attrs, token.map, token.level = kind, tag, nesting, {}, None, 0
    token.children, token.content, token.markup, token.info, token.meta = None, "", "", "", {}
    token.block = token.hidden = False
    return token


new_token: Callable[[str, str, int], Token] = (
    _made if tuple(field.name for field in dataclasses.fields(Token)) == _FIELDS else Token
)
"""``Token(kind, tag, nesting)``, for about half the time where markdown-it's tokens have the fields it knows."""


class _State(StateInline):
    """markdown-it's inline state, making its tokens with :func:`new_token` (otherwise the same steps as
    ``StateInline.push`` and ``pushPending``), and keeping the parser's table and every list of delimiters."""

    def __init__(self, src: str, md: MarkdownIt, env: EnvType, tokens: list[Token], table: _Table | None) -> None:
        super().__init__(src, md, env, tokens)
        self.table = table
        """The parser's table (:func:`_table`), found once for the whole text."""
        self.levels: list[list[Delimiter]] = [self.delimiters]
        """Every list of delimiters (the text's, and one inside each opening token): are any left to pair?"""

    def pushPending(self) -> Token:
        token = new_token("text", "", 0)
        token.content = self.pending
        token.level = self.pendingLevel
        self.tokens.append(token)
        self.pending = ""
        return token

    def push(self, ttype: str, tag: str, nesting: int) -> Token:  # type: ignore[override]
        if self.pending:
            self.pushPending()
        token = new_token(ttype, tag, nesting)
        token_meta = None
        if nesting < 0:
            self.level -= 1
            self.delimiters = self._prev_delimiters.pop()
        token.level = self.level
        if nesting > 0:
            self.level += 1
            self._prev_delimiters.append(self.delimiters)
            self.delimiters = []
            self.levels.append(self.delimiters)
            token_meta = {"delimiters": self.delimiters}
        self.pendingLevel = self.level
        self.tokens.append(token)
        self.tokens_meta.append(token_meta)
        return token


def inline_plugin(md: MarkdownIt) -> None:
    """Replace markdown-it's inline tokenizer by one that tries only the rules that may match, make tokens
    with :func:`new_token`, and run the rules that pair ``~~`` and ``*``/``_`` delimiters only on text
    holding such a character."""
    parser = md.inline
    parser.parse = partial(parse, parser)  # type: ignore[method-assign]
    parser.tokenize = partial(tokenize, parser)  # type: ignore[method-assign]
    parser.skipToken = partial(skip_token, parser)  # type: ignore[method-assign]
    for rule in parser.ruler2.__rules__:  # each rule's name and function (no method gives both)
        if rule.fn in _PAIRED:
            parser.ruler2.at(rule.name, partial(where_marked, rule.fn, _PAIRED[rule.fn]))
        elif rule.fn is stock.fragments_join:
            parser.ruler2.at(rule.name, partial(where_fragmented, rule.fn))
        elif rule.fn is stock.link_pairs:
            parser.ruler2.at(rule.name, partial(where_delimited, rule.fn))
    for rule in md.core.ruler.__rules__:
        if rule.fn is rules_core.text_join:
            md.core.ruler.at(rule.name, partial(where_special, rule.fn))


def where_delimited(rule: Callable[[StateInline], None], state: StateInline) -> None:
    """``balance_pairs``: ``rule(state)`` if tokenizing left delimiters to pair (:func:`_delimited`)."""
    if _delimited(state):
        rule(state)


def where_marked(rule: Callable[[StateInline], None], markers: str, state: StateInline) -> None:
    """``rule(state)`` if the text holds one of ``markers`` and delimiters were left to pair; else it would
    find no delimiter of its own to pair."""
    src = state.src
    for marker in markers:
        if marker in src:
            if _delimited(state):
                rule(state)
            return


def where_fragmented(rule: Callable[[StateInline], None], state: StateInline) -> None:
    """``fragments_join``: only runs of delimiters leave text fragments to join, and the levels it sets
    again are those ``push`` gave unless delimiters were paired (where the rules are all known)."""
    src = state.src
    # only runs of ``*``, ``_`` and ``~`` leave fragments (plain ``in`` tests: this runs for every paragraph)
    if _state_table(state) is None or (("*" in src or "_" in src or "~" in src) and _delimited(state)):
        rule(state)


def _delimited(state: StateInline) -> bool:
    """Whether tokenizing left delimiters for the pairing rules, or may have (a state that does not keep its
    lists of them, or a rule this module does not know, which may keep delimiters elsewhere)."""
    return not isinstance(state, _State) or state.table is None or any(state.levels)


def _state_table(state: StateInline) -> _Table | None:
    """The table of the parser ``state`` is read by: found once per text in :func:`parse`."""
    return state.table if isinstance(state, _State) else _table(state.md.inline)


def where_special(rule: Callable[[StateCore], None], state: StateCore) -> None:
    """``text_join`` for the inline tokens whose text holds a backslash or ``&``: only escapes and entities
    make the ``text_special`` tokens it joins, and ``fragments_join`` has joined every other text (where
    the inline rules are all known)."""
    if _table(state.md.inline) is None:
        rule(state)
        return
    special = [t for t in state.tokens if t.type == "inline" and ("\\" in t.content or "&" in t.content)]
    if special:
        rule(_Inlines(special))  # type: ignore[arg-type]


def _table(parser: ParserInline) -> _Table | None:
    """The parser's table for its enabled rules, made again when they change."""
    rules = parser.ruler.getRules("")  # the same list until the rules change
    terminators = getattr(parser, "terminator_re", None)  # markdown-it-py 4.1 and later
    known: _Known | None = parser.__dict__.get("_glossator_table")
    if known is None or known.rules is not rules or known.terminators is not terminators:
        known = _Known(rules, terminators, _make_table(parser, rules))
        parser.__dict__["_glossator_table"] = known
    return known.table


def _make_table(parser: ParserInline, rules: list[InlineRule]) -> _Table | None:
    if not rules or rules[0] is not stock.text or getattr(parser, "_extra_terminator_chars", None):
        return None  # text is not read by markdown-it's rule, or must stop at a plugin's character
    starts: dict[str, list[InlineRule]] = {_LABEL_END: []}
    for rule in rules[1:]:
        chars = _STARTS.get(getattr(rule, "func", rule))  # footnote_ref is a partial
        if chars is None:
            return None
        for char in chars:
            starts.setdefault(char, []).append(rule)
    stops = re.compile(f"[{re.escape(''.join(starts))}]")
    for char, (rules_at, at_once) in _AT_ONCE.items():  # simple emphasis and links read at once
        found = starts.get(char, [])
        if found and getattr(found[0], "func", found[0]) in rules_at:
            found[0] = partial(at_once, stops, found[0])
    return _Table({char: tuple(found) for char, found in starts.items()}, stops)


def parse(parser: ParserInline, src: str, md: MarkdownIt, env: EnvType, tokens: list[Token]) -> list[Token]:
    """``ParserInline.parse``, with a state that makes tokens sooner (:class:`_State`)."""
    state = _State(src, md, env, tokens, _table(parser))
    parser.tokenize(state)
    for rule in parser.ruler2.getRules(""):
        rule(state)
    return state.tokens


def tokenize(parser: ParserInline, state: StateInline) -> None:
    """``ParserInline.tokenize``: the same tokens for the input range."""
    table = _state_table(state)
    if table is None:
        ParserInline.tokenize(parser, state)
        return
    starts, stops = table
    src, end = state.src, state.posMax
    max_nesting = state.md.options["maxNesting"]
    while state.pos < end:
        pos = state.pos
        rules = starts.get(src[pos])
        if rules is None:
            stop = stops.search(src, pos)
            state.pos = stop.start() if stop else end
            append_pending(state, src[pos : state.pos])
            continue
        matched = False
        if state.level < max_nesting:
            for rule in rules:
                if rule(state, False):
                    matched = True
                    break
        if not matched:
            append_pending(state, src[pos])
            state.pos += 1
        elif state.pos <= pos:
            raise RuntimeError("inline rule didn't increment state.pos")
    if state.pending:
        state.pushPending()


def skip_token(parser: ParserInline, state: StateInline) -> None:
    """``ParserInline.skipToken``: where the token at ``state.pos`` ends (used to find a link's label)."""
    table = _state_table(state)
    if table is None:
        ParserInline.skipToken(parser, state)
        return
    pos, cache = state.pos, state.cache
    if pos in cache:
        state.pos = cache[pos]
        return
    rules = table.starts.get(state.src[pos])
    if state.level >= state.md.options["maxNesting"]:
        state.pos = state.posMax + 1
    elif rules is None:
        stop = table.stops.search(state.src, pos)
        state.pos = stop.start() if stop else state.posMax
    else:
        for rule in rules:
            state.level += 1
            matched = rule(state, True)
            state.level -= 1
            if matched:
                if state.pos <= pos:
                    raise RuntimeError("inline rule didn't increment state.pos")
                break
        else:
            state.pos += 1
    cache[pos] = state.pos
