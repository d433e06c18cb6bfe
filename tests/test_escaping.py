from __future__ import annotations

import jinja2
import pytest
from hypothesis import given
from hypothesis import strategies as st
from markupsafe import Markup, escape

from glossator import escaping
from glossator.build import render
from glossator.load import load_theme
from glossator.render import template_environment

from .sample_site import make_sample
from .test_render import HOSTILE

pytestmark = pytest.mark.skipif(not escaping.AVAILABLE, reason="MarkupSafe before 3.0: templates compile as Jinja's")


@given(st.text(alphabet=st.sampled_from("<>&'\"a é\n\0🙂")) | st.text())
def test_a_string_is_escaped_as_markupsafe_escapes_it(value):
    escaped = escaping.escape_text(value)
    assert type(escaped) is str and escaped == escape(value)


class _Html:
    def __html__(self) -> str:
        return "<b>safe</b>"


@pytest.mark.parametrize("value", [Markup("<i>x</i> &amp;"), 42, 1.5, None, _Html(), Markup("")])
def test_anything_else_goes_through_markupsafe(value):
    assert escaping.escape_text(value) == escape(value)


SOURCE = """\
{{ s }}|{{ m }}|{{ n }}|{{ s|e }}|{{ s|safe }}|{{ s ~ m }}|{{ [s] }}
{% set captured %}<{{ s }}>{% endset %}{{ captured }}
{% macro box(x) %}[{{ x }}]{% endmacro %}{{ box(s) }}{{ box(m) }}
{% macro wrap() %}({{ caller() }}){% endmacro %}{% call wrap() %}{{ s }}{{ m }}{% endcall %}
{% filter upper %}{{ s }}{% endfilter %}
{% autoescape false %}{{ s }}{% endautoescape %}{% autoescape flag %}{{ s }}{% endautoescape %}
{% for x in [s, m, n] %}{{ loop.index }}{{ x }}{% endfor %}
"""


@pytest.mark.parametrize("flag", [True, False])
def test_templates_give_what_jinja_compiles_them_to(flag):
    ours = template_environment({"t.html": SOURCE.encode()})
    jinjas = template_environment({"t.html": SOURCE.encode()})
    jinjas.code_generator_class = jinja2.compiler.CodeGenerator
    values = {"s": HOSTILE, "m": Markup("<em>kept</em>"), "n": 7, "flag": flag}
    assert "escape_text(" in ours.compile(SOURCE, raw=True)
    assert "escape_text(" not in jinjas.compile(SOURCE, raw=True)
    assert ours.get_template("t.html").render(values) == jinjas.get_template("t.html").render(values)


def test_an_undefined_value_is_still_an_error():
    env = template_environment({"t.html": b"{{ missing }}"})
    with pytest.raises(jinja2.UndefinedError):
        env.get_template("t.html").render()


def test_every_theme_template_escapes_its_output_with_escape_text(tmp_path):
    env = template_environment(load_theme(tmp_path, []))
    for name in env.list_templates():
        code = env.compile(env.loader.get_source(env, name)[0], name=name, raw=True)
        assert "escape(" not in code.replace("escape_text(", ""), name


def test_the_site_is_the_same_as_with_jinjas_own_code(make_project, monkeypatch):
    root = make_sample(make_project)
    ours = render(root)
    monkeypatch.setattr(escaping, "AVAILABLE", False)
    jinjas = render(root)
    assert len(ours.pages) > 10
    assert [(p.path, p.content) for p in ours.pages] == [(p.path, p.content) for p in jinjas.pages]
