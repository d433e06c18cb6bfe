from __future__ import annotations

import os
import threading

import pytest

from glossator import load
from glossator.load import MAX_ANNOTATION_BYTES, InputDigest, content_digest, load_annotations, load_project, load_text

from .conftest import dedent, front

NOTE = dedent(
    """
    - id: a
      kind: context
      quote: words
      body: b
      sources: [{title: T, url: "https://a.org"}]
    """
)


def codes(problems):
    return [p.code for p in problems]


def test_loads_texts_and_annotations_in_order(make_project):
    root = make_project(
        texts={"b": front("B") + "words\n", "a": front("A") + "words\n"}, annotations={"a/x.yaml": NOTE}
    )
    project, problems = load_project(root)
    assert problems == []
    assert [t.slug for t in project.texts] == ["a", "b"]
    assert [a.id for a in project.annotations["a"]] == ["a"]
    assert project.texts[0].body_line == 4


def test_bom_and_crlf_are_normalised(make_project):
    root = make_project()
    (root / "content" / "t.md").write_bytes(b"\xef\xbb\xbf---\r\ntitle: T\r\n---\r\nLine one\r\n")
    project, problems = load_project(root)
    assert problems == []
    assert project.texts[0].body == "Line one\n"


def test_non_utf8_reports_line_and_column(make_project):
    root = make_project()
    (root / "content" / "t.md").write_bytes(b"---\ntitle: T\n---\nab\xffc\n")
    _, problems = load_project(root)
    (p,) = problems
    assert (p.location.path, p.location.line, p.location.col) == ("content/t.md", 4, 3)
    assert p.message == "file is not valid UTF-8 (byte 0xff)"


def test_oversized_annotation_file_is_refused(make_project):
    root = make_project(texts={"t": front() + "words\n"}, annotations={"t/big.yaml": "#" * (MAX_ANNOTATION_BYTES + 1)})
    _, problems = load_project(root)
    assert codes(problems) == ["input-too-large"]


def test_misplaced_and_orphaned_annotations(make_project):
    root = make_project(texts={"russia": front() + "words\n"}, annotations={"loose.yaml": NOTE, "rusia/x.yaml": NOTE})
    _, problems = load_project(root)
    assert codes(problems) == ["annotation-misplaced", "annotation-unknown-text"]
    assert problems[1].hint == "did you mean annotations/russia/?"


def test_duplicate_ids_across_files(make_project):
    root = make_project(texts={"t": front() + "words\n"}, annotations={"t/one.yaml": NOTE, "t/two.yaml": NOTE})
    _, problems = load_project(root)
    (p,) = problems
    assert p.message == "duplicate annotation id 'a'"
    assert p.location.path == "annotations/t/two.yaml"
    assert p.related[0].location.path == "annotations/t/one.yaml"


def test_bad_slug_suggests_a_name(make_project):
    root = make_project(texts={"My Text": front() + "words\n"})
    _, problems = load_project(root)
    assert problems[0].code == "text-bad-slug"
    assert "'my-text.md'" in problems[0].hint


def test_symlink_outside_the_project_is_refused(make_project, tmp_path):
    root = make_project(texts={"t": front() + "words\n"})
    secret = tmp_path / "secret.yaml"
    secret.write_text(NOTE)
    (root / "annotations" / "t").mkdir(parents=True)
    os.symlink(secret, root / "annotations" / "t" / "link.yaml")
    _, problems = load_project(root)
    assert codes(problems) == ["input-outside-root"]


