"""Texts: front matter and Markdown body, from a file's decoded source."""

from __future__ import annotations

from glossator.model import Diagnostic, Location, Text, TextMeta
from glossator.schema import FRONT_MATTER, validate
from glossator.yamlnodes import YamlError, parse

_FENCE = "---"


def parse_text(slug: str, path: str, source: str) -> tuple[Text | None, list[Diagnostic]]:
    """A text from its file's source, or None and what is wrong with it."""
    lines = source.split("\n")
    if not lines or lines[0].rstrip() != _FENCE:
        return None, [
            Diagnostic(
                Location(path, 1),
                "expected YAML front matter starting with '---' on the first line",
                hint="start the file with:\n---\ntitle: The text's title\n---",
                code="text-no-front-matter",
            )
        ]
    closing = next((i for i, line in enumerate(lines[1:], 1) if line.rstrip() in (_FENCE, "...")), None)
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
        node = parse("\n".join(lines[1:closing]) + "\n", path, first_line=2)
    except YamlError as error:
        return None, [error.diagnostic]
    if node is None:
        return None, [
            Diagnostic(Location(path, 2), "front matter is empty; a 'title' is required", code="schema-required")
        ]
    problems = validate(node, FRONT_MATTER, "front matter")
    if problems:
        return None, problems
    fields = node.to_python()
    assert isinstance(fields, dict)
    meta = TextMeta(**{key: str(value).strip() for key, value in fields.items()})
    return Text(slug, path, meta, "\n".join(lines[closing + 1 :]), closing + 2), []
