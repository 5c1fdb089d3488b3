"""Code as reader text: notes may anchor in code blocks and code spans.

A code block (fence or indented) gets its code as one child token, a *piece* of code
(a ``code_inline`` token marked as a piece), so that the reader text, anchoring and
splicing treat it as they treat a paragraph's text. A code span that a noted phrase
starts or ends inside becomes ``<code>`` open and close tokens around its pieces.
Pieces render as escaped text, inside the ``<pre><code>`` or ``<code>`` they belong
to; glossary terms never mark code (they only look at ``text`` tokens). A block or
span no phrase touches renders exactly as markdown-it renders it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import cast

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.renderer import RendererHTML
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

from briefgen.markdown.positions import OFFSETS

PIECE = "briefgen.code_piece"  # meta flag of a code_inline token that is a piece of code
CODE_OPEN = "briefgen_code_open"
CODE_CLOSE = "briefgen_code_close"
CODE_BLOCKS = ("fence", "code_block")
_PLACEHOLDER = "\x00"  # markdown-it's normalisation leaves no NUL in the text

RenderRule = Callable[[Sequence[Token], int, OptionsDict, EnvType], str]


def code_plugin(md: MarkdownIt) -> None:
    """Give code blocks their code as a child (core rule ``briefgen_code``); render pieces."""
    md.core.ruler.before("text_join", "briefgen_code", _code_children)
    rules = cast(RendererHTML, md.renderer).rules
    for name in CODE_BLOCKS:
        md.add_render_rule(name, _block_rule(rules[name]))
    md.add_render_rule("code_inline", _span_rule(rules["code_inline"]))
    md.add_render_rule(CODE_OPEN, lambda self, tokens, idx, options, env: "<code>")
    md.add_render_rule(CODE_CLOSE, lambda self, tokens, idx, options, env: "</code>")


def is_piece(token: Token) -> bool:
    """Whether ``token`` is a piece of code inside a code block or a split code span."""
    return token.type == "code_inline" and bool(token.meta.get(PIECE))


def code_pieces(span: Token, pieces: list[Token]) -> list[Token]:
    """The tokens that replace ``span`` once cut into ``pieces``: a code span is kept whole."""
    if span.type != "code_inline" or is_piece(span):
        return pieces
    for piece in pieces:
        piece.meta[PIECE] = True
    return [Token(CODE_OPEN, "code", 1), *pieces, Token(CODE_CLOSE, "code", -1)]


def _code_children(state: StateCore) -> None:
    """Each code block's code, less its final line break, becomes its one child."""
    for token in state.tokens:
        if token.type in CODE_BLOCKS and token.children is None:
            body = token.content[:-1] if token.content.endswith("\n") else token.content
            piece = Token("code_inline", "code", 0, content=body)
            piece.meta = {PIECE: True, OFFSETS: list(range(len(body)))}
            token.children = [piece] if body else []


def _untouched(token: Token) -> bool:
    """Whether nothing was spliced into a code block's code."""
    children = token.children or []
    return len(children) <= 1 and all(is_piece(child) for child in children)


def _block_rule(default: RenderRule) -> Callable[..., str]:
    """A code block as markdown-it renders it, with its children when phrases are marked."""

    def render(
        self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        token = tokens[idx]
        if _untouched(token):
            return default(tokens, idx, options, env)
        body = self.renderInline(token.children or [], options, env)
        body += escapeHtml(token.content[len("".join(_texts(token))) :])
        shell = [*tokens]
        shell[idx] = replace(token, content=_PLACEHOLDER)
        return default(shell, idx, options, env).replace(_PLACEHOLDER, body, 1)

    return render


def _texts(token: Token) -> list[str]:
    """The code of a block's pieces, in order."""
    return [child.content for child in token.children or () if is_piece(child)]


def _span_rule(default: RenderRule) -> Callable[..., str]:
    """A piece of code is escaped text; any other code span renders as markdown-it's."""

    def render(
        self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        token = tokens[idx]
        if is_piece(token):
            return escapeHtml(token.content)
        return default(tokens, idx, options, env)

    return render
