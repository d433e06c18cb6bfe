"""What the tests expect of glossator's Markdown tokens, made from markdown-it's own."""

from __future__ import annotations

from collections.abc import Sequence

from markdown_it.token import Token


def soft_breaks_in_text(tokens: Sequence[Token]) -> list[Token]:
    """markdown-it's tokens as :mod:`glossator.linebreaks` makes them: each run of text and soft breaks
    inside a paragraph (one with at least a soft break) becomes one text token, a soft break being ``\\n``."""
    out = []
    for token in tokens:
        if token.children:
            token = token.copy(children=_joined(token.children))
        out.append(token)
    return out


def _joined(children: Sequence[Token]) -> list[Token]:
    out: list[Token] = []
    run: list[Token] = []
    for child in [*children, None]:
        if child is not None and child.type in ("text", "softbreak"):
            run.append(child)
            continue
        if any(token.type == "softbreak" for token in run):
            content = "".join("\n" if token.type == "softbreak" else token.content for token in run)
            first = run[0]  # a text keeps its fields (an entity's markup, after text_join)
            run = [first.copy(content=content) if first.type == "text" else Token("text", "", 0, content=content)]
            run[0].level = first.level
        out += run
        run = []
        if child is not None:
            out.append(child)
    return out
