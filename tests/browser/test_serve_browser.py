"""The preview in a real browser: saved files show up in place, problems over the page until fixed."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from glossator.load import PACKAGE_THEME
from glossator.serve import PreviewServer, preview

from ..conftest import dedent, front
from .conftest import ARTIFACTS

pytestmark = pytest.mark.browser

PARAGRAPHS = "\n\n".join(f"Paragraph {n} says something worth reading, slowly and twice." for n in range(80))
TEXT = front("A long text") + "\nThe opening words to note.\n\n" + PARAGRAPHS + "\n"
NOTES = dedent(
    """
    - id: one
      kind: context
      quote: opening words to note
      body: Why they matter.
      sources:
        - title: A source
          url: https://example.org/source
    """
)
CONNECTED = "() => window.LiveReload && window.LiveReload.connector && window.LiveReload.connector.protocol >= 7"
TIMEOUT = 10_000


@pytest.fixture
def project(make_project) -> Path:
    return make_project(
        texts={"long-text": TEXT, "other-text": front("Other") + "\nOther words.\n"},
        annotations={"long-text/notes.yaml": NOTES},
    )


@pytest.fixture
def served(project) -> Iterator[PreviewServer]:
    server = preview(project, project / "site", jobs=1)
    server._log = lambda message: None
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    assert server.ready.wait(10)
    yield server
    server.stop()
    thread.join(10)


@pytest.fixture
def open_page(browser, served):
    """``open_page(path)``: a page of the preview, connected to its live reload; console problems recorded."""
    contexts = []

    def open_(path: str):
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        contexts.append(context)
        page = context.new_page()
        page.problems = []
        page.on("console", lambda message: message.type in ("error", "warning") and page.problems.append(message.text))
        page.on("pageerror", lambda error: page.problems.append(str(error)))
        page.goto(served.url + path)
        page.wait_for_function(CONNECTED, timeout=TIMEOUT)
        return page

    yield open_
    for context in contexts:
        context.close()


def test_a_saved_annotation_reloads_its_page_at_the_same_place(open_page, project):
    page = open_page("long-text/")
    other = open_page("other-text/")
    page.evaluate("() => window.scrollTo(0, 1500)")
    page.evaluate("() => { window.before = true; }")
    other.evaluate("() => { window.before = true; }")
    notes = project / "annotations" / "long-text" / "notes.yaml"
    notes.write_text(NOTES.replace("Why they matter.", "Why they matter, edited."), encoding="utf-8")
    page.wait_for_function(
        "() => !window.before && document.body.textContent.includes('matter, edited')", timeout=TIMEOUT
    )
    page.wait_for_load_state("load")
    page.wait_for_function("() => window.scrollY === 1500", timeout=TIMEOUT)
    page.wait_for_function(CONNECTED, timeout=TIMEOUT)
    assert other.evaluate("() => window.before") is True  # a page the change did not touch stays as it was
    assert page.problems == [] and other.problems == []


def test_a_stylesheet_change_is_applied_without_reloading(open_page, project):
    page = open_page("long-text/")
    page.evaluate("() => { window.before = true; }")
    sheet = project / "templates" / "static" / "reader.css"
    sheet.parent.mkdir(parents=True)
    original = (Path(str(PACKAGE_THEME)) / "static" / "reader.css").read_text(encoding="utf-8")
    sheet.write_text(original + "\nbody { outline: 7px solid rgb(1, 2, 3); }\n", encoding="utf-8")
    page.wait_for_function("() => getComputedStyle(document.body).outlineWidth === '7px'", timeout=TIMEOUT)
    assert page.evaluate("() => window.before") is True
    assert page.problems == []


def test_build_problems_show_over_the_page_until_fixed(open_page, project):
    page = open_page("long-text/")
    notes = project / "annotations" / "long-text" / "notes.yaml"
    notes.write_text(NOTES.replace("kind: context", "kind: contxt"), encoding="utf-8")
    overlay = page.wait_for_selector("#glossator-overlay", timeout=TIMEOUT)
    text = overlay.inner_text()
    assert "Build failed: showing the last good site" in text
    assert "annotations/long-text/notes.yaml:2:9: error: 'contxt' is not a valid 'kind'" in text
    assert "2 |   kind: contxt" in text and "hint: did you mean 'context'?" in text
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "serve-overlay.png"))
    assert page.locator(".note").count() == 1  # the last good page is still shown under it
    notes.write_text(NOTES, encoding="utf-8")
    page.wait_for_selector("#glossator-overlay", state="detached", timeout=TIMEOUT)
    assert page.problems == []
