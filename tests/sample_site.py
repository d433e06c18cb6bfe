"""A small site with every feature the open-data outputs must carry, and a client's view of its pages."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

from .conftest import dedent, front

CONFIG = dedent(
    """
    title: Sample Reader
    base_url: https://example.org/reader/
    language: en-GB
    author: The Editors
    """
)

TEXTS = {
    "edge-cases": front(
        "'Edge cases: </script> & friends'",
        author="A. Writer",
        publisher="The Daily",
        date="2024-05-02",
        source_url="https://news.example.com/a",
    )
    + dedent(
        """
        # A heading with *emphasis*

        The first paragraph has a **bold passage that crosses** markup and a repeated word: echo.
        Later the word echo again, and 🙂 emoji before a target phrase.[^1]

        - tight item one
          - nested item with echo
        - tight item two

        | col a | col b |
        |-------|-------|
        |       | cell with target phrase |

        > A quoted line with `code span` inside.

        ```
        code block echo
        ```

        Last paragraph &amp; ampersand < less-than.

        [^1]: A footnote of the text.
        """
    ),
    "plain": front("A plain text", date="2023") + "Nothing much happens here, twice: here.\n",
}

ANNOTATIONS = {
    "edge-cases/notes.yaml": dedent(
        """
        - id: crossing
          kind: context
          quote: bold passage that crosses
          body: Crosses *emphasis*; see [the source](https://example.org/s).
          author: Ann Notator
          added: 2025-01-10
        - id: repeated
          kind: rebuttal
          quote: echo
          prefix: "and a repeated word: "
          claim: "Echo </script><script>alert(1)</script> is repeated"
          rating: misleading
          body: It is not.
          sources:
            - title: "Echo studies </script>"
              url: https://example.org/echo
              publisher: Example Press
              date: 2020-03
          added: 2025-03-01
        - id: emoji-target
          kind: footnote
          quote: target phrase
          prefix: "emoji before a "
          sources:
            - title: Target
              url: https://example.org/wiki/Möbius|strip?q="x"&y=%20
          added: 2025-02-01
        - id: nested
          kind: context
          quote: nested item with echo
          body: In a nested list.
        - id: cell
          kind: context
          quote: cell with target phrase
          body: In a table cell.
          added: 2024-12-31
        - id: code
          kind: context
          quote: code span inside
          body: Across inline code.
        - id: entities
          kind: context
          quote: "& ampersand < less-than"
          body: Entities.
        - id: overlap
          kind: context
          quote: first paragraph has a bold
          body: Overlaps another passage.
        - id: across-lines
          kind: context
          quote: "echo. Later the word"
          body: Across a line break.
        - id: lost
          kind: context
          quote: a passage that is not in the text
          body: Unanchored.
        """
    ),
    "plain/a.yaml": dedent(
        """
        - id: here
          kind: context
          quote: here
          suffix: ", twice"
          body: The first one.
        """
    ),
}


def make_sample(make_project):
    """The sample project folder."""
    root = make_project(texts=TEXTS, annotations=ANNOTATIONS)
    (root / "glossator.yaml").write_text(CONFIG, encoding="utf-8")
    return root


def page(result, path: str) -> bytes:
    """One built file's bytes."""
    return next(p.content for p in result.pages if p.path == path)


# --- A client's view of a published page ------------------------------------------------------

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
TEXT_BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "th", "td"}


@dataclass
class Element:
    """A parsed HTML element."""

    tag: str
    attrs: dict[str, str]
    children: list = field(default_factory=list)

    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def find(self, predicate) -> Element | None:
        for child in self.children:
            if isinstance(child, Element):
                if predicate(child):
                    return child
                if (found := child.find(predicate)) is not None:
                    return found
        return None


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {})
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        element = Element(tag, {key: value or "" for key, value in attrs})
        self.stack[-1].children.append(element)
        if tag not in VOID:
            self.stack.append(element)

    def handle_startendtag(self, tag, attrs):
        self.stack[-1].children.append(Element(tag, {key: value or "" for key, value in attrs}))

    def handle_endtag(self, tag):
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def parse_html(html: str) -> Element:
    """The page as a tree of elements and strings."""
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root


def _excluded(element: Element) -> bool:
    """Note markers, note groups, asides and code blocks are not part of the reader text."""
    classes = element.classes()
    return element.tag in ("aside", "pre") or "note-ref" in classes or "notes" in classes


def _is_text_block(element: Element) -> bool:
    if element.tag != "li":
        return True
    own = [c for c in element.children if not (isinstance(c, str) and not c.strip())]
    return not any(isinstance(c, Element) and c.tag == "p" for c in own) and any(
        not (isinstance(c, Element) and c.tag in ("ul", "ol")) for c in own
    )


def reader_text(html: str) -> tuple[str, dict[str, tuple[int, int]]]:
    """The reader text of a page as docs/open-data.md defines it, and where each ``<mark data-note>`` lies in it.

    The text of each text block (``p``, ``h1``-``h6``, ``th``, ``td``, and ``li`` holding text itself)
    inside ``.text-body``, in document order, joined by a blank line; without note markers
    (``sup.note-ref``), note groups (``.notes``), asides and code blocks (``pre``), and without
    nested lists and the line break before them.
    """
    body = parse_html(html).find(lambda e: "text-body" in e.classes())
    assert body is not None, "no .text-body element"
    blocks: list[str] = []
    marks: dict[str, list[int]] = {}
    offset = 0

    def own_text(element: Element, active: tuple[str, ...], out: list[tuple[str, tuple[str, ...]]]) -> None:
        for child in element.children:
            if isinstance(child, str):
                out.append((child, active))
            elif not _excluded(child) and child.tag not in ("ul", "ol"):
                note = child.attrs.get("data-note") if child.tag == "mark" else None
                own_text(child, (*active, note) if note else active, out)

    def walk(element: Element) -> None:
        nonlocal offset
        for child in element.children:
            if not isinstance(child, Element) or _excluded(child):
                continue
            if child.tag in TEXT_BLOCKS and _is_text_block(child):
                pieces: list[tuple[str, tuple[str, ...]]] = []
                own_text(child, (), pieces)
                while child.tag == "li" and pieces and pieces[-1][0].endswith("\n"):
                    text, active = pieces.pop()
                    if text.rstrip("\n"):
                        pieces.append((text.rstrip("\n"), active))
                if blocks:
                    offset += 2
                start = offset
                for text, active in pieces:
                    for note in active:
                        span = marks.setdefault(note, [offset, offset])
                        span[1] = offset + len(text)
                    offset += len(text)
                blocks.append("".join(text for text, _ in pieces))
                assert offset - start == len(blocks[-1])
            walk(child)

    walk(body)
    return "\n\n".join(blocks), {note: (start, end) for note, (start, end) in marks.items()}
