from __future__ import annotations

from html.parser import HTMLParser

from glossator.anchor import anchor_one
from glossator.document import parse_document
from glossator.highlight import highlight
from glossator.markdown import text_parser
from glossator.model import Anchor, Annotation, Location, Text, TextMeta


def render(body: str, *quotes: tuple[str, str]) -> tuple[str, list]:
    document = parse_document(Text("t", "content/t.md", TextMeta("T"), body, 4))
    anchors = []
    for note_id, quote in quotes:
        annotation = Annotation(note_id, "context", quote, Location("a", 1), Location("a", 1))
        span, problem = anchor_one(document, annotation)
        assert problem is None
        anchors.append(Anchor(annotation, span))
    tokens, markers = highlight(document, anchors)
    md = text_parser()
    html = md.renderer.render(
        tokens, md.options, {"render_notes": lambda ids: f"<div class=notes>{','.join(ids)}</div>"}
    )
    return html, markers


class Nesting(HTMLParser):
    """Fails on mis-nested tags; collects text inside each note's marks."""

    VOID = {"br", "hr", "img"}

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[tuple[str, str | None]] = []
        self.marked: dict[str, str] = {}
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in self.VOID:
            self.stack.append((tag, dict(attrs).get("data-note") if tag == "mark" else None))

    def handle_endtag(self, tag):
        open_tag, _ = self.stack.pop()
        assert open_tag == tag, f"</{tag}> closes <{open_tag}>"

    def handle_data(self, data):
        self.text.append(data)
        for _tag, note in self.stack:
            if note:
                self.marked[note] = self.marked.get(note, "") + data


def parsed(html: str) -> Nesting:
    checker = Nesting()
    checker.feed(html)
    assert checker.stack == []
    return checker


def test_highlight_crossing_inline_markup_is_split_into_nested_segments():
    html, _ = render("One *two three* [four](https://a.org) five.\n", ("n", "ne two three four fi"))
    assert html.count('<mark class="hl hl--context') == 5  # "ne ", "two three", " ", "four", " fi"
    assert '<em><mark class="hl hl--context" data-note="n">two three</mark></em>' in html
    assert '<a href="https://a.org"><mark class="hl hl--context" data-note="n">four</mark></a>' in html
    assert parsed(html).marked["n"] == "ne two three four fi"


def test_first_and_last_segments_carry_start_and_end_cues():
    html, _ = render("One *two three* [four](https://a.org) five.\n", ("n", "ne two three four fi"))
    assert html.count("hl--start") == 1 and html.count("hl--end") == 1
    assert '<mark class="hl hl--context hl--start" data-note="n" data-label="1">ne </mark>' in html
    assert '<mark class="hl hl--context hl--end" data-note="n" data-label="1"> fi</mark><sup' in html
    single, _ = render("alpha beta\n", ("s", "beta"))
    assert '<mark class="hl hl--context hl--start hl--end" data-note="s" data-label="1">beta</mark>' in single


def test_overlapping_highlights_nest_and_keep_their_text():
    html, markers = render("alpha beta gamma delta\n", ("a", "alpha beta gamma"), ("b", "beta gamma delta"))
    checker = parsed(html)
    assert checker.marked == {"a": "alpha beta gamma", "b": "beta gamma delta"}
    assert [m.note_id for m in markers] == ["a", "b"]


def test_markers_follow_passages_and_notes_follow_the_block():
    html, markers = render("First words here.\n\nSecond paragraph.\n", ("x", "words"), ("y", "Second"))
    assert [(m.note_id, m.label) for m in markers] == [("x", "1"), ("y", "2")]
    assert 'words</mark><sup class="note-ref note-ref--context"><a href="#note-x" id="ref-x"' in html
    assert html.index("<div class=notes>x</div>") < html.index(">Second<")
    assert html.rstrip().endswith("<div class=notes>y</div>")


def test_text_is_preserved():
    body = "Keep *every* word, `code` and [links](https://a.org) intact.\n"
    plain_before = parsed(render(body)[0]).text
    html, _ = render(body, ("n", "every word, code and links"))
    text = "".join(parsed(html.split("<div class=notes>")[0]).text)
    assert text.replace("links1", "links") == "".join(plain_before)


def test_source_footnotes_become_note_markers():
    html, markers = render("A claim[^1] and another[^1].\n\n[^1]: Source.\n")
    assert [m.note_id for m in markers] == ["fn_1"]
    assert 'id="ref-fn_1"' in html and 'id="ref-fn_1-2"' in html
    assert html.count("<div class=notes>fn_1</div>") == 1


def test_notes_on_list_items_and_blockquotes_stay_inside_them():
    html, _ = render("> quoted words\n\n- item words\n", ("q", "quoted"), ("i", "item"))
    assert html.index("<div class=notes>q</div>") < html.index("</blockquote>")
    assert html.index("<div class=notes>i</div>") < html.index("</li>")
