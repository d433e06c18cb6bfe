"""Reader interaction in a real browser: linking, focus, permalinks, toggles, filters, keyboard, print."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import text_path
from .test_layout import MEASURE, assert_margin_layout

pytestmark = pytest.mark.browser
CHINA = text_path("china-russia-joint-struggle")
STRESS = text_path("stress", "stress")
ACTIVE_ELEMENT = "() => document.activeElement && (document.activeElement.id || document.activeElement.className)"


def classes(page, selector: str) -> list[list[str]]:
    return page.eval_on_selector_all(selector, "(els) => els.map((el) => [...el.classList])")


def in_viewport(page, selector: str) -> bool:
    return page.eval_on_selector(
        selector,
        "(e) => { const r = e.getBoundingClientRect(); return r.height > 0 && r.top >= 0 && r.bottom <= innerHeight; }",
    )


def hover(page, selector: str) -> None:
    """Move the mouse to the middle of an element's first line box, as a reader would."""
    page.locator(selector).first.scroll_into_view_if_needed()
    box = page.eval_on_selector(
        selector, "(el) => { const r = el.getClientRects()[0]; return [r.left + r.width / 2, r.top + r.height / 2]; }"
    )
    page.mouse.move(*box)


def test_hovering_or_focusing_lights_up_passage_marker_and_note(open_reader):
    page = open_reader(STRESS, 1280).page
    hover(page, "mark.hl[data-note=overlap-inner]")
    assert "is-active" in classes(page, "#note-overlap-inner")[0]
    assert all("is-active" in c for c in classes(page, "mark[data-note=overlap-inner]"))
    assert not any("is-active" in c for c in classes(page, "mark[data-note=overlap-outer]")), (
        "overlapping passages blur together"
    )
    hover(page, "#note-overlap-cross .note-kind")
    assert all("is-active" in c for c in classes(page, "mark[data-note=overlap-cross]"))
    assert "is-active" in classes(page, "sup:has(#ref-overlap-cross)")[0]
    assert "is-active" not in classes(page, "#note-overlap-inner")[0]
    page.focus("#ref-quiet-two")
    assert "is-active" in classes(page, "#note-quiet-two")[0]


def test_overlapping_passages_look_different_from_each_other(open_reader):
    page = open_reader(STRESS, 1280).page
    styles = page.evaluate(
        """() => ['overlap-outer', 'overlap-inner', 'overlap-cross'].map((id) => {
             const s = getComputedStyle(document.querySelector(`mark[data-note=${id}]`));
             return [s.backgroundColor, s.boxShadow, s.textDecorationLine, s.textDecorationStyle].join('|');
           })"""
    )
    assert len(set(styles)) == 3


@pytest.mark.parametrize("width", (1280, 1024))
def test_activating_a_marker_focuses_its_note_and_the_note_leads_back(open_reader, width):
    page = open_reader(CHINA, width).page
    note_id = page.eval_on_selector_all(".note-ref a", "(els) => els[12].dataset.note")
    page.click(f"#ref-{note_id}")
    assert page.evaluate(ACTIVE_ELEMENT) == f"note-{note_id}"
    assert page.evaluate("() => location.hash") == f"#note-{note_id}"
    assert "is-target" in classes(page, f"#note-{note_id}")[0]
    assert all("is-target" in c for c in classes(page, f"mark[data-note='{note_id}']"))
    assert in_viewport(page, f"#note-{note_id}")
    page.click(f"#note-{note_id} .note-back")
    assert page.evaluate(ACTIVE_ELEMENT) == f"ref-{note_id}"
    assert in_viewport(page, f"#ref-{note_id}")
    page.focus(f"#note-{note_id}")
    page.keyboard.press("Escape")
    assert page.evaluate(ACTIVE_ELEMENT) == f"ref-{note_id}", "Escape in a note should lead back to its marker"


