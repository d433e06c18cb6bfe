"""Files and paths: links, odd names, collisions, encodings; nothing written outside the output folder.

Every case ends in a clear, located diagnostic or a correct build, and a build that fails at any
point, even half way through writing, leaves the previous site exactly as it was.
"""

from __future__ import annotations

import errno
import hashlib
import os
import threading
from pathlib import Path

import pytest

import glossator.write
from glossator.build import build, render
from glossator.cli import main
from glossator.diagnostics import format_text
from glossator.load import RESERVED_SLUGS
from glossator.write import MARKER

from .hostile import FRONT, note, project

TEXT = FRONT + "Hello world, here is a text.\n"
NOTE = note("n", "Hello world")


def codes(result) -> list[str]:
    return [d.code for d in result.diagnostics]


def snapshot(folder: Path, skip: Path | None = None) -> dict[str, str]:
    """Every file and link under ``folder`` (except ``skip``) with a hash of what it holds."""
    found = {}
    for path in sorted(folder.rglob("*")):
        if skip is not None and (path == skip or skip in path.parents):
            continue
        if path.is_symlink():
            found[str(path)] = "-> " + os.readlink(path)
        elif path.is_file():
            found[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
        else:
            found[str(path)] = "dir"
    return found


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A secret file outside the project."""
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "secret.md").write_text(FRONT + "SECRET CONTENTS\n", encoding="utf-8")
    (folder / "secret.yaml").write_text(note("s", "SECRET"), encoding="utf-8")
    return folder


# --- links ---------------------------------------------------------------------------------------


def test_links_to_outside_the_project_are_refused_wherever_they_are(tmp_path: Path, outside: Path):
    root = project(tmp_path / "p", TEXT, {"a.yaml": NOTE})
    (root / "content" / "leak.md").symlink_to(outside / "secret.md")
    (root / "annotations" / "t" / "leak.yaml").symlink_to(outside / "secret.yaml")
    (root / "annotations" / "leak").symlink_to(outside)
    (root / "content" / "leak2.md").symlink_to(outside / "secret.md")
    (root / "templates" / "static").mkdir(parents=True)
    (root / "templates" / "static" / "leak.css").symlink_to(outside / "secret.md")
    result = render(root)
    refused = sorted(d.location.path for d in result.diagnostics if d.code == "input-outside-root")
    assert refused == [
        "annotations/t/leak.yaml",
        "content/leak.md",
        "content/leak2.md",
        "templates/static/leak.css",
    ]
    assert "annotation-unknown-text" in codes(result)  # annotations/leak/ names no text; nothing in it is read
    assert next(d for d in result.diagnostics if d.code == "input-outside-root").hint == (
        "copy the file into the project instead of linking to it"
    )
    assert not result.pages


def test_a_linked_content_folder_that_leaves_the_project_is_refused(tmp_path: Path, outside: Path):
    root = tmp_path / "p"
    root.mkdir()
    (root / "content").symlink_to(outside)
    assert codes(render(root)) == ["input-outside-root"]


def test_links_inside_the_project_are_followed(tmp_path: Path):
    root = project(tmp_path / "p", TEXT, {"a.yaml": NOTE})
    (root / "drafts").mkdir()
    (root / "drafts" / "u.md").write_text(FRONT + "Another text.\n", encoding="utf-8")
    (root / "content" / "u.md").symlink_to(root / "drafts" / "u.md")
    result = render(root)
    assert result.ok and {"t/index.html", "u/index.html"} <= {p.path for p in result.pages}


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p.symlink_to(p.name), "cannot read the file: a symbolic link loop or broken link"),
        (lambda p: p.symlink_to("missing.yaml"), "cannot read the file: no such file or directory"),
        (lambda p: p.mkdir(), "not a regular file (a folder, device or pipe has this name)"),
        (lambda p: os.mkfifo(p), "not a regular file (a folder, device or pipe has this name)"),
    ],
    ids=["link loop", "broken link", "folder", "named pipe"],
)
def test_an_annotation_path_that_is_not_a_readable_file_is_reported(tmp_path: Path, make, message):
    root = project(tmp_path / "p", TEXT, {"a.yaml": NOTE})
    make(root / "annotations" / "t" / "b.yaml")
    result = render(root)
    (problem,) = result.diagnostics
    assert (problem.location.path, problem.location.line, problem.message) == ("annotations/t/b.yaml", 1, message)
    assert problem.hint and not result.pages


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are a POSIX feature")
def test_check_and_build_do_not_wait_on_a_named_pipe(tmp_path: Path, capsys):
    """The command line's builds (glossator.incremental) read each text's files for its digest too."""
    root = project(tmp_path / "p", TEXT, {"a.yaml": NOTE})
    os.mkfifo(root / "annotations" / "t" / "b.yaml")
    codes: list[int] = []
    commands = ["check", "--root", str(root)], ["build", "--root", str(root), "--out", str(tmp_path / "site")]
    runner = threading.Thread(target=lambda: codes.extend(main(command) for command in commands), daemon=True)
    runner.start()
    runner.join(timeout=30)
    assert codes == [1, 1], "a build waited for a writer on the pipe"
    assert "annotations/t/b.yaml:1:1: error: not a regular file" in capsys.readouterr().err


def test_a_text_that_is_a_broken_link_is_reported_not_skipped(tmp_path: Path):
    root = project(tmp_path / "p", TEXT)
    (root / "content" / "gone.md").symlink_to("nowhere.md")
    assert codes(render(root)) == ["input-unreadable"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their permissions")
def test_an_unreadable_file_is_reported(tmp_path: Path):
    root = project(tmp_path / "p", TEXT, {"a.yaml": NOTE})
    (root / "annotations" / "t" / "a.yaml").chmod(0)
    result = render(root)
    assert codes(result) == ["input-unreadable"] and result.diagnostics[0].message.endswith("permission denied")


# --- names ---------------------------------------------------------------------------------------


def test_names_with_odd_characters_are_shown_escaped_never_raw(tmp_path: Path):
    root = project(tmp_path / "p", TEXT, {"a b ü.yaml": NOTE.replace("id: n", "id: m"), "\x1b[2J\u202e.yaml": NOTE})
    (root / "content" / "Bad Name\x1b[31m.md").write_text(TEXT, encoding="utf-8")
    (root / "annotations" / "x\u200by").mkdir()
    (root / "annotations" / "x\u200by" / "a.yaml").write_text(NOTE, encoding="utf-8")
    (root / "annotations" / "t" / "broken\n.yaml").write_text("- [", encoding="utf-8")
    result = render(root)
    shown = format_text(result.diagnostics, result.project.source_lines)
    assert "\x1b" not in shown and "\u202e" not in shown and "\u200b" not in shown
    messages = {d.location.path: d.message for d in result.diagnostics}
    assert messages["content/Bad Name\\u001b[31m.md"] == "text file name 'Bad Name\\u001b[31m.md' is not a valid slug"
    assert messages["annotations/x\\u200by"] == "annotations for a text that does not exist: content/x\\u200by.md"
    assert "annotations/t/broken\\u000a.yaml" in messages
    assert "annotations/t/a b ü.yaml" not in messages  # an ordinary odd name is simply loaded


def test_a_slug_with_a_trailing_newline_is_not_a_slug(tmp_path: Path):
    root = project(tmp_path / "p", TEXT)
    (root / "content" / "abc\n.md").write_text(TEXT, encoding="utf-8")
    result = render(root)
    assert codes(result) == ["text-bad-slug"] and not result.pages


def test_texts_that_differ_only_in_the_case_of_their_extension_collide(tmp_path: Path):
    root = project(tmp_path / "p", TEXT)
    (root / "content" / "t.MD").write_text(FRONT + "Another version.\n", encoding="utf-8")
    result = render(root)
    (problem,) = result.diagnostics
    assert problem.code == "text-duplicate-slug" and problem.location.path == "content/t.md"
    assert problem.message == "two texts would be published at t/: t.MD and t.md"


def test_an_annotation_folder_differing_only_in_case_is_pointed_at_the_text(tmp_path: Path):
    root = project(tmp_path / "p", TEXT)
    (root / "annotations" / "T").mkdir(parents=True)
    (root / "annotations" / "T" / "a.yaml").write_text(NOTE, encoding="utf-8")
    (problem,) = render(root).diagnostics
    assert problem.code == "annotation-unknown-text" and problem.hint == "did you mean annotations/t/?"
    assert problem.message == "annotations for a text that does not exist: content/T.md"


def test_ids_in_files_differing_only_in_case_must_still_be_unique(tmp_path: Path):
    result = render(project(tmp_path / "p", TEXT, {"a.yaml": NOTE, "A.yaml": NOTE}))
    assert codes(result) == ["annotation-duplicate-id"]


@pytest.mark.parametrize("slug", sorted(RESERVED_SLUGS))
def test_a_text_cannot_take_the_name_of_the_sites_own_folders(tmp_path: Path, slug: str):
    root = project(tmp_path / "p", TEXT)
    (root / "content" / f"{slug}.md").write_text(TEXT, encoding="utf-8")
    (problem,) = render(root).diagnostics
    assert problem.code == "text-reserved-slug" and problem.location.path == f"content/{slug}.md"


def test_every_folder_of_the_sites_own_files_is_reserved(tmp_path: Path):
    """Guards the list: a new kind of site page in a new folder must be added to RESERVED_SLUGS."""
    result = render(project(tmp_path / "p", TEXT, {"a.yaml": NOTE}))
    folders = {page.path.split("/")[0] for page in result.pages if "/" in page.path and not page.path.startswith("t/")}
    assert folders <= RESERVED_SLUGS
    assert len({page.path for page in result.pages}) == len(result.pages)


def test_odd_theme_file_names_are_refused_before_they_reach_the_output(tmp_path: Path):
    root = project(tmp_path / "p", TEXT)
    (root / "templates" / "static").mkdir(parents=True)
    (root / "templates" / "static" / "a\\b.css").write_text("x", encoding="utf-8")
    (root / "templates" / "note.html").write_bytes(b"\xff\xfe<p>")
    result = render(root)
    assert sorted((d.location.path, d.code) for d in result.diagnostics) == [
        ("templates/note.html", "input-not-utf8"),
        ("templates/static/a\\b.css", "input-bad-name"),
    ]


def test_a_template_that_includes_itself_is_a_diagnostic(tmp_path: Path):
    root = project(tmp_path / "p", TEXT)
    (root / "templates").mkdir()
    (root / "templates" / "index.html").write_text('{% include "index.html" %}', encoding="utf-8")
    result = render(root)
    assert codes(result) == ["template-error"] and "without end" in result.diagnostics[0].message


# --- encodings -----------------------------------------------------------------------------------


def test_crlf_bom_and_lone_cr_build_exactly_like_lf(tmp_path: Path):
    plain = render(project(tmp_path / "lf", TEXT, {"a.yaml": NOTE}))
    windows = project(tmp_path / "crlf", "", {})
    (windows / "content" / "t.md").write_bytes(b"\xef\xbb\xbf" + TEXT.replace("\n", "\r\n").encode())
    (windows / "annotations" / "t").mkdir(parents=True)
    (windows / "annotations" / "t" / "a.yaml").write_bytes(b"\xef\xbb\xbf" + NOTE.replace("\n", "\r\n").encode())
    old_mac = project(tmp_path / "cr", TEXT.replace("\n", "\r"), {"a.yaml": NOTE.replace("\n", "\r")})
    for other in (render(windows), render(old_mac)):
        assert other.ok, other.diagnostics
        assert [(p.path, p.content) for p in other.pages] == [(p.path, p.content) for p in plain.pages]


@pytest.mark.parametrize(
    ("data", "where", "message"),
    [
        (FRONT.encode() + b"caf\xe9 au lait\n", (4, 4), "file is not valid UTF-8 (byte 0xe9)"),
        ("\ufeff".encode("utf-16") + TEXT.encode("utf-16-le"), (1, 1), "file is not valid UTF-8 (byte 0xff)"),
        (FRONT.encode() + b"a\x00b\n", (1, 1), "file contains NUL characters; is it binary?"),
        (FRONT.encode() + b"red \x1b[31m text\n", (4, 5), "file contains a control character (U+001B)"),
        (FRONT.encode() + "x \u0085 y\n".encode(), (4, 3), "file contains a control character (U+0085)"),
        (FRONT.encode() + "x \uffff y\n".encode(), (4, 3), "file contains a control character (U+FFFF)"),
    ],
    ids=["latin-1", "utf-16", "NUL", "escape", "C1", "noncharacter"],
)
def test_undecodable_or_invisible_bytes_are_located(tmp_path: Path, data: bytes, where, message):
    root = project(tmp_path / "p", "")
    (root / "content" / "t.md").write_bytes(data)
    (problem,) = render(root).diagnostics
    assert (problem.location.path, (problem.location.line, problem.location.col), problem.message) == (
        "content/t.md",
        where,
        message,
    )


def test_control_characters_written_as_yaml_escapes_are_refused(tmp_path: Path):
    root = project(tmp_path / "p", TEXT, {"a.yaml": '- id: n\n  kind: context\n  quote: "Hello\\e[2J"\n  body: b\n'})
    (problem,) = render(root).diagnostics
    assert problem.code == "yaml-control-character" and (problem.location.line, problem.location.col) == (3, 10)


# --- the output folder ---------------------------------------------------------------------------


def test_nothing_is_written_outside_the_output_folder(tmp_path: Path, outside: Path):
    root = project(tmp_path / "p", TEXT, {"a.yaml": NOTE})
    (root / "content" / "dots..md").write_text(TEXT, encoding="utf-8")
    out = tmp_path / "work" / ".." / "site"
    before = snapshot(tmp_path, skip=tmp_path / "site")
    assert main(["build", "--root", str(root), "--out", str(out)]) == 1  # 'dots.' is not a slug
    assert snapshot(tmp_path, skip=tmp_path / "site") == before
    (root / "content" / "dots..md").unlink()
    before = snapshot(tmp_path, skip=tmp_path / "site")
    assert main(["build", "--root", str(root / "content" / ".."), "--out", str(out)]) == 0
    assert snapshot(tmp_path, skip=tmp_path / "site") == before
    assert (tmp_path / "site" / "t" / "index.html").is_file() and (tmp_path / "site" / MARKER).is_file()


@pytest.mark.parametrize("out", ["p", "p/content/site", "p/annotations", ".", "not-a-site"])
def test_output_folders_that_would_overwrite_inputs_or_other_files_are_refused(tmp_path: Path, out: str, capsys):
    root = project(tmp_path / "p", TEXT)
    (tmp_path / "not-a-site").mkdir()
    (tmp_path / "not-a-site" / "precious.txt").write_text("keep", encoding="utf-8")
    before = snapshot(tmp_path)
    assert main(["build", "--root", str(root), "--out", str(tmp_path / out)]) == 2
    assert snapshot(tmp_path) == before
    assert "glossator: error: " in capsys.readouterr().err


def test_links_planted_in_the_previous_site_are_removed_not_followed(tmp_path: Path, outside: Path):
    root = project(tmp_path / "p", TEXT)
    out = tmp_path / "site"
    build(root, out)
    (out / "evil").symlink_to(outside, target_is_directory=True)
    (out / "t" / "index.html").unlink()
    (out / "t" / "index.html").symlink_to(outside / "secret.md")
    before = snapshot(outside)
    build(root, out)
    assert snapshot(outside) == before
    assert not (out / "evil").exists() and not (out / "t" / "index.html").is_symlink()


@pytest.fixture
def previous_site(tmp_path: Path) -> tuple[Path, Path, dict[str, str]]:
    root = project(tmp_path / "p", TEXT, {"a.yaml": NOTE})
    out = tmp_path / "site"
    assert build(root, out).ok
    (root / "content" / "t.md").write_text(FRONT + "Hello world, the text changed.\n", encoding="utf-8")
    return root, out, snapshot(tmp_path)


@pytest.mark.parametrize("failure", [OSError(errno.ENOSPC, "No space left on device"), KeyboardInterrupt()])
def test_a_crash_while_writing_leaves_the_previous_site_intact(previous_site, monkeypatch, failure):
    root, out, before = previous_site
    written = []
    real = glossator.write.write_page

    def write_then_fail(folder, page):
        if len(written) == 3:
            raise failure
        written.append(page.path)
        real(folder, page)

    monkeypatch.setattr(glossator.write, "write_page", write_then_fail)
    with pytest.raises(type(failure)):
        build(root, out)
    assert len(written) == 3
    assert snapshot(out.parent) == before  # old site as it was, no staging folder left behind


def test_a_crash_between_the_two_renames_puts_the_previous_site_back(previous_site, monkeypatch):
    root, out, before = previous_site
    real = Path.rename

    def fail_on_the_swap(self, target):
        if ".new-" in self.name:
            raise OSError(errno.EIO, "I/O error")
        return real(self, target)

    monkeypatch.setattr(Path, "rename", fail_on_the_swap)
    with pytest.raises(OSError):
        build(root, out)
    assert snapshot(out.parent) == before


def test_a_crash_while_rendering_writes_nothing(previous_site, monkeypatch):
    root, out, before = previous_site

    def broken(*args, **kwargs):
        raise MemoryError

    monkeypatch.setattr("glossator.build.render_site", broken)
    with pytest.raises(MemoryError):
        build(root, out)
    assert snapshot(out.parent) == before


def test_a_failed_build_leaves_the_previous_site_and_says_so(previous_site, capsys):
    root, out, _ = previous_site
    (root / "annotations" / "t" / "a.yaml").write_text("- id: [", encoding="utf-8")
    before = snapshot(out.parent)
    assert main(["build", "--root", str(root), "--out", str(out)]) == 1
    assert snapshot(out.parent) == before
    assert "nothing written" in capsys.readouterr().err
