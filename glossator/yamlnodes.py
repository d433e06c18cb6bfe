"""Safe, bounded YAML parsing into nodes that remember where they came from.

The tree is built from PyYAML's event stream (libyaml's parser where available) by a
non-recursive composer, so deep nesting cannot exhaust the stack, aliases are refused
before anything could expand, and duplicate keys are caught with both locations.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml
from yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
)

from glossator.model import Diagnostic, Location, Related

MAX_DEPTH = 32
"""Deepest nesting of lists and mappings a file may use."""
MAX_NODES = 200_000
"""Most values one file may hold."""

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff]")
"""Control characters and XML's forbidden noncharacters, which a double-quoted escape could put in a value."""
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_RESOLVER = yaml.resolver.Resolver()


@dataclass
class YNode:
    """A YAML value with its location; ``value`` is str for scalars, list or dict otherwise."""

    value: str | list[YNode] | dict[str, YNode]
    """The scalar's text, the list's items, or the mapping's values by key."""
    tag: str
    """The resolved tag: ``str``, ``int``, ``bool``, ``null``, ``float``, ``timestamp``, ``seq`` or ``map``."""
    location: Location
    """Where the value starts."""
    key_locations: dict[str, Location] = field(default_factory=dict)
    """For mappings: where each key is written."""
    end: Location | None = None
    """Just past the value's last character (for block scalars, the start of the line after them)."""

    def to_python(self) -> object:
        """Plain Python data: scalars stay strings (``null`` becomes None)."""
        if isinstance(self.value, list):
            return [item.to_python() for item in self.value]
        if isinstance(self.value, dict):
            return {key: item.to_python() for key, item in self.value.items()}
        return None if self.tag == "null" else self.value


