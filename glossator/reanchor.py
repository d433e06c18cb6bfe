"""Re-anchoring: propose new quotes for notes whose passage changed slightly after a text edit.

For each note whose quote is no longer in its text, the closest passage (the one ``check``
suggests) becomes the new quote, with a prefix or suffix when it repeats. A proposal is a few
edits to the annotation file's text at the exact places of its YAML nodes, so comments and
formatting elsewhere stay as written; YAML is never re-dumped. Planning is pure;
:func:`rewrite_file` is the command's edge that writes.
"""

from __future__ import annotations

import codecs
import json
import os
import shutil
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from glossator.anchor import anchor_one, closest_passage
from glossator.document import Document
from glossator.fold import fold_text
from glossator.model import Annotation, Diagnostic, Location, Project, Span
from glossator.scaffold import QuoteFields, anchors_at, page_text, quote_fields, yaml_scalar
from glossator.yamlnodes import YNode, parse

_RED, _GREEN, _RESET = "\033[31m", "\033[32m", "\033[0m"


@dataclass(frozen=True)
class Edit:
    """Replace characters ``[start, end)`` of a file's text with ``text``."""

    start: int
    """First character replaced (0-based offset)."""
    end: int
    """One past the last character replaced."""
    text: str
    """What goes there."""


@dataclass(frozen=True)
class Proposal:
    """New fields for one lost note, and the edits to its file that write them."""

    annotation: Annotation
    """The note as it is now."""
    fields: QuoteFields
    """Its new quote, prefix and suffix."""
    passage: Location
    """Where the closest passage is in the text."""
    similarity: float
    """How similar the old quote is to it, 0 to 1."""
    edits: tuple[Edit, ...]
    """Edits to the annotation file's text."""


@dataclass(frozen=True)
class Plan:
    """What ``reanchor`` found: proposals, and lost notes it cannot fix safely."""

    proposals: tuple[Proposal, ...]
    """One per note that can be re-anchored."""
    unresolved: tuple[Diagnostic, ...]
    """Notes that still need a hand edit, as ``check`` reports them."""


class FileChanged(Exception):
    """An annotation file changed on disk after it was read; nothing was written to it."""


class _CannotEdit(Exception):
    """The note's YAML is written in a form this module does not rewrite."""


def propose(project: Project, documents: Iterable[Document]) -> Plan:
    """A proposal for each note whose quote no longer matches its text, in file order."""
    proposals: list[Proposal] = []
    unresolved: list[Diagnostic] = []
    for document in documents:
        for annotation in project.annotations.get(document.text.slug, ()):
            _, problem = anchor_one(document, annotation)
            if problem is None:
                continue
            source = "\n".join(project.source_lines.get(annotation.location.path, ()))
            found = _propose(document, annotation, source) if problem.code == "anchor-not-found" else None
            if isinstance(found, Proposal):
                proposals.append(found)
            else:
                unresolved.append(found or problem)
    return Plan(tuple(proposals), tuple(unresolved))


def updated_files(plan: Plan, sources: Mapping[str, Sequence[str]]) -> dict[str, tuple[str, str]]:
    """Each annotation file the plan changes: its text now and with every proposal applied."""
    edits: dict[str, list[Edit]] = {}
    for proposal in plan.proposals:
        edits.setdefault(proposal.annotation.location.path, []).extend(proposal.edits)
    files = {}
    for path, changes in sorted(edits.items()):
        before = "\n".join(sources[path])
        files[path] = (before, apply_edits(before, changes))
    return files


def apply_edits(text: str, edits: Iterable[Edit]) -> str:
    """``text`` with non-overlapping edits applied."""
    for edit in sorted(edits, key=lambda e: (e.start, e.end), reverse=True):
        text = text[: edit.start] + edit.text + text[edit.end :]
    return text


def format_plan(plan: Plan, sources: Mapping[str, Sequence[str]], color: bool = False) -> str:
    """Each proposal as a located, diff-like before and after of the lines it changes."""
    out: list[str] = []
    for proposal in plan.proposals:
        note, where = proposal.annotation, proposal.passage
        out.append(
            f"{_where(note.quote_location)}: '{note.id}': quote not found in {where.path}; "
            f"the closest passage ({proposal.similarity:.0%} similar) is at {_where(where)}"
        )
        before = "\n".join(sources[note.location.path])
        out += _diff(before, apply_edits(before, proposal.edits), min(e.start for e in proposal.edits), color)
    return "\n".join(out) + ("\n" if out else "")


def rewrite_file(path: Path, loaded: str, updated: str) -> None:
    """Replace a file's text, keeping its BOM and line endings; refuses if it changed since it was read."""
    raw = path.read_bytes()
    text = raw.decode("utf-8-sig")
    if text.replace("\r\n", "\n").replace("\r", "\n") != loaded:
        raise FileChanged(f"{path} changed while reanchor ran; run it again")
    if "\r\n" in text:
        updated = updated.replace("\n", "\r\n")
    data = (codecs.BOM_UTF8 if raw.startswith(codecs.BOM_UTF8) else b"") + updated.encode("utf-8")
    temporary = path.with_name(f".{path.name}.reanchor")
    temporary.write_bytes(data)
    shutil.copymode(path, temporary)
    os.replace(temporary, path)


