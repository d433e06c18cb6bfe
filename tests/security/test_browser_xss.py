"""The payload corpus in a real browser: no dialog opens, no script runs, the CSP has nothing to block.

One site carries every payload that builds: in a text's body, in notes (bodies, authors, quotes,
claims, source titles) and in the titles of a handful of texts. Chromium opens its pages, runs the
search for the payloads' words and opens notes; any ``alert`` would open a dialog and any injected
inline script or handler would be refused by the Content-Security-Policy, which Chromium reports on
the console. A last test plants inline script in a built page to show the CSP does refuse it, and
another shows the preview server's problem overlay prints hostile diagnostics as text.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from glossator.build import build, render
from glossator.serve import preview

from .test_xss import PAYLOADS, quoted

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]  # fmt: skip
TIMEOUT = 20
LIVE_RELOAD_CONNECTED = "() => window.LiveReload && window.LiveReload.connector?.protocol >= 7"
"""The preview page's live reload has connected to the server (as in tests/browser/test_serve_browser.py)."""


def _buildable(payload: str, folder: Path) -> bool:
    (folder / "content").mkdir(parents=True)
    (folder / "content" / "t.md").write_text(f"---\ntitle: {quoted(payload)}\n---\n{payload}\n", encoding="utf-8")
    return bool(render(folder).pages)


