"""Annotation files: a YAML list of annotations, validated against the schema."""

from __future__ import annotations

from glossator.model import Annotation, Diagnostic, Related, Severity, Source
from glossator.schema import ANNOTATIONS, validate
from glossator.yamlnodes import YamlError, YNode, parse


def parse_annotations(path: str, source: str) -> tuple[list[Annotation], list[Diagnostic]]:
    """The annotations in one file, or the problems that keep it from loading."""
    try:
        node = parse(source, path)
    except YamlError as error:
        return [], [error.diagnostic]
    if node is None:
        return [], []
    problems = validate(node, ANNOTATIONS, "the annotation list")
    if problems:
        return [], problems
    return [_annotation(item) for item in node.value], []  # type: ignore[union-attr]


def check_sources(annotations: list[Annotation]) -> list[Diagnostic]:
    """Readers are promised that every note links to its sources: warn about notes without any."""
    return [
        Diagnostic(
            a.location,
            f"{a.kind} note '{a.id}' cites no sources",
            severity=Severity.WARNING,
            hint="add a 'sources' list with the title and url of what the note relies on",
            code="annotation-no-sources",
        )
        for a in annotations
        if not a.sources
    ]


def check_unique_ids(annotations: list[Annotation]) -> list[Diagnostic]:
    """Each id may be used once per text, across all of its files."""
    first: dict[str, Annotation] = {}
    problems = []
    for annotation in annotations:
        earlier = first.setdefault(annotation.id, annotation)
        if earlier is not annotation:
            problems.append(
                Diagnostic(
                    annotation.location,
                    f"duplicate annotation id '{annotation.id}'",
                    hint="ids must be unique within a text; choose another id",
                    related=(Related(earlier.location, f"'{annotation.id}' first used here"),),
                    code="annotation-duplicate-id",
                )
            )
    return problems


def _annotation(node: YNode) -> Annotation:
    fields: dict[str, YNode] = node.value  # type: ignore[assignment]
    text = {key: value.value.strip() for key, value in fields.items() if isinstance(value.value, str)}
    return Annotation(
        id=text["id"],
        kind=text["kind"],
        quote=text["quote"],
        location=node.key_location("id"),
        quote_location=fields["quote"].location,
        prefix=text.get("prefix"),
        suffix=text.get("suffix"),
        body=text.get("body"),
        sources=tuple(_source(item) for item in fields["sources"].value) if "sources" in fields else (),  # type: ignore[union-attr]
        author=text.get("author"),
        added=text.get("added"),
        claim=text.get("claim"),
        rating=text.get("rating"),
    )


def _source(node: YNode) -> Source:
    return Source(**{key: str(value.value).strip() for key, value in node.value.items()})  # type: ignore[union-attr]
