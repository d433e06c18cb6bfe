"""Margin-note geometry in a real browser: alignment, no overlaps, least movement, viewport."""

from __future__ import annotations

from itertools import combinations
from pathlib import Path

import pytest

from .conftest import ARTIFACTS, NARROW, REAL_TEXTS, WIDE, text_path

pytestmark = pytest.mark.browser
MEASURE = (Path(__file__).parent / "measure.js").read_text(encoding="utf-8")
PAGES = [(slug, "real") for slug in REAL_TEXTS] + [("stress", "stress")]


def overlaps(a: dict, b: dict, slack: float = 0.5) -> bool:
    return (
        a["top"] < b["bottom"] - slack
        and b["top"] < a["bottom"] - slack
        and a["left"] < b["right"] - slack
        and b["left"] < a["right"] - slack
    )


def assert_margin_layout(m: dict) -> None:
    """What every wide page must satisfy, whatever its notes."""
    notes, blocks = m["notes"], m["blocks"]
    gap = 0.9 * m["rem"]  # reader.js keeps this much space between notes
    drift = min(16 * m["rem"], max(8 * m["rem"], 0.3 * m["height"]))  # reader.js's drift limit
    assert notes, "no note is shown"
    assert m["scrollWidth"] <= m["viewport"], "the page scrolls sideways"
    for note in notes:
        assert 0 <= note["rect"]["left"] and note["rect"]["right"] <= m["viewport"], f"{note['id']} leaves the viewport"
        assert note["rect"]["right"] <= m["column"]["left"] or note["rect"]["left"] >= m["column"]["right"], (
            f"{note['id']} is not in a margin"
        )
        for block in blocks:
            assert not overlaps(note["rect"], block["rect"]), f"{note['id']} overlaps a <{block['tag']}>"
    for a, b in combinations(notes, 2):
        assert not overlaps(a["rect"], b["rect"]), f"{a['id']} overlaps {b['id']}"
    walls = [
        b["rect"]
        for b in blocks
        if b["rect"]["left"] < m["column"]["left"] - 1 or b["rect"]["right"] > m["column"]["right"] + 1
    ]
    for side in (False, True):
        column = sorted((n for n in notes if n["left"] == side), key=lambda n: n["rect"]["top"])
        assert [n["order"] for n in column] == sorted(n["order"] for n in column), "notes are out of reading order"
        for i, note in enumerate(column):
            moved = note["rect"]["top"] - note["line"]
            above = column[i - 1]["rect"]["bottom"] if i else None
            below = column[i + 1]["rect"]["top"] if i + 1 < len(column) else None
            # Least movement: a note only leaves its line when a neighbour (or a full-width
            # element) pushes it there, so there is never slack on the side it moved away from.
            if moved > 1.5:
                pushed = (above is not None and note["rect"]["top"] - above <= gap + 1.5) or any(
                    abs(note["rect"]["top"] - (w["bottom"] + gap)) <= 1.5 for w in walls
                )
                assert pushed, f"{note['id']} sits {moved:.0f}px below its line with room above it"
            if moved < -1.5:
                assert below is not None and below - note["rect"]["bottom"] <= gap + 1.5, (
                    f"{note['id']} moved up unpushed"
                )
            assert moved >= -drift / 2 - 2, f"{note['id']} sits {-moved:.0f}px above its line"
            if note["siblings"] == 1:  # the text opens up before a lone note drifts too far
                assert moved <= drift + 2, f"{note['id']} drifted {moved:.0f}px below its line"


@pytest.mark.parametrize("width", WIDE)
@pytest.mark.parametrize("slug,site", PAGES)
def test_wide_notes_sit_beside_their_lines_without_overlapping(open_reader, slug, site, width):
    reader = open_reader(text_path(slug, site), width)
    m = reader.page.evaluate(MEASURE)
    assert m["layout"].startswith("wide")
    assert_margin_layout(m)
    assert len(m["notes"]) == reader.page.locator(".notes .note").count(), "a note was dropped"
    assert reader.errors == [] and reader.foreign_requests() == []
    if site == "real":
        ARTIFACTS.mkdir(exist_ok=True)
        reader.page.screenshot(path=ARTIFACTS / f"{slug}-{width}.png", full_page=True)


