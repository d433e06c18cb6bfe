from __future__ import annotations

import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from mdit_py_plugins.footnote import footnote_plugin

from glossator import paragraphs
from glossator.markdown import is_safe_url, normalize_link, note_parser, text_parser
from glossator.paragraphs import paragraphs_plugin

from .tokens import soft_breaks_in_text

LINES = [
    "",
    "Plain words of a paragraph",
    "  indented words",
    "    four spaces: code",
    "\ttab",
    "# Heading",
    "#no heading",
    "===",
    "---",
    "- - -",
    "***",
    "__",
    "- item",
    "-item",
    "+ item",
    "* item",
    "1. item",
    "2) item",
    "1234567890. long",
    "> quote",
    ">",
    "```",
    "~~~ info",
    "``` b`q",
    "| a | b |",
    "|---|:-:|",
    "a | b",
    "-- | --",
    ":-",
    "[^1]: a footnote",
    "[^1]",
    "[ref]: /url 'title'",
    "[ref]",
    "<div>",
    "<!-- comment -->",
    "</p>",
    "Setext title",
    "  ===  ",
    "*emph* and [link](/u)",
]
DOCUMENTS = st.lists(st.sampled_from(LINES) | st.text(alphabet=" \t-=*_#>`~|:[]^+.)19ab<", max_size=12), max_size=14)


def _markdown_it(*plugins, html: bool = False) -> MarkdownIt:
    """markdown-it as it comes, with the options and link checks glossator's parsers use."""
    md = MarkdownIt("commonmark", {"html": html, "typographer": False})
    md.validateLink, md.normalizeLink = is_safe_url, normalize_link
    for plugin in plugins:
        md.use(plugin)
    return md


STOCK = {
    "text": lambda: _markdown_it(footnote_plugin).enable(["table", "strikethrough"]),
    "note": lambda: _markdown_it().disable(["image", "heading", "lheading"]).enable("strikethrough"),
    "html on": lambda: _markdown_it(footnote_plugin, html=True).enable("table"),
}
"""What each parser below must equal, token for token."""


def _with_html(html: bool) -> MarkdownIt:
    return _markdown_it(footnote_plugin, paragraphs_plugin, html=html).enable("table")


PARSERS = {"text": text_parser, "note": note_parser, "html on": lambda: _with_html(True)}


@pytest.mark.parametrize("name", PARSERS)
@settings(max_examples=700, deadline=None, suppress_health_check=list(HealthCheck))
@given(lines=DOCUMENTS)
def test_tokens_are_markdown_its_own(name, lines):
    source = "\n".join(lines)
    ours = [token.as_dict() for token in PARSERS[name]().parse(source)]
    stock = STOCK[name]().parse(source)
    if name != "html on":  # the site's parsers keep soft line breaks in their text (tests/test_linebreaks.py)
        stock = soft_breaks_in_text(stock)
    assert ours == [token.as_dict() for token in stock]


def test_the_parsers_use_the_faster_rules():
    for md in (text_parser(), note_parser()):
        assert paragraphs.paragraph in md.block.ruler.getRules("")
    assert paragraphs.lheading in text_parser().block.ruler.getRules("")


def test_plain_lines_do_not_ask_the_rules_that_end_paragraphs():
    md = _with_html(False)
    rules = {rule.__code__ for rule in md.block.ruler.getRules("paragraph")}
    asked: list[str] = []

    def profile(frame, event, arg):
        if event == "call" and frame.f_code in rules and frame.f_locals.get("silent"):
            asked.append(frame.f_code.co_name)

    prose = [f"line {n} of prose" for n in range(50)]
    sys.setprofile(profile)
    try:
        md.parse("\n".join(prose))
        assert asked == []
        md.parse("\n".join([*prose, "- a list item ends it"]))
    finally:
        sys.setprofile(None)
    assert "list_block" in asked


def test_a_rule_it_does_not_know_still_ends_paragraphs():
    def percent(state, start, end, silent):
        if state.src[state.bMarks[start] + state.tShift[start]] != "%":
            return False
        if not silent:
            state.push("percent", "hr", 0)
            state.line = start + 1
        return True

    md = _with_html(False)
    md.block.ruler.before("paragraph", "percent", percent, {"alt": ["paragraph"]})
    tokens = md.parse("words\n% here\nmore")
    assert [t.type for t in tokens] == ["paragraph_open", "inline", "paragraph_close", "percent"] + [
        "paragraph_open",
        "inline",
        "paragraph_close",
    ]


def test_lheading_leaves_the_paragraph_to_a_rule_placed_between_them():
    md = _with_html(False)
    md.block.ruler.before("paragraph", "shout", lambda state, start, end, silent: False)
    assert not paragraphs._paragraph_follows(md.block.ruler.getRules(""))
    assert md.parse("a\nb")[1].content == "a\nb"
