"""The Markdown texts in content/ must keep the words of their seed texts unchanged.

The seeds are the texts as received (plain text, in ``shared/seeds`` next to the
repository). The Markdown files may add structure only: front matter, headings,
emphasis, blockquotes, footnote references and definitions, line breaks. These tests
compare word sequences, ignoring Markdown syntax, footnote markers, punctuation and the
difference between curly and straight quotes, so that changing, adding or dropping a
single word of a text makes them fail.

Only PyYAML and the standard library are used; the glossator package is not imported.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
CONTENT = REPO / "content"
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"

# Each seed file and the content file that represents it.
OP_ED_SEED = "000_de4211cf486f5848.txt"
OP_ED_CONTENT = "russia-partnerships-op-ed.md"
NEWS_SEED = "004_832847dd10b61483.txt"
NEWS_CONTENT = "china-russia-joint-struggle.md"
SEED_TO_CONTENT = {
    OP_ED_SEED: OP_ED_CONTENT,
    NEWS_SEED: NEWS_CONTENT,
}

# Where the news report's article text begins; everything before it in the seed is
# header material (title, dek, byline, author card, bio, dates).
NEWS_BODY_START = "Communist China is aligning"

_QUOTE_FOLD = str.maketrans(
    {
        "\u2018": "'",  # left single quotation mark
        "\u2019": "'",  # right single quotation mark / apostrophe
        "\u02bc": "'",  # modifier letter apostrophe
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u00ad": None,  # soft hyphen
        "\u200b": None,  # zero-width space
        "\u200c": None,
        "\u200d": None,
        "\ufeff": None,
    }
)

# A word: letters/digits, possibly joined by apostrophes (Xi's, don't).
_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")


def normalise(text: str) -> str:
    """NFC, fold quote variants to straight quotes, drop invisible characters."""
    return unicodedata.normalize("NFC", text).translate(_QUOTE_FOLD)


def words(text: str) -> list[str]:
    """The word sequence of a text; punctuation and whitespace are ignored."""
    return _WORD.findall(normalise(text))


def split_front_matter(markdown: str) -> tuple[dict, str]:
    """Return (front matter, body) of a Markdown file with a leading '---' block."""
    match = re.match(r"\A---[ \t]*\n(.*?)\n---[ \t]*\n", markdown, re.S)
    assert match, "the content file must start with a YAML front matter block"
    front = yaml.safe_load(match.group(1)) or {}
    assert isinstance(front, dict), "front matter must be a YAML mapping"
    return front, markdown[match.end() :]


def strip_markdown(body: str) -> str:
    """Remove Markdown syntax that is not part of the text's words."""
    # Footnote definitions' labels ("[^1]:") and footnote references ("[^1]").
    body = re.sub(r"\[\^[^\]\s]+\]:?", " ", body)
    # Images and inline links keep only their visible text.
    body = re.sub(r"!\[([^\]]*)\]\([^)]*\)", r"\1", body)
    body = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", body)
    # Autolinks keep their URL (it is visible text); drop the angle brackets.
    body = re.sub(r"<((?:https?|mailto):[^>\s]+)>", r" \1 ", body)
    # HTML comments are invisible.
    body = re.sub(r"<!--.*?-->", " ", body, flags=re.S)
    # Block markers: headings, blockquotes, list bullets, horizontal rules.
    body = re.sub(r"(?m)^[ \t]*(?:>[ \t]?)+", "", body)
    body = re.sub(r"(?m)^[ \t]*#{1,6}[ \t]+", "", body)
    body = re.sub(r"(?m)^[ \t]*[-*+][ \t]+", "", body)
    # Emphasis and code markers are punctuation to the word tokenizer anyway.
    return body


def strip_seed_markers(seed: str) -> str:
    """Remove the seed's footnote markers: '[1]' in the text, '1 ' before a reference URL."""
    seed = re.sub(r"\[\d+\]", " ", seed)
    seed = re.sub(r"(?m)^[ \t]*\d+[ \t]+(?=https?://)", "", seed)
    return seed


def first_difference(expected: list[str], actual: list[str]) -> str:
    """A readable description of where two word sequences first differ."""
    pairs = enumerate(zip(expected, actual, strict=False))
    i = next((n for n, (e, a) in pairs if e != a), min(len(expected), len(actual)))
    lo = max(0, i - 8)
    return (
        f"word #{i} differs (seed has {len(expected)} words, content has {len(actual)}).\n"
        f"  seed:    ... {' '.join(expected[lo : i + 8])}\n"
        f"  content: ... {' '.join(actual[lo : i + 8])}"
    )


