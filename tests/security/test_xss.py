"""The payload corpus through every contributor-controlled field: nothing in the output can run.

Each payload of ``payloads.txt`` is written into a project's front matter, text body (as text,
link and image targets, a table cell, a heading and a footnote), every annotation field (quote,
body, author, claim, source titles and publishers) and the site configuration; URL fields and ids
get it too. Every file the build writes is then parsed and judged by :mod:`inspect_output`
against a baseline build of benign content. A payload may also be refused: then the build must end
in diagnostics (never a traceback) and write nothing, and the diagnostics must be safe to print.
"""

from __future__ import annotations

import codecs
import json
import re
from pathlib import Path

import pytest

from glossator.annotations import parse_annotations
from glossator.build import Result, render
from glossator.config import parse_config
from glossator.diagnostics import format_github, format_text
from glossator.texts import parse_text

from .inspect_output import CANARY, Baseline, site_problems, url_problem

CORPUS = Path(__file__).with_name("payloads.txt")


def load_payloads() -> list[str]:
    """The corpus, escapes decoded (the file is ASCII; see its header)."""
    lines = CORPUS.read_text(encoding="ascii").split("\n")
    return [codecs.decode(line, "unicode_escape") for line in lines if line.strip() and not line.startswith("#")]


PAYLOADS = load_payloads()
BENIGN = "An ordinary phrase"
_TERMINAL_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def quoted(value: str) -> str:
    """A YAML double-quoted scalar holding exactly ``value`` (JSON strings are YAML)."""
    return json.dumps(value, ensure_ascii=False)


def write_project(root: Path, payload: str) -> Path:
    """A project with ``payload`` in every free-text field a contributor controls."""
    one_line = " ".join(payload.split()) or "x"
    (root / "content").mkdir(parents=True)
    (root / "annotations" / "t").mkdir(parents=True)
    (root / "glossator.yaml").write_text(
        f"title: {quoted(payload)}\ndescription: {quoted(payload)}\nauthor: {quoted(payload)}\n", encoding="utf-8"
    )
    (root / "content" / "t.md").write_text(
        "---\n"
        f"title: {quoted(payload)}\nauthor: {quoted(payload)}\npublisher: {quoted(payload)}\n"
        f"summary: {quoted(payload)}\ndate: 2024-01-02\nsource_url: https://example.org/original\n"
        "---\n"
        f"# Heading {payload}\n\n"
        "Opening paragraph with an anchor phrase in it.\n\n"
        f"{payload}\n\n"
        f"A [link]({payload}) and ![image]({payload}) and <{payload}> and [ref][r].\n\n"
        f"[r]: {payload}\n\n"
        f"| a | b |\n|:--|--:|\n| {one_line} | cell |\n\n"
        "Text with a footnote.[^1]\n\n"
        f"[^1]: Footnote {payload} and [a link]({payload}).\n",
        encoding="utf-8",
    )
    source = {"title": payload, "url": "https://example.org/source", "publisher": payload, "date": "2024"}
    notes = [
        {
            "id": "on-payload",
            "kind": "context",
            "quote": payload,
            "body": f"{payload}\n\n[x]({payload})",
            "author": payload,
        },
        {
            "id": "rebuttal",
            "kind": "rebuttal",
            "quote": "anchor phrase",
            "claim": one_line,
            "rating": "misleading",
            "body": f"See <{payload}> and ![i]({payload}).",
            "sources": [source],
            "author": payload,
        },
        {"id": "footnote", "kind": "footnote", "quote": "Opening paragraph", "sources": [source]},
        {"id": "lost", "kind": "context", "quote": f"{payload} nowhere in the text", "body": payload},
    ]
    (root / "annotations" / "t" / "notes.yaml").write_text(_yaml_list(notes), encoding="utf-8")
    return root


def _yaml_list(notes: list[dict]) -> str:
    """Annotations as block YAML with double-quoted values."""
    lines = []
    for note in notes:
        first = True
        for key, value in note.items():
            lead = "- " if first else "  "
            first = False
            if isinstance(value, list):
                lines.append(f"{lead}{key}:")
                for item in value:
                    lines.append("    - " + "\n      ".join(f"{k}: {quoted(v)}" for k, v in item.items()))
            else:
                lines.append(f"{lead}{key}: {quoted(value)}")
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def baseline(tmp_path_factory: pytest.TempPathFactory) -> Baseline:
    result = render(write_project(tmp_path_factory.mktemp("benign"), BENIGN))
    assert result.pages, result.diagnostics
    return Baseline.learn(result.pages)


def assert_safe_to_print(diagnostics) -> None:
    """What the CLI prints carries no terminal control sequences, and no line a CI runner would obey.

    GitHub runs any output line starting with ``::`` as a workflow command (``::error``,
    ``::add-mask``...): a value spanning lines must not start one.
    """
    for output in (format_text(diagnostics, {}), format_github(diagnostics)):
        assert not _TERMINAL_UNSAFE.search(output.replace("\n", "")), repr(output)
    commands = [line for line in format_text(diagnostics, {}).split("\n") if line.strip().startswith("::")]
    assert commands == []
    assert all(line.startswith("::") for line in format_github(diagnostics).splitlines())


def test_the_corpus_is_broad():
    assert len(PAYLOADS) >= 150
    assert len(set(PAYLOADS)) == len(PAYLOADS), "duplicate payloads"


