from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import OptionsDict

from glossator.anchor import anchor_one
from glossator.document import parse_document
from glossator.highlight import highlight
from glossator.html import Renderer
from glossator.markdown import note_parser, text_parser
from glossator.model import Anchor, Annotation, Location, Text, TextMeta

from .test_inline import DEFINITIONS, SOURCES

BLOCKS = ["", "\n\n- a\n- *b*\n\n> q\n", "\n\n| a | b |\n|---|---|\n| *c* | d |\n"]
"""Block markup after the inline source: tight lists, quotes, tables."""


def _stock(md) -> RendererHTML:
    """markdown-it's renderer, with the rules plugins added to ``md``'s (footnotes, note groups)."""
    stock = RendererHTML()
    stock.rules.update({k: v for k, v in md.renderer.rules.items() if k not in stock.rules})
    return stock


@pytest.mark.parametrize("parser", [text_parser, note_parser])
@pytest.mark.parametrize("xhtml", [False, True])
@settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
@given(source=SOURCES, blocks=st.sampled_from(BLOCKS))
def test_html_is_markdown_its_own(parser, xhtml, source, blocks):
    md = parser()
    options = OptionsDict({**md.options, "xhtmlOut": xhtml})
    tokens = md.parse(source + blocks + DEFINITIONS)
    assert isinstance(md.renderer, Renderer)
    assert md.renderer.render(tokens, options, {}) == _stock(md).render(tokens, options, {})


def test_highlighted_text_renders_as_markdown_it_renders_it():
    md = text_parser()
    body = "Words *across emphasis* and [a link](/u) end.[^1]\n\n| a | b |\n|---|---|\n| cell *c* | d |\n\n[^1]: Note."
    document = parse_document(Text("t", "content/t.md", TextMeta("T"), body, 4))
    anchors = []
    for number, quote in enumerate(["across emphasis and a", "link", "cell c"]):
        annotation = Annotation(f"n{number}", "context", quote, Location("a", 1), Location("a", 1))
        anchors.append(Anchor(annotation, anchor_one(document, annotation)[0]))
    tokens, _ = highlight(document, anchors)
    env = {"render_notes": lambda ids: f"<notes {' '.join(ids)}>"}
    html = md.renderer.render(tokens, md.options, env)
    assert "<mark" in html
    assert html == _stock(md).render(tokens, md.options, env)


def test_a_rule_added_for_text_is_used():
    md = note_parser()
    tokens = md.parse("plain *words*")
    renderer = Renderer()
    renderer.rules["text"] = lambda tokens, idx, options, env: tokens[idx].content.upper()
    assert renderer.render(tokens, md.options, {}) == "<p>PLAIN <em>WORDS</em></p>\n"


def test_tokens_made_by_hand_render_as_markdown_its_do():
    md = note_parser()
    tokens = md.parse("a *b*")
    children = tokens[1].children
    children[1].hidden = True  # a plugin may hide a token
    children.append(Token("span_open", "span", 1, attrs={"class": 'x"y'}))
    children.append(Token("wbr", "wbr", 0))
    children.append(Token("span_close", "span", -1))
    for xhtml in (False, True):
        options = OptionsDict({**md.options, "xhtmlOut": xhtml})
        assert md.renderer.render(tokens, options, {}) == RendererHTML().render(tokens, options, {})
