"""Search: the data file, the search page that lists everything without JavaScript, the box on every page."""

from __future__ import annotations

import json

import pytest

from glossator.build import render
from glossator.config import BASE_URL_VARIABLE
from glossator.search import DATA, DATA_VARIABLE, PAGE

from .sample_site import make_sample, page, parse_html


@pytest.fixture(autouse=True)
def no_base_url_override(monkeypatch):
    monkeypatch.delenv(BASE_URL_VARIABLE, raising=False)


@pytest.fixture
def sample(make_project):
    return render(make_sample(make_project))


def search_data(result) -> list[dict]:
    source = page(result, DATA).decode()
    prefix = f"window.{DATA_VARIABLE} = "
    assert source.startswith(prefix) and source.endswith(";\n")
    return json.loads(source[len(prefix) : -2])["entries"]


def test_data_holds_every_text_and_note(sample):
    entries = search_data(sample)
    assert [(e["kind"], e["url"]) for e in entries[:3]] == [
        ("text", "edge-cases/index.html"),
        ("context", "edge-cases/index.html#note-crossing"),
        ("rebuttal", "edge-cases/index.html#note-repeated"),
    ]
    assert len(entries) == 2 + 11
    text = entries[0]
    assert text["title"] == "Edge cases: </script> & friends" and text["context"] == "A. Writer"
    assert "🙂 emoji before a target phrase" in text["text"] and "code block echo" not in text["text"]
    rebuttal = entries[2]
    assert (
        rebuttal["label"] == "Rebuttal"
        and rebuttal["title"] == "echo"
        and rebuttal["context"] == "on “Edge cases: </script> & friends”"
    )
    words = "echo It is not. Echo </script><script>alert(1)</script> is repeated Misleading Echo studies </script>"
    assert rebuttal["text"] == words + " Example Press"


def test_search_page_lists_every_note_without_javascript(sample):
    html = page(sample, PAGE).decode()
    tree = parse_html(html)
    browse = tree.find(lambda e: e.attrs.get("id") == "search-browse")
    links = []

    def collect(element):
        for child in element.children:
            if not isinstance(child, str):
                if child.tag == "a":
                    links.append(child.attrs["href"])
                collect(child)

    collect(browse)
    notes = [link for link in links if "#note-" in link]
    assert len(notes) == 11 and "../edge-cases/index.html#note-lost" in notes
    assert "../plain/index.html" in links
    results = tree.find(lambda e: e.attrs.get("id") == "search-results")
    assert "hidden" in results.attrs  # shown only by the script
    assert tree.find(lambda e: "data-search-nojs" in e.attrs) is not None


@pytest.mark.parametrize(
    ("path", "action"), [("index.html", "search/index.html"), ("edge-cases/index.html", "../search/index.html")]
)
def test_every_page_has_a_search_box_that_works_without_javascript(sample, path, action):
    form = parse_html(page(sample, path).decode()).find(lambda e: e.tag == "form" and e.attrs.get("role") == "search")
    assert form.attrs["action"] == action and form.attrs["method"] == "get"
    field = form.find(lambda e: e.tag == "input")
    assert field.attrs["name"] == "q" and field.attrs["type"] == "search"
    label = form.find(lambda e: e.tag == "label")
    assert label.attrs["for"] == field.attrs["id"] and label.children == ["Search texts and notes"]
