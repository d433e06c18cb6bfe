from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from glossator.model import TextMeta
from glossator.texts import parse_text

FENCES = ["---", "--- ", "---\t", "---\r", "---\u2028", "...", "...  ", "...\x1c"]
"""Lines that open (the '---' ones) or close front matter: trailing whitespace is allowed, as ``str.strip`` sees it."""
NOT_FENCES = [" ---", "----", "-- -", "--- x", "..", "....", "---#", "\u00a0---"]
FIELDS = {"title": "A title", "author": " Someone ", "date": "2024-01-02", "summary": "'Quoted: yes'"}
BODY = ["", "Words.", "# Heading", "key: value", *FENCES, *NOT_FENCES]


def reference_split(source: str) -> tuple[str, int, int] | str:
    """The front matter's fence lines found the plain way, line by line: the code of the problem, or
    the closing line's index, the body and the line it starts on."""
    lines = source.split("\n")
    if lines[0].rstrip() != "---":
        return "text-no-front-matter"
    closing = next((i for i, line in enumerate(lines[1:], 1) if line.rstrip() in ("---", "...")), None)
    if closing is None:
        return "text-front-matter-unclosed"
    return closing, "\n".join(lines[closing + 1 :]), closing + 2


@given(
    opening=st.sampled_from(FENCES[:5] + NOT_FENCES),
    fields=st.lists(st.sampled_from(sorted(FIELDS)), unique=True),
    closing=st.sampled_from([*FENCES, None]),
    body=st.lists(st.sampled_from(BODY), max_size=6),
)
def test_front_matter_is_split_at_the_first_fence_line(opening, fields, closing, body):
    lines = [opening, *(f"{key}: {FIELDS[key]}" for key in fields), *([closing] if closing else [])]
    if closing is None:
        body = [line for line in body if line.rstrip() not in ("---", "...")]
    source = "\n".join(lines + body)
    text, problems = parse_text("t", "content/t.md", source)
    expected = reference_split(source)
    if isinstance(expected, str):
        assert (text, [p.code for p in problems]) == (None, [expected])
    elif "title" not in fields:
        assert text is None and [p.code for p in problems] == ["schema-required"]
    else:
        assert problems == []
        assert expected[0] == len(fields) + 1
        assert (text.body, text.body_line) == expected[1:]
        meta = {key: value.strip().strip("'") for key, value in FIELDS.items() if key in fields}
        assert text.meta == TextMeta(**meta)


def test_front_matter_errors_point_into_the_file():
    _, (problem,) = parse_text("t", "content/t.md", "---\ntitle: T\n  bad: indent\n---\nbody\n")
    assert (problem.location.line, problem.code) == (3, "yaml-syntax")
    _, (problem,) = parse_text("t", "content/t.md", "---\n---\nbody\n")
    assert (problem.location.line, problem.message) == (2, "front matter is empty; a 'title' is required")
