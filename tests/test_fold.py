from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from glossator.fold import _INVISIBLE, _SPACES, _TABLE, LINEAR, FoldedBuilder, _spaced, fold, fold_text

FOLDING = st.lists(
    st.sampled_from([*"ab c.\n\t", "  ", "\u00a0", "\u2019", "\u201c", "\u2014", "\u2026", "\u00ad", "\u200b"])
    | st.sampled_from(["\u0301", "\u0327", "e\u0301", "\x1c", "\u2028", "\uff0d", "ﬁ"])
).map("".join)
"""Text made of the characters folding treats specially, so that they meet each other often."""


def reference_fold(text: str) -> tuple[str, list[tuple[int, int]]]:
    """Folding done the slow, obvious way: each folded character with its original range."""
    out: list[tuple[str, int, int]] = []
    i = 0
    while i < len(text):
        j = i + 1
        if text[i].isspace():
            while j < len(text) and (text[j].isspace() or text[j] in _INVISIBLE):
                j += 1
            if out and out[-1][0] == " ":
                out[-1] = (" ", out[-1][1], j)
            else:
                out.append((" ", i, j))
        else:
            while j < len(text) and unicodedata.combining(text[j]):
                j += 1
            cluster = text[i:j] if j == i + 1 else unicodedata.normalize("NFC", text[i:j])  # a lone character stays
            for char in cluster:
                out += [(folded, i, j) for folded in _TABLE.get(ord(char), char)]
        i = j
    return "".join(char for char, _, _ in out), [(start, end) for _, start, end in out]


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


@settings(max_examples=500)
@given(st.text() | FOLDING)
def test_the_sparse_map_gives_every_character_its_original_range(text):
    f = fold(text)
    expected_text, expected_ranges = reference_fold(text)
    assert f.text == expected_text
    assert [f.original(i, i + 1) for i in range(len(f.text))] == expected_ranges


@given(st.text() | FOLDING)
def test_fold_text_is_the_folded_text_stripped(text):
    assert fold_text(text) == reference_fold(text)[0].strip(" ")


def test_plain_words_take_one_segment_however_long():
    f = fold("plain words\nover two lines, " * 50 + "end")
    assert f.text == "plain words over two lines, " * 50 + "end"
    assert list(f.ends) == [LINEAR] and f.original(12, 16) == (12, 16)


def test_pieces_folded_at_offsets_map_into_one_original():
    builder = FoldedBuilder()
    builder.fold("a  b", 10)
    builder.add("\x00", 14, 16)
    builder.fold("“c”", 16)
    f = builder.build()
    assert f.text == 'a b\x00"c"'
    assert [f.original(i, i + 1) for i in range(len(f.text))] == [
        (10, 11),
        (11, 13),
        (13, 14),
        (14, 16),
        (16, 17),
        (17, 18),
        (18, 19),
    ]


@given(st.text())
def test_folding_is_idempotent(text):
    once = fold(text).text
    assert fold(once).text == once


@given(st.text(alphabet="ab \t\n\r\f\v\x0b\x1c\u2028"))
def test_ascii_whitespace_becomes_spaces_however_it_is_done(text):
    assert _spaced(text) == text.translate(_SPACES)
