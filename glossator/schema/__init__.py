"""Validation of YAML nodes against the JSON Schemas shipped in this folder.

The schemas are the single source of truth: editors use them through the
``yaml-language-server`` modeline, and ``check`` validates with them here. Only the
subset of JSON Schema the schemas use is interpreted, and every error keeps the
line and column of the YAML node it is about.
"""

from __future__ import annotations

import datetime
import difflib
import json
import re
from dataclasses import replace
from functools import cache
from importlib import resources
from typing import Any

from glossator.model import Diagnostic, Location
from glossator.yamlnodes import YNode

Schema = dict[str, Any] | bool

ANNOTATIONS = "annotations.schema.json"
CONFIG = "config.schema.json"
FRONT_MATTER = "frontmatter.schema.json"


@cache
def load_schema(name: str) -> dict[str, Any]:
    """One of the shipped schemas, parsed."""
    return json.loads(resources.files(__package__).joinpath(name).read_text(encoding="utf-8"))


def validate(node: YNode, schema_name: str, what: str) -> list[Diagnostic]:
    """All the ways ``node`` breaks the named schema; ``what`` names the whole value in messages."""
    root = load_schema(schema_name)
    validator = _Validator(root)
    return [d for d in validator.errors(node, root, what, None) if not validator.misspelt(d)]


class _Validator:
    def __init__(self, root: dict[str, Any]) -> None:
        self.root = root
        self.meant: dict[int, set[str]] = {}
        """Per mapping node (by id): the known fields its unknown fields look like misspellings of."""
        self.missing: dict[tuple[Location, str], tuple[int, str]] = {}
        """Per 'missing required field' problem: its mapping node (by id) and the field."""
        self.testing = 0
        """How deep in :meth:`valid` we are: its problems are thrown away, so no hint is worked out."""

    def misspelt(self, diagnostic: Diagnostic) -> bool:
        """A missing field that was typed with a typo: the unknown field's "did you mean" says it all."""
        node, key = self.missing.get((diagnostic.location, diagnostic.message), (0, ""))
        return key in self.meant.get(node, ())

    def resolve(self, schema: Schema) -> Schema:
        while isinstance(schema, dict) and "$ref" in schema:
            ref = schema["$ref"]
            target: Any = self.root
            for part in ref.removeprefix("#/").split("/"):
                target = target[part]
            schema = {**target, **{k: v for k, v in schema.items() if k != "$ref"}}
        return schema

    def valid(self, node: YNode, schema: Schema) -> bool:
        self.testing += 1
        try:
            return not self.errors(node, schema, "", None)
        finally:
            self.testing -= 1

    def errors(self, node: YNode, schema: Schema, name: str, hint: str | None) -> list[Diagnostic]:
        schema = self.resolve(schema)
        if schema is False:
            return [_error(node.location, f"{name} is not allowed here", hint, "schema-not-allowed")]
        if schema is True:
            return []
        hint = schema.get("x-hint", hint)
        kind = schema.get("type")
        if kind and not _is_type(node, kind):
            return [
                _error(
                    node.location, f"{name} must be {_TYPE_NAMES[kind]}, found {_describe(node)}", hint, "schema-type"
                )
            ]
        if "enum" in schema:
            return self._enum(node, schema["enum"], name)
        problems: list[Diagnostic] = []
        if isinstance(node.value, str):
            problems += self._scalar(node, schema, name, hint)
        elif isinstance(node.value, list):
            problems += self._array(node, schema, name, hint)
        else:
            problems += self._object(node, schema, name, hint)
        for part in schema.get("allOf", ()):
            if "if" in part and self.valid(node, part["if"]):
                found = self.errors(node, part.get("then", True), name, None)
                problems += [replace(d, hint=d.hint or part.get("x-hint")) for d in found]
        return problems

    def _enum(self, node: YNode, allowed: list[str], name: str) -> list[Diagnostic]:
        if isinstance(node.value, str) and node.tag != "null" and node.value in allowed:
            return []
        shown = f"'{_short(node.value)}'" if isinstance(node.value, str) and node.tag != "null" else _describe(node)
        close = []
        if isinstance(node.value, str) and not self.testing:
            close = difflib.get_close_matches(node.value, allowed, n=1)
        hint = f"did you mean '{close[0]}'?" if close else None
        return [
            _error(
                node.location,
                f"{shown} is not a valid {name}; expected one of: {', '.join(allowed)}",
                hint,
                "schema-enum",
            )
        ]

    def _scalar(self, node: YNode, schema: dict[str, Any], name: str, hint: str | None) -> list[Diagnostic]:
        text = str(node.value)
        if "maxLength" in schema and len(text) > schema["maxLength"]:
            return [
                _error(
                    node.location,
                    f"{name} is too long ({len(text):,} characters; at most {schema['maxLength']:,})",
                    hint,
                    "schema-too-long",
                )
            ]
        if "minLength" in schema and len(text.strip()) < schema["minLength"]:
            return [_error(node.location, f"{name} must not be empty", hint, "schema-empty")]
        if "pattern" in schema and not re.search(schema["pattern"], text):
            return [_error(node.location, f"'{_short(text)}' is not a valid {name}", hint, "schema-pattern")]
        if schema.get("format") == "date" and not _is_date(text):
            return [_error(node.location, f"'{_short(text)}' is not a valid date", hint, "schema-date")]
        return []

    def _array(self, node: YNode, schema: dict[str, Any], name: str, hint: str | None) -> list[Diagnostic]:
        items: list[YNode] = node.value  # type: ignore[assignment]
        if "minItems" in schema and len(items) < schema["minItems"]:
            return [
                _error(
                    node.location, f"{name} must list at least {_items(schema['minItems'])}", hint, "schema-min-items"
                )
            ]
        if "maxItems" in schema and len(items) > schema["maxItems"]:
            return [
                _error(
                    node.location,
                    f"{name} lists too many items ({len(items):,}; at most {schema['maxItems']:,})",
                    hint,
                    "schema-max-items",
                )
            ]
        problems: list[Diagnostic] = []
        if "items" in schema:
            for index, item in enumerate(items, 1):
                problems += self.errors(item, schema["items"], f"item {index} of {name}", None)
        return problems

    def _object(self, node: YNode, schema: dict[str, Any], name: str, hint: str | None) -> list[Diagnostic]:
        fields: dict[str, YNode] = node.value  # type: ignore[assignment]
        known: dict[str, Schema] = schema.get("properties", {})
        problems: list[Diagnostic] = []
        if schema.get("additionalProperties") is False:
            self.meant[id(node)] = {m for key in fields if key not in known for m in _close(key, list(known))}
        for key in schema.get("required", ()):
            if key not in fields:
                message = f"missing required field '{key}' in {name}"
                self.missing[(node.location, message)] = (id(node), key)
                problems.append(_error(node.location, message, hint, "schema-required"))
        for key, value in fields.items():
            if key in known:
                problems += self.errors(value, known[key], f"'{key}'", None)
            elif schema.get("additionalProperties") is False:
                problems.append(_unknown_field(key, node.key_locations[key], list(known)))
        return problems


