from __future__ import annotations

import re

import pytest

from glossator.build import render

from .conftest import dedent, front

UNSAFE_URL = re.compile(r"""(?:href|src|action)\s*=\s*["']?\s*(?:javascript|vbscript|data|file):""", re.I)
HOSTILE = "<script>alert(1)</script><img src=x onerror=alert(2)>\"'{{ 7*7 }}{% raw %}"


def page(result, slug: str = "t") -> str:
    return next(p.content.decode() for p in result.pages if p.path == f"{slug}/index.html")


def test_every_contributor_string_is_escaped(make_project):
    yaml_hostile = HOSTILE.replace("'", "''")
    root = make_project(
        texts={
            "t": front(f"'{yaml_hostile}'", author=f"'{yaml_hostile}'", summary=f"'{yaml_hostile}'")
            + "Plain words here. <b>raw</b> <script>x()</script>\n"
        },
        annotations={
            "t/a.yaml": dedent(
                f"""
                - id: n
                  kind: rebuttal
                  quote: Plain words
                  claim: '{yaml_hostile}'
                  rating: misleading
                  author: '{yaml_hostile}'
                  body: |
                    {HOSTILE} [click](javascript:alert(3)) <a href="x">y</a>
                  sources:
                    - title: '{yaml_hostile}'
                      url: 'https://example.org/?q="><script>alert(4)</script>'
                      publisher: '{yaml_hostile}'
                """
            )
        },
    )
    result = render(root)
    assert result.ok, result.diagnostics
    html = page(result)
    json_ld = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(json_ld) == 1 and "<" not in json_ld[0] and ">" not in json_ld[0]  # data that cannot close its element
    html = html.replace(json_ld[0], "")
    assert "<script>alert" not in html and "<script>x()" not in html
    assert "onerror=alert" not in html.replace("onerror=alert(2)&gt;", "")
    assert "<img" not in html and "<b>raw</b>" not in html
    assert not UNSAFE_URL.search(html)
    assert "[click](javascript:alert(3))" in html  # shown as inert text, nothing lost
    assert "49" not in html  # templates never evaluate contributor text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'href="https://example.org/?q=&#34;&gt;&lt;script&gt;alert(4)&lt;/script&gt;"' in html
    assert re.findall(r"<script[^>]*>", html) == [
        '<script src="../static/reader.js" defer>',
        '<script type="application/ld+json">',
    ]


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "vbscript:x", "data:text/html,x", "file:///etc/passwd"]
)
def test_markdown_links_are_limited_to_safe_schemes(make_project, url):
    root = make_project(texts={"t": front() + f"A [link]({url}) and <{url}>.\n"})
    html = page(render(root))
    assert not UNSAFE_URL.search(html)
    assert "<a" not in html.split('class="text-body">')[1].split("</div>")[0]


def test_safe_links_survive(make_project):
    root = make_project(texts={"t": front() + "[a](https://a.org) [b](mailto:x@y.org) [c](../other/)\n"})
    html = page(render(root))
    for href in ("https://a.org", "mailto:x@y.org", "../other/"):
        assert f'href="{href}"' in html


def test_page_structure_notes_and_metadata(make_project):
    root = make_project(
        texts={
            "t": front("My text", author="Ann", publisher="Pub", date="2024-05-01", source_url="https://o.org/x")
            + "Alpha beta gamma.\n"
        },
        annotations={
            "t/a.yaml": dedent(
                """
                - id: ctx
                  kind: context
                  quote: beta
                  body: Some *context*.
                  sources: [{title: Src, url: 'https://s.org', publisher: P, date: 2020-01-02}]
                  author: Bea
                - id: lost
                  kind: context
                  quote: omega
                  body: Lost note.
                """
            )
        },
    )
    result = render(root)
    html = page(result)
    assert '<mark class="hl hl--context hl--start hl--end" data-note="ctx" data-label="1">beta</mark>' in html
    assert 'id="note-ctx" data-kind="context"' in html
    assert "<em>context</em>" in html and '<a href="https://s.org">Src</a>, P, <time datetime="2020-01-02">' in html
    assert 'href="https://o.org/x"' in html and "Ann" in html and "Pub" in html
    unanchored = html[html.index("Unanchored notes") :]
    assert 'id="note-lost"' in unanchored and "omega" in unanchored
    index = next(p.content.decode() for p in result.pages if p.path == "index.html")
    assert 'href="t/index.html">My text</a>' in index
    assert "2 notes" in index


def test_no_external_requests_in_pages(make_project):
    root = make_project(texts={"t": front() + "Text.\n"})
    for p in render(root).pages:
        if p.path.endswith(".html"):
            html = p.content.decode()
            loads = [
                tag for tag in re.findall(r"<(?:link|script|img)[^>]*>", html) if 'rel="canonical"' not in tag
            ]  # never fetched
            assert not any(re.search(r'(?:href|src)="(?:https?:)?//', tag) for tag in loads)
