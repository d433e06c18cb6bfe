"""Reading a project folder: the only module that reads inputs.

Everything is read, decoded and checked for size and location here; parsing into the
model happens in pure functions (:mod:`glossator.texts`, :mod:`glossator.annotations`).
"""

from __future__ import annotations

import difflib
import hashlib
import os
import re
import stat
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from glossator.annotations import check_sources, check_unique_ids, parse_annotations
from glossator.config import BASE_URL_VARIABLE, CONFIG_FILE, override_base_url, parse_config
from glossator.model import Annotation, Diagnostic, Location, Project, SiteConfig, Text
from glossator.texts import parse_text

MAX_TEXT_BYTES = 2 * 1024 * 1024
"""Largest text file accepted."""
MAX_ANNOTATION_BYTES = 1024 * 1024
"""Largest annotation file accepted."""
MAX_THEME_BYTES = 5 * 1024 * 1024
"""Largest template or static file accepted."""
MAX_CONFIG_BYTES = 64 * 1024
"""Largest configuration file accepted."""

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*\Z")
"""What a text's file name (without ``.md``) must look like: it becomes a URL."""
RESERVED_SLUGS = frozenset({"feeds", "search", "static"})
"""Folders of the site's own files: a text named so would overwrite them, or they it."""
PACKAGE_THEME = resources.files("glossator") / "theme"
"""The built-in theme, which a project's ``templates/`` overrides file by file."""
_CONTROL = re.compile(r"[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
"""Control characters (and the noncharacters XML forbids) no text needs: they could garble a terminal or a feed."""
_PLAIN_ASCII = bytes(range(0x20, 0x7F)) + b"\t\n\r"
"""What an ASCII file holds when it holds no control character: checked many times faster than :data:`_CONTROL`."""


@dataclass(frozen=True)
class Inputs:
    """A project's input files, found by listing its folders; nothing is read yet."""

    texts: tuple[tuple[str, Path], ...]
    """Each text's slug and file, by file name."""
    annotations: tuple[tuple[str, Path, tuple[Path, ...]], ...]
    """Each folder under ``annotations/``: its name, its path and its annotation files, by name."""


def load_project(root: Path) -> tuple[Project, list[Diagnostic]]:
    """Read texts, annotations and the theme under ``root``; report every problem at once."""
    root = root.resolve()
    problems: list[Diagnostic] = []
    sources: dict[str, tuple[str, ...]] = {}
    inputs = find_inputs(root, problems)
    texts = [text for slug, path in inputs.texts if (text := load_text(root, slug, path, problems, sources))]
    slugs = {text.slug for text in texts}
    annotations = {
        name: load_annotations(root, files, problems, sources) for name, _, files in inputs.annotations if name in slugs
    }
    problems.extend(unknown_texts(root, inputs, slugs))
    theme = load_theme(root, problems)
    config = load_config(root, problems, sources)
    return Project(tuple(texts), annotations, theme, sources, config), problems


def find_inputs(root: Path, problems: list[Diagnostic]) -> Inputs:
    """List the texts and annotation files (``root`` resolved); report misnamed and misplaced files."""
    return Inputs(tuple(_find_texts(root, problems)), tuple(_find_annotations(root, problems)))


def load_text(
    root: Path,
    slug: str,
    path: Path,
    problems: list[Diagnostic],
    sources: dict[str, tuple[str, ...]],
    digest: InputDigest | None = None,
) -> Text | None:
    """Read and parse one text file; None when it cannot be used. ``digest`` takes in the bytes read."""
    where = _relative(root, path)
    source = read_source(root, path, MAX_TEXT_BYTES, problems, digest)
    if source is None:
        return None
    sources[where] = tuple(source.split("\n"))
    text, found = parse_text(slug, where, source)
    problems.extend(found)
    return text


def load_annotations(
    root: Path,
    files: Iterable[Path],
    problems: list[Diagnostic],
    sources: dict[str, tuple[str, ...]],
    digest: InputDigest | None = None,
) -> tuple[Annotation, ...]:
    """Read and parse one text's annotation files, then check them together (ids, sources).

    ``digest`` takes in the bytes read.
    """
    annotations: list[Annotation] = []
    for path in files:
        where = _relative(root, path)
        source = read_source(root, path, MAX_ANNOTATION_BYTES, problems, digest)
        if source is None:
            continue
        sources[where] = tuple(source.split("\n"))
        found, errors = parse_annotations(where, source)
        annotations.extend(found)
        problems.extend(errors)
    problems.extend(check_unique_ids(annotations))
    problems.extend(check_sources(annotations))
    return tuple(annotations)


class InputDigest:
    """A digest of input files' names and bytes: equal digests, equal inputs, whatever the files' dates.

    A build makes it from the bytes it reads, so it describes exactly what was compiled; a
    file that could not be used, or is reached through a symbolic link (whose target must be
    checked again), spoils it: an empty digest equals nothing, so those inputs always count as changed.
    """

    __slots__ = ("_hash", "_spoiled")

    def __init__(self) -> None:
        self._hash = hashlib.blake2b(digest_size=16)
        self._spoiled = False

    def add(self, path: Path, data: bytes) -> None:
        """Take in one file's bytes."""
        self._hash.update(f"\0{path.name}\0{len(data)}\0".encode() + data)

    def spoil(self) -> None:
        """Make the digest empty: some input could not be taken in."""
        self._spoiled = True

    def hexdigest(self) -> str:
        """The digest, or "" if it was spoiled."""
        return "" if self._spoiled else self._hash.hexdigest()


_UNFOLLOWED = getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
"""How :func:`content_digest` opens a file: not through a link, and without waiting on a pipe for a writer."""


def content_digest(paths: Iterable[Path], limit: int = MAX_TEXT_BYTES) -> str:
    """The :class:`InputDigest` of the files as they are now, "" if one is unreadable, a link or too large."""
    digest = InputDigest()
    for path in paths:
        try:
            data = _read_file(path, limit, _UNFOLLOWED)
        except OSError:
            return ""
        if len(data) > limit:
            return ""
        digest.add(path, data)
    return digest.hexdigest()


def _read_file(path: Path, limit: int, flags: int = 0) -> bytes:
    """Up to ``limit + 1`` bytes of a file (one more than the limit shows that it is too large).

    Plain ``os`` calls: a buffered file object costs more system calls than the read itself.
    """
    file = os.open(path, os.O_RDONLY | os.O_CLOEXEC | flags)
    try:
        size = os.fstat(file).st_size
        data = os.read(file, min(size, limit) + 1)  # a buffer the size of the limit costs more than the read
        while size < len(data) <= limit and (more := os.read(file, limit + 1 - len(data))):
            data += more  # the file grew since
        return data
    finally:
        os.close(file)


def unknown_texts(root: Path, inputs: Inputs, slugs: set[str]) -> list[Diagnostic]:
    """Annotation folders, with files, named after no text that loaded (``slugs``)."""
    return [
        _unknown_text(_relative(root, folder), name, slugs)
        for name, folder, files in inputs.annotations
        if files and name not in slugs
    ]


def read_source(
    root: Path, path: Path, limit: int, problems: list[Diagnostic], digest: InputDigest | None = None
) -> str | None:
    """A file's text: UTF-8 (a BOM is dropped), newlines made ``\\n``; None when unreadable.

    ``digest`` takes in the bytes read (:class:`InputDigest`).
    """
    where = _relative(root, path)
    data, direct = _read_bytes(root, path, where, limit, problems)
    if digest is not None:
        if data is not None and direct:
            digest.add(path, data)
        else:
            digest.spoil()
    return None if data is None else _decode(where, data, problems)


def _read_bytes(
    root: Path, path: Path, where: str, limit: int, problems: list[Diagnostic]
) -> tuple[bytes | None, bool]:
    """A file's bytes, if it is an ordinary file inside the project and not too large; and whether it was
    reached without following a link."""
    try:
        direct = _link_free(root, path)
        inside, info = direct or path.resolve().is_relative_to(root), path.stat()
    except (OSError, RuntimeError) as error:
        problems.append(_unreadable(where, error))
        return None, False
    if not inside:
        problems.append(
            Diagnostic(
                Location(where, 1),
                "file is a link to outside the project",
                hint="copy the file into the project instead of linking to it",
                code="input-outside-root",
            )
        )
        return None, False
    if not stat.S_ISREG(info.st_mode):
        problems.append(
            Diagnostic(
                Location(where, 1),
                "not a regular file (a folder, device or pipe has this name)",
                hint="texts and annotation files must be ordinary files; rename or remove this one",
                code="input-not-a-file",
            )
        )
        return None, False
    try:
        data = _read_file(path, limit)
    except OSError as error:
        problems.append(_unreadable(where, error))
        return None, False
    if len(data) > limit:
        size = max(info.st_size, len(data))
        problems.append(
            Diagnostic(
                Location(where, 1),
                f"file is too large ({size:,} bytes; at most {limit:,})",
                hint="split it into several files",
                code="input-too-large",
            )
        )
        return None, False
    return data, direct


def _decode(where: str, data: bytes, problems: list[Diagnostic]) -> str | None:
    """A file's bytes as text, if they are UTF-8 without NUL or control characters."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        problems.append(
            Diagnostic(
                _place(where, data, error.start),
                f"file is not valid UTF-8 (byte 0x{data[error.start]:02x})",
                hint="save the file with UTF-8 encoding",
                code="input-not-utf8",
            )
        )
        return None
    if "\x00" in text:
        problems.append(
            Diagnostic(Location(where, 1), "file contains NUL characters; is it binary?", code="input-binary")
        )
        return None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if (not text.isascii() or data.translate(None, _PLAIN_ASCII)) and (control := _CONTROL.search(text)):
        problems.append(
            Diagnostic(
                _place(where, text, control.start()),
                f"file contains a control character (U+{ord(control.group()):04X})",
                hint="delete it: control characters are invisible on the page and can garble a terminal",
                code="input-control-character",
            )
        )
        return None
    return text


def _place(where: str, data: str | bytes, offset: int) -> Location:
    """The line and column of ``offset`` in a file's text or bytes (columns count characters or bytes)."""
    newline = "\n" if isinstance(data, str) else b"\n"
    line_start = data.rfind(newline, 0, offset) + 1  # type: ignore[arg-type]
    return Location(where, data.count(newline, 0, offset) + 1, offset - line_start + 1)  # type: ignore[arg-type]


def load_config(root: Path, problems: list[Diagnostic], sources: dict[str, tuple[str, ...]]) -> SiteConfig:
    """``glossator.yaml`` if there is one, then ``$GLOSSATOR_BASE_URL`` over its base URL."""
    config = SiteConfig()
    path = root / CONFIG_FILE
    if path.is_file() and (source := read_source(root, path, MAX_CONFIG_BYTES, problems)) is not None:
        sources[CONFIG_FILE] = tuple(source.split("\n"))
        config, found = parse_config(CONFIG_FILE, source)
        problems.extend(found)
    if override := os.environ.get(BASE_URL_VARIABLE):
        config, found = override_base_url(config, override)
        problems.extend(found)
    return config


def _find_texts(root: Path, problems: list[Diagnostic]) -> list[tuple[str, Path]]:
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
    texts: list[tuple[str, Path]] = []
    seen: dict[str, Path] = {}
    for entry in _listing(folder):
        if entry.name.startswith(".") or not entry.name.lower().endswith(".md") or entry.is_dir():
            continue
        path = Path(entry.path)
        slug = path.stem
        if not SLUG.match(slug):
            problems.append(
                Diagnostic(
                    Location(_relative(root, path), 1),
                    f"text file name '{printable(path.name)}' is not a valid slug",
                    hint=(
                        f"rename it to '{_slugify(slug)}.md': lowercase letters, digits and hyphens"
                        " (it becomes the page's URL)"
                    ),
                    code="text-bad-slug",
                )
            )
            continue
        if slug in RESERVED_SLUGS:
            problems.append(
                Diagnostic(
                    Location(_relative(root, path), 1),
                    f"a text cannot be named '{slug}': the site's own {slug}/ folder is published there",
                    hint=f"rename the file, for example to '{slug}-text.md'",
                    code="text-reserved-slug",
                )
            )
            continue
        if slug in seen:
            problems.append(
                Diagnostic(
                    Location(_relative(root, path), 1),
                    f"two texts would be published at {slug}/: {seen[slug].name} and {path.name}",
                    hint="keep one of them; the extension must be '.md' in lowercase",
                    code="text-duplicate-slug",
                )
            )
            continue
        seen[slug] = path
        texts.append((slug, path))
    return texts


def _find_annotations(root: Path, problems: list[Diagnostic]) -> list[tuple[str, Path, tuple[Path, ...]]]:
    folder = root / "annotations"
    if not folder.is_dir():
        return []
    found: list[tuple[str, Path, tuple[Path, ...]]] = []
    for entry in _listing(folder):
        if entry.name.startswith("."):
            continue
        path = Path(entry.path)
        if not entry.is_dir():
            if path.suffix in (".yaml", ".yml"):
                problems.append(
                    Diagnostic(
                        Location(_relative(root, path), 1),
                        "annotation file is not inside a text's folder",
                        hint=(
                            "move it to annotations/<text-slug>/, where <text-slug> is the text's file name without .md"
                        ),
                        code="annotation-misplaced",
                    )
                )
            continue
        found.append((entry.name, path, annotation_files(path)))
    return found


def annotation_files(folder: Path) -> tuple[Path, ...]:
    """The annotation files in one text's folder, by name."""
    entries = _listing(folder)
    return tuple(Path(e.path) for e in entries if e.name.endswith((".yaml", ".yml")) and not e.name.startswith("."))


def _listing(folder: Path) -> list[os.DirEntry[str]]:
    """A folder's entries by name (``os.scandir`` spares a ``stat`` per entry: projects hold thousands)."""
    with os.scandir(folder) as entries:
        return sorted(entries, key=lambda entry: entry.name)


def load_theme(root: Path, problems: list[Diagnostic]) -> dict[str, bytes]:
    """Template and static files: the package's, overridden by the project's ``templates/``."""
    theme: dict[str, bytes] = {}
    _collect(PACKAGE_THEME, "", theme)
    project = root / "templates"
    if project.is_dir():
        for path in sorted(project.rglob("*")):
            if path.is_file() and not any(part.startswith(".") for part in path.relative_to(project).parts):
                name = path.relative_to(project).as_posix()
                if (data := _theme_file(root, path, name, problems)) is not None:
                    theme[name] = data
    return theme


def _theme_file(root: Path, path: Path, name: str, problems: list[Diagnostic]) -> bytes | None:
    """One file of the project's ``templates/``, or None and the reason it cannot be used."""
    where = _relative(root, path)
    try:
        if not _inside(root, path):
            problem = "template is a link to outside the project", "input-outside-root"
        elif "\\" in name or printable(name) != name:
            problem = "template file name holds a backslash or an invisible character", "input-bad-name"
        elif path.stat().st_size > MAX_THEME_BYTES:
            problem = "template file is too large", "input-too-large"
        else:
            data = path.read_bytes()
            if name.endswith(".html"):
                data.decode("utf-8")
            return data
    except (OSError, RuntimeError) as error:
        problems.append(_unreadable(where, error))
        return None
    except UnicodeDecodeError as error:
        problem = f"template is not valid UTF-8 (byte 0x{error.object[error.start]:02x})", "input-not-utf8"
    hint = "fix or remove the file; the built-in theme's file is used where the project gives none"
    problems.append(Diagnostic(Location(where, 1), problem[0], hint=hint, code=problem[1]))
    return None


def _collect(folder, prefix: str, theme: dict[str, bytes]) -> None:
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.startswith(".") or entry.name == "__pycache__":
            continue
        if entry.is_dir():
            _collect(entry, f"{prefix}{entry.name}/", theme)
        else:
            theme[prefix + entry.name] = entry.read_bytes()


def _unknown_text(where: str, name: str, slugs: set[str]) -> Diagnostic:
    close = [name.lower()] if name.lower() in slugs else difflib.get_close_matches(name, sorted(slugs), n=1)
    shown = printable(name)
    hint = f"add content/{shown}.md, or rename the folder after an existing text"
    if close:
        hint = f"did you mean annotations/{close[0]}/?"
    message = f"annotations for a text that does not exist: content/{shown}.md"
    return Diagnostic(Location(where, 1), message, hint=hint, code="annotation-unknown-text")


def _unreadable(where: str, error: OSError | RuntimeError) -> Diagnostic:
    reason = error.strerror if isinstance(error, OSError) and error.strerror else "a symbolic link loop or broken link"
    return Diagnostic(
        Location(where, 1),
        f"cannot read the file: {reason.lower()}",
        hint="make it an ordinary, readable file inside the project (a link must point to an existing file)",
        code="input-unreadable",
    )


def _inside(root: Path, path: Path) -> bool:
    """Whether ``path`` (under the resolved ``root``) really lies inside it, links followed."""
    return _link_free(root, path) or path.resolve().is_relative_to(root)


def _link_free(root: Path, path: Path) -> bool:
    """Whether ``path`` is written below the resolved ``root`` without a link or ``..`` on the way.

    Then it lies inside: a few ``lstat`` calls spare resolving the whole path, which looks at
    every component from ``/``.
    """
    place, name = str(root), str(path)
    if not name.startswith(place + os.sep):
        return False
    for part in name[len(place) + 1 :].split(os.sep):
        place += os.sep + part
        if part in ("", ".", "..") or stat.S_ISLNK(os.lstat(place).st_mode):
            return False
    return True


def _relative(root: Path, path: Path) -> str:
    """A path for diagnostics: relative to the root, invisible and control characters shown as escapes."""
    place, name = str(root) + os.sep, str(path)
    if name.startswith(place):  # as ``path.relative_to(root)`` gives it, without parsing both paths again
        return printable(name[len(place) :].replace(os.sep, "/"))
    try:
        return printable(path.relative_to(root).as_posix())
    except ValueError:
        return printable(path.as_posix())


def printable(name: str) -> str:
    """A file name as it can be shown safely: characters that are not printable become ``\\u....``."""
    if name.isprintable():
        return name
    return "".join(char if char.isprintable() else f"\\u{ord(char):04x}" for char in name)


def _slugify(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "text"
