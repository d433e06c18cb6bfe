from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import rules_core
from markdown_it.common.normalize_url import normalizeLink
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from glossator.markdown import (
    _NORMAL_LINK,
    MarkerLink,
    is_safe_url,
    normalize,
    normalize_link,
    note_parser,
    note_text,
    note_tokens,
    render_marker,
    render_note,
    text_parser,
)

HOSTS = st.from_regex(r"\Ahttps?://[a-z0-9-]{1,8}(\.[a-z0-9-]{1,8}){0,3}(:[0-9]{1,5})?\Z")
TAILS = st.text(alphabet="Az09-._~!$&'()*+,;=/?#", max_size=30)
"""Every character the fast path lets through, so that each meets the others."""


@settings(max_examples=1000, suppress_health_check=list(HealthCheck))
@given(st.builds(str.__add__, HOSTS, TAILS) | TAILS | st.builds("{}/{}".format, HOSTS, TAILS))
def test_links_the_fast_path_keeps_are_links_markdown_it_would_keep(url):
    assert _NORMAL_LINK.fullmatch(url)
    assert normalizeLink(url) == url


@given(st.text(max_size=40))
def test_normalize_link_is_markdown_its_normalisation(url):
    assert normalize_link(url) == normalizeLink(url)


@pytest.mark.parametrize(
    "url", ["https://example.org/a b", "http://ex.org/ü", "http://bücher.example/", "https://x.org/%zz", "/[a]"]
)
def test_links_that_need_normalising_are_normalised(url):
    assert not _NORMAL_LINK.fullmatch(url)
    assert normalize_link(url) == normalizeLink(url) != url


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "java\tscript:x", " JAVASCRIPT:x", "data:text/html,x", "vbscript:x"]
)
def test_script_urls_are_unsafe(url):
    assert not is_safe_url(url)


@pytest.mark.parametrize("url", ["https://a.org", "mailto:a@b.org", "page.html#x", "#note-1", "/abs/path"])
def test_web_and_relative_urls_are_safe(url):
    assert is_safe_url(url)


@given(st.text(alphabet="\r\n\0a\u2028", max_size=40))
def test_line_ends_and_nul_are_normalised_as_markdown_it_does(source):
    ours, stock = StateCore(source, note_parser(), {}), StateCore(source, note_parser(), {})
    normalize(ours)
    rules_core.normalize(stock)
    assert ours.src == stock.src


def test_both_parsers_normalise_with_str_replace():
    for md in (note_parser(), text_parser()):
        assert md.core.ruler.getRules("")[0] is normalize


def test_a_note_body_gives_its_html_and_its_words_from_one_parse():
    body = "Some *emphasis*,\na [link](https://x.org) and `code`.\n\nTwo <b>paras</b>."
    assert render_note(body) == note_parser().render(body)
    assert note_text(body) == "Some emphasis, a link and code. Two <b>paras</b>."


NOTE_BODIES = st.text(alphabet="ab Z9_-*[]()<>`#=\n\r\t\0.:!|~\\&\u00a0\u2028é", max_size=30)


@settings(max_examples=1500, suppress_health_check=list(HealthCheck))
@given(NOTE_BODIES | st.builds(str.__add__, st.sampled_from(["a", "Zé ", "é*", "b [x](/y) "]), NOTE_BODIES))
def test_note_tokens_are_the_parsers_own(body):
    assert [t.as_dict() for t in note_tokens(body)] == [t.as_dict() for t in note_parser().parse(body)]


@pytest.mark.parametrize(
    ("body", "fast"),
    [
        ("Says *why*; see [the record](https://example.org/r).", True),
        ("Étude `code` <b>", True),
        ("- a list", False),
        ("1. a list", False),
        ("Two\nlines", False),
        ("ends with a space ", False),
        ("[ref]: /url", False),
    ],
)
def test_one_line_bodies_skip_the_block_rules(body, fast, monkeypatch):
    block, parsed = note_parser().block, []
    parse = block.parse
    monkeypatch.setattr(block, "parse", lambda *args: parsed.append(args) or parse(*args))
    note_tokens(body)
    assert (not parsed) is fast


def test_a_core_rule_before_the_block_rule_still_runs_on_a_one_line_body(monkeypatch):
    """The short way for one-line bodies assumes markdown-it's first two core rules; with another in front
    (a plugin's), the body is parsed the ordinary way and that rule runs."""
    ruler, seen = note_parser().core.ruler, []
    rules = ruler.getRules("")
    monkeypatch.setattr(ruler, "getRules", lambda chain: [lambda state: seen.append(state.src), *rules])
    tokens = note_tokens("Says *why*.")
    monkeypatch.undo()
    assert seen == ["Says *why*."]
    assert [t.as_dict() for t in tokens] == [t.as_dict() for t in note_parser().parse("Says *why*.")]


@given(st.lists(st.text(alphabet="a1-<>&\"' é", max_size=8), min_size=5, max_size=5))
def test_a_marker_is_the_html_of_a_sup_around_a_link_every_value_escaped(values):
    note_id, ref_id, label, spoken, css_class = values
    md = text_parser()
    link = {"href": f"#note-{note_id}", "id": ref_id, "data-note": note_id, "aria-label": spoken}
    tokens = [
        Token("sup_open", "sup", 1, attrs={"class": css_class}),
        Token("link_open", "a", 1, attrs=link),
        Token("text", "", 0, content=label),
        Token("link_close", "a", -1),
        Token("sup_close", "sup", -1),
    ]
    html = render_marker(MarkerLink(note_id, ref_id, label, spoken, css_class))
    assert html == md.renderer.renderInline(tokens, md.options, {})
    assert "<" not in html.replace("<sup", "").replace("</sup", "").replace("<a ", "").replace("</a", "")
