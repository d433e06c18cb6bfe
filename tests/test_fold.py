from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from glossator.fold import fold, fold_text


@pytest.mark.parametrize(
    ("original", "folded"),
    [
        ("a  \n\t b", "a b"),
        ("“quoted” ‘single’ it’s", "\"quoted\" 'single' it's"),
        ("a–b—c‐d−e", "a-b-c-d-e"),
        ("wait…", "wait..."),
        ("soft\u00adhyphen zero\u200bwidth", "softhyphen zerowidth"),
        ("cafe\u0301", "café"),
        ("non\u00a0breaking", "non breaking"),
    ],
)
def test_folds_what_a_contributor_cannot_see(original, folded):
    assert fold(original).text == folded


def test_fold_text_strips_the_ends():
    assert fold_text("  “x” \n") == '"x"'


def test_map_points_back_to_original_ranges():
    original = "A  “b”…c"
    f = fold(original)
    assert f.text == 'A "b"...c'
    start = f.text.index('"b"')
    assert f.original(start, start + 3) == (3, 6)
    dots = f.text.index("...")
    assert f.original(dots, dots + 3) == (6, 7)
    assert f.original(1, 2) == (1, 3)  # the folded space covers the whole run


@given(st.text())
def test_every_folded_character_maps_inside_the_original(text):
    f = fold(text)
    assert len(f.starts) == len(f.text) == len(f.ends)
    for start, end in zip(f.starts, f.ends, strict=True):
        assert 0 <= start < end <= len(text)
    assert list(f.starts) == sorted(f.starts)


@given(st.text())
def test_folding_is_idempotent(text):
    once = fold(text).text
    assert fold(once).text == once
