"""Hostile projects at any scale: shared by the limit tests (small scale) and ``measure_limits.py`` (full scale).

Each builder writes a project under ``root`` and returns it; ``scale`` is the size of the attack
(notes, nesting levels, bytes...).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

FRONT = "---\ntitle: T\n---\n"


def project(root: Path, text: str, annotations: dict[str, str] | None = None) -> Path:
    """``content/t.md`` and ``annotations/t/<name>``."""
    (root / "content").mkdir(parents=True, exist_ok=True)
    (root / "content" / "t.md").write_text(text, encoding="utf-8")
    for name, source in (annotations or {}).items():
        (root / "annotations" / "t").mkdir(parents=True, exist_ok=True)
        (root / "annotations" / "t" / name).write_text(source, encoding="utf-8")
    return root


def note(note_id: str, quote: str, **fields: str) -> str:
    """One annotation as YAML, values double-quoted."""
    extra = "".join(f'  {key}: "{value}"\n' for key, value in fields.items())
    source = "  sources:\n    - title: A source\n      url: https://example.org/\n"
    return f'- id: {note_id}\n  kind: context\n  quote: "{quote}"\n  body: "A note."\n{source}{extra}'


def words(count: int) -> list[str]:
    """Distinct words, so that every quote of them is unique."""
    return [f"w{i:x}q" for i in range(count)]


def many_texts(root: Path, scale: int) -> Path:
    """``scale`` small texts with a note each, and as many annotation folders."""
    root = project(root, FRONT + "Text.\n")
    for i in range(scale):
        (root / "content" / f"t{i}.md").write_text(FRONT + f"Text number {i}.\n", encoding="utf-8")
        (root / "annotations" / f"t{i}").mkdir(parents=True)
        (root / "annotations" / f"t{i}" / "a.yaml").write_text(note("n", f"number {i}"), encoding="utf-8")
    return root


def alias_bomb(root: Path, scale: int) -> Path:
    """The billion laughs: each level lists the previous one ten times (``scale`` levels)."""
    lines = ['a0: &a0 "lol"'] + [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, scale)]
    return project(root, FRONT + "Text.\n", {"bomb.yaml": "\n".join(lines) + "\n"})


def deep_flow(root: Path, scale: int) -> Path:
    """``scale`` nested flow lists in an annotation file."""
    return project(root, FRONT + "Text.\n", {"deep.yaml": "[" * scale + "]" * scale + "\n"})


def deep_block(root: Path, scale: int) -> Path:
    """``scale`` nested block mappings in the front matter."""
    nested = "".join(f"{'  ' * i}k{i}:\n" for i in range(scale)) + f"{'  ' * scale}x\n"
    return project(root, "---\ntitle: T\n" + nested + "---\nText.\n")


def many_values(root: Path, scale: int) -> Path:
    """An annotation file holding ``scale`` tiny values."""
    return project(root, FRONT + "Text.\n", {"wide.yaml": "[" + "a," * scale + "a]\n"})


def huge_text(root: Path, scale: int) -> Path:
    """A text of ``scale`` bytes."""
    return project(root, FRONT + "x" * scale + "\n")


def sparse_text(root: Path, scale: int) -> Path:
    """A text file claiming ``scale`` bytes, written as a sparse file (nothing is stored)."""
    root = project(root, FRONT + "Text.\n")
    with (root / "content" / "t.md").open("r+b") as file:
        file.truncate(scale)
    return root


def many_notes(root: Path, scale: int) -> Path:
    """``scale`` notes, each on its own word, 50 words a paragraph, 4,000 notes a file."""
    names = words(scale)
    text = FRONT + "\n\n".join(" ".join(names[i : i + 50]) for i in range(0, scale, 50)) + "\n"
    files = {f"n{i // 4000:03d}.yaml": "".join(note(f"n{j}", names[j]) for j in range(i, min(i + 4000, scale)))
             for i in range(0, scale, 4000)}  # fmt: skip
    return project(root, text, files)


def one_paragraph(root: Path, scale: int) -> Path:
    """``scale`` notes in a single paragraph: one long line."""
    names = words(scale)
    files = {f"n{i // 4000:03d}.yaml": "".join(note(f"n{j}", names[j]) for j in range(i, min(i + 4000, scale)))
             for i in range(0, scale, 4000)}  # fmt: skip
    return project(root, FRONT + " ".join(names) + "\n", files)


def overlapping(root: Path, scale: int) -> Path:
    """``scale`` notes whose passages all overlap, each shifted by one word."""
    names = words(2 * scale)
    text = FRONT + " ".join(names) + "\n"
    length = min(scale, 50)
    notes = "".join(note(f"n{i}", " ".join(names[i : i + length])) for i in range(scale))
    return project(root, text, {"o.yaml": notes})


def lost_notes(root: Path, scale: int) -> Path:
    """``scale`` notes whose quotes are near-misses of passages in a 20,000-word text."""
    names = words(20_000)
    text = FRONT + "\n\n".join(" ".join(names[i : i + 50]) for i in range(0, 20_000, 50)) + "\n"
    misses = "".join(note(f"n{i}", f"{names[i]} {names[i + 1]}x {names[i + 2]}") for i in range(scale))
    return project(root, text, {"lost.yaml": misses})


def long_lost_quotes(root: Path, scale: int, paragraphs: int = 100) -> Path:
    """``scale`` lost 2,000-character quotes against long paragraphs in a small alphabet (slowest to compare)."""
    alphabet = ["alpha", "beta", "gamma", "delta", "eps", "zeta", "eta", "theta", "iota", "kappa"]
    paragraph = " ".join(alphabet[(i * 7) % 10] for i in range(3000))
    text = FRONT + "\n\n".join([paragraph] * paragraphs) + "\n"
    quote = (" ".join(alphabet[(i * 3) % 10] for i in range(400)))[:1999] + "x"
    return project(root, text, {"long.yaml": "".join(note(f"n{i}", quote) for i in range(scale))})


def common_quote(root: Path, scale: int) -> Path:
    """Notes quoting a word that occurs ``scale`` times."""
    return project(root, FRONT + "the cat " * scale + "\n", {"c.yaml": note("c", "the", prefix="x")})


def long_line(root: Path, scale: int) -> Path:
    """One line of ``scale`` characters without a space, quoted at its end."""
    line = "a" * scale + "z"
    return project(root, FRONT + line + "\n", {"l.yaml": note("l", "a" * 1999 + "z")})


def nested_brackets(root: Path, scale: int) -> Path:
    """Markdown's known slow paths: ``scale`` unclosed brackets, emphasis and backticks."""
    body = "[" * scale + "\n\n" + "*a " * scale + "\n\n" + "`a``" * (scale // 4) + "\n"
    return project(root, FRONT + body)


ATTACKS: dict[str, tuple[Callable[[Path, int], Path], int, str]] = {
    "alias bomb": (alias_bomb, 10, "levels of ten aliases"),
    "deep flow nesting": (deep_flow, 100_000, "nested lists"),
    "deep block nesting": (deep_block, 1_000, "nested mappings in front matter"),
    "many values": (many_values, 300_000, "values in one file"),
    "huge text": (huge_text, 3 * 1024 * 1024, "bytes"),
    "sparse huge text": (sparse_text, 10 * 1024**3, "bytes (sparse)"),
    "many notes": (many_notes, 20_000, "notes, 50 per paragraph"),
    "many texts": (many_texts, 2_000, "texts with a note each"),
    "one paragraph": (one_paragraph, 10_000, "notes in one paragraph"),
    "overlapping": (overlapping, 2_000, "overlapping notes"),
    "lost notes": (lost_notes, 5_000, "near-miss quotes"),
    "long lost quotes": (long_lost_quotes, 100, "lost 2,000-character quotes, 1.5 MB text"),
    "common quote": (common_quote, 200_000, "occurrences of the quote"),
    "long line": (long_line, 1_900_000, "characters in one line"),
    "nested brackets": (nested_brackets, 200_000, "brackets, emphasis marks"),
}
"""Each attack: its builder, its full scale, and what the scale counts."""
