"""Site configuration: glossator.yaml, its defaults, its errors and the base URL override."""

from __future__ import annotations

import pytest

from glossator.build import render
from glossator.config import BASE_URL_VARIABLE, CONFIG_FILE, parse_config
from glossator.load import load_project
from glossator.model import SiteConfig

from .conftest import dedent, front

TEXT = {"t": front("A text") + "Some words.\n"}


@pytest.fixture(autouse=True)
def no_base_url_override(monkeypatch):
    monkeypatch.delenv(BASE_URL_VARIABLE, raising=False)


def page(result, path: str) -> str:
    return next(p.content.decode() for p in result.pages if p.path == path)


def test_a_bare_folder_of_texts_builds_with_the_defaults(make_project):
    project, problems = load_project(make_project(texts=TEXT))
    assert problems == []
    assert project.config == SiteConfig()
    assert project.config.url("t/index.html") == "http://localhost:8000/t/"


def test_the_file_sets_title_base_url_language_and_author(make_project):
    root = make_project(texts=TEXT)
    (root / CONFIG_FILE).write_text(
        dedent(
            """
            # comments are fine
            title: Close Reading
            description: Annotated speeches.
            base_url: https://example.org/reader
            language: en-GB
            author: The Editors
            """
        ),
        encoding="utf-8",
    )
    result = render(root)
    assert result.ok, result.diagnostics
    config = result.project.config
    assert config == SiteConfig(
        "Close Reading", "Annotated speeches.", "https://example.org/reader/", "en-GB", "The Editors"
    )
    html = page(result, "t/index.html")
    assert '<html lang="en-GB">' in html
    assert '<a class="site-title" href="../index.html">Close Reading</a>' in html
    assert '<link rel="canonical" href="https://example.org/reader/t/">' in html
    assert "<title>Close Reading</title>" in page(result, "index.html")


@pytest.mark.parametrize(
    ("source", "where", "message", "hint"),
    [
        ("titel: X\n", "glossator.yaml:1:1", "unknown field 'titel'", "did you mean 'title'?"),
        (
            "base_url: example.org\n",
            "glossator.yaml:1:11",
            "'example.org' is not a valid 'base_url'",
            "starting with https://",
        ),
        ("base_url: https://example.org/?x=1\n", "glossator.yaml:1:11", "is not a valid 'base_url'", "without ?query"),
        ("language: English\n", "glossator.yaml:1:11", "'English' is not a valid 'language'", "en-GB"),
        ("title:\n", "glossator.yaml:1:7", "'title' must be a text value, found an empty value", None),
        (
            "- title: X\n",
            "glossator.yaml:1:1",
            "the site configuration must be a mapping of fields, found a list",
            "'title: ...'",
        ),
        ("title: [unclosed\n", "glossator.yaml:2:1", "", None),
    ],
)
def test_problems_point_at_the_line_with_a_hint(source, where, message, hint):
    config, problems = parse_config(CONFIG_FILE, source)
    assert config == SiteConfig()
    assert problems, source
    first = problems[0]
    assert f"{first.location.path}:{first.location.line}:{first.location.col}" == where
    assert message in first.message
    if hint:
        assert hint in (first.hint or "")


def test_an_invalid_configuration_stops_the_build(make_project):
    root = make_project(texts=TEXT)
    (root / CONFIG_FILE).write_text("base_url: ftp://example.org/\n", encoding="utf-8")
    result = render(root)
    assert not result.ok and result.pages == ()
    assert [d.location.path for d in result.diagnostics] == [CONFIG_FILE]


def test_the_environment_overrides_the_base_url(make_project, monkeypatch):
    root = make_project(texts=TEXT)
    (root / CONFIG_FILE).write_text("base_url: https://example.org/\n", encoding="utf-8")
    monkeypatch.setenv(BASE_URL_VARIABLE, "https://owner.github.io/repo")
    project, problems = load_project(root)
    assert problems == []
    assert project.config.base_url == "https://owner.github.io/repo/"


def test_a_bad_override_is_reported_under_its_name(make_project, monkeypatch):
    monkeypatch.setenv(BASE_URL_VARIABLE, "not a url")
    _, problems = load_project(make_project(texts=TEXT))
    assert [(d.location.path, d.code) for d in problems] == [(f"${BASE_URL_VARIABLE}", "config-bad-base-url")]
    assert "'not a url' is not a valid base URL" == problems[0].message
