"""A newcomer's journeys through the command line: scaffold a note, get it wrong, read the message, fix it."""

from __future__ import annotations

import json
from datetime import date
from html.parser import HTMLParser
from importlib import resources
from pathlib import Path

import pytest
import yaml

from glossator.cli import main
from glossator.schema import ANNOTATIONS, load_schema
from glossator.yamlnodes import parse

from .conftest import REPO, dedent, front

TEXT = front("T") + dedent(
    """
    The partnership has deepened since the visit.

    Alpha beta gamma.

    Alpha again, said the author.
    """
)
NOTE = dedent(
    """
    # yaml-language-server: $schema=../../glossator/schema/annotations.schema.json
    - id: beta-note
      kind: rebuttal
      quote: beta gamma
      body: |
        What the sources say.
      sources:
        - title: A report
          url: https://example.org/report
    """
)


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def page(root: Path) -> str:
    return (root / "site" / "t" / "index.html").read_text(encoding="utf-8")


class _Highlights(HTMLParser):
    """The text of each ``<mark data-note=ID>`` on a page, by note id."""

    def __init__(self) -> None:
        super().__init__()
        self.found: dict[str, str] = {}
        self.current: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "mark":
            self.current = dict(attrs).get("data-note")
            self.found.setdefault(self.current or "", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "mark":
            self.current = None

    def handle_data(self, data: str) -> None:
        if self.current:
            self.found[self.current] += data


def highlights(root: Path) -> dict[str, str]:
    """What the built page of text ``t`` highlights, by note id; empty when there is no page."""
    if not (root / "site" / "t" / "index.html").exists():
        return {}
    parser = _Highlights()
    parser.feed(page(root))
    return parser.found


def test_scaffold_fill_in_and_publish(make_project, capsys):
    root = make_project(texts={"t": TEXT})
    code, out, _ = run(capsys, "new", "--root", str(root), "t", "beta gamma")
    assert code == 0
    assert out.splitlines()[0] == "created annotations/t/beta-gamma.yaml: a context note on content/t.md:6:7"
    note = root / "annotations" / "t" / "beta-gamma.yaml"
    schema = Path(note.read_text().splitlines()[0].removeprefix("# yaml-language-server: $schema="))
    assert json.loads(schema.read_text()) == load_schema(ANNOTATIONS)
    assert f"  added: {date.today().isoformat()}\n" in note.read_text()

    code, _, err = run(capsys, "check", "--root", str(root))
    assert code == 1
    assert err.splitlines()[:-1] == [
        "annotations/t/beta-gamma.yaml:5:9: error: 'TODO: explain the passage in your own neutral words (Markdo…'"
        " is not a valid 'body'",
        "     5 |   body: |",
        "       |         ^",
        "  hint: write the note in your own words in place of the TODO line, on the lines under 'body: |',"
        " indented further than 'body:'",
        "annotations/t/beta-gamma.yaml:8:13: error: 'title' must be a text value, found an empty value",
        "     8 |     - title:",
        "       |             ^",
        "  hint: write the source's title as published, after 'title: '",
        "annotations/t/beta-gamma.yaml:9:12: error: 'https://' is not a valid 'url'",
        "     9 |       url: https://",
        "       |            ^",
        "  hint: use a full address starting with https:// (or http://), with no spaces or invisible characters",
    ]
    assert main(["--root", str(root)]) == 1
    assert not (root / "site").exists()

    filled = (
        note.read_text()
        .replace("TODO: explain the passage in your own neutral words (Markdown).", "Gamma is *third*.")
        .replace("- title:", "- title: The Greek alphabet")
        .replace("url: https://", "url: https://example.org/greek")
    )
    note.write_text(filled)
    assert run(capsys, "check", "--strict", "--root", str(root))[0] == 0
    assert main(["--root", str(root)]) == 0
    html = page(root)
    assert highlights(root) == {"beta-gamma": "beta gamma"}
    assert "Gamma is <em>third</em>." in html
    assert 'href="https://example.org/greek"' in html


def test_a_repeated_passage_is_scaffolded_with_the_context_that_singles_it_out(make_project, capsys):
    root = make_project(texts={"t": TEXT})
    code, _, err = run(capsys, "new", "--root", str(root), "t", "Alpha", "--kind", "footnote")
    assert code == 1
    assert err.splitlines()[0] == (
        'content/t.md:6:1: error: passage "Alpha" occurs 2 times in content/t.md; choose one with --match N'
    )
    assert "content/t.md:8:1: note: match 2: [Alpha] again, said the author." in err
    assert not (root / "annotations").exists()
    code, out, _ = run(capsys, "new", "--root", str(root), "t", "Alpha", "--kind", "footnote", "--match", "2")
    assert code == 0 and "content/t.md:8:1" in out
    written = (root / "annotations" / "t" / "alpha.yaml").read_text()
    assert "  quote: Alpha\n  suffix: again,\n" in written
    note = root / "annotations" / "t" / "alpha.yaml"
    note.write_text(written.replace("- title:", "- title: Alpha").replace("url: https://", "url: https://example.org/"))
    assert run(capsys, "check", "--strict", "--root", str(root))[0] == 0
    assert main(["--root", str(root)]) == 0
    assert highlights(root) == {"alpha": "Alpha"}
    assert page(root).index('data-note="alpha"') > page(root).index("beta gamma.</p>")


def test_new_never_overwrites_and_names_unknown_texts(make_project, capsys):
    root = make_project(texts={"china-russia": TEXT}, annotations={"china-russia/mine.yaml": NOTE})
    code, _, err = run(capsys, "new", "--root", str(root), "china-russia", "Alpha again", "--id", "mine")
    assert code == 1
    assert err == (
        "glossator: error: annotations/china-russia/mine.yaml already exists; new never overwrites a file\n"
        "  hint: choose another id with --id\n"
    )
    assert (root / "annotations" / "china-russia" / "mine.yaml").read_text() == NOTE
    code, _, err = run(capsys, "new", "--root", str(root), "china-rusia", "Alpha")
    assert code == 2
    assert err == (
        "glossator: error: no text 'china-rusia': content/china-rusia.md does not exist\n"
        "  hint: did you mean 'china-russia'?\n"
    )


MISTAKES = {
    "typo in a field name": (
        ("quote: beta gamma", "qoute: beta gamma"),
        [
            "annotations/t/note.yaml:4:3: error: unknown field 'qoute'",
            "     4 |   qoute: beta gamma",
            "       |   ^",
            "  hint: did you mean 'quote'? allowed fields: id, kind, quote, prefix, suffix, body, sources, author,"
            " added, claim, rating",
        ],
    ),
    "wrong kind": (
        ("kind: rebuttal", "kind: rebutal"),
        [
            "annotations/t/note.yaml:3:9: error: 'rebutal' is not a valid 'kind'; expected one of: context,"
            " rebuttal, footnote",
            "     3 |   kind: rebutal",
            "       |         ^",
            "  hint: did you mean 'rebuttal'?",
        ],
    ),
    "quote with a typo": (
        ("quote: beta gamma", "quote: beta gama"),
        [
            "annotations/t/note.yaml:4:10: error: quote not found in content/t.md",
            "     4 |   quote: beta gama",
            "       |          ^",
            "content/t.md:6:7: note: closest passage (95% similar) is here",
            "     6 | Alpha beta gamma.",
            "       |       ^",
            '  hint: did you mean "beta gamma"? (update the quote if that passage is the one meant;'
            " `reanchor` can do it)",
        ],
    ),
    "repeated quote": (
        ("quote: beta gamma", "quote: Alpha"),
        [
            "annotations/t/note.yaml:4:10: error: quote matches 2 passages in content/t.md; add a prefix or suffix"
            " to choose one",
            "     4 |   quote: Alpha",
            "       |          ^",
            'content/t.md:6:1: note: match 1: "Alpha"',
            "     6 | Alpha beta gamma.",
            "       | ^",
            'content/t.md:8:1: note: match 2: "Alpha"',
            "     8 | Alpha again, said the author.",
            "       | ^",
            '  hint: to anchor on match 1, add  suffix: "beta"  (other matches need their own prefix or suffix)',
        ],
    ),
    "bad URL": (
        ("url: https://example.org/report", "url: htp://example.org/report"),
        [
            "annotations/t/note.yaml:9:12: error: 'htp://example.org/report' is not a valid 'url'",
            "     9 |       url: htp://example.org/report",
            "       |            ^",
            "  hint: use a full address starting with https:// (or http://), with no spaces or invisible characters",
        ],
    ),
    "tab-indented YAML": (
        ("  kind: rebuttal", "\tkind: rebuttal"),
        [
            "annotations/t/note.yaml:3:1: error: invalid YAML: a tab character is used for indentation",
            "     3 |  kind: rebuttal",
            "       | ^",
            "  hint: YAML indentation must use spaces, not tabs",
        ],
    ),
}


@pytest.mark.parametrize("mistake", MISTAKES)
def test_each_typical_mistake_is_named_located_and_hinted_then_fixed(make_project, capsys, mistake):
    (good, bad), expected = MISTAKES[mistake]
    root = make_project(texts={"t": TEXT}, annotations={"t/note.yaml": NOTE.replace(good, bad)})
    code, _, err = run(capsys, "check", "--root", str(root))
    assert code == 1
    loaded = 1 if mistake in ("quote with a typo", "repeated quote") else 0
    assert err.splitlines() == [*expected, f"1 texts, {loaded} annotations: 1 error, 0 warnings"]
    assert main(["--root", str(root)]) == 1
    assert highlights(root) == {}

    (root / "annotations" / "t" / "note.yaml").write_text(NOTE)
    assert run(capsys, "check", "--strict", "--root", str(root))[0] == 0
    assert main(["--root", str(root)]) == 0
    assert highlights(root) == {"beta-note": "beta gamma"}


def test_github_format_puts_the_error_and_its_hint_on_the_diff(make_project, capsys):
    root = make_project(texts={"t": TEXT}, annotations={"t/note.yaml": NOTE.replace("beta gamma", "beta gama")})
    code, out, err = run(capsys, "check", "--strict", "--format", "github", "--root", str(root))
    assert code == 1 and err == ""
    assert out == (
        "::error file=annotations/t/note.yaml,line=4,col=10,title=anchor-not-found::quote not found in content/t.md"
        ' (hint: did you mean "beta gamma"? (update the quote if that passage is the one meant; `reanchor` can do it))'
        " [content/t.md:6:7: closest passage (95%25 similar) is here]\n"
    )


def test_json_format_carries_every_field_of_every_problem(make_project, capsys):
    root = make_project(texts={"t": TEXT}, annotations={"t/note.yaml": NOTE.replace("beta gamma", "beta gama")})
    code, out, _ = run(capsys, "check", "--format", "json", "--root", str(root))
    assert code == 1
    assert json.loads(out) == [
        {
            "path": "annotations/t/note.yaml",
            "line": 4,
            "col": 10,
            "severity": "error",
            "code": "anchor-not-found",
            "message": "quote not found in content/t.md",
            "hint": 'did you mean "beta gamma"? (update the quote if that passage is the one meant;'
            " `reanchor` can do it)",
            "related": [
                {"path": "content/t.md", "line": 6, "col": 7, "message": "closest passage (95% similar) is here"}
            ],
        }
    ]


def test_after_a_text_edit_reanchor_shows_then_applies_the_new_quotes(make_project, capsys):
    text = TEXT.replace("deepened since the visit", "deepened since the recieved visit")
    annotation = NOTE.replace("quote: beta gamma", "quote: since the recieved visit  # the visit of 2023")
    root = make_project(texts={"t": text}, annotations={"t/note.yaml": annotation})
    assert run(capsys, "check", "--strict", "--root", str(root))[0] == 0

    edited = TEXT.replace("deepened since the visit", "deepened since the received visit")
    (root / "content" / "t.md").write_text(edited)
    assert run(capsys, "check", "--root", str(root))[0] == 1
    code, out, err = run(capsys, "reanchor", "--root", str(root))
    assert code == 0
    assert out == (
        "annotations/t/note.yaml:4:10: 'beta-note': quote not found in content/t.md;"
        " the closest passage (96% similar) is at content/t.md:4:30\n"
        "     4 -   quote: since the recieved visit  # the visit of 2023\n"
        "     4 +   quote: since the received visit  # the visit of 2023\n"
    )
    assert err == "1 note(s) can be re-anchored: run again with --write to apply; 0 problem(s) need a hand edit\n"
    assert (root / "annotations" / "t" / "note.yaml").read_text() == annotation

    code, out, _ = run(capsys, "reanchor", "--write", "--root", str(root))
    assert code == 0 and out.endswith("updated annotations/t/note.yaml\n")
    assert (root / "annotations" / "t" / "note.yaml").read_text() == annotation.replace("recieved", "received")
    nothing = "nothing to re-anchor: every quote matches its text\n"
    assert run(capsys, "reanchor", "--root", str(root)) == (0, "", nothing)
    assert run(capsys, "check", "--strict", "--root", str(root))[0] == 0
    assert main(["--root", str(root)]) == 0
    assert highlights(root) == {"beta-note": "since the received visit"}


def test_reanchor_leaves_what_it_cannot_fix_to_the_contributor_and_exits_1(make_project, capsys):
    root = make_project(texts={"t": TEXT}, annotations={"t/note.yaml": NOTE.replace("beta gamma", "zebra crossing")})
    code, out, err = run(capsys, "reanchor", "--write", "--root", str(root))
    assert code == 1 and out == ""
    assert err.startswith("annotations/t/note.yaml:4:10: error: quote not found in content/t.md, and no passage")
    assert err.endswith("0 note(s) re-anchored; 1 problem(s) need a hand edit\n")


def test_the_repositorys_annotation_files_name_the_schema_check_uses():
    files = sorted((REPO / "annotations").glob("*/*.yaml"))
    assert files
    shipped = resources.files("glossator.schema") / ANNOTATIONS
    for path in files:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# yaml-language-server: $schema="), path
        target = (path.parent / first.split("$schema=", 1)[1]).resolve()
        assert target.read_bytes() == shipped.read_bytes(), path


def test_an_editors_validator_agrees_with_check_on_the_typical_mistakes():
    """What the editor flags (a standard JSON Schema validator on the same schema) is what check flags."""
    jsonschema = pytest.importorskip("jsonschema")
    validator = jsonschema.Draft202012Validator(load_schema(ANNOTATIONS))
    assert not list(validator.iter_errors(parse(NOTE, "n.yaml").to_python()))
    for mistake in ("typo in a field name", "wrong kind", "bad URL"):
        (good, bad), _ = MISTAKES[mistake]
        assert list(validator.iter_errors(parse(NOTE.replace(good, bad), "n.yaml").to_python())), mistake
    todo = NOTE.replace("What the sources say.", "TODO: write it")
    assert list(validator.iter_errors(yaml.safe_load(todo)))
