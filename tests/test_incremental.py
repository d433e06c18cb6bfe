"""Incremental and parallel builds: the same bytes as a cold build, for less work."""

from __future__ import annotations

import gc
import os
import shutil
import threading
from collections.abc import Callable
from dataclasses import fields
from pathlib import Path

import pytest

from glossator import incremental, parallel
from glossator import render as render_module
from glossator.anchor import anchor_document
from glossator.build import build, render
from glossator.describe import describe_text
from glossator.diagnostics import sort_key
from glossator.discovery import outline
from glossator.document import parse_document
from glossator.incremental import Site, digest
from glossator.load import load_project
from glossator.model import Anchor, Annotation, Page, PiecedPage
from glossator.search import DATA
from glossator.write import MARKER

from .conftest import REPO, dedent, front
from .sample_site import make_sample, page


def files(folder: Path) -> dict[str, bytes]:
    """Every file of a built site, by path."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def project(make_project) -> Path:
    """The sample site's edge cases plus this repository's real texts and annotations."""
    root = make_sample(make_project)
    shutil.copytree(REPO / "content", root / "content", dirs_exist_ok=True)
    shutil.copytree(REPO / "annotations", root / "annotations", dirs_exist_ok=True)
    return root


@pytest.fixture
def in_parallel(monkeypatch):
    """Use worker processes even for a handful of texts."""
    monkeypatch.setattr(parallel, "ITEMS_PER_WORKER", 1)
    monkeypatch.setattr(incremental, "SITE_TEXTS_PER_WORKER", 1)


@pytest.fixture
def compiled(monkeypatch) -> list[str]:
    """The slugs of the texts compiled from now on (in this process)."""
    slugs: list[str] = []
    original = incremental.compile_text

    def spy(context, env, unit, *rest):
        slugs.append(unit.slug)
        return original(context, env, unit, *rest)

    monkeypatch.setattr(incremental, "compile_text", spy)
    return slugs


def test_cold_parallel_and_reference_builds_are_byte_identical(project, tmp_path, in_parallel):
    reference = build(project, tmp_path / "reference")
    alone = Site(project, jobs=1).build(tmp_path / "alone")
    together = Site(project, jobs=2).build(tmp_path / "together")
    assert reference.pages and alone.written and together.written  # with an unanchored note, by design
    assert alone.diagnostics == together.diagnostics == tuple(sorted(reference.diagnostics, key=sort_key))
    expected = files(tmp_path / "reference")
    assert len(expected) > 15
    assert files(tmp_path / "alone") == expected
    assert files(tmp_path / "together") == expected
    assert alone.files == len(reference.pages) == len(expected) - 1  # the marker is not a page
    notes = sum(len(found) for found in reference.project.annotations.values())
    assert (alone.texts, alone.annotations) == (len(reference.project.texts), notes)


def test_the_cycle_collector_runs_less_often_while_texts_compile(project, tmp_path, monkeypatch):
    thresholds: list[int] = []
    original = incremental.compile_text

    def spy(context, env, unit, *rest):
        thresholds.append(gc.get_threshold()[0])
        return original(context, env, unit, *rest)

    monkeypatch.setattr(incremental, "compile_text", spy)
    before = gc.get_threshold()
    assert before[0] < incremental.GC_ALLOCATIONS
    report = Site(project, jobs=1).build(tmp_path / "site")
    assert report.written and thresholds and min(thresholds) == incremental.GC_ALLOCATIONS
    assert gc.get_threshold() == before  # as it was, once the texts are compiled
    try:
        site = Site(project, jobs=1)
        site._load_context()
        incremental._start_worker(site._context, None, False, True)  # a worker process's set-up
        assert gc.get_threshold()[0] == incremental.GC_ALLOCATIONS
    finally:
        gc.set_threshold(*before)
        incremental._worker = None


def test_workers_are_not_forked_from_a_process_running_threads(project, tmp_path, in_parallel):
    """The preview server has threads; forking them is unsafe, so workers start from a fresh server process."""
    stop = threading.Event()
    waiting = threading.Thread(target=stop.wait)
    waiting.start()
    try:
        assert parallel._start_method().get_start_method() != "fork"
        report = Site(project, jobs=2).build(tmp_path / "threaded")
    finally:
        stop.set()
        waiting.join()
    build(project, tmp_path / "reference")
    assert report.written and files(tmp_path / "threaded") == files(tmp_path / "reference")


def _edit(path: Path, old: str, new: str) -> Callable[[Path], list[Path]]:
    def edit(root: Path) -> list[Path]:
        target = root / path
        target.write_text(target.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
        return [target]

    return edit


def _add_text(root: Path) -> list[Path]:
    text = root / "content" / "a-new-text.md"
    text.write_text(front("A new text") + "\nFresh words to annotate here.\n", encoding="utf-8")
    notes = root / "annotations" / "a-new-text" / "notes.yaml"
    notes.parent.mkdir()
    notes.write_text("- id: fresh\n  kind: context\n  quote: Fresh words\n  body: New.\n", encoding="utf-8")
    return [text, notes.parent, notes]


def _remove_text(root: Path) -> list[Path]:
    (root / "content" / "russia-partnerships-op-ed.md").unlink()
    shutil.rmtree(root / "annotations" / "russia-partnerships-op-ed")
    return [root / "content" / "russia-partnerships-op-ed.md", root / "annotations" / "russia-partnerships-op-ed"]


def _add_annotation_file(root: Path) -> list[Path]:
    notes = root / "annotations" / "edge-cases" / "more.yaml"
    notes.write_text("- id: more\n  kind: context\n  quote: tight item two\n  body: More.\n", encoding="utf-8")
    return [notes]


def _override_template(root: Path) -> list[Path]:
    template = root / "templates" / "notes.html"
    template.parent.mkdir()
    template.write_text('<div class="notes custom">{% for note in notes %}{{ note.id }} {% endfor %}</div>\n')
    return [template.parent, template]


def _restyle(root: Path) -> list[Path]:
    sheet = root / "templates" / "static" / "reader.css"
    sheet.parent.mkdir(parents=True)
    sheet.write_text("body { color: rebeccapurple; }\n", encoding="utf-8")
    return [sheet.parent.parent, sheet.parent, sheet]


EDITS = {
    "annotation body": _edit(Path("annotations/edge-cases/notes.yaml"), "body:", "body: Edited."),
    "text body": _edit(Path("content/china-russia-joint-struggle.md"), "Atlantic Council", "Atlantic  Council"),
    "quote lost": _edit(Path("content/edge-cases.md"), "target phrase", "target"),
    "new text": _add_text,
    "removed text": _remove_text,
    "new annotation file": _add_annotation_file,
    "template": _override_template,
    "stylesheet": _restyle,
    "configuration": _edit(Path("glossator.yaml"), "Sample Reader", "Renamed Reader"),
}


@pytest.mark.parametrize("exact", [True, False], ids=["told-what-changed", "scanning"])
@pytest.mark.parametrize("edit", EDITS.values(), ids=EDITS.keys())
def test_an_update_writes_what_a_cold_build_would(project, tmp_path, edit, exact):
    site = Site(project)
    assert site.build(tmp_path / "site").written
    changed = edit(project)
    reports = list(site.update(tmp_path / "site", [path.resolve() for path in changed] if exact else None))
    assert all(report.written for report in reports)
    cold = Site(project).build(tmp_path / "cold")
    assert files(tmp_path / "site") == files(tmp_path / "cold")
    assert reports[-1].diagnostics == cold.diagnostics


def test_one_annotation_file_recompiles_one_text_and_rewrites_its_files_first(project, tmp_path, compiled):
    site = Site(project)
    site.build(tmp_path / "site")
    compiled.clear()
    notes = _edit(Path("annotations/edge-cases/notes.yaml"), "body:", "body: Edited.")(project)
    first, second = site.update(tmp_path / "site", notes)
    assert compiled == ["edge-cases"]
    assert first.changed == ("edge-cases/annotations.jsonld", "edge-cases/index.html")
    assert "search/data.js" in second.changed and "index.html" not in second.changed
    assert not {path for path in second.changed if path.startswith(("edge-cases/", "china", "russia"))}


def test_a_save_that_changes_nothing_recompiles_and_writes_nothing(project, tmp_path, compiled):
    site = Site(project)
    site.build(tmp_path / "site")
    before = {path: path.stat().st_mtime_ns for path in (tmp_path / "site").rglob("*")}
    compiled.clear()
    (reports,) = [list(site.update(tmp_path / "site"))]
    assert compiled == [] and [report.changed for report in reports] == [()]
    assert {path: path.stat().st_mtime_ns for path in (tmp_path / "site").rglob("*")} == before


def test_files_saved_unchanged_are_not_compiled_again(project, tmp_path, compiled):
    site = Site(project)
    site.build(tmp_path / "site")
    compiled.clear()
    touched = [project / "content/edge-cases.md", project / "annotations/edge-cases/notes.yaml"]
    for path in touched:
        path.write_bytes(path.read_bytes())
        os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))
    assert [report.changed for report in site.update(tmp_path / "site", touched)] == [()]
    assert compiled == []
    _edit(Path("annotations/edge-cases/notes.yaml"), "body:", "body: Edited.")(project)
    list(site.update(tmp_path / "site"))
    assert compiled == ["edge-cases"]


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_build_that_remembers_no_digest_writes_the_same_files_and_its_updates_rewrite_them(
    project, tmp_path, in_parallel, jobs
):
    remembering, forgetting = Site(project, jobs), Site(project, jobs, remember=False)
    remembering.build(tmp_path / "a")
    report = forgetting.build(tmp_path / "b")
    assert files(tmp_path / "a") == files(tmp_path / "b") and report.files == len(report.changed) > 15
    assert {d for c in forgetting._compiled.values() for d in c.digests.values()} == {""}
    _edit(Path("annotations/edge-cases/notes.yaml"), "body:", "body: Edited.")(project)
    first, second = list(remembering.update(tmp_path / "a")), list(forgetting.update(tmp_path / "b"))
    assert files(tmp_path / "a") == files(tmp_path / "b")
    assert set(first[0].changed) < set(second[0].changed)  # all it wrote, without digests to compare with


def test_a_file_saved_while_its_text_compiles_is_compiled_again_next_time(project, tmp_path, monkeypatch):
    """A text's signature is taken before its files are read, so a save during its build is not missed."""
    site = Site(project)
    site.build(tmp_path / "site")
    notes = project / "annotations/edge-cases/notes.yaml"
    original = incremental.load_annotations

    def read_then_saved(root, files, *args, **kwargs):
        loaded = original(root, files, *args, **kwargs)
        if notes in files and "Saved meanwhile." not in notes.read_text():
            _edit(Path("annotations/edge-cases/notes.yaml"), "body:", "body: Saved meanwhile.")(project)
            os.utime(notes, ns=(notes.stat().st_atime_ns, notes.stat().st_mtime_ns + 10**9))
        return loaded

    monkeypatch.setattr(incremental, "load_annotations", read_then_saved)
    site.build(tmp_path / "site")
    assert "Saved meanwhile." not in (tmp_path / "site/edge-cases/index.html").read_text()
    monkeypatch.undo()
    list(site.update(tmp_path / "site"))
    assert "Saved meanwhile." in (tmp_path / "site/edge-cases/index.html").read_text()


