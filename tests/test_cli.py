"""End to end through the command line, as a contributor or CI runs it."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest

from glossator.cli import main
from glossator.write import MARKER

from .conftest import REPO, dedent, front

TEXT = front("T") + "Alpha beta gamma.\n\nAlpha again.\n"
GOOD = dedent(
    """
    - id: ok
      kind: context
      quote: beta gamma
      body: Fine.
    """
)


def tree_digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_build_writes_the_site_and_exits_0(make_project):
    root = make_project(texts={"t": TEXT}, annotations={"t/a.yaml": GOOD})
    assert main(["--root", str(root)]) == 0
    assert (root / "site" / "t" / "index.html").is_file()
    assert (root / "site" / "static" / "reader.css").is_file()
    assert (root / "site" / MARKER).is_file()


def test_build_and_check_take_no_digest_of_the_files_they_write(make_project, monkeypatch):
    """Only the preview's updates compare pages with their digests; a one-shot build has none."""
    from glossator import incremental

    monkeypatch.setattr(incremental, "digest", lambda content: pytest.fail("a digest was taken"))
    root = make_project(texts={"t": TEXT}, annotations={"t/a.yaml": GOOD})
    assert main(["--root", str(root), "--jobs", "1"]) == 0 and main(["check", "--root", str(root)]) == 0
    assert (root / "site" / "t" / "index.html").is_file()


def test_check_reports_file_line_col_with_hint_and_exits_1(make_project, capsys):
    root = make_project(texts={"t": TEXT}, annotations={"t/a.yaml": GOOD.replace("kind: context", "kind: contxt")})
    assert main(["check", "--root", str(root)]) == 1
    err = capsys.readouterr().err
    assert (
        "annotations/t/a.yaml:2:9: error: 'contxt' is not a valid 'kind'; expected one of: context, rebuttal, footnote"
        in err
    )
    assert "     |         ^" in err
    assert "hint: did you mean 'context'?" in err
    assert not (root / "site").exists()


def test_check_reports_a_lost_quote_even_when_another_file_is_invalid(make_project, capsys):
    root = make_project(
        texts={"t": TEXT},
        annotations={
            "t/a.yaml": GOOD.replace("beta gamma", "beta gama"),
            "t/b.yaml": GOOD.replace("id: ok", "id: other").replace("kind: context", "kind: contxt"),
        },
    )
    assert main(["check", "--root", str(root)]) == 1
    err = capsys.readouterr().err
    assert "annotations/t/a.yaml:3:10: error: quote not found in content/t.md" in err
    assert "annotations/t/b.yaml:2:9: error: 'contxt' is not a valid 'kind'" in err
    assert main(["build", "--root", str(root)]) == 1
    assert not (root / "site").exists()


def test_lost_quote_fails_check_but_build_publishes_it_unanchored(make_project, capsys):
    root = make_project(texts={"t": TEXT}, annotations={"t/a.yaml": GOOD.replace("beta gamma", "beta gama")})
    assert main(["check", "--root", str(root)]) == 1
    err = capsys.readouterr().err
    assert "annotations/t/a.yaml:3:10: error: quote not found in content/t.md" in err
    assert "content/t.md:4:7: note: closest passage" in err
    assert main(["--root", str(root)]) == 1
    html = (root / "site" / "t" / "index.html").read_text()
    assert "Unanchored notes" in html and 'id="note-ok"' in html


def test_ambiguous_quote_lists_places(make_project, capsys):
    root = make_project(texts={"t": TEXT}, annotations={"t/a.yaml": GOOD.replace("beta gamma", "Alpha")})
    assert main(["check", "--root", str(root)]) == 1
    err = capsys.readouterr().err
    assert "quote matches 2 passages in content/t.md" in err
    assert "content/t.md:4:1: note: match 1" in err and "content/t.md:6:1: note: match 2" in err
    assert 'hint: to anchor on match 1, add  suffix: "beta"' in err


def test_failed_build_leaves_the_previous_site(make_project):
    root = make_project(texts={"t": TEXT}, annotations={"t/a.yaml": GOOD})
    assert main(["--root", str(root)]) == 0
    before = tree_digest(root / "site")
    (root / "annotations" / "t" / "a.yaml").write_text("- id: [\n")
    assert main(["--root", str(root)]) == 1
    assert tree_digest(root / "site") == before


def test_output_is_deterministic(make_project, tmp_path):
    root = make_project(texts={"t": TEXT, "u": front("U") + "More text.\n"}, annotations={"t/a.yaml": GOOD})
    assert main(["--root", str(root), "--out", str(tmp_path / "one")]) == 0
    assert main(["--root", str(root), "--out", str(tmp_path / "two")]) == 0
    assert tree_digest(tmp_path / "one") == tree_digest(tmp_path / "two")


def test_strict_turns_warnings_into_errors_and_github_format(make_project, capsys):
    root = make_project(texts={"t": TEXT}, annotations={"t/a.yaml": GOOD.replace("kind: context", "kind: contxt")})
    assert main(["check", "--root", str(root), "--strict", "--format", "github"]) == 1
    out = capsys.readouterr().out
    assert out.startswith(
        "::error file=annotations/t/a.yaml,line=2,col=9,title=schema-enum::'contxt' is not a valid 'kind'"
    )


def test_refuses_to_overwrite_a_folder_that_is_not_a_site(make_project, tmp_path, capsys):
    root = make_project(texts={"t": TEXT})
    precious = tmp_path / "docs"
    precious.mkdir()
    (precious / "keep.txt").write_text("keep")
    assert main(["--root", str(root), "--out", str(precious)]) == 2
    assert (precious / "keep.txt").read_text() == "keep"
    assert "not a glossator site" in capsys.readouterr().err


def test_usage_errors_exit_2(tmp_path):
    missing = tmp_path / "nowhere"
    result = subprocess.run(
        [sys.executable, str(REPO / "build.py"), "check", "--root", str(missing)], capture_output=True, text=True
    )
    assert result.returncode == 2
    assert "is not a folder" in result.stderr
    result = subprocess.run([sys.executable, str(REPO / "build.py"), "--bogus"], capture_output=True, text=True)
    assert result.returncode == 2


def test_this_repository_passes_check_strict():
    result = subprocess.run([sys.executable, "build.py", "check", "--strict"], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
