"""Formatting of diagnostics: one list, several views (terminal, GitHub, JSON)."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping, Sequence
from typing import TextIO

from glossator.model import Diagnostic, Location, Severity


def sort_key(diagnostic: Diagnostic) -> tuple[Location, str]:
    """Order diagnostics by file, line and column, like a compiler."""
    return (diagnostic.location, diagnostic.message)


def format_text(
    diagnostics: Iterable[Diagnostic],
    source_lines: Mapping[str, Sequence[str]] | None = None,
    color: bool = False,
) -> str:
    """Render diagnostics for a terminal: ``path:line:col: error: message``, the line, a caret, hints."""
    out: list[str] = []
    for d in sorted(diagnostics, key=sort_key):
        out.append(f"{_where(d.location)}: {_paint(d.severity.value, d.severity, color)}: {d.message}")
        out.extend(_excerpt(d.location, source_lines))
        for related in d.related:
            out.append(f"{_where(related.location)}: note: {related.message}")
            out.extend(_excerpt(related.location, source_lines))
        if d.hint:
            out.append(f"  hint: {d.hint}")
    return "\n".join(out) + ("\n" if out else "")


def format_github(diagnostics: Iterable[Diagnostic]) -> str:
    """Render diagnostics as GitHub workflow commands, so they show on a pull request's diff."""
    lines = []
    for d in sorted(diagnostics, key=sort_key):
        text = d.message + (f" (hint: {d.hint})" if d.hint else "")
        text += "".join(f" [{_where(r.location)}: {r.message}]" for r in d.related)
        loc = d.location
        lines.append(
            f"::{d.severity.value} file={_escape_property(loc.path)},line={loc.line},col={loc.col}"
            f",title={_escape_property(d.code or d.severity.value)}::{_escape_data(text)}"
        )
    return "\n".join(lines) + ("\n" if lines else "")


def format_json(diagnostics: Iterable[Diagnostic]) -> str:
    """Render diagnostics as a JSON array for other tools."""
    return json.dumps([to_json(d) for d in sorted(diagnostics, key=sort_key)], indent=2, ensure_ascii=False) + "\n"


def to_json(d: Diagnostic) -> dict[str, object]:
    """One diagnostic as plain JSON data."""
    return {
        "path": d.location.path,
        "line": d.location.line,
        "col": d.location.col,
        "severity": d.severity.value,
        "code": d.code,
        "message": d.message,
        "hint": d.hint,
        "related": [
            {"path": r.location.path, "line": r.location.line, "col": r.location.col, "message": r.message}
            for r in d.related
        ],
    }


def summary(diagnostics: Sequence[Diagnostic]) -> str:
    """``2 errors, 1 warning`` style count."""
    errors = sum(d.severity is Severity.ERROR for d in diagnostics)
    warnings = len(diagnostics) - errors
    return f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"


def _where(loc: Location) -> str:
    return f"{loc.path}:{loc.line}:{loc.col}"


def _excerpt(loc: Location, source_lines: Mapping[str, Sequence[str]] | None) -> list[str]:
    lines = (source_lines or {}).get(loc.path)
    if not lines or not 1 <= loc.line <= len(lines):
        return []
    text = lines[loc.line - 1].replace("\t", " ")
    if len(text) > 160:
        start = max(0, loc.col - 80)
        text, col = text[start : start + 160], loc.col - start
    else:
        col = loc.col
    return [f"  {loc.line:>4} | {text}", f"       | {' ' * (max(col, 1) - 1)}^"]


_COLORS = {"error": "\033[1;31m", "warning": "\033[1;33m"}


def use_color(stream: TextIO, environ: Mapping[str, str] = os.environ) -> bool:
    """Colour only on a terminal, and never when ``NO_COLOR`` is set (no-color.org) or ``TERM`` is ``dumb``."""
    return stream.isatty() and not environ.get("NO_COLOR") and environ.get("TERM") != "dumb"


def _paint(word: str, severity: Severity, color: bool) -> str:
    return f"{_COLORS[severity.value]}{word}\033[0m" if color else word


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")
