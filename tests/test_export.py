"""W3C Web Annotation export: conformance to the W3C test suite's MUST assertions, and round trips."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest
from jsonschema import Draft4Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from glossator.build import render
from glossator.config import BASE_URL_VARIABLE

from .conftest import REPO
from .sample_site import make_sample, page, reader_text

SUITE = Path(__file__).resolve().parents[2] / "shared" / "w3c-web-annotation-tests"
needs_suite = pytest.mark.skipif(
    not SUITE.is_dir(), reason=f"the W3C Web Annotation test suite is not at {SUITE} (../shared/ is absent)"
)


@pytest.fixture(autouse=True)
def no_base_url_override(monkeypatch):
    monkeypatch.delenv(BASE_URL_VARIABLE, raising=False)


@cache
def must_validators(test_file: str) -> tuple[tuple[str, Draft4Validator], ...]:
    """The suite's MUST assertions listed in a ``.test`` file, as validators that resolve ``$ref`` offline."""
    definitions = [
        (path.name, Resource.from_contents(json.loads(path.read_text(encoding="utf-8")), default_specification=DRAFT4))
        for path in sorted((SUITE / "definitions").glob("*.json"))
    ]
    registry = Registry().with_resources(definitions)
    assert {"uri", "date-time"} <= set(FormatChecker().checkers), "formats unchecked: install the test extras"
    assertions = json.loads((SUITE / test_file).read_text(encoding="utf-8"))["assertions"]
    validators = []
    for name in assertions:
        schema = json.loads((SUITE / name).read_text(encoding="utf-8"))
        assert schema["assertionType"] == "must" and schema["expectedResult"] == "valid", name
        validators.append((name, Draft4Validator(schema, registry=registry, format_checker=FormatChecker())))
    return tuple(validators)


def must_failures(document: dict, test_file: str) -> list[str]:
    """Every MUST assertion the document breaks, with the suite's error message."""
    return [
        f"{name}: {json.loads((SUITE / name).read_text())['errorMessage']}"
        for name, validator in must_validators(test_file)
        if not validator.is_valid(document)
    ]


def exported(result) -> dict[str, dict]:
    return {p.path: json.loads(p.content) for p in result.pages if p.path.endswith("/annotations.jsonld")}


@needs_suite
def test_the_suite_catches_a_broken_annotation():
    """The validators are live: an annotation without target and with a bad date fails."""
    broken = {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "id": "https://example.org/a",
        "type": "Annotation",
        "created": "yesterday",
    }
    failures = must_failures(broken, "annotations/annotationMusts.test")
    assert any("3.1-targetKeyFound" in f for f in failures)
    assert any("3.3.1-annotationCreatedValidated" in f for f in failures)


@needs_suite
@pytest.mark.parametrize("site", ["sample", "repository"])
def test_every_export_meets_every_must_assertion(site, make_project):
    root = make_sample(make_project) if site == "sample" else REPO
    result = render(root)
    files = exported(result)
    assert files and len(files) == len(result.project.texts)
    for path, collection in files.items():
        assert must_failures(collection, "collections/collectionMusts.test") == [], path
        assert must_failures(collection, "collections/pages/pageMusts.test") == [], path
        items = collection["first"]["items"]
        assert collection["total"] == len(items) == len(result.project.annotations.get(path.split("/")[0], ()))
        for item in items:
            assert must_failures(item, "annotations/annotationMusts.test") == [], item["id"]