def test_a_text_replaced_by_a_link_to_the_same_bytes_is_compiled_again(project, tmp_path, compiled):
    site = Site(project)
    site.build(tmp_path / "site")
    compiled.clear()
    text = project / "content/edge-cases.md"
    copy = project / "edge-cases-copy.md"
    copy.write_bytes(text.read_bytes())
    text.unlink()
    text.symlink_to(copy)
    list(site.update(tmp_path / "site", [text]))
    assert compiled == ["edge-cases"]


def test_the_index_is_rendered_again_when_a_texts_note_counts_change(project, tmp_path):
    site = Site(project)
    site.build(tmp_path / "site")
    first, _ = site.update(tmp_path / "site", _add_annotation_file(project))
    assert "index.html" in first.changed


def test_a_failed_update_keeps_the_last_good_site_and_the_fix_completes_it(project, tmp_path):
    site = Site(project)
    site.build(tmp_path / "site")
    good = files(tmp_path / "site")
    notes = project / "annotations" / "edge-cases" / "notes.yaml"
    fixed = notes.read_text(encoding="utf-8")
    broken = _edit(Path("annotations/edge-cases/notes.yaml"), "body:", "body: Edited.")(project)
    notes.write_text(notes.read_text(encoding="utf-8").replace("kind: rebuttal", "kind: rebutal", 1), encoding="utf-8")
    (report,) = site.update(tmp_path / "site", broken)
    assert not report.written
    assert [(d.location.path, d.location.line, d.code) for d in report.diagnostics if d.severity.value == "error"] == [
        ("annotations/edge-cases/notes.yaml", _line_of(notes, "rebutal"), "schema-enum")
    ]
    assert files(tmp_path / "site") == good
    notes.write_text(fixed, encoding="utf-8")
    list(site.update(tmp_path / "site", broken))
    Site(project).build(tmp_path / "cold")
    assert files(tmp_path / "site") == files(tmp_path / "cold") == good


