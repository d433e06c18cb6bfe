"""The fuzz corpus (``fuzz/corpus/``) loads into exactly the recorded texts, annotations and diagnostics.

``fuzz_corpus_loaded.json`` was recorded before YAML parsing and schema validation were made fast; any
change in what a hostile or broken input gives (a value, a location, a message, a hint) fails here.
After a deliberate change of a message, record again with ``python -m tests.test_annotations``.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from glossator.annotations import parse_annotations
from glossator.texts import parse_text

CORPUS = Path(__file__).resolve().parents[1] / "fuzz" / "corpus"
RECORDED = Path(__file__).with_name("fuzz_corpus_loaded.json")
SEPARATOR = b"\n%%%%\n"
"""Between the text and the annotation file of one corpus input (see ``fuzz/targets.py``)."""


def loaded(data: bytes) -> dict[str, object]:
    """What the text and the annotation file of one corpus input load into, as JSON data."""
    text, found, notes = data.partition(SEPARATOR)
    if not found:
        text, notes = b"", text
    meta, text_problems = parse_text("t", "content/t.md", text.decode("utf-8", "replace"))
    annotations, problems = parse_annotations("annotations/t/a.yaml", notes.decode("utf-8", "replace"))
    return json.loads(
        json.dumps(
            {
                "text": dataclasses.asdict(meta) if meta else None,
                "text_problems": [dataclasses.asdict(d) for d in text_problems],
                "annotations": [dataclasses.asdict(a) for a in annotations],
                "annotation_problems": [dataclasses.asdict(d) for d in problems],
            }
        )
    )


def record() -> None:
    """Write what every corpus input loads into, one input a line."""
    lines = [
        f"{json.dumps(path.name)}: {json.dumps(loaded(path.read_bytes()), ensure_ascii=False, sort_keys=True)}"
        for path in sorted(CORPUS.iterdir())
    ]
    RECORDED.write_text("{\n" + ",\n".join(lines) + "\n}\n", encoding="utf-8")


EXPECTED = json.loads(RECORDED.read_text(encoding="utf-8"))


def test_the_recording_covers_diagnostics_of_every_stage():
    codes = {d["code"] for entry in EXPECTED.values() for d in entry["text_problems"] + entry["annotation_problems"]}
    assert {"yaml-syntax", "yaml-alias", "yaml-duplicate-key", "yaml-too-deep", "yaml-control-character"} <= codes
    assert {"schema-type", "schema-required", "schema-enum", "schema-unknown-field", "schema-not-allowed"} <= codes
    assert sum(len(entry["annotations"]) for entry in EXPECTED.values()) > 100


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_a_corpus_input_loads_as_recorded(name):
    assert loaded((CORPUS / name).read_bytes()) == EXPECTED[name]


if __name__ == "__main__":
    record()
