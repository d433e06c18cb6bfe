"""markdown-it's HTML renderer, with a shorter way through the commonest inline tokens.

Most tokens inside a paragraph are text or tags (``em``, ``a``, ``mark``, ...).
markdown-it renders each through its general method, which asks about tight lists, block tags
and attributes; for these the answer is always the same, so they are written directly.
Everything else goes through markdown-it's own methods. ``tests/test_html.py`` checks that the
output is equal to markdown-it's.
"""

from __future__ import annotations

from collections.abc import Sequence

from markdown_it.common.utils import escapeHtml
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict


class Renderer(RendererHTML):
    """``RendererHTML`` with the same output, sooner."""

    def renderInline(self, tokens: Sequence[Token], options: OptionsDict, env: EnvType) -> str:
        rules = self.rules
        plain_text = getattr(rules.get("text"), "__func__", None) is RendererHTML.text
        slash = " /" if options["xhtmlOut"] else ""
        out: list[str] = []
        for index, token in enumerate(tokens):
            kind = token.type
            if kind == "text" and plain_text:
                out.append(escapeHtml(token.content))
            elif kind in rules:
                out.append(rules[kind](tokens, index, options, env))
            elif token.block or token.hidden:
                out.append(self.renderToken(tokens, index, options, env))
            else:
                attrs = self.renderAttrs(token) if token.attrs else ""
                if token.nesting == 1:
                    out.append(f"<{token.tag}{attrs}>")
                elif token.nesting == -1:
                    out.append(f"</{token.tag}{attrs}>")
                else:
                    out.append(f"<{token.tag}{attrs}{slash}>")
        return "".join(out)

    @staticmethod
    def renderAttrs(token: Token) -> str:
        """``RendererHTML.renderAttrs``, without a list of the attributes made first."""
        if not token.attrs:
            return ""
        return "".join([f' {escapeHtml(key)}="{escapeHtml(str(value))}"' for key, value in token.attrs.items()])