@pytest.mark.parametrize("width", WIDE)
def test_stress_sparse_notes_align_and_crowds_move_up_and_down(open_reader, width):
    reader = open_reader(text_path("stress", "stress"), width)
    notes = {n["id"]: n for n in reader.page.evaluate(MEASURE)["notes"]}
    for quiet in ("quiet-one", "quiet-two"):
        assert abs(notes[quiet]["rect"]["top"] - notes[quiet]["line"]) <= 1.5
    crowd = [n for i, n in notes.items() if i.startswith("crowd-")]
    assert len(crowd) == 8
    assert any(n["rect"]["top"] < n["line"] - 1 for n in crowd), "no crowded note moved up"
    assert any(n["rect"]["top"] > n["line"] + 1 for n in crowd), "no crowded note moved down"


def test_full_width_table_is_never_covered_and_wide_screens_use_both_margins(open_reader):
    reader = open_reader(text_path("stress", "stress"), 1600)
    m = reader.page.evaluate(MEASURE)
    table = next(b["rect"] for b in m["blocks"] if b["tag"] == "table")
    assert table["left"] < m["column"]["left"] and table["right"] > m["column"]["right"]
    assert {n["left"] for n in m["notes"]} == {False, True}, "a crowded page should use both margins"
    tabled = next(n for n in m["notes"] if n["id"] == "tabled")
    assert tabled["rect"]["top"] >= table["bottom"], "a note anchored in the table goes below it"


def test_layout_is_redone_on_resize_and_when_fonts_load(open_reader):
    reader = open_reader(text_path("stress", "stress"), 1600)
    page = reader.page
    for width in (1024, 1280):
        before = reader.layouts()
        page.set_viewport_size({"width": width, "height": 900})
        reader.wait_for_new_layout(before)
        assert_margin_layout(page.evaluate(MEASURE))
    before = reader.layouts()
    page.evaluate("() => document.fonts.dispatchEvent(new Event('loadingdone'))")
    reader.wait_for_new_layout(before)
    page.set_viewport_size({"width": 700, "height": 900})
    page.wait_for_function("() => getComputedStyle(document.querySelector('.note-toggle')).display !== 'none'")
    assert page.locator(".notes .note").first.is_hidden()


@pytest.mark.parametrize("width", NARROW)
@pytest.mark.parametrize("slug", REAL_TEXTS)
def test_narrow_pages_fit_and_keep_notes_one_tap_away(open_reader, slug, width):
    reader = open_reader(text_path(slug), width)
    page = reader.page
    m = page.evaluate(MEASURE)
    assert m["scrollWidth"] <= m["viewport"], "the page scrolls sideways"
    assert m["notes"] == [], "notes should be folded behind their markers"
    toggles = page.locator("button.note-toggle")
    assert toggles.count() == page.locator(".note-ref a").count()
    for index in range(toggles.count()):
        box = toggles.nth(index).bounding_box()
        assert box and 0 <= box["x"] and box["x"] + box["width"] <= width
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"{slug}-{width}.png", full_page=True)
    toggles.nth(2).click()
    note = page.locator(".notes .note.is-open")
    box = note.bounding_box()
    assert box and 0 <= box["x"] and box["x"] + box["width"] <= width
    page.screenshot(path=ARTIFACTS / f"{slug}-{width}-open.png")


def test_without_javascript_every_note_and_source_is_beside_or_below_its_paragraph(open_reader):
    for width in (1280, 390):
        reader = open_reader(text_path("stress", "stress"), width, js=False)
        page = reader.page
        groups = page.evaluate(
            """() => [...document.querySelectorAll('.notes')].map((g) => {
                 const b = g.previousElementSibling.getBoundingClientRect(), r = g.getBoundingClientRect();
                 const parts = [...g.querySelectorAll('.note, .note-sources a')];
                 return {top: r.top, left: r.left, blockTop: b.top, blockBottom: b.bottom, blockRight: b.right,
                         shown: parts.every((e) => e.getClientRects().length > 0)};
               })"""
        )
        assert groups and all(g["shown"] for g in groups), "a note or source is hidden without JavaScript"
        for g in groups:
            beside = g["left"] >= g["blockRight"] and abs(g["top"] - g["blockTop"]) < 12
            below = 0 <= g["top"] - g["blockBottom"] < 40
            assert beside or below, g
        assert reader.foreign_requests() == []
        if width == 1280:
            assert any(g["left"] >= g["blockRight"] for g in groups), "wide screens should put notes beside"