def write_site_project(root: Path) -> Path:
    """One project holding every payload that builds, in as many places as the formats allow."""
    usable = [p for i, p in enumerate(PAYLOADS) if _buildable(p, root.parent / f"probe{i}")]
    (root / "content").mkdir(parents=True)
    (root / "annotations" / "payloads").mkdir(parents=True)
    body = "\n\n".join(f"Paragraph {i}: {payload}" for i, payload in enumerate(usable))
    (root / "content" / "payloads.md").write_text(
        f"---\ntitle: All the payloads\nsummary: {quoted(usable[0])}\n---\n{body}\n", encoding="utf-8"
    )
    notes = []
    for i, payload in enumerate(usable):
        line = " ".join(payload.split()) or "x"
        notes.append(
            f"- id: p{i}\n  kind: rebuttal\n  quote: {quoted(f'Paragraph {i}:')}\n  claim: {quoted(line)}\n"
            f"  body: {quoted(payload + ' [link](' + payload + ')')}\n  author: {quoted(payload)}\n"
            f"  sources:\n    - title: {quoted(payload)}\n      url: https://example.org/{i}\n"
            f"      publisher: {quoted(payload)}\n"
        )
    (root / "annotations" / "payloads" / "notes.yaml").write_text("".join(notes), encoding="utf-8")
    for i, payload in enumerate(usable[:12]):
        (root / "content" / f"title-{i}.md").write_text(
            f"---\ntitle: {quoted(payload)}\nauthor: {quoted(payload)}\n---\nText {i}.\n", encoding="utf-8"
        )
    return root


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        pass


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """The payload site, built and served on 127.0.0.1: ``(origin, folder)``."""
    folder = tmp_path_factory.mktemp("xss")
    result = build(write_site_project(folder / "project"), folder / "site")
    assert result.ok, result.diagnostics[:3]
    handler = functools.partial(_Quiet, directory=str(folder / "site"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", folder / "site"
    server.shutdown()
    server.server_close()


@pytest.fixture
def in_browser():
    """``in_browser(scenario)``: runs ``scenario(browser)`` with a fresh Chromium in a thread of its own.

    Playwright's sync API cannot start where another one runs (tests/browser keeps one for the whole
    session), but every thread has its own event loop. Failures are raised here, in the test.
    """
    if not CHROMIUM.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"Debian's chromium not found at {CHROMIUM} (CI must install it: see .ci/run)")
        pytest.skip(f"Debian's chromium not found at {CHROMIUM}")

    def run(scenario: Callable[[object], None]) -> None:
        failure: list[BaseException] = []

        def target() -> None:
            from playwright.sync_api import sync_playwright

            try:
                with sync_playwright() as playwright:
                    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
                    try:
                        scenario(browser)
                    finally:
                        browser.close()
            except BaseException as error:  # noqa: BLE001 - handed to the test's thread
                failure.append(error)

        thread = threading.Thread(target=target)
        thread.start()
        thread.join(10 * TIMEOUT)
        assert not thread.is_alive(), "the browser scenario did not finish"
        if failure:
            raise failure[0]

    return run


class Watched:
    """A page whose dialogs, errors and console complaints are recorded."""

    def __init__(self, browser) -> None:
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
        self.page = self.context.new_page()
        self.page.set_default_timeout(TIMEOUT * 1000)
        self.dialogs: list[str] = []
        self.complaints: list[str] = []
        self.page.on("dialog", self._dialog)
        self.page.on("pageerror", lambda error: self.complaints.append(f"page error: {error}"))
        self.page.on("console", lambda message: message.type == "error" and self.complaints.append(message.text))

    def _dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()


def test_no_payload_runs_anywhere_on_the_site(site, in_browser):
    origin, folder = site
    pages = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.html"))

    def scenario(browser) -> None:
        watched = Watched(browser)
        for path in pages:
            watched.page.goto(f"{origin}/{path}", wait_until="load")
        watched.page.goto(f"{origin}/payloads/index.html", wait_until="load")
        markers = watched.page.locator("sup.note-ref a")
        for index in range(min(markers.count(), 40)):
            markers.nth(index).click()
        for query in ("alert", "script", "onerror", "javascript", "svg", "7*191919", "Paragraph"):
            watched.page.goto(f"{origin}/search/index.html?q={query}", wait_until="load")
            watched.page.wait_for_timeout(200)
            assert watched.page.locator(".search-result").count() > 0, query
        assert watched.dialogs == []
        # The one payload the policy has to stop is a text's external image (a tracking pixel): blocked, not loaded.
        blocked = [c for c in watched.complaints if "img-src" in c and "https://evil.example/track.png" in c]
        assert blocked and [c for c in watched.complaints if c not in blocked] == []

    in_browser(scenario)
    assert len(pages) >= 14


def test_the_csp_refuses_inline_script_planted_in_a_page(site, in_browser):
    """Defence in depth: were escaping ever to fail, the page's policy still refuses to run the script."""
    origin, folder = site
    page = folder / "payloads" / "index.html"
    planted = page.read_text(encoding="utf-8").replace(
        "</main>",
        "<script>window.__planted = 'inline'</script><img src=x onerror=\"window.__planted = 'handler'\">"
        "<a id=plant href=\"javascript:window.__planted = 'url'\">x</a></main>",
    )
    (folder / "planted.html").write_text(planted.replace('href="../', 'href="'), encoding="utf-8")

    def scenario(browser) -> None:
        watched = Watched(browser)
        watched.page.goto(f"{origin}/planted.html", wait_until="load")
        watched.page.click("#plant")
        watched.page.wait_for_timeout(200)
        assert watched.page.evaluate("() => window.__planted") is None
        assert any("Content Security Policy" in complaint for complaint in watched.complaints)

    in_browser(scenario)


def test_the_preview_overlay_shows_hostile_problems_as_text(tmp_path: Path, in_browser):
    payload = "<img src=x onerror=alert(1)><script>alert(2)</script>"
    root = tmp_path / "p"
    (root / "content").mkdir(parents=True)
    (root / "annotations" / "t").mkdir(parents=True)
    (root / "content" / "t.md").write_text("---\ntitle: T\n---\nA text.\n", encoding="utf-8")
    notes = root / "annotations" / "t" / "a.yaml"
    notes.write_text("[]\n", encoding="utf-8")
    server = preview(root, root / "site", jobs=1)
    server._log = lambda message: None
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    assert server.ready.wait(TIMEOUT)

    def scenario(browser) -> None:
        watched = Watched(browser)
        watched.page.goto(f"{server.url}t/", wait_until="load")
        # A save before the page's live reload has connected would not reach it: wait for the connection.
        watched.page.wait_for_function(LIVE_RELOAD_CONNECTED)
        notes.write_text(f"- id: n\n  kind: context\n  quote: {json.dumps(payload)}\n  body: b\n", encoding="utf-8")
        # The page also reloads (its note is published unanchored), so wait for the overlay, not a moment.
        shown = "(t) => t.includes('quote not found') && t.includes('onerror=alert(1)')"
        watched.page.wait_for_function(f"() => ({shown})(document.body.innerText)")
        watched.page.wait_for_timeout(300)
        assert watched.dialogs == []

    try:
        in_browser(scenario)
    finally:
        server.stop()
        thread.join(TIMEOUT)
