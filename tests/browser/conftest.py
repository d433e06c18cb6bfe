"""Browser fixtures: the built sites served on 127.0.0.1, one Chromium, and page helpers.

Two sites are built with glossator itself: this repository's texts (``/real/``) and the stress
fixture in ``tests/browser/stress`` (``/stress/``). Tests open pages at fixed widths and measure
them with small scripts run through Playwright; every request a page makes is recorded.
"""

from __future__ import annotations

import functools
import http.server
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from glossator.build import build

from ..conftest import REPO

CHROMIUM = Path("/usr/bin/chromium")
AXE = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
STRESS = Path(__file__).parent / "stress"
ARTIFACTS = REPO / "test-artifacts"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SETTLED = """async () => {
  await document.fonts.ready;
  const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));
  let seen;
  do {
    seen = document.documentElement.dataset.notesLayout;
    for (let i = 0; i < 3; i++) await frame();
  } while (seen !== document.documentElement.dataset.notesLayout);
  await Promise.all(document.getAnimations().map((animation) => animation.finished));
}"""
"""Resolves once reader.js has stopped laying out (no new layout for three frames) and notes have
finished sliding to their places."""
REAL_TEXTS = ("china-russia-joint-struggle", "russia-partnerships-op-ed")
WIDE = (1600, 1280, 1024)
NARROW = (768, 390)


def require(path: Path, what: str) -> None:
    """Skip when a browser-test dependency is missing, except in CI where that is a failure."""
    if path.exists():
        return
    message = f"{what} not found at {path}"
    if os.environ.get("CI") == "true":
        pytest.fail(message + " (CI must install it: see .ci/run)")
    pytest.skip(message)


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        pass


@pytest.fixture(scope="session")
def origin(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Build both sites and serve them; yields ``http://127.0.0.1:PORT``."""
    root = tmp_path_factory.mktemp("served")
    for name, project in (("real", REPO), ("stress", STRESS)):
        result = build(project, root / name)
        assert result.ok, result.diagnostics
    handler = functools.partial(_Quiet, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser():
    """One headless Debian Chromium for the whole session."""
    require(CHROMIUM, "Debian's chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()


@dataclass
class Reader:
    """An open page and what it asked the network for."""

    page: object
    origin: str
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def wait_for_layout(self) -> None:
        """Wait until reader.js has laid the notes out after fonts and resizes settled."""
        self.page.wait_for_function("() => document.documentElement.dataset.notesLayout !== undefined")
        self.page.evaluate(SETTLED)

    def wait_for_new_layout(self, before: str) -> None:
        """Wait for a layout after the one numbered ``before`` (functions, not strings: the CSP forbids eval)."""
        self.page.wait_for_function("(before) => document.documentElement.dataset.notesLayout !== before", arg=before)
        self.wait_for_layout()

    def layouts(self) -> str:
        return self.page.evaluate("() => document.documentElement.dataset.notesLayout")

    def foreign_requests(self) -> list[str]:
        return [url for url in self.requests if not (url.startswith(self.origin + "/") or url.startswith("data:"))]


@pytest.fixture
def open_reader(browser, origin):
    """``open_reader(path, width, js=True, scheme="light")``: a fresh context per call."""
    contexts = []

    def open_(path: str, width: int, *, js: bool = True, scheme: str = "light", height: int = 900) -> Reader:
        context = browser.new_context(
            viewport={"width": width, "height": height}, java_script_enabled=js, color_scheme=scheme
        )
        contexts.append(context)
        page = context.new_page()
        reader = Reader(page, origin)
        page.on("request", lambda request: reader.requests.append(request.url))
        page.on("pageerror", lambda error: reader.errors.append(str(error)))
        page.on("console", lambda message: message.type in ("error", "warning") and reader.errors.append(message.text))
        page.goto(f"{origin}/{path}")
        if js:
            reader.wait_for_layout()
        return reader

    yield open_
    for context in contexts:
        context.close()


def text_path(slug: str, site: str = "real") -> str:
    return f"{site}/{slug}/index.html"
