"""Safe, bounded YAML parsing into nodes that remember where they came from.

The tree is built from PyYAML's event stream (libyaml's parser where available) by a
non-recursive composer, so deep nesting cannot exhaust the stack, aliases are refused
before anything could expand, and duplicate keys are caught with both locations.

Every file of a build goes through here, so the composer is one flat loop over the
events, and nodes keep the parser's marks: a :class:`~glossator.model.Location` is made
only when someone asks where a value is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Protocol

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


class Mark(Protocol):
    """Where the parser was, 0-based (libyaml's and PyYAML's marks both fit)."""

    line: int
    column: int


@dataclass(frozen=True, slots=True)
class Origin:
    """The file one parse reads, shared by all of its nodes."""

    path: str
    """File path, as diagnostics show it."""
    first_line: int
    """The file line the parsed text starts on (front matter starts on line 2)."""

    def at(self, mark: Mark | None) -> Location:
        """The file location of a parser mark (the text's start when there is none)."""
        if mark is None:
            return Location(self.path, self.first_line)
        return Location(self.path, mark.line + self.first_line, mark.column + 1)


@dataclass(slots=True, eq=False)
class YNode:
    """A YAML value with its place in the file; ``value`` is str for scalars, list or dict otherwise."""

    value: str | list[YNode] | dict[str, YNode]
    """The scalar's text, the list's items, or the mapping's values by key."""
    tag: str
    """The resolved tag: ``str``, ``int``, ``bool``, ``null``, ``float``, ``timestamp``, ``seq`` or ``map``."""
    origin: Origin
    """The file the value is in."""
    start_mark: Mark
    """Where the value starts."""
    end_mark: Mark | None = None
    """Just past the value's last character (for block scalars, the start of the line after them)."""
    key_marks: dict[str, Mark] | None = None
    """For mappings: where each key is written."""

    @property
    def location(self) -> Location:
        """Where the value starts."""
        return self.origin.at(self.start_mark)

    @property
    def end(self) -> Location | None:
        """Just past the value's last character; None only while the parser is still inside it."""
        return None if self.end_mark is None else self.origin.at(self.end_mark)

    @property
    def key_locations(self) -> dict[str, Location]:
        """For mappings: where each key is written (empty for other values)."""
        return {key: self.origin.at(mark) for key, mark in (self.key_marks or {}).items()}

    def key_location(self, key: str) -> Location:
        """Where one key of a mapping is written."""
        return self.origin.at(self.key_marks[key])  # type: ignore[index]

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
    origin = Origin(path, first_line)
    try:
        return _compose(_Loader(text), origin, _may_hold_controls(text))
    except yaml.MarkedYAMLError as error:
        raise YamlError(_syntax_diagnostic(error, origin, text)) from None
    except yaml.YAMLError as error:
        raise YamlError(Diagnostic(origin.at(None), f"invalid YAML: {error}", code="yaml-syntax")) from None


def _may_hold_controls(text: str) -> bool:
    """Whether a value could hold a control character, so that scalars must be searched for one.

    The YAML reader refuses every control character but tab and the line breaks (CR, NEL), which
    reach values as ``\\n``; only a double-quoted escape can write one, and escapes need a backslash.
    """
    return "\\" in text


def _plain_tag(value: str) -> str:
    """The tag PyYAML's resolver gives an untagged plain scalar."""
    return _RESOLVER.resolve(yaml.ScalarNode, value, (True, False)).rsplit(":", 1)[-1]


_REMEMBERED = 64
"""Plain scalars up to this long have their tag remembered: they repeat (ids, kinds, dates, names)."""
_remembered_tag = lru_cache(maxsize=4096)(_plain_tag)


def _compose(loader: Any, origin: Origin, controls: bool) -> YNode | None:
    """The document's tree, built in one loop over the events (inlined: it runs for every event of a build).

    ``controls`` says whether scalars must be searched for control characters.
    """
    get_event = loader.get_event
    stack: list[tuple[YNode, str | None]] = []  # the open containers around ``parent``, each with its pending key
    parent: YNode | None = None  # the innermost open list or mapping
    items: Any = None  # its value
    marks: Any = None  # its key marks, when it is a mapping
    key: str | None = None  # in a mapping: the key the next value goes under (None: a key comes next)
    root: YNode | None = None
    documents = count = 0
    while (event := get_event()) is not None:
        kind = type(event)
        if kind is ScalarEvent:
            if event.anchor:
                raise _alias(origin.at(event.start_mark))
            count += 1
            if count > MAX_NODES:
                raise _too_many(origin.at(event.start_mark))
            value = event.value
            if controls and (control := _CONTROL.search(value)):
                raise YamlError(_control_character(origin.at(event.start_mark), control.group()))
            if marks is not None and key is None:
                if value in marks:
                    raise _duplicate_key(value, origin.at(event.start_mark), origin.at(marks[value]))
                marks[value] = event.start_mark
                key = value
                continue
            tag = event.tag
            if tag and tag != "!":
                tag = tag.rsplit(":", 1)[-1]
            elif event.implicit[0]:
                tag = (_remembered_tag if len(value) <= _REMEMBERED else _plain_tag)(value)
            else:
                tag = "str"
            node = YNode(value, tag, origin, event.start_mark, event.end_mark)
        elif kind is MappingStartEvent or kind is SequenceStartEvent:
            if event.anchor:
                raise _alias(origin.at(event.start_mark))
            count += 1
            if count > MAX_NODES:
                raise _too_many(origin.at(event.start_mark))
            if len(stack) + (parent is not None) >= MAX_DEPTH:
                raise _too_deep(origin.at(event.start_mark))
            if parent is not None:
                stack.append((parent, key))
            if kind is MappingStartEvent:
                items, marks = {}, {}
                parent = YNode(items, "map", origin, event.start_mark, key_marks=marks)
            else:
                items, marks = [], None
                parent = YNode(items, "seq", origin, event.start_mark)
            key = None
            continue
        elif kind is MappingEndEvent or kind is SequenceEndEvent:
            node = parent  # type: ignore[assignment]
            node.end_mark = event.end_mark
            if stack:
                parent, key = stack.pop()
                items, marks = parent.value, parent.key_marks
            else:
                parent, items, marks = None, None, None
            if marks is not None and key is None:
                raise _complex_key(node.location)
        elif kind is DocumentStartEvent:
            documents += 1
            if documents > 1:
                raise _second_document(origin.at(event.start_mark))
            continue
        elif kind is AliasEvent:
            raise _alias(origin.at(event.start_mark))
        else:
            continue
        if parent is None:
            root = node
        elif marks is None:
            items.append(node)
        else:
            items[key] = node
            key = None
    return root


def _alias(location: Location) -> YamlError:
    return YamlError(
        Diagnostic(
            location,
            "YAML anchors and aliases ('&name', '*name') are not allowed",
            hint="write the value out in full where it is needed",
            code="yaml-alias",
        )
    )


def _too_many(location: Location) -> YamlError:
    return YamlError(
        Diagnostic(
            location,
            f"too many values in one file (more than {MAX_NODES:,})",
            hint="split the annotations into several files",
            code="yaml-too-large",
        )
    )


def _too_deep(location: Location) -> YamlError:
    return YamlError(
        Diagnostic(
            location,
            f"YAML nested too deeply (more than {MAX_DEPTH} levels)",
            hint="annotation files need only a list of flat mappings",
            code="yaml-too-deep",
        )
    )


def _second_document(location: Location) -> YamlError:
    return YamlError(
        Diagnostic(
            location,
            "expected a single YAML document, found a second one",
            hint="remove the '---' separator, or move the rest into another file",
            code="yaml-multiple-documents",
        )
    )


def _complex_key(location: Location) -> YamlError:
    return YamlError(
        Diagnostic(
            location,
            "expected a plain key (a name followed by ':'), found a list or mapping as a key",
            code="yaml-complex-key",
        )
    )


def _duplicate_key(key: str, location: Location, first: Location) -> YamlError:
    shown = " ".join(key.split())  # one line, whatever the key spans
    return YamlError(
        Diagnostic(
            location,
            f"duplicate key '{shown}'",
            hint="each field may appear once per annotation; remove or rename one of them",
            related=(Related(first, f"'{shown}' first given here"),),
            code="yaml-duplicate-key",
        )
    )


def _control_character(location: Location, char: str) -> Diagnostic:
    return Diagnostic(
        location,
        f"a value holds a control character (U+{ord(char):04X}), written with an escape such as '\\x1b'",
        hint="remove the escape: values are shown as text, and control characters are invisible or garble terminals",
        code="yaml-control-character",
    )


def _syntax_diagnostic(error: yaml.MarkedYAMLError, origin: Origin, text: str) -> Diagnostic:
    mark = error.problem_mark or error.context_mark
    location = origin.at(mark)
    problem = error.problem or "invalid YAML"
    message = f"invalid YAML: {problem}"
    if error.context:
        message += f" ({error.context})"
    hint = None
    lines = text.splitlines()
    line_text = lines[mark.line] if mark and mark.line < len(lines) else ""
    indent = line_text[: len(line_text) - len(line_text.lstrip(" \t-"))]
    if mark and "\t" in indent[: mark.column + 1]:
        return Diagnostic(
            Location(origin.path, mark.line + origin.first_line, line_text.index("\t") + 1),
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
        related = (Related(origin.at(error.context_mark), error.context or "started here"),)
    return Diagnostic(location, message, hint=hint, related=related, code="yaml-syntax")
