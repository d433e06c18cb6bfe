"""The two Markdown parsers: one for texts, one for note bodies. Raw HTML is off in both."""

from __future__ import annotations

import re
from functools import cache, lru_cache
from typing import NamedTuple

from markdown_it import MarkdownIt, rules_core
from markdown_it.common.normalize_url import normalizeLink
from markdown_it.common.utils import escapeHtml
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin

from glossator.html import Renderer
from glossator.inline import inline_plugin, new_token
from glossator.linebreaks import line_breaks_plugin
from glossator.paragraphs import paragraphs_plugin
from glossator.scanners import scanners_plugin

_SCHEME = re.compile(r"^\s*([a-zA-Z][a-zA-Z0-9+.\-]*):")
NOTES_TOKEN = "glossator_notes"
"""Token type of a group of notes placed after a block; rendered by ``env["render_notes"](ids)``."""
MARKER_TOKEN = "glossator_marker"
"""Token type of a note marker, a superscript link to its note; ``meta["marker"]`` is a :class:`MarkerLink`."""
SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
"""URL schemes a link may use; scheme-less (relative) links are allowed too."""


_INVISIBLE_IN_URLS = dict.fromkeys([*range(33), 0x7F])
"""Controls and spaces, which browsers skip inside a URL's scheme (``java\tscript:``)."""
_ONE_LINE_PARAGRAPH = re.compile(r"[^\W\d_](?:[^\n\r\0]*[^\s\0])?")
"""Note bodies markdown-it can only read as one paragraph: one line that starts with a letter, ends
without a space and holds no NUL, which markdown-it would replace (tests/test_markdown.py)."""
_NORMAL_LINK = re.compile(r"(?:https?://[a-z0-9-]+(?:\.[a-z0-9-]+)*(?::[0-9]{1,5})?)?[A-Za-z0-9\-._~!$&'()*+,;=/?#]*")
"""Link destinations that markdown-it's normalisation leaves exactly as they are (tests/test_markdown.py)."""


def is_safe_url(url: str) -> bool:
    """True for http(s), mailto and relative URLs: nothing that could run script."""
    match = _SCHEME.match(url.translate(_INVISIBLE_IN_URLS))
    return match is None or match.group(1).lower() in SAFE_SCHEMES


def normalize_link(url: str) -> str:
    """markdown-it's link normalisation (percent-encoding, punycode), skipped for links it would not change.

    Parsing a URL to find it needs nothing done is a large share of parsing a paragraph of links.
    """
    return url if _NORMAL_LINK.fullmatch(url) else normalizeLink(url)


def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "typographer": False}, renderer_cls=Renderer)
    md.validateLink = is_safe_url
    md.normalizeLink = normalize_link
    # With raw HTML off these rules return False wherever they are tried (for every line, for
    # html_block): not trying them gives the same tokens for less work.
    md.disable(["html_block", "html_inline"])
    md.core.ruler.at("normalize", normalize)
    return md.use(paragraphs_plugin).use(scanners_plugin).use(inline_plugin).use(line_breaks_plugin)


def normalize(state: StateCore) -> None:
    """markdown-it's ``normalize`` core rule: ``\\r\\n`` and ``\\r`` become ``\\n``, NUL becomes U+FFFD.

    markdown-it does it with a regular expression that matches, and rewrites, every line end (50 µs
    for a text of a hundred lines); most texts have neither character, which two ``in`` tests tell.
    """
    src = state.src
    if "\r" in src:
        src = src.replace("\r\n", "\n").replace("\r", "\n")
    if "\0" in src:
        src = src.replace("\0", "\ufffd")
    state.src = src


_BLOCKS = (normalize, rules_core.block)
"""The core rules :func:`note_tokens` skips for a body of one line, when they are the first."""


class MarkerLink(NamedTuple):
    """What a note marker shows and links to."""

    note_id: str
    """The note's id: the link goes to ``#note-<note_id>``."""
    ref_id: str
    """The marker's own element id, which the note links back to."""
    label: str
    """What it shows."""
    spoken: str
    """What screen readers say for it."""
    css_class: str
    """Its classes."""


def notes_plugin(md: MarkdownIt) -> None:
    """Render note groups through a callable the caller puts in the render ``env``, and note markers."""
    md.add_render_rule(
        NOTES_TOKEN, lambda self, tokens, idx, options, env: env["render_notes"](tokens[idx].meta["ids"])
    )
    md.add_render_rule(MARKER_TOKEN, lambda self, tokens, idx, options, env: render_marker(tokens[idx].meta["marker"]))


def render_marker(marker: MarkerLink) -> str:
    """A note marker's HTML, every value escaped as markdown-it escapes attributes and text (one token
    instead of the five a ``sup`` around a link takes, each made and rendered in turn)."""
    note_id, ref_id, label, spoken, css_class = map(escapeHtml, marker)
    return (
        f'<sup class="{css_class}"><a href="#note-{note_id}" id="{ref_id}" data-note="{note_id}"'
        f' aria-label="{spoken}">{label}</a></sup>'
    )


@cache
def text_parser() -> MarkdownIt:
    """Parser for source texts: CommonMark with footnotes."""
    return _parser().use(footnote_plugin).use(notes_plugin).enable(["table", "strikethrough"])


@cache
def note_parser() -> MarkdownIt:
    """Parser for note bodies: CommonMark without images or headings (a note is a margin aside)."""
    return _parser().disable(["image", "heading", "lheading"]).enable("strikethrough")


def render_note(source: str) -> str:
    """A note body's HTML."""
    return _note_body(source)[0]


def note_text(source: str) -> str:
    """What a note body says, as plain text on one line (for search, structured data)."""
    return _note_body(source)[1]


@lru_cache(maxsize=4096)
def _note_body(source: str) -> tuple[str, str]:
    """A note body parsed once for both its HTML and its words: the page, its export, its structured
    data and the search all need one or the other, and parsing is most of the cost."""
    md = note_parser()
    tokens = note_tokens(source)
    words = []
    for token in tokens:
        for child in token.children or ():
            if child.type in ("text", "code_inline"):
                words.append(child.content)
            elif child.type in ("softbreak", "hardbreak"):
                words.append(" ")
        if token.type == "inline":
            words.append(" ")
    return md.renderer.render(tokens, md.options, {}), " ".join("".join(words).split())


def note_tokens(source: str) -> list[Token]:
    """``note_parser().parse(source)``, without trying every block rule on the many bodies that are
    a single line of prose (most of the time a short note takes to parse).

    Such a body is one paragraph whose inline token holds the whole line: the core rules that
    normalise line breaks and NUL characters (it has none) and find the blocks are skipped, and
    the rules after them run on that token.
    """
    md = note_parser()
    rules = md.core.ruler.getRules("")
    if not _ONE_LINE_PARAGRAPH.fullmatch(source) or tuple(rules[:2]) != _BLOCKS:
        return md.parse(source)
    inline = new_token("inline", "", 0)
    inline.content, inline.map, inline.level, inline.block, inline.children = source, [0, 1], 1, True, []
    state = StateCore(source, md, {})
    state.tokens.append(inline)
    for rule in rules[2:]:
        rule(state)
    opening = new_token("paragraph_open", "p", 1)
    opening.map, opening.block = [0, 1], True
    closing = new_token("paragraph_close", "p", -1)
    closing.block = True
    return [opening, inline, closing]
