"""Shared fixtures: small project folders built inline, like mkdocs' temp trees."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


def dedent(text: str) -> str:
    """Strip the common indentation of a triple-quoted block and its first newline."""
    return textwrap.dedent(text).lstrip("\n")


def front(title: str = "A text", **fields: str) -> str:
    """A front matter block."""
    lines = [f"title: {title}", *(f"{key}: {value}" for key, value in fields.items())]
    return "---\n" + "\n".join(lines) + "\n---\n"


@pytest.fixture
def make_project(tmp_path: Path):
    """Write a project folder: ``make_project(texts={slug: md}, annotations={"slug/x.yaml": yaml})``."""

    def make(texts: dict[str, str] | None = None, annotations: dict[str, str] | None = None) -> Path:
        root = tmp_path / "project"
        (root / "content").mkdir(parents=True, exist_ok=True)
        for slug, source in (texts or {}).items():
            (root / "content" / f"{slug}.md").write_text(source, encoding="utf-8")
        for name, source in (annotations or {}).items():
            path = root / "annotations" / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(source, encoding="utf-8")
        return root

    return make