@pytest.mark.parametrize("width", (1600, 390))
def test_a_permalink_scrolls_to_and_highlights_note_and_passage(open_reader, width):
    reader = open_reader(STRESS + "#note-overlap-cross", width)
    page = reader.page
    assert "is-target" in classes(page, "#note-overlap-cross")[0]
    assert all("is-target" in c for c in classes(page, "mark[data-note=overlap-cross]"))
    assert in_viewport(page, "#note-overlap-cross")
    if width == 390:
        assert page.get_attribute("button.note-toggle[data-note=overlap-cross]", "aria-expanded") == "true"
    else:
        assert in_viewport(page, "mark[data-note=overlap-cross]")


@pytest.mark.parametrize("key", ("Enter", " "))
def test_narrow_toggle_opens_the_note_below_its_paragraph_and_escape_closes_it(open_reader, key):
    page = open_reader(CHINA, 390).page
    toggle = page.locator("button.note-toggle").nth(3)
    note_id = toggle.get_attribute("data-note")
    assert toggle.get_attribute("aria-expanded") == "false"
    assert toggle.get_attribute("aria-controls") == f"note-{note_id}"
    note = page.locator(f"#note-{note_id}")
    assert note.is_hidden()
    toggle.focus()
    page.keyboard.press(key)
    assert toggle.get_attribute("aria-expanded") == "true" and note.is_visible()
    assert page.evaluate(ACTIVE_ELEMENT) == f"note-{note_id}"
    gap = page.evaluate(
        """(id) => { const note = document.getElementById(id), p = note.closest('.notes').previousElementSibling;
                     return note.getBoundingClientRect().top - p.getBoundingClientRect().bottom; }""",
        f"note-{note_id}",
    )
    assert 0 <= gap < 40, "the note should open right below its paragraph"
    page.keyboard.press("Escape")
    assert toggle.get_attribute("aria-expanded") == "false" and note.is_hidden()
    assert page.evaluate("() => document.activeElement.classList.contains('note-toggle')")
    toggle.click()
    toggle.click()
    assert note.is_hidden()


def test_kind_filters_hide_notes_markers_and_highlights_and_survive_a_reload(open_reader):
    reader = open_reader(STRESS, 1280)
    page = reader.page
    button = page.locator(".legend-toggle[data-kind=rebuttal]")
    assert button.get_attribute("aria-pressed") == "true"
    button.click()

    def hidden_state() -> None:
        assert button.get_attribute("aria-pressed") == "false"
        assert (
            page.locator(".note--rebuttal").first.is_hidden() and page.locator(".note-ref--rebuttal").first.is_hidden()
        )
        assert (
            page.eval_on_selector("mark.hl--rebuttal", "(m) => getComputedStyle(m).backgroundColor")
            == "rgba(0, 0, 0, 0)"
        )
        assert page.locator(".note--context").first.is_visible()
        m = page.evaluate(MEASURE)
        assert m["notes"] and all(n["kind"] != "rebuttal" for n in m["notes"])
        assert_margin_layout(m)

    reader.wait_for_layout()
    hidden_state()
    page.reload()
    reader.wait_for_layout()
    hidden_state()
    button.click()
    reader.wait_for_layout()
    assert button.get_attribute("aria-pressed") == "true" and page.locator(".note--rebuttal").first.is_visible()


def test_a_long_note_is_capped_and_expands_in_place(open_reader):
    reader = open_reader(STRESS, 1280)
    page = reader.page
    note, more = page.locator("#note-longest"), page.locator("#note-longest .note-more")
    assert "is-capped" in (note.get_attribute("class") or "")
    assert more.is_visible() and more.get_attribute("aria-expanded") == "false"
    assert more.get_attribute("aria-controls") == "note-longest-content"
    content = (
        "() => { const c = document.getElementById('note-longest-content'); return [c.clientHeight, c.scrollHeight]; }"
    )
    shown, full = page.evaluate(content)
    assert shown < full / 3
    top = page.evaluate("() => document.getElementById('note-longest').getBoundingClientRect().top + scrollY")
    more.click()
    reader.wait_for_layout()
    assert more.get_attribute("aria-expanded") == "true"
    shown, full = page.evaluate(content)
    assert shown == full
    moved = page.evaluate("() => document.getElementById('note-longest').getBoundingClientRect().top + scrollY") - top
    assert abs(moved) <= 1, "the expanded note should stay where the reader is looking"
    assert_margin_layout(page.evaluate(MEASURE))
    more.click()
    reader.wait_for_layout()
    assert more.get_attribute("aria-expanded") == "false"
    page.focus("#note-longest .note-sources a")
    reader.wait_for_layout()
    assert more.get_attribute("aria-expanded") == "true", "focus inside a capped note should uncover it"


