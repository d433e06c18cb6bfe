"""The build, as a table of contents: load, anchor, render, write."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from glossator.anchor import anchor_document
from glossator.document import Document, parse_document
from glossator.load import load_project
from glossator.model import Anchor, Diagnostic, Page, PiecedPage, Project, Severity
from glossator.render import RenderError, render_site
from glossator.write import write_site


@dataclass(frozen=True)
class Result:
    """What a build or check found and made."""

    project: Project | None
    """What was loaded (None if nothing could be)."""
    diagnostics: tuple[Diagnostic, ...]
    """Every problem, in file order."""
    pages: tuple[Page | PiecedPage, ...]
    """The rendered site; empty when the inputs could not be rendered."""

    @property
    def ok(self) -> bool:
        """True when nothing is an error."""
        return not has_errors(self.diagnostics)


def has_errors(diagnostics: Sequence[Diagnostic]) -> bool:
    """Whether any diagnostic is an error."""
    return any(d.severity is Severity.ERROR for d in diagnostics)


def build(root: Path, out: Path) -> Result:
    """Build the site under ``root`` into ``out``; the previous site stays if rendering fails."""
    result = render(root)
    if result.pages:
        write_site(out, result.pages)
    return result


def render(root: Path) -> Result:
    """Load, anchor and render everything in memory; write nothing."""
    project, problems = load_project(root)
    documents = [parse_document(text) for text in project.texts]
    anchors, anchor_problems = anchor_all(project, documents)
    if has_errors(problems):
        return Result(project, (*problems, *anchor_problems), ())
    try:
        pages = render_site(project, documents, anchors)
    except RenderError as error:
        return Result(project, (*problems, *anchor_problems, error.diagnostic), ())
    return Result(project, (*problems, *anchor_problems), tuple(pages))


def anchor_all(project: Project, documents: Sequence[Document]) -> tuple[dict[str, list[Anchor]], list[Diagnostic]]:
    """Anchor every text's annotations."""
    anchors: dict[str, list[Anchor]] = {}
    problems: list[Diagnostic] = []
    for document in documents:
        found, lost = anchor_document(document, project.annotations.get(document.text.slug, ()))
        anchors[document.text.slug] = found
        problems.extend(lost)
    return anchors, problems
