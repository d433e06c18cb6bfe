from __future__ import annotations

from pathlib import Path

import pytest

from glossator.model import Page
from glossator.write import MARKER, OutputError, check_output, safe_relative, staged_site, update_site, write_site


def test_writes_pages_and_marker(tmp_path: Path):
    out = tmp_path / "site"
    write_site(out, [Page("index.html", b"i"), Page("a/index.html", b"a")])
    assert (out / "a/index.html").read_bytes() == b"a"
    assert (out / MARKER).is_file()


def test_replaces_the_previous_site_completely(tmp_path: Path):
    out = tmp_path / "site"
    write_site(out, [Page("old.html", b"o")])
    write_site(out, [Page("new.html", b"n")])
    assert sorted(p.name for p in out.iterdir()) == sorted([MARKER, "new.html"])
    assert [p.name for p in tmp_path.iterdir()] == ["site"]


def test_failure_midway_leaves_the_previous_site(tmp_path: Path):
    out = tmp_path / "site"
    write_site(out, [Page("index.html", b"good")])
    with pytest.raises(ValueError):
        write_site(out, [Page("index.html", b"bad"), Page("../escape.html", b"x")])
    assert (out / "index.html").read_bytes() == b"good"
    assert not (tmp_path / "escape.html").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["site"]


@pytest.mark.parametrize("path", ["../x", "/etc/x", "a/../../x", "", "a\\..\\b"])
def test_unsafe_paths_are_refused(path):
    with pytest.raises(ValueError):
        safe_relative(path)


def test_refuses_to_replace_a_folder_that_is_not_a_site(tmp_path: Path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "precious.txt").write_text("keep")
    with pytest.raises(OutputError, match="not a glossator site"):
        check_output(tmp_path / "docs", tmp_path)


def test_refuses_the_project_root_and_its_inputs(tmp_path: Path):
    with pytest.raises(OutputError):
        check_output(tmp_path, tmp_path)
    with pytest.raises(OutputError):
        check_output(tmp_path.parent, tmp_path)
    with pytest.raises(OutputError):
        check_output(tmp_path / "content" / "site", tmp_path)
    check_output(tmp_path / "site", tmp_path)


def test_an_abandoned_staging_keeps_the_previous_site(tmp_path: Path):
    out = tmp_path / "site"
    write_site(out, [Page("index.html", b"good")])
    with staged_site(out) as staging:
        staging.write(Page("index.html", b"half"))
        staging.abandon()
    assert (out / "index.html").read_bytes() == b"good"
    assert [p.name for p in tmp_path.iterdir()] == ["site"]


def test_a_served_site_is_updated_file_by_file_and_emptied_folders_go(tmp_path: Path):
    out = tmp_path / "site"
    write_site(out, [Page("index.html", b"i"), Page("a/index.html", b"a"), Page("b/c/index.html", b"c")])
    kept = (out / "index.html").stat().st_ino
    update_site(out, [Page("a/index.html", b"A"), Page("d/index.html", b"d")], removed=["b/c/index.html"])
    assert (out / "a/index.html").read_bytes() == b"A" and (out / "d/index.html").read_bytes() == b"d"
    assert (out / "index.html").stat().st_ino == kept
    assert not (out / "b").exists()
    assert not [p for p in out.rglob("*") if ".partial" in p.name]


def test_only_a_glossator_site_is_updated_in_place(tmp_path: Path):
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(OutputError):
        update_site(tmp_path, [Page("notes.txt", b"x")])
    assert (tmp_path / "notes.txt").read_text() == "mine"
