from __future__ import annotations

import sys
from functools import partial

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin

from glossator import inline
from glossator.inline import inline_plugin
from glossator.markdown import is_safe_url, normalize_link, note_parser, text_parser
from glossator.scanners import scanners_plugin

from .tokens import soft_breaks_in_text

PIECES = [
    "words",
    " ",
    "\n",
    "  \n",
    "\\",
    "\\*",
    "*",
    "**",
    "_",
    "__",
    "~~",
    "`",
    "``",
    "[",
    "]",
    "](",
    "(/u)",
    "[a](/u 'title')",
    "[b][ref]",
    "![img](/i.png)",
    "<https://example.org>",
    "<mail@example.org>",
    "<b>",
    "&amp;",
    "&#35;",
    "&nope",
    "^[inline note]",
    "[^1]",
    ":",
    "-",
    "=",
    "!",
    "#",
    "{",
    "}",
    "@",
    "$",
    "%",
    "+",
    "é",
]
SOURCES = st.lists(st.sampled_from(PIECES) | st.text(alphabet="*_[]()`~\\!<>&^:- \na", max_size=6), max_size=30).map(
    "".join
)
DEFINITIONS = "\n\n[ref]: /r\n[^1]: a footnote\n"


def _markdown_it(*plugins, html: bool = False) -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": html, "typographer": False})
    md.validateLink, md.normalizeLink = is_safe_url, normalize_link
    for plugin in plugins:
        md.use(plugin)
    return md


def _stock_text() -> MarkdownIt:
    return _markdown_it(footnote_plugin).enable(["table", "strikethrough"])


STOCK = {
    "text": _stock_text,
    "note": lambda: _markdown_it().disable(["image", "heading", "lheading"]).enable("strikethrough"),
    "html on": lambda: _markdown_it(footnote_plugin, html=True).enable("strikethrough"),
}
PARSERS = {
    "text": text_parser,
    "note": note_parser,
    "html on": lambda: _markdown_it(footnote_plugin, inline_plugin, html=True).enable("strikethrough"),
}


@pytest.mark.parametrize("name", PARSERS)
@settings(max_examples=600, deadline=None, suppress_health_check=list(HealthCheck))
@given(source=SOURCES, definitions=st.booleans())
def test_tokens_are_markdown_its_own(name, source, definitions):
    source += DEFINITIONS if definitions else ""
    ours = [token.as_dict() for token in PARSERS[name]().parse(source)]
    stock = STOCK[name]().parse(source)
    if name != "html on":  # the site's parsers keep soft line breaks in their text (tests/test_linebreaks.py)
        stock = soft_breaks_in_text(stock)
    assert ours == [token.as_dict() for token in stock]


@settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))
@given(depth=st.integers(1, 40), opener=st.sampled_from(["[", "*", "_", "**", "~~", "[a ", "^["]))
def test_deep_nesting_is_cut_where_markdown_its_is(depth, opener):
    source = "".join(f"{opener}{n}" for n in range(depth)) + "](/u)" * depth + "x" + "*" * depth
    for nesting in (5, 20):
        ours, stock = _markdown_it(footnote_plugin, inline_plugin), _markdown_it(footnote_plugin)
        for md in (ours, stock):
            md.options["maxNesting"] = nesting
            md.enable("strikethrough")
        assert [t.as_dict() for t in ours.parse(source)] == [t.as_dict() for t in stock.parse(source)]


def test_the_parsers_use_it():
    for md in (text_parser(), note_parser()):
        assert md.inline.tokenize.func is inline.tokenize
        assert md.inline.skipToken.func is inline.skip_token


def test_characters_no_rule_starts_with_are_read_as_text():
    md = text_parser()
    asked: list[str] = []
    tried = [
        *md.inline.ruler.getRules(""),
        *(rule for rules in inline._table(md.inline).starts.values() for rule in rules),
    ]
    rules = {getattr(rule, "func", rule).__code__ for rule in tried}

    def profile(frame, event, arg):
        if event == "call" and frame.f_code in rules:
            asked.append(frame.f_code.co_filename.rsplit("/", 1)[-1])

    sys.setprofile(profile)
    try:
        md.parseInline("well-known: yes = no; 50% + $3 {a} #b @c")
        assert asked == []
        md.parseInline("a *b*")
    finally:
        sys.setprofile(None)
    assert asked == ["scanners.py"]  # emphasis, asked at the first "*" (it reads "*b*" at once), and nothing else is


def test_an_unknown_rule_gets_markdown_its_own_tokenizer():
    def percent(state, silent):
        if state.src[state.pos] != "%":
            return False
        if not silent:
            state.push("percent", "span", 0)
        state.pos += 1
        return True

    md = _markdown_it(inline_plugin)
    md.inline.ruler.before("emphasis", "percent", percent)
    assert [t.type for t in md.parseInline("50% off")[0].children] == ["text", "percent", "text"]
    md.inline.ruler.disable("percent")
    assert [t.type for t in md.parseInline("50% off")[0].children] == ["text"]


