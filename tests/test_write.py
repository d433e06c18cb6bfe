from __future__ import annotations

from pathlib import Path

import pytest

from glossator.model import Page
from glossator.write import MARKER, OutputError, check_output, safe_relative, write_site


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
