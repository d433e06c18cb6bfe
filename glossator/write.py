"""Writing the site: the only module that touches the output folder.

The whole site is written to a fresh sibling folder, then swapped in with two renames,
so a failed or interrupted build leaves the previous site as it was. A marker file
proves a folder is a glossator site before it is ever replaced.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Sequence
from pathlib import Path, PurePosixPath

from glossator.model import Page

MARKER = ".glossator-site"
"""File written into every output folder; only folders holding it are replaced."""


class OutputError(Exception):
    """The output folder cannot be used safely."""


def check_output(out: Path, root: Path) -> None:
    """Refuse output folders that would overwrite the project or a folder that is not a site."""
    out, root = out.resolve(), root.resolve()
    if out == root or root.is_relative_to(out):
        raise OutputError(f"output folder {out} would contain the project itself; choose a folder such as {root / 'site'}")
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


def write_site(out: Path, pages: Sequence[Page]) -> None:
    """Replace ``out`` with exactly ``pages``, atomically from a reader's point of view."""
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = out.parent / f".{out.name}.new-{os.getpid()}"
    retired = out.parent / f".{out.name}.old-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    try:
        staging.mkdir()
        for page in pages:
            target = staging.joinpath(*safe_relative(page.path).parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(page.content)
        (staging / MARKER).write_text("Built by glossator; this folder is replaced on every build.\n", encoding="utf-8")
        if out.exists():
            out.rename(retired)
        staging.rename(out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        if retired.exists() and not out.exists():
            retired.rename(out)
        raise
    shutil.rmtree(retired, ignore_errors=True)
