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
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources
from typing import Any

from glossator.model import Diagnostic, Location
from glossator.yamlnodes import YNode

Schema = dict[str, Any] | bool
Check = Callable[[YNode], bool]

ANNOTATIONS = "annotations.schema.json"
CONFIG = "config.schema.json"
FRONT_MATTER = "frontmatter.schema.json"


@cache
def load_schema(name: str) -> dict[str, Any]:
    """One of the shipped schemas, parsed."""
    return json.loads(resources.files(__package__).joinpath(name).read_text(encoding="utf-8"))


def validate(node: YNode, schema_name: str, what: str) -> list[Diagnostic]:
    """All the ways ``node`` breaks the named schema; ``what`` names the whole value in messages.

    Most inputs are valid, so a compiled yes-or-no check runs first; only a value it refuses is
    walked again to say what is wrong, where, and how to fix it.
    """
    compiled = compile_schema(schema_name)
    return [] if compiled.check(node) else compiled.problems(node, what)


@dataclass(frozen=True)
class CompiledSchema:
    """A shipped schema made ready to validate many values."""

    schema: Schema
    """The schema with every ``$ref`` it follows replaced by what it points at."""
    check: Check
    """Whether a value has nothing wrong with it: exactly when :meth:`problems` finds none."""

    def problems(self, node: YNode, what: str) -> list[Diagnostic]:
        """The detailed walk: every problem of the value, with its location and a hint."""
        validator = _Validator()
        return [d for d in validator.errors(node, self.schema, what, None) if not validator.misspelt(d)]


@cache
def compile_schema(name: str) -> CompiledSchema:
    """The named schema, its references resolved and its check built, once per process."""
    root = load_schema(name)
    schema = _inline_refs(root, root)
    return CompiledSchema(schema, _checker(schema))


def _inline_refs(schema: Schema, root: dict[str, Any]) -> Schema:
    """``schema`` with each ``$ref`` it or a subschema the walk visits holds merged with its target."""
    while isinstance(schema, dict) and "$ref" in schema:
        target: Any = root
        for part in schema["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        schema = {**target, **{k: v for k, v in schema.items() if k != "$ref"}}
    if not isinstance(schema, dict):
        return schema
    schema = dict(schema)
    if "items" in schema:
        schema["items"] = _inline_refs(schema["items"], root)
    if "properties" in schema:
        schema["properties"] = {key: _inline_refs(value, root) for key, value in schema["properties"].items()}
    if "allOf" in schema:
        schema["allOf"] = [
            {**part, **{key: _inline_refs(part[key], root) for key in ("if", "then") if key in part}}
            for part in schema["allOf"]
        ]
    return schema


class _Validator:
    """One detailed walk over a value, remembering what it needs to drop redundant problems."""

    def __init__(self) -> None:
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

    def valid(self, node: YNode, schema: Schema) -> bool:
        self.testing += 1
        try:
            return not self.errors(node, schema, "", None)
        finally:
            self.testing -= 1

    def errors(self, node: YNode, schema: Schema, name: str, hint: str | None) -> list[Diagnostic]:
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
                problems.append(_unknown_field(key, node.key_location(key), list(known)))
        return problems


def _checker(schema: Schema) -> Check:
    """A yes-or-no check that accepts a node exactly when :meth:`_Validator.errors` finds nothing.

    The schema's rules are looked up once, here, so checking a node is a few comparisons.
    """
    if isinstance(schema, bool):
        return _accept if schema else _reject
    kind = schema.get("type")
    if "enum" in schema:
        return _enum_checker(kind, schema["enum"])
    parts: dict[type, Check] = {}
    if not kind or kind == "string":
        parts[str] = _scalar_checker(schema, kind)
    if not kind or kind == "array":
        parts[list] = _array_checker(schema)
    if kind not in ("string", "array"):
        parts[dict] = _object_checker(schema)
    conditions = tuple(
        (_checker(part["if"]), _checker(part.get("then", True))) for part in schema.get("allOf", ()) if "if" in part
    )
    if len(parts) == 1 and not conditions:
        return next(iter(parts.values()))

    def check(node: YNode) -> bool:
        part = parts.get(type(node.value))
        if part is None or not part(node):
            return False
        for test, then in conditions:
            if test(node) and not then(node):
                return False
        return True

    return check


def _accept(node: YNode) -> bool:
    return True


def _reject(node: YNode) -> bool:
    return False


def _enum_checker(kind: str | None, allowed: list[str]) -> Check:
    def check(node: YNode) -> bool:
        return (
            type(node.value) is str
            and node.tag != "null"
            and node.value in allowed
            and (not kind or _is_type(node, kind))
        )

    return check


def _scalar_checker(schema: dict[str, Any], kind: str | None) -> Check:
    """Checks a text value (and refuses any other)."""
    longest, shortest = schema.get("maxLength"), schema.get("minLength")
    search = re.compile(schema["pattern"]).search if "pattern" in schema else None
    date = schema.get("format") == "date"
    nullable = kind != "string"

    def check(node: YNode) -> bool:
        text = node.value
        return (
            type(text) is str
            and (nullable or node.tag != "null")
            and (longest is None or len(text) <= longest)
            and (shortest is None or len(text.strip()) >= shortest)
            and (search is None or search(text) is not None)
            and (not date or _is_date(text))
        )

    return check


def _array_checker(schema: dict[str, Any]) -> Check:
    """Checks a list (and refuses any other value)."""
    fewest, most = schema.get("minItems"), schema.get("maxItems")
    each = _checker(schema["items"]) if "items" in schema else _accept

    def check(node: YNode) -> bool:
        items = node.value
        if type(items) is not list or (fewest is not None and len(items) < fewest):
            return False
        if most is not None and len(items) > most:
            return False
        for item in items:
            if not each(item):
                return False
        return True

    return check


def _object_checker(schema: dict[str, Any]) -> Check:
    """Checks a mapping (and refuses any other value)."""
    required = tuple(schema.get("required", ()))
    known = {key: _checker(value) for key, value in schema.get("properties", {}).items()}
    closed = schema.get("additionalProperties") is False

    def check(node: YNode) -> bool:
        fields = node.value
        if type(fields) is not dict:
            return False
        for key in required:
            if key not in fields:
                return False
        if closed:
            if not fields.keys() <= known.keys():
                return False
            for key, value in fields.items():
                if not known[key](value):
                    return False
            return True
        for key, field_check in known.items():
            value = fields.get(key)
            if value is not None and not field_check(value):
                return False
        return True

    return check


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
