"""Property tests for the anchoring maths, over generated Markdown with the characters that fold.

- Any passage a reader copies from the rendered text anchors to exactly that span (or, when the
  passage occurs more than once, is reported as ambiguous, never anchored elsewhere).
- Folding never changes which span: every spelling of a quote that folds the same (curly or
  straight quotes, dash variants, whitespace runs, composed or decomposed accents, invisible
  characters) anchors to the same span.
- Highlighting any set of spans, overlapping or not, keeps the text exactly as it was and yields
  well-formed HTML in which each note's marks hold exactly its passage.
"""

from __future__ import annotations

import unicodedata
from html.parser import HTMLParser

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from glossator.anchor import anchor_one, find_all
from glossator.document import BLOCK_SEPARATOR, Document, parse_document
from glossator.fold import fold, fold_text
from glossator.highlight import highlight
from glossator.markdown import text_parser
from glossator.model import KINDS, Anchor, Annotation, Location, Span, Text, TextMeta

WORDS = [
    "alpha", "Beta", "gamma", "l'été", "naïve", "cafe\u0301", "Ωmega", "日本語", "x&y", "<tag>", "“quoted”",
    "‘single’", "it’s", "delta—x", "range–y", "minus−z", "wait…", "soft\u00adhyphen", "zero\u200bwidth",
    "non\u00a0breaking", "2024", "a.b", "end.", "(paren)", "[bracket]", "\\*escaped\\*", "tab\tbed",
]  # fmt: skip
"""Words with what a contributor's copy may spell differently, and Markdown's special characters."""
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def inline(draw) -> str:
    """A run of words, some emphasised, linked or in code, joined by spaces, runs of them or line breaks."""
    parts = []
    for _ in range(draw(st.integers(1, 12))):
        word = draw(st.sampled_from(WORDS))
        wrap = draw(st.sampled_from(["{}", "{}", "{}", "*{}*", "**{}**", "[{}](https://example.org/x)", "`{}`"]))
        if wrap == "`{}`":
            word = word.replace("`", "")
        parts.append(wrap.format(word))
        parts.append(draw(st.sampled_from([" ", " ", " ", "  ", "\n"])))
    return "".join(parts[:-1])


@st.composite
def markdown(draw) -> str:
    """A body of paragraphs, headings, list items and quotes."""
    blocks = []
    for _ in range(draw(st.integers(1, 5))):
        lead = draw(st.sampled_from(["", "", "# ", "- ", "> ", "1. "]))
        blocks.append(lead + draw(inline()).replace("\n", " " if lead else "\n"))
    return "\n\n".join(blocks) + "\n"


def parse(body: str) -> Document:
    return parse_document(Text("t", "content/t.md", TextMeta("T"), body, 4))


def note(quote: str, note_id: str = "n", **fields: str) -> Annotation:
    return Annotation(note_id, "context", quote, Location("annotations/t/a.yaml", 1), Location("a", 3), **fields)


def _visible(char: str) -> bool:
    return not char.isspace() and fold(char).text != "" and not unicodedata.combining(char)


def draw_span(data: st.DataObject, document: Document) -> tuple[int, int]:
    """A span of one block (drawn here: strategies over a whole document would be costly to print)."""
    block = data.draw(st.sampled_from([b for b in document.blocks if b.end > b.start]), label="block")
    start = data.draw(st.integers(block.start, block.end - 1), label="start")
    return start, data.draw(st.integers(start + 1, block.end), label="end")


def draw_passage(data: st.DataObject, document: Document) -> tuple[int, int]:
    """A span that starts and ends on a visible character, not inside an accent cluster."""
    start, end = draw_span(data, document)
    plain = document.plain
    assume(_visible(plain[start]) and _visible(plain[end - 1]))
    assume(end == len(plain) or not unicodedata.combining(plain[end]))
    return start, end


def copied(text: str) -> str:
    """What a browser gives when the passage is copied: whitespace runs read as one space."""
    return " ".join(text.split())