def test_a_template_failing_in_the_pages_about_all_texts_writes_none_of_them(project, tmp_path):
    """Those pages are rendered one at a time, but an update writes them only once they all rendered."""
    site = Site(project)
    site.build(tmp_path / "site")
    good = files(tmp_path / "site")
    edited = _edit(Path("annotations/edge-cases/notes.yaml"), "body:", "body: Edited.")(project)
    _write(project, {"templates/search.html": "{% extends 'base.html' %}{% block main %}{{ nope( }}{% endblock %}"})
    first, second = site.update(tmp_path / "site", [*edited, project / "templates", project / "templates/search.html"])
    assert first.written and not second.written
    assert [d.location.path for d in second.diagnostics if d.code == "template-error"] == ["templates/search.html"]
    after = files(tmp_path / "site")
    assert {path for path in good if after[path] != good[path]} == {
        "edge-cases/index.html",
        "edge-cases/annotations.jsonld",
    }
    shutil.rmtree(project / "templates")
    _, fixed = site.update(tmp_path / "site", [project / "templates"])
    assert "feeds/notes.xml" in fixed.changed  # rendered before the failing page, and held back with it
    Site(project).build(tmp_path / "cold")
    assert files(tmp_path / "site") == files(tmp_path / "cold")


def _line_of(path: Path, words: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1) if words in line)