def test_a_character_a_plugin_stops_text_at_turns_it_off():
    md = _markdown_it(inline_plugin)
    if not hasattr(md.inline, "add_terminator_char"):
        pytest.skip("markdown-it-py before 4.1 has no add_terminator_char")
    assert inline._table(md.inline) is not None
    md.inline.add_terminator_char("|")
    assert inline._table(md.inline) is None


def test_delimiters_are_paired_only_in_text_holding_their_markers():
    paired: list[str] = []
    md = _markdown_it(footnote_plugin, inline_plugin).enable("strikethrough")
    _spy_on(md.inline.ruler2, paired, inline.where_marked)
    md.parseInline("plain words, a [link](/u) and `code`")
    assert paired == []
    md.parseInline("some *emphasis*")  # read at once: no delimiter is left to pair
    assert paired == []
    md.parseInline("some **strong** words")
    assert paired == ["emphasis"]
    assert md.parseInline("a ~~strike~~ and _this_")[0].children[1].type == "s_open"
    assert paired == ["emphasis", "strikethrough", "emphasis"]


def test_text_is_joined_only_where_delimiters_escapes_or_entities_leave_pieces_of_it():
    joined: list[str] = []
    md = _markdown_it(footnote_plugin, inline_plugin).enable("strikethrough")
    _spy_on(md.inline.ruler2, joined, inline.where_fragmented)
    _spy_on(md.core.ruler, joined, inline.where_special)
    md.parse("plain words, a [link](/u) and `code`")
    assert joined == []
    md.parse("an _emphasis_")  # read at once: no delimiter leaves pieces of text
    assert joined == []
    md.parse("a __strong__ word")
    assert joined == ["fragments_join"]
    md.parse("an &amp; entity\n\na \\ backslash")
    assert joined == ["fragments_join", "text_join"]  # once for the whole document
    md.inline.ruler.before("emphasis", "percent", lambda state, silent: False)  # a rule inline.py does not know
    md.parse("plain words")
    assert joined == ["fragments_join", "text_join", "fragments_join", "text_join"]  # they run everywhere again


def test_text_an_unknown_rule_leaves_in_pieces_is_joined():
    def percent(state, silent):
        if state.src[state.pos] != "%":
            return False
        if not silent:
            state.push("text", "", 0).content = "%"
        state.pos += 1
        return True

    ours, stock = _markdown_it(inline_plugin), _markdown_it()
    for md in (ours, stock):
        md.inline.ruler.before("emphasis", "percent", percent)
    children = ours.parseInline("50% off")[0].children
    assert [t.as_dict() for t in children] == [t.as_dict() for t in stock.parseInline("50% off")[0].children]
    assert [t.content for t in children] == ["50% off"]


def test_text_that_left_no_delimiter_is_not_given_to_the_pairing_rules():
    md = _markdown_it(footnote_plugin, scanners_plugin, inline_plugin).enable("strikethrough")
    ran: list[str] = []
    _spy_on(md.inline.ruler2, ran)  # every pairing rule is wrapped by inline.py
    md.parseInline("*one* [*two*](/u) _three_ ~four~ **")  # "**" alone opens and closes nothing
    assert ran == ["balance_pairs", "strikethrough", "emphasis", "fragments_join"]
    ran.clear()
    md.parseInline("*one* [*two*](/u) _three_ ~four~")  # the emphasis read at once, and single tildes
    assert ran == []
    md.inline.ruler.before("emphasis", "percent", lambda state, silent: False)  # a rule inline.py does not know
    md.parseInline("*one*")
    assert ran == ["balance_pairs", "emphasis", "fragments_join"]  # strikethrough: no "~" in the text


def _spy_on(ruler, calls, *wrappers):
    """A spy inside each rule of ``ruler`` that inline.py wrapped with one of ``wrappers`` (with any, if none)."""
    for rule in ruler.__rules__:
        fn = rule.fn
        if isinstance(fn, partial) and (not wrappers or fn.func in wrappers):
            rule.fn = partial(fn.func, _spy(fn.args[0], rule.name, calls), *fn.args[1:])
    ruler.__cache__ = None  # the rule chain is cached: make it again with the spies


def _spy(rule, name, calls):
    def spy(state):
        calls.append(name)
        rule(state)

    return spy


def test_tokens_are_made_with_the_fields_and_defaults_of_markdown_its():
    assert inline.new_token is inline._made  # the fields of this markdown-it-py's tokens are those it sets
    made = inline.new_token("link_open", "a", 1)
    assert made == Token("link_open", "a", 1)
    made.attrs["href"], made.meta["k"] = "/u", 1
    assert inline.new_token("text", "", 0) == Token("text", "", 0)  # nothing is shared between tokens


def test_the_inline_state_makes_its_tokens_quickly(monkeypatch):
    made: list[Token] = []
    monkeypatch.setattr(
        inline, "new_token", lambda kind, tag, nesting: made.append(Token(kind, tag, nesting)) or made[-1]
    )
    children = note_parser().parseInline("a *b* [c](/u)")[0].children
    assert [id(token) for token in children] == [id(token) for token in made] and len(made) == 8
