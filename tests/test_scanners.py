from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.helpers import parseLinkDestination
from markdown_it.rules_inline import StateInline
from markdown_it.rules_inline import link as stock_link

from glossator import inline, scanners
from glossator.markdown import note_parser, text_parser
from glossator.scanners import parse_link_destination, scan_delims

DESTINATION_CHARACTERS = "ab/:.?=&#;%<>()\\ \t\n\x00\x1f\x7f*_é\u00a0\u2003"
EMPHASIS_CHARACTERS = "*_ab .,!?()\t\n\u00a0\u2003\u3000é1-\u2019\u00a7\U0001f642"


@settings(max_examples=1500, deadline=None, suppress_health_check=list(HealthCheck))
@given(text=st.text(alphabet=DESTINATION_CHARACTERS, max_size=24), data=st.data())
def test_a_link_destination_is_read_as_markdown_it_reads_it(text, data):
    start = data.draw(st.integers(0, len(text)))
    maximum = data.draw(st.integers(start, len(text)))
    ours, stock = parse_link_destination(text, start, maximum), parseLinkDestination(text, start, maximum)
    assert (ours.ok, ours.pos, ours.str) == (stock.ok, stock.pos, stock.str)


def test_common_destinations_are_read_without_markdown_its_scanner(monkeypatch):
    monkeypatch.setattr(scanners, "stock_destination", None)  # would fail if called
    source = "see (https://example.org/a_b?c=1&amp;d#e) and more"
    found = parse_link_destination(source, 5, len(source))
    assert (found.ok, found.str, source[found.pos]) == (True, "https://example.org/a_b?c=1&d#e", ")")


@settings(max_examples=1500, deadline=None, suppress_health_check=list(HealthCheck))
@given(text=st.text(alphabet=EMPHASIS_CHARACTERS, min_size=1, max_size=16), data=st.data())
def test_a_run_of_emphasis_markers_is_classified_as_markdown_it_does(text, data):
    markers = [index for index, char in enumerate(text) if char in "*_"]
    if not markers:
        text, markers = text + "*", [len(text)]
    start = data.draw(st.sampled_from(markers))
    maximum = data.draw(st.integers(start + 1, len(text)))
    state = StateInline(text, MarkdownIt(), {}, [])
    state.posMax = maximum
    for split in (True, False):
        assert scan_delims(state, start, split) == state.scanDelims(start, split)


def test_the_parsers_use_them():
    for md in (text_parser(), note_parser()):
        assert md.helpers.parseLinkDestination is parse_link_destination
        assert scanners.emphasis in md.inline.ruler.getRules("")
    assert MarkdownIt().helpers.parseLinkDestination is parseLinkDestination  # other parsers keep their own


def test_characters_beside_markers_are_remembered_up_to_a_bound(monkeypatch):
    monkeypatch.setattr(scanners, "_CLASSES", {})
    monkeypatch.setattr(scanners, "_REMEMBERED", 3)
    source = "".join(f"{chr(0x4E00 + n)}*a " for n in range(10))
    assert [t.as_dict() for t in text_parser().parse(source)] == [t.as_dict() for t in _stock().parse(source)]
    assert len(scanners._CLASSES) == 3


def _stock() -> MarkdownIt:
    from mdit_py_plugins.footnote import footnote_plugin

    md = MarkdownIt("commonmark", {"html": False, "typographer": False}).use(footnote_plugin)
    return md.enable(["table", "strikethrough"])


def test_emphasis_of_plain_words_between_two_single_markers_is_read_at_once():
    md = text_parser()
    stops = inline._table(md.inline).stops
    cases = {
        "a *b c* d": True,
        "_b_.": True,
        "*b*c": True,  # the closer may also open: it pairs first
        "a*b*c": False,  # the opener may also close: it could close an earlier opener
        "*b\nc*": False,  # a line break between (any character where markup may start)
        "*b [c]*": False,
        "**b**": False,  # strong: two markers
        "*b**": False,
        "*b *": False,  # the second marker cannot close
        "*b": False,
    }
    for source, at_once in cases.items():
        fallback: list[int] = []

        def rule(state, silent, fallback=fallback):
            fallback.append(state.pos)
            return scanners.emphasis(state, silent)

        state = StateInline(source, md, {}, [])
        state.pos = min(source.index(marker) for marker in "*_" if marker in source)
        assert scanners.emphasis_at_once(stops, rule, state, False)
        assert (fallback == []) is at_once, source
        if at_once:
            assert [(t.type, t.content, t.markup) for t in state.tokens[-3:]] == [
                ("em_open", "", source[state.pos - 1]),
                ("text", source[source.index(source[state.pos - 1]) + 1 : state.pos - 1], ""),
                ("em_close", "", source[state.pos - 1]),
            ]
            assert state.delimiters == []  # nothing left for markdown-it's pairing


def test_the_parsers_read_simple_emphasis_at_once():
    for md in (text_parser(), note_parser()):
        table = inline._table(md.inline)
        for marker in "*_":
            (rule,) = table.starts[marker]
            assert rule.func is scanners.emphasis_at_once and rule.args[1] is scanners.emphasis
    # the same tokens as markdown-it's pairing of delimiters: tests/test_inline.py, on random text


def test_a_link_of_plain_words_to_a_plain_destination_is_read_at_once():
    md = text_parser()
    stops = inline._table(md.inline).stops
    cases = {
        "[a b](https://example.org/a_b?c=1&amp;d)": "https://example.org/a_b?c=1&d",
        "[a](javascript:alert(1))": None,  # refused by the site's link check: markdown-it's rule decides
        '[a](/u "title")': None,
        "[a] (/u)": None,
        "[a]( /u)": None,
        "[*a*](/u)": None,
        "[a\nb](/u)": None,
        "[](/u)": None,
        "[a]()": None,
        "[a][ref]": None,
        "[a](/u": None,
    }
    for source, href in cases.items():
        fallback: list[int] = []

        def rule(state, silent, fallback=fallback):
            fallback.append(state.pos)
            return stock_link(state, silent)

        state = StateInline(source, md, {}, [])
        scanners.link_at_once(stops, rule, state, False)
        assert (fallback == []) is (href is not None), source
        if href is not None:
            assert [(t.type, t.attrs, t.content, t.level) for t in state.tokens] == [
                ("link_open", {"href": href}, "", 0),
                ("text", {}, source[1 : source.index("]")], 1),
                ("link_close", {}, "", 0),
            ]
            assert state.pos == len(source)
    state = StateInline("[a](/u)", md, {}, [])
    state.cache[1] = 8  # an earlier scan of a label gave up here (nested too deep): markdown-it's rule decides
    fallback: list[int] = []
    scanners.link_at_once(stops, lambda state, silent: fallback.append(state.pos) or False, state, False)
    assert fallback == [0]


def test_the_parsers_read_simple_links_at_once():
    for md in (text_parser(), note_parser()):
        rule = inline._table(md.inline).starts["["][0]
        assert rule.func is scanners.link_at_once and rule.args[1] is stock_link
