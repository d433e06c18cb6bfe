from __future__ import annotations

from glossator.document import parse_document
from glossator.model import Text, TextMeta


def document(body: str, body_line: int = 4):
    return parse_document(Text("t", "content/t.md", TextMeta("T"), body, body_line))


def test_plain_text_drops_markup_and_footnote_markers():
    doc = document("Some *emphasis* and [a link](https://a.org) with `code`[^1].\n\n[^1]: The note.\n")
    assert doc.plain == "Some emphasis and a link with code."
    assert [label for label, _ in doc.footnotes] == ["1"]


def test_blocks_are_separated_and_never_fold_together():
    doc = document("First para.\n\n> Quoted para.\n\n- item one\n- item two\n")
    assert doc.plain.split("\n\n") == ["First para.", "Quoted para.", "item one", "item two"]
    assert doc.folded.text.count("\x00") == 3


def test_locations_map_to_source_lines_and_columns():
    body = "Intro line.\n\nA paragraph that\ncontinues *here* on line two.\n"
    doc = document(body, body_line=4)
    offset = doc.plain.index("here")
    location = doc.location(offset)
    assert (location.path, location.line) == ("content/t.md", 7)
    assert body.split("\n")[3][location.col - 1 :].startswith("here")
