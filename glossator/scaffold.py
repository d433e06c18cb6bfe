"""Scaffolding a note: ``new TEXT "passage"`` plans an annotation file anchored on that passage.

Planning is pure: it takes the loaded project and returns the new file's path and text, or
the problem to report, with the closest passage when the given one is not in the text.
:func:`quote_fields` (the quote, and the prefix or suffix a repeated passage needs) is shared
with :mod:`glossator.reanchor`. Only :func:`write_new_note`, called by the CLI, touches disk.
"""

from __future__ import annotations

import difflib
import json
import posixpath
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from glossator.anchor import anchor_one, closest_passage, find_all
from glossator.document import Document, parse_document
from glossator.fold import fold_text
from glossator.model import RATINGS, Annotation, Diagnostic, Location, Project, Related, Span, Text

MODELINE = "# yaml-language-server: $schema="
"""How an annotation file names its schema for editors."""
MAX_CONTEXT_WORDS = 12
"""Most words of prefix or suffix tried to single out a repeated passage."""
BODY_PLACEHOLDER = "TODO: explain the passage in your own neutral words (Markdown)."
"""What a new note's body says until its author writes it; ``check`` refuses it."""
ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
"""What an annotation id looks like (the schema's pattern)."""
_ID_WORDS, _ID_LENGTH = 5, 40
_STOPWORDS = frozenset("a an and as at by for in is of on or the to".split())
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class UsageError(Exception):
    """The command line asks for something that does not exist (exit 2)."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.hint = hint


class ScaffoldError(Exception):
    """The note cannot be made as asked; the diagnostics say where and why (exit 1)."""

    def __init__(self, diagnostics: Sequence[Diagnostic]) -> None:
        super().__init__(diagnostics[0].message)
        self.diagnostics = tuple(diagnostics)


@dataclass(frozen=True)
class QuoteFields:
    """What anchors a note on one passage: the quote as it reads and, for a repeat, a prefix or suffix."""

    quote: str
    """The passage as a reader sees it, whitespace collapsed."""
    prefix: str | None = None
    """Words just before it, when they are needed to single it out."""
    suffix: str | None = None
    """Words just after it, when they are needed (and the prefix is not enough)."""


@dataclass(frozen=True)
class NoteRequest:
    """What a contributor asked ``new`` for."""

    slug: str
    """The text's slug (its file name without ``.md``)."""
    passage: str
    """The passage to annotate, as copied from the page."""
    added: str
    """Today's date, YYYY-MM-DD."""
    kind: str = "context"
    """The note's kind."""
    note_id: str | None = None
    """An id chosen by the contributor; derived from the passage when None."""
    match: int | None = None
    """Which occurrence (1-based) of a repeated passage is meant."""
    author: str | None = None
    """Who writes the note."""


@dataclass(frozen=True)
class NewNote:
    """A planned annotation file."""

    path: str
    """Where to write it, relative to the project root: ``annotations/<slug>/<id>.yaml``."""
    note_id: str
    """The note's id."""
    content: str
    """The file's text."""
    passage: Location
    """Where the passage is in the text."""


def plan_note(project: Project, problems: Iterable[Diagnostic], request: NoteRequest, schema: str) -> NewNote:
    """The file ``new`` should write; raises :class:`UsageError` or :class:`ScaffoldError`.

    ``problems`` are the load's diagnostics (a text that failed to load is reported, not "unknown");
    ``schema`` is the annotation schema's path, relative to the project root or absolute.
    """
    text = _text(project, problems, request.slug)
    folded_passage = fold_text(request.passage)
    if not folded_passage:
        raise UsageError("the passage is empty", "give the words to annotate, in quotes, as they read on the page")
    document = parse_document(text)
    starts = find_all(document.folded.text, folded_passage)
    if not starts:
        raise ScaffoldError([_not_found(document, request.passage, folded_passage)])
    start = starts[_choose(document, request, starts, len(folded_passage)) - 1]
    fields = quote_fields(document, start, start + len(folded_passage))
    if fields is None:
        raise ScaffoldError([_inseparable(document, request, starts, len(folded_passage))])
    annotations = project.annotations.get(request.slug, ())
    folder = f"annotations/{request.slug}"
    note_id = _note_id(request, fields.quote, annotations, _file_stems(project, folder))
    content = render_note(request, note_id, fields, _modeline(project, folder, schema))
    begin, _ = document.folded.original(start, start + len(folded_passage))
    return NewNote(f"{folder}/{note_id}.yaml", note_id, content, document.location(begin))


