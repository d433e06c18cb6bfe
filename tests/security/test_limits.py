"""Resource bounds: hostile sizes end in a clear, located message or in a correct build.

The attacks come from :mod:`hostile`, here at a scale that keeps the suite fast; the same
builders run at full scale in ``measure_limits.py``, whose figures are in docs/security.md.
No test asserts a duration: each asserts the outcome that keeps the cost bounded.
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

from glossator.anchor import MAX_COMPARED, MAX_MATCHES, MAX_OVERLAP, MAX_SEARCHED
from glossator.build import render
from glossator.load import MAX_ANNOTATION_BYTES, MAX_TEXT_BYTES
from glossator.yamlnodes import MAX_DEPTH, MAX_NODES

from . import hostile


def codes(result) -> list[str]:
    return [d.code for d in result.diagnostics]


def page(result, path: str = "t/index.html") -> str:
    return next(p for p in result.pages if p.path == path).content.decode("utf-8")


def test_an_alias_bomb_is_refused_at_its_first_anchor(tmp_path: Path):
    result = render(hostile.alias_bomb(tmp_path, 10))
    (problem,) = result.diagnostics
    assert problem.code == "yaml-alias" and problem.location.path == "annotations/t/bomb.yaml"
    assert (problem.location.line, problem.location.col) == (1, 5)
    assert "anchors and aliases" in problem.message and not result.pages


def test_nesting_beyond_the_limit_is_refused_without_recursion(tmp_path: Path):
    result = render(hostile.deep_flow(tmp_path / "flow", 100_000))
    assert codes(result) == ["yaml-too-deep"]
    assert result.diagnostics[0].location.col == MAX_DEPTH + 1
    result = render(hostile.deep_block(tmp_path / "block", 200))
    assert codes(result) == ["yaml-too-deep"]
    assert result.diagnostics[0].location.path == "content/t.md"


def test_a_file_with_too_many_values_is_refused(tmp_path: Path):
    result = render(hostile.many_values(tmp_path, MAX_NODES + 10))
    assert codes(result) == ["yaml-too-large"]
    assert f"more than {MAX_NODES:,}" in result.diagnostics[0].message


def test_files_over_the_size_limits_are_refused_without_being_read(tmp_path: Path):
    root = hostile.huge_text(tmp_path / "big", MAX_TEXT_BYTES)
    size = (root / "content" / "t.md").stat().st_size
    result = render(root)
    assert codes(result) == ["input-too-large"]
    assert result.diagnostics[0].message == f"file is too large ({size:,} bytes; at most {MAX_TEXT_BYTES:,})"
    result = render(hostile.sparse_text(tmp_path / "sparse", 10 * 1024**3))
    assert codes(result) == ["input-too-large"] and "10,737,418,240 bytes" in result.diagnostics[0].message
    root = hostile.project(tmp_path / "notes", hostile.FRONT + "Text.\n", {"a.yaml": "#" * (MAX_ANNOTATION_BYTES + 1)})
    assert codes(render(root)) == ["input-too-large"]


def test_a_file_over_the_note_limit_is_refused(tmp_path: Path):
    notes = "".join(hostile.note(f"n{i}", "Text") for i in range(5001))
    result = render(hostile.project(tmp_path / "p", hostile.FRONT + "Text.\n", {"a.yaml": notes}))
    assert codes(result) == ["schema-max-items"]
    assert "5,001; at most 5,000" in result.diagnostics[0].message


def test_thousands_of_notes_all_anchor_and_render(tmp_path: Path):
    result = render(hostile.many_notes(tmp_path, 6_000))
    assert result.ok, result.diagnostics[:3]
    html = page(result)
    assert html.count('<aside class="note ') == 6_000
    assert html.count('data-note="n5999"') >= 2  # its highlight and its note


def test_thousands_of_notes_in_one_paragraph_render_in_order(tmp_path: Path):
    result = render(hostile.one_paragraph(tmp_path, 3_000))
    assert result.ok
    html = page(result)
    positions = [html.index(f'id="note-n{i}"') for i in (0, 1, 2_999)]
    assert positions == sorted(positions)


class _Depth(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.depth = self.deepest = 0

    def handle_starttag(self, tag, attrs):
        if tag == "mark":
            self.depth += 1
            self.deepest = max(self.deepest, self.depth)

    def handle_endtag(self, tag):
        self.depth -= tag == "mark"


def test_no_character_is_highlighted_by_more_than_the_overlap_limit(tmp_path: Path):
    result = render(hostile.overlapping(tmp_path, 40))
    refused = [d for d in result.diagnostics if d.code == "anchor-overlap"]
    assert len(refused) == 40 - MAX_OVERLAP
    where = "content/t.md:4:"
    assert refused[0].message.startswith(f"more than {MAX_OVERLAP} notes would highlight the passage at {where}")
    assert refused[0].hint == "quote a shorter passage, or merge some of the notes on this passage"
    depth = _Depth()
    depth.feed(page(result))
    assert depth.deepest == MAX_OVERLAP
    assert page(result).count('<aside class="note ') == 40  # refused notes are still published, unanchored


def test_lost_quotes_are_all_reported_and_the_first_ones_get_a_suggestion(tmp_path: Path):
    result = render(hostile.lost_notes(tmp_path, MAX_SEARCHED + 30))
    lost = [d for d in result.diagnostics if d.code == "anchor-not-found"]
    assert len(lost) == MAX_SEARCHED + 30
    suggested = [d for d in lost if d.hint and d.hint.startswith("did you mean")]
    assert len(suggested) == MAX_SEARCHED and lost[:MAX_SEARCHED] == suggested
    assert suggested[0].hint.startswith('did you mean "w0q w1q w2q"')
    assert "looked for only for the first lost quotes of a text" in lost[-1].hint


def test_searching_for_long_lost_quotes_stops_at_the_comparison_budget(tmp_path: Path):
    result = render(hostile.long_lost_quotes(tmp_path, 6, paragraphs=3))
    lost = [d for d in result.diagnostics if d.code == "anchor-not-found"]
    assert len(lost) == 6
    searched = [d for d in lost if "looked for only for the first" not in d.hint]
    assert 1 <= len(searched) <= MAX_COMPARED // (2000 * 2000)


def test_a_quote_too_common_to_anchor_is_refused(tmp_path: Path):
    result = render(hostile.common_quote(tmp_path, MAX_MATCHES + 1))
    (problem,) = [d for d in result.diagnostics if d.code.startswith("anchor")]
    assert problem.code == "anchor-too-common"
    assert problem.message == f"quote occurs more than {MAX_MATCHES:,} times in content/t.md"
    assert render(hostile.common_quote(tmp_path / "ok", MAX_MATCHES)).diagnostics[-1].code == "anchor-context-mismatch"


def test_a_two_megabyte_line_and_a_maximal_quote_build(tmp_path: Path):
    result = render(hostile.long_line(tmp_path, MAX_TEXT_BYTES - 100))
    assert result.ok, result.diagnostics
    assert page(result).count('<mark class="hl') == 1


def test_pathological_markdown_builds(tmp_path: Path):
    result = render(hostile.nested_brackets(tmp_path, 5_000))
    assert result.ok and page(result).count("[[[[") >= 1
