"""Search in a real Chromium: the box on a text page, results on the search page, and no JavaScript.

Uses the session's one Chromium (``browser`` in this folder's conftest).
"""

from __future__ import annotations

import functools
import http.server
import threading

import pytest
from playwright.sync_api import expect

from glossator.build import build
from glossator.config import BASE_URL_VARIABLE

from ..sample_site import make_sample

pytestmark = pytest.mark.browser


@pytest.fixture
def site(make_project, tmp_path, monkeypatch):
    """The sample site, built and served on a free loopback port."""
    monkeypatch.delenv(BASE_URL_VARIABLE, raising=False)
    out = tmp_path / "site"
    assert build(make_sample(make_project), out).pages
    handler = functools.partial(_QuietHandler, directory=str(out))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield out, f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass


def problems_of(page) -> list[str]:
    """Console errors (a CSP violation is one), uncaught exceptions and failed requests (but the browser's favicon)."""
    found: list[str] = []
    page.on(
        "console",
        lambda message: (
            found.append(message.text)
            if message.type == "error" and "Failed to load resource" not in message.text
            else None
        ),
    )
    page.on("pageerror", lambda error: found.append(str(error)))
    page.on("requestfailed", lambda request: found.append(f"failed: {request.url}"))
    page.on(
        "response",
        lambda response: (
            found.append(f"{response.status}: {response.url}")
            if response.status >= 400 and not response.url.endswith("/favicon.ico")
            else None
        ),
    )
    return found


def test_search_from_a_text_page_finds_notes_and_texts(browser, site):
    _, url = site
    page = browser.new_page()
    problems = problems_of(page)
    page.goto(url + "edge-cases/index.html")
    page.fill("#site-search-query", "ÉCHO studies")
    page.press("#site-search-query", "Enter")
    page.wait_for_selector(".search-result")
    assert page.url == url + "search/index.html?q=%C3%89CHO+studies"
    assert page.input_value("#search-query") == "ÉCHO studies"
    assert page.inner_text("#search-status") == "1 result for “ÉCHO studies”"
    result = page.locator(".search-result").first
    assert result.locator(".search-kind").inner_text().lower() == "rebuttal"
    assert result.locator(".search-result-title").inner_text() == "echo"
    assert page.locator(".search-snippet mark").all_inner_texts() == ["echo", "Echo", "Echo", "studies"]
    assert not page.is_visible("#search-browse")
    result.locator("a").click()
    page.wait_for_url(url + "edge-cases/index.html#note-repeated")
    assert problems == []


def test_typing_searches_as_you_go_and_ranks_titles_first(browser, site):
    _, url = site
    page = browser.new_page()
    problems = problems_of(page)
    page.goto(url + "search/index.html")
    assert page.is_visible("#search-browse") and not page.is_visible("#search-results")
    page.type("#search-query", "target phr")
    expect(page.locator(".search-result")).to_have_count(3)
    titles = page.locator(".search-result-title").all_inner_texts()
    assert titles[:2] == ["target phrase", "cell with target phrase"] and titles[2] == "Edge cases: </script> & friends"
    assert page.url.endswith("search/index.html?q=target+phr")
    page.fill("#search-query", "xylophone")
    expect(page.locator("#search-status")).to_have_text("No results for “xylophone”")
    assert page.locator(".search-result").count() == 0
    page.fill("#search-query", "")
    expect(page.locator("#search-browse")).to_be_visible()
    assert problems == []


def test_without_javascript_the_search_page_lists_every_note(browser, site):
    _, url = site
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(url + "edge-cases/index.html")
    page.fill("#site-search-query", "echo")
    page.press("#site-search-query", "Enter")
    page.wait_for_url(url + "search/index.html?q=echo")
    assert page.is_visible("[data-search-nojs]") and not page.is_visible("#search-results")
    assert page.locator("#search-browse a[href*='#note-']").count() == 11
    context.close()


def test_search_works_from_files_without_a_server(browser, site):
    out, _ = site
    page = browser.new_page()
    page.goto((out / "search" / "index.html").as_uri() + "?q=nested")
    page.wait_for_selector(".search-result")
    assert page.locator(".search-result-title").first.inner_text() == "nested item with echo"