def test_keyboard_alone_reaches_everything_in_reading_order(open_reader):
    page = open_reader(STRESS, 1280).page
    stops = []
    for _ in range(60):
        page.keyboard.press("Tab")
        stops.append(
            page.evaluate(
                """() => { const el = document.activeElement, r = el.getBoundingClientRect();
                   const capped = el.closest('.note.is-capped:not(.is-expanded) .note-content');
                   const all = [...document.querySelectorAll('*')];
                   const visible = r.width > 0 && r.height > 0 && r.top >= -1 && r.bottom <= innerHeight + 1;
                   return {index: all.indexOf(el), tag: el.tagName, top: r.top, bottom: r.bottom, visible,
                           capped: Boolean(capped)}; }"""
            )
        )
    assert all(stop["visible"] for stop in stops), [s for s in stops if not s["visible"]]
    assert not any(stop["capped"] for stop in stops), "focus went into clipped text"
    indexes = [stop["index"] for stop in stops]
    assert indexes == sorted(indexes), "focus order differs from reading order"
    tags = [stop["tag"] for stop in stops]
    assert "BUTTON" in tags and "A" in tags


def test_screen_readers_hear_where_a_passage_starts_and_ends(open_reader):
    page = open_reader(STRESS, 1280).page
    snapshot = page.locator(".text-body p:has(mark[data-note=quiet-one])").aria_snapshot()
    assert "highlight for note 1 starts" in snapshot and "highlight ends" in snapshot
    assert snapshot.index("starts") < snapshot.index("first quiet sentence") < snapshot.index("highlight ends")
    assert 'link "Note 1"' in snapshot
    note = page.locator("#note-quiet-one")
    assert note.get_attribute("role") == "note"
    assert (
        page.evaluate("() => document.getElementById('note-quiet-one-label').textContent.trim()") == "Note 1, Context"
    )


def test_print_keeps_every_note_beside_its_paragraph_with_source_urls(open_reader):
    reader = open_reader(STRESS, 1280)
    page = reader.page
    page.locator(".legend-toggle[data-kind=context]").click()
    page.emulate_media(media="print")
    states = page.eval_on_selector_all(
        ".notes .note", "(els) => els.map((n) => [getComputedStyle(n).display, getComputedStyle(n).position])"
    )
    assert states and all(state == ["block", "static"] for state in states)
    after = page.eval_on_selector(".note-sources a", "(a) => getComputedStyle(a, '::after').content")
    assert "https://example.org/a" in after
    assert page.eval_on_selector("#note-longest-content", "(c) => c.scrollHeight - c.clientHeight") == 0


def test_pages_make_no_request_outside_their_origin_and_run_no_inline_script(open_reader):
    for path in ("real/index.html", CHINA, text_path("russia-partnerships-op-ed"), STRESS):
        for width in (1280, 390):
            reader = open_reader(path, width)
            page = reader.page
            if page.locator(".note-ref a").count():
                page.locator(".note-ref a, .note-toggle").locator("visible=true").first.click()
            assert reader.foreign_requests() == [], reader.foreign_requests()
            assert reader.errors == [], reader.errors
            assert (
                page.evaluate(
                    "() => document.querySelectorAll('script:not([src]):not([type=\"application/ld+json\"])').length"
                )
                == 0
            )
            assert page.evaluate(
                "() => document.querySelector('meta[http-equiv=Content-Security-Policy]').content"
            ).startswith("default-src 'self'")


def test_reader_assets_stay_small():
    static = Path(__file__).resolve().parents[2] / "glossator" / "theme" / "static"
    size = sum((static / name).stat().st_size for name in ("reader.css", "reader.js"))
    assert size < 40_000, f"reader.css + reader.js weigh {size} bytes"