class YamlError(Exception):
    """A YAML problem, carried as a diagnostic."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


def parse(text: str, path: str, first_line: int = 1) -> YNode | None:
    """Parse one YAML document; None for an empty one. Raises :class:`YamlError`.

    ``first_line`` is the file line the text starts on (front matter starts on line 2).
    """
    try:
        return _compose(yaml.parse(text, Loader=_Loader), path, first_line)
    except yaml.MarkedYAMLError as error:
        raise YamlError(_syntax_diagnostic(error, path, first_line, text)) from None
    except yaml.YAMLError as error:
        raise YamlError(Diagnostic(Location(path, first_line), f"invalid YAML: {error}", code="yaml-syntax")) from None


def _loc(mark: yaml.Mark | None, path: str, first_line: int) -> Location:
    if mark is None:
        return Location(path, first_line)
    return Location(path, mark.line + first_line, mark.column + 1)


def _tag(event: ScalarEvent) -> str:
    if event.tag and event.tag != "!":
        tag = event.tag
    else:
        tag = _RESOLVER.resolve(yaml.ScalarNode, event.value, event.implicit)
    return tag.rsplit(":", 1)[-1]


def _compose(events, path: str, first_line: int) -> YNode | None:  # noqa: C901 - one state machine
    stack: list[tuple[YNode, str | None]] = []
    root: YNode | None = None
    documents = 0
    count = 0
    for event in events:
        if isinstance(event, DocumentStartEvent):
            documents += 1
            if documents > 1:
                raise YamlError(
                    Diagnostic(
                        _loc(event.start_mark, path, first_line),
                        "expected a single YAML document, found a second one",
                        hint="remove the '---' separator, or move the rest into another file",
                        code="yaml-multiple-documents",
                    )
                )
            continue
        if isinstance(event, AliasEvent) or getattr(event, "anchor", None):
            raise YamlError(
                Diagnostic(
                    _loc(event.start_mark, path, first_line),
                    "YAML anchors and aliases ('&name', '*name') are not allowed",
                    hint="write the value out in full where it is needed",
                    code="yaml-alias",
                )
            )
        if isinstance(event, (ScalarEvent, SequenceStartEvent, MappingStartEvent)):
            count += 1
            if count > MAX_NODES:
                raise YamlError(
                    Diagnostic(
                        _loc(event.start_mark, path, first_line),
                        f"too many values in one file (more than {MAX_NODES:,})",
                        hint="split the annotations into several files",
                        code="yaml-too-large",
                    )
                )
            location = _loc(event.start_mark, path, first_line)
            if isinstance(event, ScalarEvent):
                if control := _CONTROL.search(event.value):
                    raise YamlError(_control_character(location, control.group()))
                node = YNode(event.value, _tag(event), location, end=_loc(event.end_mark, path, first_line))
            elif isinstance(event, SequenceStartEvent):
                node = YNode([], "seq", location)
            else:
                node = YNode({}, "map", location)
            if isinstance(event, ScalarEvent):
                root = _attach(stack, node, root)
            else:
                if len(stack) >= MAX_DEPTH:
                    raise YamlError(
                        Diagnostic(
                            location,
                            f"YAML nested too deeply (more than {MAX_DEPTH} levels)",
                            hint="annotation files need only a list of flat mappings",
                            code="yaml-too-deep",
                        )
                    )
                stack.append((node, None))
        elif isinstance(event, (SequenceEndEvent, MappingEndEvent)):
            node, _ = stack.pop()
            node.end = _loc(event.end_mark, path, first_line)
            root = _attach(stack, node, root)
    return root


def _control_character(location: Location, char: str) -> Diagnostic:
    return Diagnostic(
        location,
        f"a value holds a control character (U+{ord(char):04X}), written with an escape such as '\\x1b'",
        hint="remove the escape: values are shown as text, and control characters are invisible or garble terminals",
        code="yaml-control-character",
    )


def _attach(stack: list[tuple[YNode, str | None]], node: YNode, root: YNode | None) -> YNode | None:
    """Put a finished node into its parent; a mapping takes keys and values in turn."""
    if not stack:
        return node
    parent, pending_key = stack[-1]
    if isinstance(parent.value, list):
        parent.value.append(node)
    elif pending_key is None:
        if not isinstance(node.value, str):
            raise YamlError(
                Diagnostic(
                    node.location,
                    "expected a plain key (a name followed by ':'), found a list or mapping as a key",
                    code="yaml-complex-key",
                )
            )
        key = node.value
        if key in parent.value:
            shown = " ".join(key.split())  # one line, whatever the key spans
            raise YamlError(
                Diagnostic(
                    node.location,
                    f"duplicate key '{shown}'",
                    hint="each field may appear once per annotation; remove or rename one of them",
                    related=(Related(parent.key_locations[key], f"'{shown}' first given here"),),
                    code="yaml-duplicate-key",
                )
            )
        parent.key_locations[key] = node.location
        stack[-1] = (parent, key)
    else:
        parent.value[pending_key] = node
        stack[-1] = (parent, None)
    return root


def _syntax_diagnostic(error: yaml.MarkedYAMLError, path: str, first_line: int, text: str) -> Diagnostic:
    mark = error.problem_mark or error.context_mark
    location = _loc(mark, path, first_line)
    problem = error.problem or "invalid YAML"
    message = f"invalid YAML: {problem}"
    if error.context:
        message += f" ({error.context})"
    hint = None
    line_text = text.splitlines()[mark.line] if mark and mark.line < len(text.splitlines()) else ""
    indent = line_text[: len(line_text) - len(line_text.lstrip(" \t-"))]
    if mark and "\t" in indent[: mark.column + 1]:
        return Diagnostic(
            Location(path, mark.line + first_line, line_text.index("\t") + 1),
            "invalid YAML: a tab character is used for indentation",
            hint="YAML indentation must use spaces, not tabs",
            code="yaml-tab",
        )
    if "'\\t'" in problem:
        hint = "YAML indentation must use spaces, not tabs"
    elif "mapping values are not allowed" in problem:
        hint = "a value containing ': ' must be quoted, or written as a block with '|'"
    elif "could not find expected ':'" in problem or "expected <block end>" in problem:
        hint = "check the indentation: fields of one annotation line up under its first field"
    related = ()
    if error.context_mark and error.problem_mark and error.context_mark.line != error.problem_mark.line:
        related = (Related(_loc(error.context_mark, path, first_line), error.context or "started here"),)
    return Diagnostic(location, message, hint=hint, related=related, code="yaml-syntax")
