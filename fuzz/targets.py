"""Fuzz targets: one input is a project, and the loader or the whole build must end in diagnostics.

An input is a text file and an annotation file separated by a line holding only ``%%%%``
(without the separator, all of it is the annotation file). The text goes to ``content/t.md`` and the
annotations to ``annotations/t/a.yaml`` of a scratch project, so bytes pass through the same reading,
decoding, YAML, schema, Markdown, anchoring and rendering code as a contributor's files. Any exception
is a bug: bad input must only ever produce diagnostics.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path

from glossator.build import render
from glossator.diagnostics import format_github, format_json, format_text
from glossator.load import load_project

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
SEPARATOR = b"\n%%%%\n"
"""Between the text and the annotations in one input."""


def split(data: bytes) -> tuple[bytes, bytes]:
    """The text and the annotation file of one input."""
    text, found, annotations = data.partition(SEPARATOR)
    return (text, annotations) if found else (b"---\ntitle: T\n---\nA text to quote from.\n", text)


class Scratch:
    """A scratch project folder, rewritten for every input."""

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="glossator-fuzz-"))
        (self.root / "content").mkdir()
        (self.root / "annotations" / "t").mkdir(parents=True)

    def write(self, data: bytes) -> Path:
        text, annotations = split(data)
        (self.root / "content" / "t.md").write_bytes(text)
        (self.root / "annotations" / "t" / "a.yaml").write_bytes(annotations)
        return self.root

    def remove(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)


def check_diagnostics(diagnostics, sources) -> None:
    """Every diagnostic is located and prints, in each format, without control characters or a line
    that a CI runner would take for a command (GitHub obeys lines starting with ``::``)."""
    for diagnostic in diagnostics:
        assert diagnostic.location.line >= 1 and diagnostic.location.col >= 1, diagnostic
        assert diagnostic.message, diagnostic
    text = format_text(diagnostics, sources)
    assert not _CONTROL.search(text), text
    assert not any(line.strip().startswith("::") for line in text.split("\n")), text
    assert all(line.startswith("::") for line in format_github(diagnostics).splitlines())
    format_json(diagnostics)


def load_target(scratch: Scratch, data: bytes) -> None:
    """The loader: reading, decoding, YAML, schema and front matter."""
    project, problems = load_project(scratch.write(data))
    check_diagnostics(problems, project.source_lines)


def build_target(scratch: Scratch, data: bytes) -> None:
    """The whole in-memory build."""
    result = render(scratch.write(data))
    check_diagnostics(result.diagnostics, result.project.source_lines if result.project else {})
    for page in result.pages:
        page.content.decode("utf-8")
