"""Local preview: rebuild on change and reload the browser (livereload).

The server knows nothing of the build: it is handed a ``rebuild`` callable, keeps
serving the last good site when a rebuild fails, and prints the problems.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from glossator.build import build
from glossator.diagnostics import format_text, summary
from glossator.write import OutputError, check_output

WATCHED = ("content", "annotations", "templates")
"""Project folders whose changes trigger a rebuild."""


def serve(root: Path, out: Path, host: str, port: int, open_browser: bool) -> int:
    """Build, then serve ``out`` on ``host:port`` and rebuild on changes until interrupted."""
    from livereload import Server

    try:
        check_output(out, root)
    except OutputError as error:
        print(f"glossator: error: {error}", file=sys.stderr)
        return 2
    rebuild = make_rebuild(root, out)
    rebuild()
    server = Server()
    for folder in WATCHED:
        server.watch(str(root / folder), rebuild, delay=0.1)
    print(f"serving {out} at http://{host}:{port}/ (Ctrl+C to stop)", file=sys.stderr)
    server.serve(host=host, port=port, root=str(out), open_url_delay=0.5 if open_browser else None, restart_delay=0)
    return 0


def make_rebuild(root: Path, out: Path) -> Callable[[], bool]:
    """A callable that rebuilds and reports; returns True when the site was updated."""

    def rebuild() -> bool:
        result = build(root, out)
        if result.diagnostics:
            sources = result.project.source_lines if result.project else {}
            print(format_text(result.diagnostics, sources, color=sys.stderr.isatty()), end="", file=sys.stderr)
            print(summary(result.diagnostics), file=sys.stderr)
        return bool(result.pages)

    return rebuild
