"""The two Markdown parsers: one for texts, one for note bodies. Raw HTML is off in both."""

from __future__ import annotations

import re
from functools import cache, lru_cache

from markdown_it import MarkdownIt
from mdit_py_plugins.footnote import footnote_plugin

_SCHEME = re.compile(r"^\s*([a-zA-Z][a-zA-Z0-9+.\-]*):")
NOTES_TOKEN = "glossator_notes"
"""Token type of a group of notes placed after a block; rendered by ``env["render_notes"](ids)``."""
SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
"""URL schemes a link may use; scheme-less (relative) links are allowed too."""


def is_safe_url(url: str) -> bool:
    """True for http(s), mailto and relative URLs: nothing that could run script."""
    cleaned = "".join(ch for ch in url if ch > " " and ch != "\x7f")
    match = _SCHEME.match(cleaned)
    return match is None or match.group(1).lower() in SAFE_SCHEMES


def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "typographer": False})
    md.validateLink = is_safe_url
    return md


def notes_plugin(md: MarkdownIt) -> None:
    """Render note groups through a callable the caller puts in the render ``env``."""
    md.add_render_rule(
        NOTES_TOKEN, lambda self, tokens, idx, options, env: env["render_notes"](tokens[idx].meta["ids"])
    )


@cache
def text_parser() -> MarkdownIt:
    """Parser for source texts: CommonMark with footnotes."""
    return _parser().use(footnote_plugin).use(notes_plugin).enable(["table", "strikethrough"])


@cache
def note_parser() -> MarkdownIt:
    """Parser for note bodies: CommonMark without images or headings (a note is a margin aside)."""
    return _parser().disable(["image", "heading", "lheading"]).enable("strikethrough")


@lru_cache(maxsize=1024)
def render_note(source: str) -> str:
    """A note body's HTML; remembered, since a text's page and its export both need it."""
    return note_parser().render(source)
