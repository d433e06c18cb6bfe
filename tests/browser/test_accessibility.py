"""axe-core (WCAG 2.1 A and AA rules, plus its best practices) finds nothing at any width."""

from __future__ import annotations

import pytest

from .conftest import AXE, NARROW, REAL_TEXTS, WIDE, require, text_path

pytestmark = pytest.mark.browser
AXE_URL = "/__axe__/axe.min.js"
RUN = """async () => {
  const result = await axe.run(document, {
    runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']},
    resultTypes: ['violations'],
  });
  const where = (v) => v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ');
  return result.violations.map((v) => `${v.id} (${v.impact}): ${where(v)}`);
}"""


def violations(reader) -> list[str]:
    """Serve axe from the page's own origin, so the page's CSP (script-src 'self') stays in force."""
    page = reader.page
    page.route(f"**{AXE_URL}", lambda route: route.fulfill(path=str(AXE), content_type="text/javascript"))
    page.add_script_tag(url=reader.origin + AXE_URL)
    return page.evaluate(RUN)


@pytest.fixture(autouse=True)
def _axe_installed():
    require(AXE, "axe-core (npm ci --prefix tests/browser)")


@pytest.mark.parametrize("width", WIDE + NARROW)
@pytest.mark.parametrize(
    "path", [text_path(slug) for slug in REAL_TEXTS] + [text_path("stress", "stress"), "real/index.html"]
)
def test_no_axe_violations(open_reader, path, width):
    assert violations(open_reader(path, width)) == []


@pytest.mark.parametrize("width", (1280, 390))
def test_no_axe_violations_in_dark_mode_with_notes_open_and_targeted(open_reader, width):
    reader = open_reader(text_path(REAL_TEXTS[0]) + "#note-atlantic-council", width, scheme="dark")
    page = reader.page
    if width == 390:
        page.locator("button.note-toggle").first.click()
    else:
        page.locator(".note-more").locator("visible=true").first.click()
        page.locator(".legend-toggle[data-kind=footnote]").click()
    reader.wait_for_layout()
    assert violations(reader) == []