def test_collection_page_and_annotation_shape(make_project):
    result = render(make_sample(make_project))
    collection = exported(result)["edge-cases/annotations.jsonld"]
    assert collection["@context"] == "http://www.w3.org/ns/anno.jsonld"
    assert collection["id"] == "https://example.org/reader/edge-cases/annotations.jsonld"
    assert collection["type"] == "AnnotationCollection" and collection["total"] == 10
    assert collection["label"] == "Notes on “Edge cases: </script> & friends”"
    first = collection["first"]
    assert (first["type"], first["startIndex"], first["id"]) == ("AnnotationPage", 0, collection["id"] + "#page1")
    notes = {item["id"].rsplit("#", 1)[1]: item for item in first["items"]}
    assert {n: a["motivation"] for n, a in notes.items() if n in ("crossing", "repeated", "emoji-target")} == {
        "crossing": "describing",
        "repeated": "assessing",
        "emoji-target": "linking",
    }
    crossing = notes["crossing"]
    assert crossing["body"] == {
        "type": "TextualBody",
        "value": '<p>Crosses <em>emphasis</em>; see <a href="https://example.org/s">the source</a>.</p>\n',
        "format": "text/html",
        "language": "en-GB",
    }
    assert crossing["creator"] == {"type": "Person", "name": "Ann Notator"}
    assert crossing["created"] == "2025-01-10T00:00:00Z"
    assert crossing["target"]["source"] == "https://example.org/reader/edge-cases/"
    rebuttal = notes["repeated"]["body"]
    assert [b.get("purpose") for b in rebuttal] == [None, "describing", "classifying", "linking"]
    assert rebuttal[2]["value"] == "Misleading"
    assert rebuttal[3] == {
        "type": "SpecificResource",
        "purpose": "linking",
        "source": {
            "id": "https://example.org/echo",
            "type": "Text",
            "dc:title": "Echo studies </script>",
            "dc:publisher": "Example Press",
            "dc:date": "2020-03",
        },
    }
    footnote = notes["emoji-target"]
    assert footnote["body"]["purpose"] == "linking" and "creator" not in footnote
    assert (
        footnote["body"]["source"]["id"] == "https://example.org/wiki/M%C3%B6bius%7Cstrip?q=%22x%22&y=%20"
    )  # IRI as URI


def test_an_unanchored_note_keeps_only_its_quote(make_project):
    collection = exported(render(make_sample(make_project)))["edge-cases/annotations.jsonld"]
    lost = next(item for item in collection["first"]["items"] if item["id"].endswith("#lost"))
    assert lost["target"]["selector"] == [{"type": "TextQuoteSelector", "exact": "a passage that is not in the text"}]


def test_selectors_re_anchor_on_the_published_page(make_project):
    """A client extracts the reader text from the built HTML; every selector lands on its highlighted passage."""
    result = render(make_sample(make_project))
    checked = 0
    for path, collection in exported(result).items():
        text, marks = reader_text(page(result, path.replace("annotations.jsonld", "index.html")).decode())
        for item in collection["first"]["items"]:
            quote, *position = item["target"]["selector"]
            if not position:
                continue
            start, end = position[0]["start"], position[0]["end"]
            exact, prefix, suffix = quote["exact"], quote["prefix"], quote["suffix"]
            assert text[start:end] == exact
            assert text[:start].endswith(prefix) and text[end:].startswith(suffix)
            assert [i + len(prefix) for i in _find_all(text, prefix + exact + suffix)] == [start], (
                "quote selector is ambiguous"
            )
            assert marks[item["id"].rsplit("#", 1)[1]] == (start, end), "the page highlights another passage"
            checked += 1
    assert checked == 10
    edge = exported(result)["edge-cases/annotations.jsonld"]["first"]["items"]
    emoji = next(i for i in edge if i["id"].endswith("#emoji-target"))["target"]["selector"]
    assert emoji[0]["prefix"].endswith("🙂 emoji before a ")  # positions count code points, as the model requires
    across = next(i for i in edge if i["id"].endswith("#across-lines"))["target"]["selector"][0]
    assert across["exact"] == "echo.\nLater the word"


def test_export_is_deterministic(make_project):
    root = make_sample(make_project)
    first = {p.path: p.content for p in render(root).pages if p.path.endswith(".jsonld")}
    assert first == {p.path: p.content for p in render(root).pages if p.path.endswith(".jsonld")}


def _find_all(text: str, needle: str) -> list[int]:
    found, at = [], text.find(needle)
    while at >= 0:
        found.append(at)
        at = text.find(needle, at + 1)
    return found
