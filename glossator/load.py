"""Reading a project folder: the only module that reads inputs.

Everything is read, decoded and checked for size and location here; parsing into the
model happens in pure functions (:mod:`glossator.texts`, :mod:`glossator.annotations`).
"""

from __future__ import annotations

import difflib
import re
from importlib import resources
from pathlib import Path

from glossator.annotations import check_sources, check_unique_ids, parse_annotations
from glossator.model import Annotation, Diagnostic, Location, Project, Text
from glossator.texts import parse_text

MAX_TEXT_BYTES = 2 * 1024 * 1024
"""Largest text file accepted."""
MAX_ANNOTATION_BYTES = 1024 * 1024
"""Largest annotation file accepted."""
MAX_THEME_BYTES = 5 * 1024 * 1024
"""Largest template or static file accepted."""

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
"""What a text's file name (without ``.md``) must look like: it becomes a URL."""
_PACKAGE_THEME = resources.files("glossator") / "theme"


def load_project(root: Path) -> tuple[Project, list[Diagnostic]]:
    """Read texts, annotations and the theme under ``root``; report every problem at once."""
    root = root.resolve()
    problems: list[Diagnostic] = []
    sources: dict[str, tuple[str, ...]] = {}
    texts = _load_texts(root, problems, sources)
    annotations = _load_annotations(root, {text.slug for text in texts}, problems, sources)
    theme = _load_theme(root, problems)
    return Project(tuple(texts), annotations, theme, sources), problems


def read_source(root: Path, path: Path, limit: int, problems: list[Diagnostic]) -> str | None:
    """A file's text: UTF-8 (a BOM is dropped), newlines made ``\\n``; None when unreadable."""
    where = _relative(root, path)
    if not _inside(root, path):
        problems.append(
            Diagnostic(
                Location(where, 1),
                "file is a link to outside the project",
                hint="copy the file into the project instead of linking to it",
                code="input-outside-root",
            )
        )
        return None
    size = path.stat().st_size
    if size > limit:
        problems.append(
            Diagnostic(
                Location(where, 1),
                f"file is too large ({size:,} bytes; at most {limit:,})",
                hint="split it into several files",
                code="input-too-large",
            )
        )
        return None
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        col = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        problems.append(
            Diagnostic(
                Location(where, line, col),
                f"file is not valid UTF-8 (byte 0x{data[error.start]:02x})",
                hint="save the file with UTF-8 encoding",
                code="input-not-utf8",
            )
        )
        return None
    if "\x00" in text:
        problems.append(Diagnostic(Location(where, 1), "file contains NUL characters; is it binary?", code="input-binary"))
        return None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _load_texts(root: Path, problems: list[Diagnostic], sources: dict[str, tuple[str, ...]]) -> list[Text]:
    folder = root / "content"
    if not folder.is_dir():
        problems.append(
            Diagnostic(
                Location("content", 1),
                "no 'content' folder in the project",
                hint=f"create {folder} with one Markdown file per text, or pass --root",
                code="project-no-content",
            )
        )
        return []
    texts: list[Text] = []
    for path in sorted(folder.iterdir()):
        where = _relative(root, path)
        if path.name.startswith(".") or path.suffix.lower() != ".md" or not path.is_file():
            continue
        slug = path.stem
        if not SLUG.match(slug):
            problems.append(
                Diagnostic(
                    Location(where, 1),
                    f"text file name '{path.name}' is not a valid slug",
                    hint=f"rename it to '{_slugify(slug)}.md': lowercase letters, digits and hyphens (it becomes the page's URL)",
                    code="text-bad-slug",
                )
            )
            continue
        source = read_source(root, path, MAX_TEXT_BYTES, problems)
        if source is None:
            continue
        sources[where] = tuple(source.split("\n"))
        text, found = parse_text(slug, where, source)
        problems.extend(found)
        if text is not None:
            texts.append(text)
    return texts


def _load_annotations(
    root: Path, slugs: set[str], problems: list[Diagnostic], sources: dict[str, tuple[str, ...]]
) -> dict[str, tuple[Annotation, ...]]:
    folder = root / "annotations"
    result: dict[str, tuple[Annotation, ...]] = {}
    if not folder.is_dir():
        return result
    for entry in sorted(folder.iterdir()):
        where = _relative(root, entry)
        if entry.name.startswith("."):
            continue
        if not entry.is_dir():
            if entry.suffix in (".yaml", ".yml"):
                problems.append(
                    Diagnostic(
                        Location(where, 1),
                        "annotation file is not inside a text's folder",
                        hint="move it to annotations/<text-slug>/, where <text-slug> is the text's file name without .md",
                        code="annotation-misplaced",
                    )
                )
            continue
        files = sorted(p for p in entry.iterdir() if p.suffix in (".yaml", ".yml") and not p.name.startswith("."))
        if entry.name not in slugs:
            if files:
                problems.append(_unknown_text(where, entry.name, slugs))
            continue
        annotations: list[Annotation] = []
        for path in files:
            file_where = _relative(root, path)
            source = read_source(root, path, MAX_ANNOTATION_BYTES, problems)
            if source is None:
                continue
            sources[file_where] = tuple(source.split("\n"))
            found, errors = parse_annotations(file_where, source)
            annotations.extend(found)
            problems.extend(errors)
        problems.extend(check_unique_ids(annotations))
        problems.extend(check_sources(annotations))
        result[entry.name] = tuple(annotations)
    return result


def _load_theme(root: Path, problems: list[Diagnostic]) -> dict[str, bytes]:
    """Template and static files: the package's, overridden by the project's ``templates/``."""
    theme: dict[str, bytes] = {}
    _collect(_PACKAGE_THEME, "", theme)
    project = root / "templates"
    if project.is_dir():
        for path in sorted(project.rglob("*")):
            if path.is_file() and not any(part.startswith(".") for part in path.relative_to(project).parts):
                if not _inside(root, path):
                    problems.append(Diagnostic(Location(_relative(root, path), 1), "template is a link to outside the project", code="input-outside-root"))
                elif path.stat().st_size > MAX_THEME_BYTES:
                    problems.append(Diagnostic(Location(_relative(root, path), 1), "template file is too large", code="input-too-large"))
                else:
                    theme[path.relative_to(project).as_posix()] = path.read_bytes()
    return theme


def _collect(folder, prefix: str, theme: dict[str, bytes]) -> None:
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.startswith(".") or entry.name == "__pycache__":
            continue
        if entry.is_dir():
            _collect(entry, f"{prefix}{entry.name}/", theme)
        else:
            theme[prefix + entry.name] = entry.read_bytes()


def _unknown_text(where: str, name: str, slugs: set[str]) -> Diagnostic:
    close = difflib.get_close_matches(name, sorted(slugs), n=1)
    hint = f"did you mean annotations/{close[0]}/?" if close else f"add content/{name}.md, or rename the folder after an existing text"
    return Diagnostic(Location(where, 1), f"annotations for a text that does not exist: content/{name}.md", hint=hint, code="annotation-unknown-text")


def _inside(root: Path, path: Path) -> bool:
    return path.resolve().is_relative_to(root)


def _relative(root: Path, path: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def _slugify(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "text"
