"""The pages about all texts: made one at a time from each text's outline, large ones encoded in pieces."""

from __future__ import annotations

from pathlib import Path

import pytest

from glossator import discovery, render
from glossator.discovery import outline
from glossator.document import parse_document
from glossator.load import load_theme
from glossator.model import Page, SiteConfig, Text, TextMeta
from glossator.render import SITE_PARTS, render_site_pages, render_site_part, template_environment
from glossator.search import DATA

TEMPLATE = "{% for item in items %}<li>{{ item }}</li>\n{% endfor %}{{ '' }}{{ '' }}é €\n"


@pytest.mark.parametrize("pieces", [1, 2, 3, 4096])
def test_a_page_encoded_in_pieces_is_the_bytes_of_the_whole(monkeypatch, pieces):
    monkeypatch.setattr(discovery, "PIECES_PER_WRITE", pieces)
    template = template_environment({"t.html": TEMPLATE.encode()}).get_template("t.html")
    items = ["a < b", "", "🙂", *map(str, range(20))]
    assert discovery._encoded(template, items=items) == template.render(items=items).encode("utf-8")


def test_the_pages_about_all_texts_are_made_one_at_a_time(tmp_path: Path, monkeypatch):
    theme, config = load_theme(tmp_path, []), SiteConfig()
    made: list[str] = []
    monkeypatch.setattr(render, "search_data", lambda outlines: made.append(DATA) or Page(DATA, b""))
    text = Text("t", "content/t.md", TextMeta("T"), "Words.\n", 4)
    pages = render_site_pages(template_environment(theme, config), config, theme, [outline(parse_document(text), [])])
    assert next(pages).path == "index.html" and not made  # nothing else is rendered yet
    paths = [page.path for page in pages]
    assert paths[:2] == ["feeds/texts.xml", "sitemap.xml"]
    assert all(path.startswith("static/") for path in paths[2:-3]) and len(paths) > 5
    assert paths[-3:] == [DATA, "feeds/notes.xml", "search/index.html"] and made == [DATA]


def test_the_parts_of_the_pages_about_all_texts_are_all_of_them(tmp_path: Path):
    theme, config = load_theme(tmp_path, []), SiteConfig()
    env = template_environment(theme, config)
    outlines = [outline(parse_document(Text("t", "content/t.md", TextMeta("T"), "Words.\n", 4)), [])]
    parts = [[page.path for page in render_site_part(env, config, theme, outlines, part)] for part in range(SITE_PARTS)]
    whole = [page.path for page in render_site_pages(env, config, theme, outlines)]
    assert [path for part in parts for path in part] == whole
    assert parts[0][-1] == DATA and parts[1] == ["feeds/notes.xml", "search/index.html"]  # those with a template a note