def quote_fields(document: Document, start: int, end: int) -> QuoteFields | None:
    """Fields that anchor on folded ``[start, end)`` and nowhere else; None when its surroundings repeat too."""
    folded = document.folded
    target = Span(*folded.original(start, end))
    quote = page_text(document, start, end)
    candidates: list[tuple[str, str]] = [("", "")]
    for cross in (False, True):  # words of the same paragraph read best; the neighbours' only if need be
        before = [_words_before(document, start, words, cross) for words in range(1, MAX_CONTEXT_WORDS + 1)]
        after = [_words_after(document, end, words, cross) for words in range(1, MAX_CONTEXT_WORDS + 1)]
        pairs = list(zip(before, after, strict=True))
        candidates += [one for prefix, suffix in pairs for one in ((prefix, ""), ("", suffix))] + pairs
    for prefix, suffix in dict.fromkeys(candidates):  # in order, each once
        fields = QuoteFields(quote, prefix or None, suffix or None)
        if anchors_at(document, fields, target):
            return fields
    return None


def anchors_at(document: Document, fields: QuoteFields, target: Span) -> bool:
    """Whether a note with these fields anchors exactly on ``target``, as ``check`` would anchor it."""
    where = Location(document.text.path, 1)
    probe = Annotation("probe", "context", fields.quote, where, where, fields.prefix, fields.suffix)
    span, _ = anchor_one(document, probe)
    return span == target


def page_text(document: Document, start: int, end: int) -> str:
    """Folded ``[start, end)`` as the page reads it, whitespace collapsed."""
    begin, stop = document.folded.original(start, end)
    return " ".join(document.plain[begin:stop].split())


def render_note(request: NoteRequest, note_id: str, fields: QuoteFields, modeline: str) -> str:
    """The new file's text: the fields its kind needs, placeholders ``check`` will point at."""
    lines = [modeline, f"- id: {note_id}", f"  kind: {request.kind}", f"  quote: {yaml_scalar(fields.quote)}"]
    context = (("prefix", fields.prefix), ("suffix", fields.suffix))
    lines += [f"  {name}: {yaml_scalar(value)}" for name, value in context if value]
    if request.kind == "rebuttal":
        lines += ["  # claim: the claim disputed, in one line", f"  # rating: {' | '.join(RATINGS)}"]
    if request.kind != "footnote":
        lines += ["  body: |", f"    {BODY_PLACEHOLDER}"]
    lines += ["  sources:", "    - title:", "      url: https://"]
    lines.append(f"  author: {yaml_scalar(request.author)}" if request.author else "  # author: your name")
    lines.append(f"  added: {request.added}")
    return "\n".join(lines) + "\n"


def yaml_scalar(value: str) -> str:
    """``value`` as a one-line YAML scalar: plain when it reads back unchanged, else double-quoted."""
    if "\n" not in value:
        try:
            if yaml.load(f"k: {value}\n", Loader=_Loader) == {"k": value}:
                return value
        except yaml.YAMLError:
            pass
    return json.dumps(value, ensure_ascii=False)


def fresh_id(quote: str, taken: set[str]) -> str:
    """An id made of the passage's first words, unique among ``taken``: ``no-limits-partnership``."""
    words = re.findall(r"[a-z0-9]+", unicodedata.normalize("NFKD", quote).encode("ascii", "ignore").decode().lower())
    words = [word for word in words if word not in _STOPWORDS] or words
    base = words[0][:_ID_LENGTH] if words else "note"
    for word in words[1:_ID_WORDS]:
        if len(base) + 1 + len(word) > _ID_LENGTH:
            break
        base = f"{base}-{word}"
    note_id, number = base, 2
    while note_id in taken:
        note_id, number = f"{base}-{number}", number + 1
    return note_id


def write_new_note(root: Path, note: NewNote) -> None:
    """Create the planned file; raises FileExistsError rather than overwrite one."""
    path = root / note.path
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8", newline="\n") as file:
        file.write(note.content)


def _text(project: Project, problems: Iterable[Diagnostic], slug: str) -> Text:
    for text in project.texts:
        if text.slug == slug:
            return text
    broken = [d for d in problems if d.location.path == f"content/{slug}.md"]
    if broken:
        raise ScaffoldError(broken)
    slugs = [text.slug for text in project.texts]
    close = difflib.get_close_matches(slug, slugs, n=1)
    if close:
        hint = f"did you mean '{close[0]}'?"
    elif slugs:
        hint = f"texts: {', '.join(slugs)}"
    else:
        hint = "add the text to content/ first"
    raise UsageError(f"no text '{slug}': content/{slug}.md does not exist", hint)


def _choose(document: Document, request: NoteRequest, starts: list[int], length: int) -> int:
    """The 1-based match the contributor means."""
    if request.match is None and len(starts) == 1:
        return 1
    if request.match is not None and 1 <= request.match <= len(starts):
        return request.match
    count, path = f"{len(starts)} time{'s' * (len(starts) != 1)}", document.text.path
    if request.match is None:
        message = f'passage "{_short(request.passage)}" occurs {count} in {path}; choose one with --match N'
    else:
        message = f"--match {request.match}, but the passage occurs {count} in {path}"
    raise ScaffoldError(
        [
            Diagnostic(
                document.location(document.folded.original(starts[0], starts[0] + length)[0]),
                message,
                hint=f"run again with --match 1 to --match {len(starts)}, or lengthen the passage until it occurs once",
                related=_matches(document, starts, length),
                code="new-ambiguous",
            )
        ]
    )