@SETTINGS
@given(st.data())
def test_a_passage_copied_from_the_page_anchors_to_exactly_that_span(data):
    document = parse(data.draw(markdown(), label="body"))
    start, end = draw_passage(data, document)
    span, problem = anchor_one(document, note(copied(document.plain[start:end])))
    quote = fold_text(document.plain[start:end])
    if len(find_all(document.folded.text, quote)) == 1:  # overlapping repeats count too
        assert problem is None, problem
        assert (span.start, span.end) == (start, end)
    else:
        assert span is None and problem.code == "anchor-ambiguous"


SPELLINGS = {
    "'": ["'", "\u2019", "\u2018", "\u02bc"],
    '"': ['"', "\u201c", "\u201d", "\u201e"],
    "-": ["-", "\u2010", "\u2013", "\u2014", "\u2212"],
    " ": [" ", "  ", "\n", "\t", "\u00a0", " \u200b"],
}


@st.composite
def respelt(draw, quote: str) -> str:
    """The quote as someone else might type it: same folded text, other characters."""
    out = []
    chars = unicodedata.normalize(draw(st.sampled_from(["NFC", "NFD"])), quote)
    for char, following in zip(chars, [*chars[1:], ""], strict=True):
        out.append(draw(st.sampled_from(SPELLINGS.get(fold(char).text, [char]))))
        accent_follows = bool(following) and unicodedata.combining(following)  # never split letter and accent
        if not accent_follows and draw(st.integers(0, 9)) == 0:
            out.append(draw(st.sampled_from(["\u200b", "\u00ad", "\u2060"])))
    if "..." in quote and draw(st.booleans()):
        return "".join(out).replace("...", "\u2026", 1)
    return "".join(out)


@SETTINGS
@given(st.data())
def test_folding_never_changes_which_span_a_quote_anchors_to(data):
    document = parse(data.draw(markdown(), label="body"))
    start, end = draw_passage(data, document)
    quote = copied(document.plain[start:end])
    variant = data.draw(respelt(quote), label="variant")
    assert fold_text(variant) == fold_text(quote)
    assert anchor_one(document, note(variant)) == anchor_one(document, note(quote))


class Nesting(HTMLParser):
    """Checks that every end tag closes the innermost open element; collects text and marked text."""

    VOID = frozenset({"br", "hr", "img"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.marked: dict[str, str] = {}
        self.errors: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in self.VOID:
            self.stack.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1][0] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1][0] if self.stack else 'nothing'}")
            return
        self.stack.pop()

    def handle_data(self, data):
        if any("note-ref" in (attrs.get("class") or "") for tag, attrs in self.stack):
            return  # a marker's label, added by highlighting
        self.text.append(data)
        for note_id in dict.fromkeys(attrs.get("data-note") for tag, attrs in self.stack if tag == "mark"):
            if note_id:
                self.marked[note_id] = self.marked.get(note_id, "") + data


def rendered(document: Document, anchors: list[Anchor]) -> Nesting:
    tokens, _ = highlight(document, anchors)
    md = text_parser()
    scan = Nesting()
    scan.feed(md.renderer.render(tokens, md.options, {"render_notes": lambda ids: ""}))
    scan.close()
    return scan


def draw_anchors(data: st.DataObject, document: Document) -> list[Anchor]:
    """Up to eight passages (each within a block), overlapping as they fall."""
    anchors = []
    for index in range(data.draw(st.integers(0, 8), label="passages")):
        start, end = draw_span(data, document)
        kind = data.draw(st.sampled_from(KINDS), label="kind")
        anchors.append(Anchor(Annotation(f"n{index}", kind, "q", Location("a", 1), Location("a", 1)), Span(start, end)))
    return anchors


@SETTINGS
@given(st.data())
def test_highlighting_keeps_the_text_and_nests_marks_properly(data):
    document = parse(data.draw(markdown(), label="body"))
    anchors = draw_anchors(data, document)
    plain, highlighted = rendered(document, []), rendered(document, anchors)
    assert highlighted.errors == [] and highlighted.stack == []
    assert "".join(highlighted.text) == "".join(plain.text)
    for anchor in anchors:
        passage = document.plain[anchor.span.start : anchor.span.end]
        assert BLOCK_SEPARATOR not in passage
        assert highlighted.marked.get(anchor.annotation.id) == passage