def _close(key: str, known: list[str]) -> list[str]:
    return difflib.get_close_matches(key, known, n=1, cutoff=0.6)


def _unknown_field(key: str, location: Location, known: list[str]) -> Diagnostic:
    close = _close(key, known)
    hint = f"did you mean '{close[0]}'? " if close else ""
    hint += f"allowed fields: {', '.join(known)}"
    return _error(location, f"unknown field '{_short(key)}'", hint, "schema-unknown-field")


def _error(location: Location, message: str, hint: str | None, code: str) -> Diagnostic:
    return Diagnostic(location, message, hint=hint, code=code)


_TYPE_NAMES = {"string": "a text value", "array": "a list", "object": "a mapping of fields"}


def _is_type(node: YNode, kind: str) -> bool:
    if kind == "string":
        return isinstance(node.value, str) and node.tag != "null"
    if kind == "array":
        return isinstance(node.value, list)
    return isinstance(node.value, dict)


def _describe(node: YNode) -> str:
    if isinstance(node.value, list):
        return "a list"
    if isinstance(node.value, dict):
        return "a mapping"
    if node.tag == "null":
        return "an empty value"
    return f"'{_short(node.value)}'"


def _items(count: int) -> str:
    return f"{count} item{'s' * (count != 1)}"


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())  # a message is one line, whatever the value spans
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _is_date(text: str) -> bool:
    try:
        datetime.date.fromisoformat(text)
    except ValueError:
        return False
    return True
