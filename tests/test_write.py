from __future__ import annotations

from pathlib import Path

import pytest

from glossator.model import Page, PiecedPage
from glossator.write import (
    CHUNK,
    MARKER,
    OutputError,
    check_output,
    safe_relative,
    staged_site,
    update_site,
    write_page,
    write_site,
)


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


def _unjoinable(monkeypatch) -> tuple[bytes, ...]:
    """Pieces of more than two chunks, some tiny, and a PiecedPage that fails the test if they are joined whole."""
    pieces = tuple(bytes([65 + i % 26]) * (i * 9_000 % (CHUNK // 3) + 1) for i in range(40))
    assert sum(map(len, pieces)) > 2 * CHUNK
    monkeypatch.setattr(PiecedPage, "content", property(lambda page: pytest.fail("the pieces were joined whole")))
    return pieces


def test_a_file_of_pieces_is_written_in_order_without_joining_them_all(tmp_path: Path, monkeypatch):
    pieces = _unjoinable(monkeypatch)
    write_page(tmp_path, PiecedPage("search/data.js", pieces))
    write_page(tmp_path, PiecedPage("empty.js", ()))
    assert (tmp_path / "search/data.js").read_bytes() == b"".join(pieces)
    assert (tmp_path / "empty.js").read_bytes() == b""


def test_a_served_file_of_pieces_is_replaced_without_joining_them_all(tmp_path: Path, monkeypatch):
    out = tmp_path / "site"
    write_site(out, [Page("search/data.js", b"old")])
    pieces = _unjoinable(monkeypatch)
    update_site(out, [PiecedPage("search/data.js", pieces)])
    assert (out / "search/data.js").read_bytes() == b"".join(pieces)
    assert sorted(p.name for p in (out / "search").iterdir()) == ["data.js"]
