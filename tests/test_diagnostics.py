from __future__ import annotations

import io

import pytest

from glossator.diagnostics import format_text, use_color
from glossator.model import Diagnostic, Location


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(
    ("stream", "environ", "expected"),
    [
        (Terminal(), {}, True),
        (io.StringIO(), {}, False),
        (Terminal(), {"NO_COLOR": "1"}, False),
        (Terminal(), {"NO_COLOR": ""}, True),
        (Terminal(), {"TERM": "dumb"}, False),
    ],
    ids=["terminal", "pipe", "no-color", "empty-no-color", "dumb-terminal"],
)
def test_colour_only_on_a_terminal_that_wants_it(stream, environ, expected):
    assert use_color(stream, environ) is expected


def test_colour_marks_only_the_severity():
    d = Diagnostic(Location("a.yaml", 1, 1), "bad")
    assert format_text([d], color=True) == "a.yaml:1:1: \033[1;31merror\033[0m: bad\n"
    assert format_text([d], color=False) == "a.yaml:1:1: error: bad\n"