def test_a_failed_build_leaves_the_previous_site_and_no_half_written_one(project, tmp_path, in_parallel):
    Site(project).build(tmp_path / "site")
    good = files(tmp_path / "site")
    (project / "content" / "zz-broken.md").write_text("no front matter\n", encoding="utf-8")
    report = Site(project, jobs=2).build(tmp_path / "site")
    assert not report.written and not report.ok
    assert files(tmp_path / "site") == good
    assert sorted(p.name for p in tmp_path.iterdir()) == ["project", "site"]


BROKEN = {
    "content/Bad Name.md": front() + "Body.\n",
    "content/broken-front.md": "---\ntitle: [unclosed\n---\nBody.\n",
    "content/lost.md": front("Lost") + "Some words here.\n",
    "annotations/misplaced.yaml": "- id: x\n",
    "annotations/no-such-text/a.yaml": "- id: a\n  kind: context\n  quote: q\n  body: b\n",
    "annotations/broken-front/a.yaml": "- id: a\n  kind: context\n  quote: q\n  body: b\n",
}


def _write(root: Path, files_: dict[str, str]) -> None:
    for name, source in files_.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source, encoding="utf-8")


def test_problems_are_those_the_reference_build_reports(project):
    _write(project, BROKEN)
    reference = sorted(render(project).diagnostics, key=sort_key)
    assert any(d.code == "annotation-unknown-text" for d in reference)
    assert Site(project).check().diagnostics == tuple(reference)


def test_anchoring_problems_are_reported_and_published_like_the_reference(project, tmp_path):
    lost = """
        - id: gone
          kind: context
          quote: words that are not there
          body: Lost.
        """
    _write(project, {"annotations/lost/a.yaml": dedent(lost), "content/lost.md": front("Lost") + "Some words here.\n"})
    reference = render(project)
    report = Site(project).build(tmp_path / "site")
    assert report.written and not report.ok
    assert report.diagnostics == tuple(sorted(reference.diagnostics, key=sort_key))
    built = {path: data for path, data in files(tmp_path / "site").items() if path != MARKER}
    assert built == {page.path: page.content for page in reference.pages}


def test_a_template_error_stops_the_build_like_the_reference(project, tmp_path):
    _write(project, {"templates/page.html": "{% extends 'base.html' %}{% block main %}{{ nope( }}{% endblock %}"})
    reference = render(project)
    report = Site(project).build(tmp_path / "site")
    assert not reference.pages and not report.written
    assert report.diagnostics == tuple(sorted(reference.diagnostics, key=sort_key))
    assert not (tmp_path / "site").exists()


@pytest.mark.parametrize("broken", [["search.html"], ["index.html", "search.html"]])
def test_a_template_failing_in_a_part_of_the_pages_about_all_texts_stops_the_build_in_any_process(
    project, tmp_path, in_parallel, broken
):
    """The parts are made in two processes at once; the problem reported is still the first in page order."""
    Site(project).build(tmp_path / "site")
    good = files(tmp_path / "site")
    _write(
        project,
        {f"templates/{name}": "{% extends 'base.html' %}{% block main %}{{ nope( }}{% endblock %}" for name in broken},
    )
    reference = render(project)
    alone, together = Site(project, jobs=1).build(tmp_path / "site"), Site(project, jobs=2).build(tmp_path / "site")
    assert not reference.pages and not alone.written and not together.written
    assert together.diagnostics == alone.diagnostics == tuple(sorted(reference.diagnostics, key=sort_key))
    assert [d.location.path for d in together.diagnostics if d.code == "template-error"] == [f"templates/{broken[0]}"]
    assert files(tmp_path / "site") == good
    assert sorted(p.name for p in tmp_path.iterdir()) == ["project", "site"]


