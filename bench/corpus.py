"""A synthetic glossator project: N texts of about 700 words, M annotations each.

Each text has front matter, a heading, paragraphs with emphasis, links and a footnote.
Each annotation quotes a passage exactly as a reader sees it (unique in its text) and
the kinds are mixed (context, rebuttal with claim and rating, footnote). Deterministic:
the same arguments always write the same bytes.
"""

from __future__ import annotations

import random
from pathlib import Path

CORPUS_VERSION = 2
"""Changes whenever the corpus does, so that corpora kept from earlier runs are written anew."""
WORDS_PER_TEXT = 700
_VOCABULARY = (
    "the of and to in that is was for on with as by at from his her their they this which "
    "policy minister government treaty alliance economy trade sanctions market energy pipeline "
    "border security council summit delegation agreement statement report analysts officials "
    "region strategy partnership influence pressure dialogue conflict ceasefire negotiation "
    "history archive evidence source claim record vote parliament election campaign budget "
    "industry exports imports currency inflation growth decline reform protest court ruling "
    "journalist editor newspaper broadcast interview speech letter memo briefing document "
    "northern southern eastern western capital province city harbour river mountain valley "
    "early late recent former current future annual quarterly weekly daily public private "
    "quickly slowly openly quietly firmly carefully widely rarely often never always again "
    "argued claimed denied confirmed announced rejected proposed signed delayed expanded "
    "question answer debate rumour fact figure estimate survey study paper thesis review"
).split()
_KINDS = ("context", "rebuttal", "footnote")
_RATINGS = ("false", "misleading", "unsupported", "disputed", "lacks-context")


def write_corpus(root: Path, texts: int, annotations: int = 10, seed: int = 7) -> Path:
    """Write ``content/`` and ``annotations/`` for a project of ``texts`` texts under ``root``."""
    (root / "content").mkdir(parents=True, exist_ok=True)
    for number in range(texts):
        rng = random.Random(f"{seed}-{number}")
        slug = f"text-{number:05d}"
        markdown, paragraphs = _text(rng, number)
        (root / "content" / f"{slug}.md").write_text(markdown, encoding="utf-8")
        folder = root / "annotations" / slug
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "notes.yaml").write_text(_annotations(rng, number, paragraphs, annotations), encoding="utf-8")
    return root


def _text(rng: random.Random, number: int) -> tuple[str, list[list[str]]]:
    """A text's Markdown and its paragraphs as the words a reader sees."""
    paragraphs: list[list[str]] = []
    blocks: list[str] = []
    count = 0
    while count < WORDS_PER_TEXT:
        words = [rng.choice(_VOCABULARY) for _ in range(rng.randint(50, 90))]
        words[0] = words[0].capitalize()
        words[-1] += "."
        paragraphs.append(words)
        blocks.append(_markup(rng, words, footnote=len(paragraphs) == 2))
        count += len(words)
    date = f"2024-01-{number % 28 + 1:02d}"
    front = f'---\ntitle: "Text number {number}"\nauthor: Author {number % 37}\ndate: {date}\n---\n\n'
    heading = f"## Section {number}\n\n"
    footnote = f"\n[^1]: A source for text {number}, see <https://example.org/{number}>.\n"
    return front + heading + "\n\n".join(blocks) + "\n" + footnote, paragraphs


def _markup(rng: random.Random, words: list[str], footnote: bool) -> str:
    """Markdown for a paragraph: some words emphasised or linked, wrapped at about 80 columns."""
    out: list[str] = []
    for index, word in enumerate(words):
        roll = rng.random()
        if roll < 0.04 and not word.endswith("."):
            out.append(f"*{word}*")
        elif roll < 0.06 and not word.endswith("."):
            out.append(f"[{word}](https://example.org/{word}/{index})")
        else:
            out.append(word)
    if footnote:
        out[-1] += "[^1]"
    lines, line = [], ""
    for token in out:
        if line and len(line) + len(token) > 80:
            lines.append(line)
            line = token
        else:
            line = f"{line} {token}" if line else token
    lines.append(line)
    return "\n".join(lines)


def _annotations(rng: random.Random, text: int, paragraphs: list[list[str]], count: int) -> str:
    """YAML for ``count`` annotations quoting unique passages of text number ``text``.

    Every note's body, claim and sources differ from every other note's in the corpus, as real
    notes do, so that nothing is rendered once and reused.
    """
    plain = "\n\n".join(" ".join(words) for words in paragraphs)
    items: list[str] = []
    while len(items) < count:
        words = rng.choice(paragraphs)
        size = rng.randint(4, 9)
        start = rng.randint(0, len(words) - size)
        quote = " ".join(words[start : start + size])
        if plain.count(quote) != 1:
            continue
        number = len(items) + 1
        kind = _KINDS[number % len(_KINDS)]
        lines = [f"- id: note-{number}", f"  kind: {kind}", f'  quote: "{quote}"']
        if kind != "footnote":
            word = rng.choice(_VOCABULARY)
            lines.append(
                f"  body: Note {number} on text {text} explains *why* the {word} matters here;"
                f" see [the record](https://example.org/r/{text}/{number})."
            )
        if kind == "rebuttal":
            lines += [f'  claim: "Claim {number} of text {text}, as stated"', f"  rating: {rng.choice(_RATINGS)}"]
        lines += ["  sources:", f'    - title: "Source {number} for text {text}"']
        lines.append(f"      url: https://example.org/s/{text}/{number}")
        lines += ["  author: Bench Writer", f"  added: 2024-05-{number % 28 + 1:02d}"]
        items.append("\n".join(lines))
    return "\n".join(items) + "\n"