def test_the_checks_catch_what_they_are_for(baseline):
    """The inspector is not vacuous: planted script, handlers, URLs and elements are all reported."""
    from glossator.model import Page

    page = (
        '<!doctype html><html><head><meta http-equiv="Content-Security-Policy" content="script-src \'unsafe-inline\'">'
        "</head><body><script>alert(1)</script><img src=x onerror=alert(1)><a href=' java\tscript:x'>a</a>"
        '<svg></svg><iframe srcdoc="x"></iframe><p style="color:red">1343433</p>'
        '<script type="application/ld+json">{"a": "</b>"}</script></body></html>'
    )
    problems = "\n".join(site_problems([Page("t/index.html", page.encode())], baseline))
    for expected in (
        "inline script",
        "script that is not the theme's",
        "event handler attribute onerror",
        "scheme 'javascript'",
        "element <svg>",
        "element <iframe>",
        "style attribute",
        "canary",
        "JSON-LD block holds a '<'",
        "allows inline or foreign script",
    ):
        assert expected in problems, expected
    assert url_problem("\x01 JaVa\nScRiPt:alert(1)") and url_problem("DATA:text/html,x")
    assert url_problem("https://example.org/") is None and url_problem("../t/index.html#note-x") is None


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Result]:
    """Each payload's build, rendered once for the tests below."""
    folder = tmp_path_factory.mktemp("payloads")
    return {payload: render(write_project(folder / str(i), payload)) for i, payload in enumerate(PAYLOADS)}


@pytest.mark.parametrize("payload", PAYLOADS, ids=range(len(PAYLOADS)))
def test_no_payload_gets_into_the_output(payload: str, results: dict[str, Result], baseline: Baseline):
    result = results[payload]
    if not result.pages:  # refused: a clear diagnostic, safe to print, nothing built
        assert result.diagnostics and not result.ok
        assert_safe_to_print(result.diagnostics)
        return
    assert site_problems(result.pages, baseline) == []
    assert_safe_to_print(result.diagnostics)
    if "7*191919" in payload:  # shown as text, not evaluated
        page = next(p for p in result.pages if p.path == "t/index.html").content.decode()
        assert "7*191919" in page and CANARY not in page


def test_most_payloads_are_built_not_just_refused(results: dict[str, Result]):
    """The corpus test above proves something only if the payloads reach the renderer."""
    built = sum(bool(result.pages) for result in results.values())
    assert built >= 0.95 * len(PAYLOADS), f"only {built} of {len(PAYLOADS)} payloads were built"


@pytest.mark.parametrize("payload", PAYLOADS, ids=range(len(PAYLOADS)))
def test_url_fields_and_ids_accept_only_safe_values(payload: str, tmp_path: Path, baseline: Baseline):
    """Source URLs, the original's URL, the site's base URL and ids are refused with a located error, or safe."""
    note = '- id: {id}\n  kind: footnote\n  quote: "anchor phrase"\n  sources:\n    - title: t\n      url: {url}\n'
    for id_, url in ((quoted(payload), '"https://example.org/"'), ("n", quoted(payload))):
        annotations, problems = parse_annotations("annotations/t/a.yaml", note.format(id=id_, url=url))
        if problems:
            assert not annotations and all(d.location.line >= 1 for d in problems)
            assert_safe_to_print(problems)
        else:
            (annotation,) = annotations
            assert re.fullmatch(r"[a-z0-9][a-z0-9-]*", annotation.id)
            url = annotation.sources[0].url
            assert url.startswith(("https://", "http://")) and not url_problem(url)
    for url in (payload, "https://example.org/" + payload):
        source = f"---\ntitle: T\nsource_url: {quoted(url)}\n---\nBody.\n"
        config = f"base_url: {quoted(url)}\n"
        text, text_problems = parse_text("t", "content/t.md", source)
        _, config_problems = parse_config("glossator.yaml", config)
        assert_safe_to_print(text_problems + config_problems)
        if text is None and config_problems:
            continue
        root = tmp_path / f"u{len(url)}"
        (root / "content").mkdir(parents=True)
        (root / "content" / "t.md").write_text(source if text else "---\ntitle: T\n---\nBody.\n", encoding="utf-8")
        (root / "glossator.yaml").write_text("" if config_problems else config, encoding="utf-8")
        result = render(root)
        assert result.pages and site_problems(result.pages, baseline) == []


def test_values_spanning_lines_cannot_start_a_line_of_output(tmp_path: Path):
    """Echoed ids, kinds and keys are shown on one line: no spoofed diagnostic or CI workflow command."""
    root = tmp_path / "p"
    (root / "content").mkdir(parents=True)
    (root / "annotations" / "t").mkdir(parents=True)
    (root / "content" / "t.md").write_text("---\ntitle: T\n---\nHello world.\n", encoding="utf-8")
    (root / "annotations" / "t" / "a.yaml").write_text(
        '- id: "x\\n::notice::all notes passed"\n  kind: "context\\n::warning::spoofed"\n  quote: Hello\n'
        '  body: b\n  "bad\\n::error::key": 1\n  "bad\\n::error::key": 2\n',
        encoding="utf-8",
    )
    result = render(root)
    assert [d.code for d in result.diagnostics] == ["yaml-duplicate-key"]
    assert_safe_to_print(result.diagnostics)
    (root / "annotations" / "t" / "a.yaml").write_text(
        '- id: "x\\n::notice::all notes passed"\n  kind: "context\\n::warning::spoofed"\n  quote: Hello\n'
        '  body: b\n  "bad\\n::error::key": 1\n',
        encoding="utf-8",
    )
    result = render(root)
    assert sorted(d.code for d in result.diagnostics) == ["schema-enum", "schema-pattern", "schema-unknown-field"]
    assert_safe_to_print(result.diagnostics)
