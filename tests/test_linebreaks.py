from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from glossator import inline, linebreaks
from glossator.linebreaks import line_breaks_plugin
from glossator.markdown import note_parser, text_parser

from .test_inline import SOURCES, STOCK
from .tokens import soft_breaks_in_text

LINES = st.lists(
    st.sampled_from(
        ["words", " ", "  ", "\t", "\n", " \n", "  \n", "\n  ", "\\\n", "*", "_", "[a](/u)", "`c`", "&amp;"]
    ),
    max_size=25,
).map("".join)


@pytest.mark.parametrize("name", ["text", "note"])
@settings(max_examples=600, deadline=None, suppress_health_check=list(HealthCheck))
@given(source=SOURCES | LINES)
def test_the_html_is_markdown_its_own(name, source):
    ours = {"text": text_parser, "note": note_parser}[name]()
    assert ours.render(source) == STOCK[name]().render(source)


@pytest.mark.parametrize("name", ["text", "note"])
@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(source=SOURCES | LINES)
def test_the_tokens_are_markdown_its_with_soft_breaks_in_the_text(name, source):
    ours = {"text": text_parser, "note": note_parser}[name]()
    stock = soft_breaks_in_text(STOCK[name]().parse(source))
    assert [token.as_dict() for token in ours.parse(source)] == [token.as_dict() for token in stock]


def test_a_soft_break_stays_in_its_text_and_loses_the_spaces_around_it():
    children = text_parser().parseInline("one \n   two\nthree *four*\nfive")[0].children
    assert [(token.type, token.content) for token in children] == [
        ("text", "one\ntwo\nthree "),
        ("em_open", ""),
        ("text", "four"),
        ("em_close", ""),
        ("text", "\nfive"),
    ]


def test_hard_breaks_are_markdown_its_tokens():
    for source in ("one  \ntwo", "one\\\ntwo", "one   \ntwo"):
        children = text_parser().parseInline(source)[0].children
        assert [(token.type, token.content) for token in children] == [
            ("text", "one"),
            ("hardbreak", ""),
            ("text", "two"),
        ]


def test_soft_breaks_shown_as_line_breaks_are_markdown_its_tokens():
    md = MarkdownIt("commonmark", {"breaks": True}).use(line_breaks_plugin)
    assert [token.type for token in md.parseInline("one\ntwo")[0].children] == ["text", "softbreak", "text"]
    assert md.render("one\ntwo") == "<p>one<br />\ntwo</p>\n"


def test_the_parsers_try_it_at_each_line_end_in_the_quick_tokenizer():
    for md in (text_parser(), note_parser()):
        table = inline._table(md.inline)
        assert table is not None and table.starts["\n"] == (linebreaks.newline,)
