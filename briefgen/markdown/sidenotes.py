"""How notes and phrase links look: their tokens rendered as HTML, sidenotes placed.

A note's phrase is ``<mark class="noted">`` segments, followed by a numbered sidenote
(label, checkbox toggle and ``<span class="sidenote">``: phrasing content only, since
it sits inside a paragraph). A sidenote never lands inside a link: when a phrase ends
inside one, its sidenote follows the link. A phrase link is ``<a class="xref">``
segments; the last one is wrapped in ``<span class="preview">`` with a preview card of
the briefing it links to. The card shows the other briefing's title, date and summary,
which the renderer of one article does not know: it leaves a placeholder
(``PLACEHOLDER``, a NUL character, which never survives into Markdown's output
otherwise), and the site model fills it in once every article is known
(``fill_previews``), as Sphinx resolves its pending cross-references.

The same tokens render a second time for feeds (``env[FEED]`` is the article's
absolute URL): no marks, term cards or previews, absolute phrase links, and note
numbers that link to the notes on the page; ``endnotes_html`` lists the notes after
the text.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, cast
from urllib.parse import urljoin

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
FEED = "briefgen.feed"  # in env: render for feeds; the article's absolute URL
PLACEHOLDER = "\x00"  # around "<number> <slug>": where a preview card goes


def add_render_rules(md: MarkdownIt) -> None:
    """Render note marks, sidenotes and phrase links on ``md``."""
    md.add_render_rule(NOTE_OPEN, _render_note_open)
    md.add_render_rule(NOTE_CLOSE, _render_close)
    md.add_render_rule(XREF_OPEN, _render_xref_open)
    md.add_render_rule(XREF_CLOSE, _render_xref_close)
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
    if env.get(FEED):
        return ""
    token = tokens[idx]
    ident = f' id="ref-{token.meta["number"]}"' if token.meta.get("first") else ""
    return f'<mark class="noted"{ident}>'


def _render_xref_open(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    """``<a class="xref" href="...">``; the last segment opens its preview's wrapper."""
    token = tokens[idx]
    href = escapeHtml(str(token.attrs["href"]))
    if env.get(FEED):
        return f'<a href="{escapeHtml(urljoin(env[FEED], str(token.attrs["href"])))}">'
    if not token.meta.get("last"):
        return f'<a class="xref" href="{href}">'
    number = token.meta["number"]
    return (
        f'<span class="preview"><a class="xref" href="{href}" aria-describedby="preview-{number}">'
    )


def _render_xref_close(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    """The end of a phrase-link segment; after the last, the preview's placeholder."""
    meta = tokens[idx].meta
    if env.get(FEED) or not meta.get("last"):
        return "</a>"
    return f"</a>{PLACEHOLDER}{meta['number']} {meta['slug']}{PLACEHOLDER}</span>"


def _render_close(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    """The closing tag of a mark segment."""
    return "" if env.get(FEED) else f"</{tokens[idx].tag}>"


def fill_previews(html: str, card: Callable[[int, str], str]) -> str:
    """The HTML with each preview placeholder replaced by ``card(number, slug)``."""
    parts = html.split(PLACEHOLDER)
    for i in range(1, len(parts), 2):
        number, slug = parts[i].split(" ", 1)
        parts[i] = card(int(number), slug)
    return "".join(parts)


def sources_html(sources: Sequence[tuple[str, str | None]]) -> str:
    """A note's sources, linked where they have a safe address: " Source: <a>...</a>"."""
    if not sources:
        return ""
    cited = ", ".join(
        f'<a href="{escapeHtml(href)}">{escapeHtml(title)}</a>' if href else escapeHtml(title)
        for title, href in sources
    )
    label = "Source" if len(sources) == 1 else "Sources"
    return f' <span class="note-sources">{label}: {cited}</span>'


def endnotes_html(
    notes: Sequence[tuple[int, str, Sequence[tuple[str, str | None]]]], url: str
) -> str:
    """The notes of a feed's entry, numbered, each linking back to its phrase on the page."""
    if not notes:
        return ""
    items = "".join(
        f"<li>{html}{sources_html(sources)} "
        f'<a href="{escapeHtml(url)}#ref-{n}" aria-label="Back to note {n} in the text">↩</a></li>'
        for n, html, sources in notes
    )
    return f"<h2>Notes</h2><ol>{items}</ol>"


def _render_sidenote(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    """The note number, its toggle and the sidenote itself, as phrasing content."""
    meta: dict[str, Any] = tokens[idx].meta
    n = meta["number"]
    if env.get(FEED):
        return f'<sup><a href="{escapeHtml(env[FEED])}#note-{n}">{n}</a></sup>'
    parts = [
        f'<label class="note-num" for="note-toggle-{n}">{n}</label>',
        f'<input type="checkbox" id="note-toggle-{n}" class="note-toggle"'
        f' aria-label="Show note {n}">',
        f'<span class="sidenote{" is-inline" if meta.get("inline") else ""}" id="note-{n}" '
        'role="note">',
        f'<span class="note-n">{n}.</span> ',
        meta["html"],
        sources_html(meta["sources"]),
        "</span>",
    ]
    return "".join(parts)
