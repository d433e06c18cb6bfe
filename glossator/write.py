"""Writing the site: the only module that touches the output folder.

The whole site is written to a fresh sibling folder, then swapped in with two renames,
so a failed or interrupted build leaves the previous site as it was. A marker file
proves a folder is a glossator site before it is ever replaced. The preview server, which
owns its output folder, instead updates a site in place, one atomic file replacement at a
time, so the last good version of every page keeps being served.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

from glossator.model import Page, PiecedPage

MARKER = ".glossator-site"
"""File written into every output folder; only folders holding it are replaced."""
_MARKER_TEXT = "Built by glossator; this folder is replaced on every build.\n"


class OutputError(Exception):
    """The output folder cannot be used safely."""


def check_output(out: Path, root: Path) -> None:
    """Refuse output folders that would overwrite the project or a folder that is not a site."""
    out, root = out.resolve(), root.resolve()
    if out == root or root.is_relative_to(out):
        raise OutputError(
            f"output folder {out} would contain the project itself; choose a folder such as {root / 'site'}"
        )
    for inputs in ("content", "annotations", "templates"):
        if out.is_relative_to(root / inputs):
            raise OutputError(f"output folder {out} is inside the project's {inputs}/ folder; choose another")
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not (out / MARKER).is_file())):
        raise OutputError(
            f"{out} exists and is not a glossator site (no {MARKER} file); refusing to replace it. "
            "Remove it or choose another --out folder"
        )


def safe_relative(path: str) -> PurePosixPath:
    """A page path that stays inside the output folder, or ValueError."""
    pure = PurePosixPath(path)
    if pure.is_absolute() or not pure.parts or any(part in ("", ".", "..") or "\\" in part for part in pure.parts):
        raise ValueError(f"unsafe output path: {path!r}")
    return pure


def write_site(out: Path, pages: Sequence[Page | PiecedPage]) -> None:
    """Replace ``out`` with exactly ``pages``, atomically from a reader's point of view."""
    with staged_site(out) as staging:
        for page in pages:
            staging.write(page)


class Staging:
    """A new site being written beside the old one (pages may be written from other processes)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        """The fresh folder the pages go to."""
        self.abandoned = False
        """Set by :meth:`abandon`: the new site is thrown away and the old one kept."""

    def write(self, page: Page | PiecedPage) -> None:
        """Add one file to the new site."""
        write_page(self.folder, page)

    def abandon(self) -> None:
        """Keep the previous site: the build turned out not to be good."""
        self.abandoned = True


@contextmanager
def staged_site(out: Path) -> Iterator[Staging]:
    """Write a new site into a fresh sibling of ``out``, then swap it in with two renames.

    Nothing changes in ``out`` if the block raises or calls :meth:`Staging.abandon`.
    """
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Staging(out.parent / f".{out.name}.new-{os.getpid()}")
    retired = out.parent / f".{out.name}.old-{os.getpid()}"
    shutil.rmtree(staging.folder, ignore_errors=True)
    try:
        staging.folder.mkdir()
        yield staging
        if staging.abandoned:
            shutil.rmtree(staging.folder, ignore_errors=True)
            return
        (staging.folder / MARKER).write_text(_MARKER_TEXT, encoding="utf-8")
        if out.exists():
            out.rename(retired)
        staging.folder.rename(out)
    except BaseException:
        shutil.rmtree(staging.folder, ignore_errors=True)
        if retired.exists() and not out.exists():
            retired.rename(out)
        raise
    shutil.rmtree(retired, ignore_errors=True)


def write_page(folder: Path, page: Page | PiecedPage) -> None:
    """Write one file under ``folder`` (a new site's, which nobody reads yet)."""
    target = folder.joinpath(*safe_relative(page.path).parts)
    try:
        _write_new(target, page.pieces)
    except FileNotFoundError:  # its folder's first file: making the folder only then spares a call per file
        target.parent.mkdir(parents=True, exist_ok=True)
        _write_new(target, page.pieces)


_NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC | getattr(os, "O_NOFOLLOW", 0)
CHUNK = 1 << 20
"""Bytes of a file made of pieces written at a time: its small pieces are joined up to this size."""


def _write_new(target: Path, pieces: Sequence[bytes]) -> None:
    """Write ``pieces`` in order to a new file, in plain ``os`` calls (a buffered file object costs three more
    per file)."""
    file = os.open(target, _NEW_FILE, 0o666)
    try:
        for chunk in pieces if len(pieces) == 1 else _chunks(pieces):
            view = memoryview(chunk)
            while view:
                view = view[os.write(file, view) :]
    finally:
        os.close(file)


def _chunks(pieces: Iterable[bytes]) -> Iterator[bytes]:
    """The pieces joined into chunks of about :data:`CHUNK` bytes: a write each, and no copy of the whole."""
    batch: list[bytes] = []
    size = 0
    for piece in pieces:
        batch.append(piece)
        size += len(piece)
        if size >= CHUNK:
            yield b"".join(batch)
            batch, size = [], 0
    yield b"".join(batch)


def update_site(out: Path, pages: Iterable[Page | PiecedPage], removed: Iterable[str] = ()) -> None:
    """Change a served site in place: each file is replaced atomically, so readers see old or new, never half.

    Only for a folder that is already a glossator site (one the preview server built).
    """
    out = out.resolve()
    if not (out / MARKER).is_file():
        raise OutputError(f"{out} is not a glossator site (no {MARKER} file); refusing to change it")
    for page in pages:
        target = out.joinpath(*safe_relative(page.path).parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f".{target.name}.partial-{os.getpid()}")
        try:
            _write_new(partial, page.pieces)
            os.replace(partial, target)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    for path in removed:
        target = out.joinpath(*safe_relative(path).parts)
        target.unlink(missing_ok=True)
        for folder in target.parents:
            if folder == out or any(folder.iterdir()):
                break
            folder.rmdir()
