"""Texts: front matter and Markdown body, from a file's decoded source."""

from __future__ import annotations

import re

from glossator.model import Diagnostic, Location, Text, TextMeta
from glossator.schema import FRONT_MATTER, validate
from glossator.yamlnodes import YamlError, parse

_FENCE = "---"
_CLOSING = re.compile(r"^(?:---|\.\.\.)[^\S\n]*$", re.MULTILINE)
"""A line that ends the front matter: '---' or '...', then nothing but spaces (``\\s`` is ``str.isspace``)."""


def parse_text(slug: str, path: str, source: str) -> tuple[Text | None, list[Diagnostic]]:
    """A text from its file's source, or None and what is wrong with it."""
    first, newline, _ = source.partition("\n")
    if first.rstrip() != _FENCE:
        return None, [
            Diagnostic(
                Location(path, 1),
                "expected YAML front matter starting with '---' on the first line",
                hint="start the file with:\n---\ntitle: The text's title\n---",
                code="text-no-front-matter",
            )
        ]
    start = len(first) + 1
    closing = _CLOSING.search(source, start) if newline else None
    if closing is None:
        return None, [
            Diagnostic(
                Location(path, 1),
                "front matter is not closed",
                hint="end the front matter with a line holding only '---'",
                code="text-front-matter-unclosed",
            )
        ]
    try:
        node = parse(source[start : closing.start()], path, first_line=2)
    except YamlError as error:
        return None, [error.diagnostic]
    if node is None:
        return None, [
            Diagnostic(Location(path, 2), "front matter is empty; a 'title' is required", code="schema-required")
        ]
    problems = validate(node, FRONT_MATTER, "front matter")
    if problems:
        return None, problems
    fields = node.value
    assert isinstance(fields, dict)
    meta = TextMeta(**{key: str(value.value).strip() for key, value in fields.items()})
    body = source[closing.end() + 1 :]
    return Text(slug, path, meta, body, source.count("\n", 0, closing.start()) + 2), []