@pytest.fixture(scope="module")
def seeds_dir() -> Path:
    if not SEEDS.is_dir():
        pytest.skip(
            f"seed texts not available: {SEEDS} does not exist (the seeds live in shared/seeds next to the repository)"
        )
    return SEEDS


def read_seed(seeds_dir: Path, name: str) -> str:
    path = seeds_dir / name
    if not path.is_file():
        pytest.skip(f"seed text {name} not found in {seeds_dir}")
    return path.read_text(encoding="utf-8")


def read_content(name: str) -> tuple[dict, str]:
    path = CONTENT / name
    assert path.is_file(), f"content file {path} is missing"
    return split_front_matter(path.read_text(encoding="utf-8"))


def test_every_seed_has_a_content_file(seeds_dir: Path) -> None:
    for seed_name, content_name in SEED_TO_CONTENT.items():
        assert (seeds_dir / seed_name).is_file(), f"seed {seed_name} is missing"
        assert (CONTENT / content_name).is_file(), f"seed {seed_name} should be represented by content/{content_name}"


def test_op_ed_body_matches_seed_word_for_word(seeds_dir: Path) -> None:
    seed = read_seed(seeds_dir, OP_ED_SEED)
    _front, body = read_content(OP_ED_CONTENT)
    expected = words(strip_seed_markers(seed))
    actual = words(strip_markdown(body))
    assert expected, "the op-ed seed has no words"
    assert actual == expected, f"content/{OP_ED_CONTENT} does not reproduce {OP_ED_SEED}: " + first_difference(
        expected, actual
    )


def _news_seed_parts(seed: str) -> tuple[list[str], str]:
    """Split the news seed into its header lines and its article text."""
    start = seed.find(NEWS_BODY_START)
    assert start != -1, f"{NEWS_SEED} no longer contains {NEWS_BODY_START!r}"
    header = [line.strip() for line in seed[:start].splitlines() if line.strip()]
    return header, seed[start:]


def test_news_report_body_matches_seed_word_for_word(seeds_dir: Path) -> None:
    seed = read_seed(seeds_dir, NEWS_SEED)
    _front, body = read_content(NEWS_CONTENT)
    _header, seed_body = _news_seed_parts(seed)
    plain = strip_markdown(body)
    start = normalise(plain).find(normalise(NEWS_BODY_START))
    assert start != -1, f"content/{NEWS_CONTENT} does not contain {NEWS_BODY_START!r}"
    expected = words(seed_body)
    actual = words(normalise(plain)[start:])
    assert actual == expected, (
        f"content/{NEWS_CONTENT} does not reproduce the article text of {NEWS_SEED}: "
        + first_difference(expected, actual)
    )


def test_news_report_header_is_represented(seeds_dir: Path) -> None:
    seed = read_seed(seeds_dir, NEWS_SEED)
    front, body = read_content(NEWS_CONTENT)
    header, _seed_body = _news_seed_parts(seed)
    # Seed header: title, dek, "By <author>", author card (name, name, role), bio, dates.
    assert len(header) >= 8, f"unexpected header in {NEWS_SEED}: {header!r}"
    title, dek, byline, _card_name, _card_name2, role, bio, dates = header[:8]

    assert normalise(str(front.get("title", ""))).strip() == normalise(title), (
        "front matter 'title' must equal the seed's title"
    )
    assert normalise(str(front.get("summary", ""))).strip() == normalise(dek), (
        "front matter 'summary' must equal the seed's dek"
    )
    assert byline.startswith("By "), f"unexpected byline {byline!r}"
    assert words(str(front.get("author", ""))) == words(byline[3:]), (
        "front matter 'author' must name the seed's byline author"
    )

    # The byline, role and bio appear as a short header before the article text.
    plain = normalise(strip_markdown(body))
    before_article = plain[: plain.find(normalise(NEWS_BODY_START))]
    header_words = " " + " ".join(words(before_article)) + " "
    for part, label in ((byline, "byline"), (role, "author role"), (bio, "bio sentence")):
        assert " " + " ".join(words(part)) + " " in header_words, (
            f"the {label} {part!r} must appear in the body before the article text"
        )

    # The dates line ("March 27, 2023Updated: March 27, 2023") matches front matter date.
    match = re.match(r"([A-Z][a-z]+ \d{1,2}, \d{4})", dates)
    assert match, f"unexpected dates line {dates!r}"
    published = datetime.datetime.strptime(match.group(1), "%B %d, %Y").date()
    assert str(front.get("date")) == published.isoformat(), "front matter 'date' must be the seed's publication date"