def test_all_problems_are_reported_at_once(make_project):
    root = make_project(
        texts={"t": front() + "words\n", "u": "no front matter\n"},
        annotations={"t/a.yaml": "- id: A\n  kind: x\n", "t/b.yaml": "- id: [\n"},
    )
    _, problems = load_project(root)
    assert len({p.location.path for p in problems}) == 3


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("no front matter\n", "expected YAML front matter starting with '---' on the first line"),
        ("---\ntitle: T\n", "front matter is not closed"),
        ("---\n---\nbody\n", "front matter is empty; a 'title' is required"),
        ("---\nauthor: A\n---\n", "missing required field 'title' in front matter"),
    ],
)
def test_front_matter_problems(make_project, source, message):
    root = make_project(texts={"t": source})
    _, problems = load_project(root)
    assert [p.message for p in problems] == [message]


def test_a_note_without_sources_is_a_warning(make_project):
    unsourced = NOTE.replace('  sources: [{title: T, url: "https://a.org"}]\n', "")
    root = make_project(texts={"t": front() + "words\n"}, annotations={"t/a.yaml": unsourced})
    _, problems = load_project(root)
    (p,) = problems
    assert (p.severity.value, p.code, p.message) == (
        "warning",
        "annotation-no-sources",
        "context note 'a' cites no sources",
    )


def _read_with_digest(root, slug="t"):
    """Load a text and its annotation files as a build does, taking their bytes into a digest."""
    digest, problems = InputDigest(), []
    text_path, files = root / "content" / f"{slug}.md", sorted((root / "annotations" / slug).glob("*.yaml"))
    load_text(root.resolve(), slug, text_path, problems, {}, digest)
    load_annotations(root.resolve(), files, problems, {}, digest)
    return digest.hexdigest(), content_digest([text_path, *files])


def test_the_digest_of_the_bytes_read_is_the_digest_of_the_files(make_project):
    root = make_project(texts={"t": front("T") + "words\n"}, annotations={"t/a.yaml": NOTE, "t/b.yaml": NOTE})
    read, listed = _read_with_digest(root)
    assert read and read == listed
    (root / "annotations" / "t" / "b.yaml").write_text(NOTE.replace("body: b", "body: c"), encoding="utf-8")
    changed = _read_with_digest(root)
    assert changed[0] == changed[1] and changed[0] not in ("", read)


def test_a_file_reached_through_a_link_or_too_large_leaves_no_digest(make_project):
    root = make_project(texts={"t": front("T") + "words\n"}, annotations={"t/a.yaml": NOTE, "t/b.yaml": NOTE})
    real = root / "annotations" / "real.yaml.txt"
    real.write_text(NOTE, encoding="utf-8")
    (root / "annotations" / "t" / "a.yaml").unlink()
    (root / "annotations" / "t" / "a.yaml").symlink_to(real)
    assert _read_with_digest(root) == ("", "")  # a good file read after it does not make the digest whole
    (root / "annotations" / "t" / "a.yaml").unlink()
    (root / "annotations" / "t" / "a.yaml").write_bytes(b"#" * (MAX_ANNOTATION_BYTES + 1))
    assert _read_with_digest(root)[0] == ""


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are a POSIX feature")
def test_a_pipe_in_place_of_an_input_file_does_not_hang_the_digest(make_project):
    root = make_project(texts={"t": front("T") + "words\n"})
    pipe = root / "annotations" / "t" / "a.yaml"
    pipe.parent.mkdir(parents=True)
    os.mkfifo(pipe)
    found: list[str] = []
    reader = threading.Thread(target=lambda: found.append(content_digest([pipe])), daemon=True)
    reader.start()
    reader.join(timeout=10)
    assert found, "content_digest waited for a writer on the pipe"


def test_paths_in_diagnostics_are_relative_to_the_project_and_printable(tmp_path):
    root = tmp_path.resolve()
    assert load._relative(root, root / "content" / "a b.md") == "content/a b.md"
    assert load._relative(root, root / "annotations" / "t" / "x\u202e\x07.yaml") == "annotations/t/x\\u202e\\u0007.yaml"
    outside = tmp_path.parent / "elsewhere.md"
    assert load._relative(root, outside) == outside.as_posix()
    assert load._relative(root, root) == "."
