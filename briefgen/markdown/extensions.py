"""The Markdown extensions site.yaml switches on (``markdown:``), from markdown-it and its plugins.

- ``tables`` and ``strikethrough``: markdown-it's own GitHub Flavored Markdown rules;
- ``footnotes``: mdit-py-plugins' footnotes (``[^label]`` and ``^[inline]``), rendered
  as numbered endnotes after the article (DPUB-ARIA's ``doc-endnotes``);
- ``heading_anchors``: mdit-py-plugins' anchors give every heading an id
  (``briefgen.urls.heading_id``, unique in the page); each heading is followed by a
  link to itself, ``#``, shown on hover and focus, named "Permalink: <heading>" for
  screen readers, outside the heading so that the heading's own name stays its text;
- ``typographer``: markdown-it's replacements and smart quotes. Off by default: it
  changes what readers see from what the article says.

With every switch off, the parser is CommonMark with raw HTML disabled.
"""

from __future__ import annotations

from collections.abc import Sequence

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from mdit_py_plugins.anchors import anchors_plugin
from mdit_py_plugins.footnote import footnote_plugin

from briefgen.source.config import MarkdownOptions
from briefgen.urls import heading_id


def with_extensions(options: MarkdownOptions) -> MarkdownIt:
    """A CommonMark parser (raw HTML off) with the extensions ``options`` switch on."""
    md = MarkdownIt("commonmark", {"html": False, "typographer": options.typographer})
    if options.tables:
        md.enable("table")
    if options.strikethrough:
        md.enable("strikethrough")
    if options.typographer:
        md.enable(["replacements", "smartquotes"])
    if options.footnotes:
        md.use(footnote_plugin)
        md.add_render_rule("footnote_block_open", _footnotes_open)
        md.add_render_rule("footnote_block_close", _footnotes_close)
    if options.heading_anchors:
        md.use(anchors_plugin, min_level=1, max_level=6, slug_func=heading_id)
        md.add_render_rule("heading_open", _heading_open)
        md.add_render_rule("heading_close", _heading_close)
    return md


def _footnotes_open(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    """The endnotes, as DPUB-ARIA names them, in a block that adds no text of its own.

    Not a ``section``: a section without a heading is a warning for the Nu checker, and a
    heading would add words that the article does not have to the page's text.
    """
    return (
        '<hr class="footnotes-sep">\n'
        '<div class="footnotes" role="doc-endnotes" aria-label="Footnotes">\n'
        '<ol class="footnotes-list">\n'
    )


def _footnotes_close(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    """The end of the endnotes."""
    return "</ol>\n</div>\n"


def _heading_open(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    """A heading with an id opens the box that holds it and its permalink."""
    html = self.renderToken(tokens, idx, options, env)
    return f'<div class="heading">{html}' if tokens[idx].attrGet("id") else html


def _heading_close(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    """The heading, then its permalink, named after the heading's words."""
    html = self.renderToken(tokens, idx, options, env)
    opener = tokens[idx - 2]
    ident = opener.attrGet("id")
    if not ident or opener.type != "heading_open":
        return html
    words = " ".join(
        "".join(
            child.content
            for child in tokens[idx - 1].children or ()
            if child.type in ("text", "code_inline")
        ).split()
    )
    href = escapeHtml(f"#{ident}")
    label = escapeHtml(f"Permalink: {words}")
    link = f'<a class="heading-anchor" href="{href}" aria-label="{label}">#</a>'
    return f"{html.rstrip()}{link}</div>\n"