def _matches(document: Document, starts: Sequence[int], length: int) -> tuple[Related, ...]:
    """Each match with a few words around it, so the contributor can tell them apart."""
    found = []
    for number, start in enumerate(starts, 1):
        before = _words_before(document, start, 4, cross=False)
        after = _words_after(document, start + length, 4, cross=False)
        passage = " ".join(part for part in (before, f"[{page_text(document, start, start + length)}]", after) if part)
        begin, _ = document.folded.original(start, start + length)
        found.append(Related(document.location(begin), f"match {number}: {passage}"))
    return tuple(found)


def _not_found(document: Document, passage: str, folded_passage: str) -> Diagnostic:
    path = document.text.path
    best = closest_passage(document.folded.text, folded_passage)
    if best is None:
        return Diagnostic(
            Location(path, document.text.body_line),
            f'passage "{_short(passage)}" not found in {path}, and no passage is similar to it',
            hint="copy the passage from the page as it reads now; it must lie within one paragraph",
            code="new-not-found",
        )
    start, end, ratio = best
    begin, _ = document.folded.original(start, end)
    closest = page_text(document, start, end)
    return Diagnostic(
        document.location(begin),
        f'passage "{_short(passage)}" not found in {path}; the closest passage ({ratio:.0%} similar) is here',
        hint=f'did you mean "{_short(closest, 200)}"? copy the passage from the page as it reads',
        code="new-not-found",
    )


def _inseparable(document: Document, request: NoteRequest, starts: list[int], length: int) -> Diagnostic:
    return Diagnostic(
        document.location(document.folded.original(starts[0], starts[0] + length)[0]),
        f"match {request.match} cannot be told apart from the others: the text around them is the same",
        hint="lengthen the passage until it occurs once",
        related=_matches(document, starts, length),
        code="new-inseparable",
    )


def _note_id(request: NoteRequest, quote: str, annotations: Sequence[Annotation], files: set[str]) -> str:
    ids = {annotation.id: annotation for annotation in annotations}
    if request.note_id is None:
        return fresh_id(quote, set(ids) | files)
    if not ID.match(request.note_id) or len(request.note_id) > 80:
        raise UsageError(
            f"'{request.note_id}' is not a valid id",
            "use lowercase letters, digits and hyphens, starting with a letter or digit (or leave --id out)",
        )
    if request.note_id in ids:
        raise ScaffoldError(
            [
                Diagnostic(
                    ids[request.note_id].location,
                    f"id '{request.note_id}' is already used by a note on this text",
                    hint="choose another --id, or leave --id out to get a fresh one",
                    code="new-id-taken",
                )
            ]
        )
    return request.note_id


def _file_stems(project: Project, folder: str) -> set[str]:
    """Names already used by files in the text's annotation folder."""
    paths = [path for path in project.source_lines if posixpath.dirname(path) == folder]
    return {posixpath.splitext(posixpath.basename(path))[0] for path in paths}


def _modeline(project: Project, folder: str, schema: str) -> str:
    """The project's own modeline if its annotation files have one, else one pointing at ``schema``."""
    for path, lines in sorted(project.source_lines.items()):
        if path.startswith("annotations/") and path.count("/") == 2:
            for line in lines:
                if line.startswith(MODELINE):
                    return line
    return MODELINE + (schema if Path(schema).is_absolute() else posixpath.relpath(schema, folder))


def _words_before(document: Document, start: int, words: int, cross: bool) -> str:
    """Up to ``words`` words just before folded ``start``; across paragraphs only if ``cross``."""
    head = document.folded.text[:start]
    head = head.replace("\x00", " ") if cross else head[head.rfind("\x00") + 1 :]
    offset = start - len(head)
    head = head.rstrip(" ")
    if not head:
        return ""
    begin = len(head) - len(" ".join(head.split(" ")[-words:]))
    return page_text(document, offset + begin, offset + len(head))


def _words_after(document: Document, end: int, words: int, cross: bool) -> str:
    """Up to ``words`` words just after folded ``end``; across paragraphs only if ``cross``."""
    tail = document.folded.text[end:]
    tail = tail.replace("\x00", " ") if cross else tail.split("\x00", 1)[0]
    skipped = len(tail) - len(tail.lstrip(" "))
    tail = tail[skipped:]
    if not tail:
        return ""
    length = len(" ".join(tail.split(" ")[:words]))
    return page_text(document, end + skipped, end + skipped + length)


def _short(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