def _propose(document: Document, annotation: Annotation, source: str) -> Proposal | Diagnostic | None:
    """A proposal; a diagnostic when the closest passage cannot be used; None when there is none."""
    best = closest_passage(document.folded.text, fold_text(annotation.quote))
    if best is None:
        return None
    start, end, similarity = best
    target = Span(*document.folded.original(start, end))
    kept = QuoteFields(page_text(document, start, end), annotation.prefix, annotation.suffix)
    fields = kept if anchors_at(document, kept, target) else quote_fields(document, start, end)
    passage = document.location(target.start)
    if fields is None:
        return _hand_edit(annotation, f"its closest passage at {_where(passage)} repeats with the same words around it")
    try:
        return Proposal(annotation, fields, passage, similarity, _field_edits(source, annotation, fields))
    except _CannotEdit as reason:
        return _hand_edit(annotation, str(reason))


def _hand_edit(annotation: Annotation, why: str) -> Diagnostic:
    return Diagnostic(
        annotation.quote_location,
        f"quote of '{annotation.id}' not found, and reanchor cannot update it: {why}",
        hint="edit the quote by hand; `check` shows the closest passage",
        code="reanchor-manual",
    )


def _field_edits(source: str, annotation: Annotation, fields: QuoteFields) -> tuple[Edit, ...]:
    """Edits that set quote, prefix and suffix, each at its node's place."""
    lines = _LineIndex(source)
    item = _item(parse(source, annotation.location.path), annotation)
    if source[lines.offset(item.location)] == "{":
        raise _CannotEdit("the note is written as a {...} flow mapping")
    nodes: dict[str, YNode] = item.value  # type: ignore[assignment]
    edits = [_replace(source, lines, nodes["quote"], fields.quote)]
    inserted: list[str] = []
    indent = " " * (item.key_locations["quote"].col - 1)
    for name in ("prefix", "suffix"):
        value: str | None = getattr(fields, name)
        if value == getattr(annotation, name):
            continue
        if name in nodes and value is not None:
            edits.append(_replace(source, lines, nodes[name], value))
        elif name in nodes:
            edits.append(_delete(source, lines, item, name))
        else:
            inserted.append(f"{indent}{name}: {yaml_scalar(value)}\n")  # type: ignore[arg-type]
    if inserted:
        position = lines.after(nodes["quote"])
        lead = "\n" if position == len(source) and not source.endswith("\n") else ""
        edits.append(Edit(position, position, lead + "".join(inserted)))
    return tuple(edits)


def _item(root: YNode | None, annotation: Annotation) -> YNode:
    """The mapping of the note whose quote is at the annotation's quote location (the file loaded, so it is there)."""
    items: list[YNode] = root.value  # type: ignore[union-attr,assignment]
    return next(item for item in items if item.value["quote"].location == annotation.quote_location)  # type: ignore[index]


def _replace(source: str, lines: _LineIndex, node: YNode, value: str) -> Edit:
    """Set a scalar's value in the style it is written in."""
    start, end = lines.offset(node.location), lines.offset(node.end or node.location)
    style = source[start]
    if style in "|>":
        header_end = source.index("\n", start) + 1
        content = source[header_end:end].split("\n")
        written = [line for line in content if line.strip()]
        last = max(i for i, line in enumerate(content) if line.strip())
        indent = written[0][: len(written[0]) - len(written[0].lstrip(" "))]
        return Edit(header_end, header_end + len("\n".join(content[: last + 1])), indent + value)
    if style in "!&*":
        raise _CannotEdit("its quote carries a YAML tag")
    if style == "'":
        return Edit(start, end, "'" + value.replace("'", "''") + "'")
    if style == '"':
        return Edit(start, end, json.dumps(value, ensure_ascii=False))
    return Edit(start, end, yaml_scalar(value))


def _delete(source: str, lines: _LineIndex, item: YNode, name: str) -> Edit:
    """Remove a field's whole lines."""
    key = item.key_locations[name]
    line_start = lines.offset(Location(key.path, key.line))
    if source[line_start : lines.offset(key)].strip():
        raise _CannotEdit(f"its '{name}' shares a line with another field")
    return Edit(line_start, lines.after(item.value[name]), "")  # type: ignore[index]


class _LineIndex:
    """Offsets of line starts, to turn 1-based locations into string offsets."""

    def __init__(self, text: str) -> None:
        self.length = len(text)
        self.starts = [0]
        self.starts += [i + 1 for i, char in enumerate(text) if char == "\n"]

    def offset(self, location: Location) -> int:
        return min(self.starts[location.line - 1] + location.col - 1, self.length)

    def after(self, node: YNode) -> int:
        """Where the line after a value starts (block scalars already end there)."""
        end = node.end or node.location
        if end.col == 1:
            return self.offset(end)
        return self.starts[end.line] if end.line < len(self.starts) else self.length


def _diff(before: str, after: str, first: int, color: bool) -> list[str]:
    old, new = before.split("\n"), after.split("\n")
    head = before.count("\n", 0, first)
    tail = 0
    while tail < min(len(old), len(new)) - head and old[-1 - tail] == new[-1 - tail]:
        tail += 1
    while head < min(len(old), len(new)) - tail and old[head] == new[head]:
        head += 1
    removed = [_paint(f"  {n + 1:>4} - {old[n]}", _RED, color) for n in range(head, len(old) - tail)]
    added = [_paint(f"  {n + 1:>4} + {new[n]}", _GREEN, color) for n in range(head, len(new) - tail)]
    return removed + added


def _paint(line: str, code: str, color: bool) -> str:
    return f"{code}{line}{_RESET}" if color else line


def _where(location: Location) -> str:
    return f"{location.path}:{location.line}:{location.col}"
