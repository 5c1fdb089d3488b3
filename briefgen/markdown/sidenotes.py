"""How notes and phrase links look: their tokens rendered as HTML, sidenotes placed.

A note's phrase is ``<mark class="noted">`` segments, followed by a numbered sidenote
(label, checkbox toggle and ``<span class="sidenote">``: phrasing content only, since
it sits inside a paragraph). A sidenote never lands inside a link: when a phrase ends
inside one, its sidenote follows the link. A phrase link is ``<a class="xref">``
segments.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

from briefgen.model import Note

NOTE_OPEN = "briefgen_note_open"
NOTE_CLOSE = "briefgen_note_close"
SIDENOTE = "briefgen_sidenote"
XREF_OPEN = "briefgen_xref_open"
XREF_CLOSE = "briefgen_xref_close"


def add_render_rules(md: MarkdownIt) -> None:
    """Render note marks, sidenotes and phrase links on ``md``."""
    md.add_render_rule(NOTE_OPEN, _render_note_open)
    md.add_render_rule(NOTE_CLOSE, _render_close)
    md.add_render_rule(XREF_OPEN, _render_xref_open)
    md.add_render_rule(XREF_CLOSE, _render_close)
    md.add_render_rule(SIDENOTE, _render_sidenote)


def note_html(md: MarkdownIt, text: str) -> tuple[str, str]:
    """A note's Markdown as phrasing content (one ``<span class="note-p">`` per block),
    for its sidenote, and as HTML blocks, for its W3C annotation."""
    env: EnvType = {}
    tokens = md.parse(text, env)
    renderer = cast(RendererHTML, md.renderer)
    parts: list[str] = []
    for token in tokens:
        if token.type == "inline":
            inner = renderer.renderInline(token.children or [], md.options, env)
        elif token.type in ("fence", "code_block"):
            inner = "<code>" + escapeHtml(token.content.rstrip("\n")) + "</code>"
        else:
            continue
        parts.append(f'<span class="note-p">{inner}</span>')
    return " ".join(parts), renderer.render(tokens, md.options, env)


def note_sources(md: MarkdownIt, note: Note) -> list[tuple[str, str | None]]:
    """A note's sources as (title, safe href or None)."""
    out: list[tuple[str, str | None]] = []
    for source in note.sources:
        href = md.normalizeLink(source.url.strip()) if source.url else None
        out.append((source.title, href if href and md.validateLink(href) else None))
    return out


def place_sidenotes(children: list[Token]) -> list[Token]:
    """Put each note's sidenote after its phrase's last segment, outside any link or code."""
    out: list[Token] = []
    pending: list[Token] = []
    depth = 0
    for child in children:
        out.append(child)
        if child.tag in ("a", "code") and child.nesting:
            depth += child.nesting
        elif child.type == NOTE_CLOSE and child.meta.get("last"):
            pending.append(Token(SIDENOTE, "", 0, meta=child.meta))
        if pending and depth <= 0:
            out.extend(pending)
            pending.clear()
    out.extend(pending)
    return out


def _render_note_open(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    """``<mark class="noted">``; the phrase's first segment carries ``id="ref-N"``."""
    token = tokens[idx]
    ident = f' id="ref-{token.meta["number"]}"' if token.meta.get("first") else ""
    return f'<mark class="noted"{ident}>'


def _render_xref_open(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    """``<a class="xref" href="...">``."""
    return "<a" + self.renderAttrs(tokens[idx]) + ">"


def _render_close(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    """The closing tag of a mark or phrase-link segment."""
    return f"</{tokens[idx].tag}>"


def _render_sidenote(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    """The note number, its toggle and the sidenote itself, as phrasing content."""
    meta: dict[str, Any] = tokens[idx].meta
    n = meta["number"]
    parts = [
        f'<label class="note-num" for="note-toggle-{n}">{n}</label>',
        f'<input type="checkbox" id="note-toggle-{n}" class="note-toggle"'
        f' aria-label="Show note {n}">',
        f'<span class="sidenote" id="note-{n}" role="note">',
        f'<span class="note-n">{n}.</span> ',
        meta["html"],
    ]
    sources: list[tuple[str, str | None]] = meta["sources"]
    if sources:
        cited = ", ".join(
            f'<a href="{escapeHtml(href)}">{escapeHtml(title)}</a>' if href else escapeHtml(title)
            for title, href in sources
        )
        label = "Source" if len(sources) == 1 else "Sources"
        parts.append(f' <span class="note-sources">{label}: {cited}</span>')
    parts.append("</span>")
    return "".join(parts)