def test_the_pages_about_all_texts_are_made_in_a_worker_process_and_this_one(
    project, tmp_path, in_parallel, monkeypatch
):
    sent: list[tuple] = []
    made_here: list[int] = []
    original_background, original_part = incremental.in_background, incremental.write_site_part

    def spy_background(task, item, setup, setup_args):
        sent.append((task, item))
        return original_background(task, item, setup, setup_args)

    def spy_part(context, env, outlines, part, *rest):
        made_here.append(part)
        return original_part(context, env, outlines, part, *rest)

    monkeypatch.setattr(incremental, "in_background", spy_background)
    monkeypatch.setattr(incremental, "write_site_part", spy_part)
    report = Site(project, jobs=2).build(tmp_path / "together")
    build(project, tmp_path / "reference")
    assert report.written and files(tmp_path / "together") == files(tmp_path / "reference")
    assert sent == [(incremental._write_site_part_in_worker, 0)]
    assert made_here == list(range(1, render_module.SITE_PARTS))


def test_the_pages_about_a_few_texts_are_made_in_the_calling_process(project, tmp_path, monkeypatch):
    """Starting a process for them would cost more than it saves, even where the texts are compiled in workers."""
    monkeypatch.setattr(parallel, "ITEMS_PER_WORKER", 1)
    sent: list = []
    original = incremental.in_processes

    def spy(task, items, workers, setup, setup_args):
        sent.append(task)
        return original(task, items, workers, setup, setup_args)

    monkeypatch.setattr(incremental, "in_processes", spy)
    monkeypatch.setattr(incremental, "in_background", lambda *args: pytest.fail("no worker for so few texts"))
    report = Site(project, jobs=2).build(tmp_path / "site")
    assert report.written and report.texts < 2 * incremental.SITE_TEXTS_PER_WORKER
    assert sent == [incremental._compile_in_worker]


def test_check_writes_nothing(project, tmp_path):
    report = Site(project).check()
    assert report.files > 15
    assert sorted(p.name for p in tmp_path.iterdir()) == ["project"]


def test_an_outline_keeps_what_the_pages_about_all_texts_use_and_gives_back_every_annotation(project):
    loaded, _ = load_project(project)
    result = render(project)
    data = page(result, DATA).decode()
    assert len(loaded.texts) > 2
    for text in loaded.texts:
        document = parse_document(text)
        anchors, _ = anchor_document(document, loaded.annotations.get(text.slug, ()))
        kept = outline(document, anchors)
        in_order = [a.annotation for a in sorted(anchors, key=_reading_place)]
        assert kept.annotations() == tuple(in_order)
        assert [(n.id, n.kind, n.quote, n.added) for n in kept.notes] == [
            (a.id, a.kind, a.quote, a.added) for a in in_order
        ]
        assert kept.description == describe_text(document, anchors) and kept.meta == text.meta
        assert kept.search.decode() in data
    assert any(a.prefix or a.suffix for found in loaded.annotations.values() for a in found)
    assert any(s.publisher and s.date for found in loaded.annotations.values() for a in found for s in a.sources)


def _reading_place(anchor: Anchor) -> tuple:
    return (False, anchor.span.start, anchor.span.end) if anchor.span else (True, 0, 0)


def test_every_field_of_an_annotation_is_packed():
    """A field added to the model must be packed too (glossator.describe.pack), or the notes feed would lose it."""
    assert [f.name for f in fields(Annotation)] == [
        *("id", "kind", "quote", "location", "quote_location", "prefix", "suffix", "body", "sources"),
        *("author", "added", "claim", "rating"),
    ]


def test_a_file_of_pieces_has_the_digest_of_its_bytes():
    pieces = (b"window.x = [", b"", b"a" * 100_000, b",", b"]")
    assert digest(PiecedPage("search/data.js", pieces)) == digest(Page("search/data.js", b"".join(pieces)))
    assert digest(PiecedPage("search/data.js", pieces[:-1])) != digest(Page("search/data.js", b"".join(pieces)))
