"""Article bodies, summaries and glossary definitions from Markdown (or plain text) to HTML.

A ``.md`` article is CommonMark with raw HTML disabled, plus the extensions site.yaml
switches on (``briefgen.markdown.extensions``): raw HTML shows as text, and a link is
made only to what ``briefgen.urlcheck.is_safe_link`` allows (a path of the site, a web or
mail address that passes the check of every address briefgen publishes, or a scheme
that runs nothing, such as ``tel:``). A
``.txt`` article is plain text: paragraphs separated by blank lines, line breaks kept,
nothing interpreted as markup. Both go through briefgen's plugins (notes, phrase
links, glossary terms) on the token stream and through the same HTML renderer.

Title rule: when the sidecar gives no title, the body's first ``# `` heading (``.md``)
or first non-empty line (``.txt``) is the title and is removed from the body; it is
also removed when it repeats the sidecar title (compared after the anchoring
normalisation). Notes and links cannot anchor in a removed title.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any, Protocol

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from markupsafe import Markup

from briefgen.errors import Diagnostic
from briefgen.markdown.anchors import (
    ANCHORS,
    DIAGNOSTICS,
    GAPS,
    LANDINGS,
    LINKS,
    NOTES,
    PATH,
    TEXT,
    anchors_plugin,
)
from briefgen.markdown.code import code_plugin
from briefgen.markdown.extensions import with_extensions
from briefgen.markdown.landings import Landing
from briefgen.markdown.lints import acronyms_plugin, spelled_words
from briefgen.markdown.marking import READER
from briefgen.markdown.positions import positions_plugin
from briefgen.markdown.sidenotes import FEED, endnotes_html, note_sources
from briefgen.markdown.terms import LOCAL_TERMS, MARKED, MENTIONS, plain_text, terms_plugin
from briefgen.model import Article, Note, Term
from briefgen.source.config import MarkdownOptions
from briefgen.text.glossary import TermMatcher
from briefgen.text.normalise import normalise
from briefgen.urlcheck import is_safe_link
from briefgen.urls import UrlScheme

TITLE = "briefgen.title"
DEFAULT_MARKDOWN = MarkdownOptions()
HEADING = "briefgen.heading"


@dataclass(frozen=True, slots=True)
class RenderedNote:
    """A context note that anchored, numbered in document order of the phrases."""

    number: int
    note: Note
    html: Markup  # the note's text as phrasing content (``<span class="note-p">`` blocks)
    blocks: Markup  # the note's text as HTML blocks (``<p>``...); empty in a light copy
    start: int  # where its phrase starts in the reader text
    end: int  # and where it ends


@dataclass(frozen=True, slots=True)
class Rendered:
    """An article body as HTML, with what the plugins found in it."""

    html: Markup  # with a placeholder for each preview card (``sidenotes.fill_previews``)
    feed_html: Markup  # for feeds: absolute links, the notes as endnotes
    heading: str | None  # the body's title heading or line, when it was removed
    summary_html: Markup  # the sidecar's summary, inline Markdown
    notes: tuple[RenderedNote, ...]
    terms: tuple[str, ...]  # keys of the terms marked, in order of first mark
    mentions: tuple[str, ...]  # keys of the terms mentioned, in order of first mention
    links: tuple[str, ...]  # target slugs of phrase links, in document order, unique
    text: str  # the reader text, as anchoring saw it
    gaps: tuple[tuple[int, int], ...]  # the separators between its blocks
    words: int  # how many words readers see
    landings: tuple[Landing, ...]  # where each note and phrase link landed, in text order
    diagnostics: tuple[Diagnostic, ...]
    # A build keeps only a light copy in its main process: html, feed_html, text, gaps
    # and the notes' blocks empty, and ``body`` fetching the whole rendering from disk
    # (``build.spill``).
    body: Fetch | None = None

    def full(self) -> Rendered:
        """The whole rendering: this one, or the one kept on disk for it."""
        return self if self.body is None else self.body()

    def feed(self) -> Markup:
        """The feed HTML: this one's, or the one kept on disk (read alone, for feeds)."""
        return self.feed_html if self.body is None else self.body.feed()


class Fetch(Protocol):
    """Where a light rendering's whole rendering waits (``build.spill.Kept``)."""

    def __call__(self) -> Rendered:
        """The whole rendering."""

    def feed(self) -> Markup:
        """Its feed HTML alone."""


class Renderer:
    """One per build: markdown-it instances with briefgen's plugins, and the glossary matcher."""

    def __init__(
        self,
        glossary: Sequence[Term],
        *,
        term_link: str,
        urls: UrlScheme,
        markdown: MarkdownOptions = DEFAULT_MARKDOWN,
    ) -> None:
        """Set up the parsers and compile the glossary once; links come from ``urls``."""
        self._urls = urls
        self._plain = _safe_links(MarkdownIt("commonmark", {"html": False}))
        install = partial(
            _install,
            note_md=self._plain,
            matcher=TermMatcher(glossary),
            known=spelled_words(glossary),
            term_link=term_link,
            article_href=lambda slug: urls.article(slug).href,
            term_href=lambda term: urls.term(term.ident),
        )
        self._md = install(with_extensions(markdown))
        self._md.core.ruler.before(READER, "briefgen_title", _remove_title)
        self._txt = install(MarkdownIt("zero").enable("newline"))

    def render(self, article: Article) -> Rendered:
        """Render an article's body with its notes, phrase links and terms, and its summary."""
        sidecar, body = article.sidecar, article.body
        if body is None:
            raise ValueError(f"{article.path} is a light article: read it whole first")
        env: dict[str, Any] = {
            PATH: article.path,
            ANCHORS: (sidecar.notes, sidecar.links),
            LOCAL_TERMS: sidecar.terms,
            TITLE: sidecar.title,
        }
        if article.kind == "txt":
            md = self._txt
            src, heading = _remove_title_line(body, sidecar.title)
        else:
            md = self._md
            src, heading = body, None
        tokens = md.parse(src, env)
        html = md.renderer.render(tokens, md.options, env)
        url = self._urls.article(article.slug).url
        feed = md.renderer.render(tokens, md.options, {**env, FEED: url})
        notes = [(n, h, note_sources(self._plain, note)) for n, note, h, *_ in env[NOTES]]
        return Rendered(
            html=Markup(html),
            feed_html=Markup(feed + endnotes_html(notes, url)),
            heading=env.get(HEADING, heading),
            summary_html=self.render_inline(sidecar.summary),
            notes=tuple(
                RenderedNote(n, note, Markup(h), Markup(b), start, end)
                for n, note, h, b, start, end in env[NOTES]
            ),
            terms=tuple(env[MARKED]),
            mentions=tuple(env[MENTIONS]),
            links=tuple(env[LINKS]),
            text=env[TEXT],
            gaps=env[GAPS],
            words=len(env[TEXT].split()),
            landings=env.get(LANDINGS, ()),
            diagnostics=tuple(env[DIAGNOSTICS]),
        )

    def render_inline(self, text: str) -> Markup:
        """Inline Markdown (summaries) as safe HTML."""
        return Markup(self._plain.renderInline(text))

    def render_block(self, text: str) -> Markup:
        """Block Markdown (glossary definitions) as safe HTML."""
        return Markup(self._plain.render(text))


def _install(
    md: MarkdownIt,
    *,
    note_md: MarkdownIt,
    matcher: TermMatcher,
    known: frozenset[str],
    term_link: str,
    article_href: Callable[[str], str],
    term_href: Callable[[Term], str],
) -> MarkdownIt:
    """Install the position, code, note, phrase-link, lint and term plugins on ``md``.

    ``known``: the words the glossary's terms are spelled with (acronyms it has).
    """
    _safe_links(md)
    md.use(positions_plugin)
    md.use(code_plugin)
    md.use(anchors_plugin, article_href=article_href, note_md=note_md)
    keys = (PATH, LOCAL_TERMS, DIAGNOSTICS)
    md.use(acronyms_plugin, known=known, keys=keys)
    describe = partial(plain_text, note_md)
    md.use(terms_plugin, matcher=matcher, link=term_link, term_href=term_href, describe=describe)
    return md


def _safe_links(md: MarkdownIt) -> MarkdownIt:
    """Make links only to what ``is_safe_link`` allows, the one check of addresses."""
    md.validateLink = is_safe_link  # type: ignore[method-assign]
    return md


def same_title(a: str, b: str) -> bool:
    """Whether two titles read the same after the anchoring normalisation."""
    return normalise(a.strip()).strip() == normalise(b.strip()).strip()


def _inline_text(token: Token) -> str:
    """The text of an inline token, markup dropped and white space collapsed."""
    parts = [
        " " if child.type in ("softbreak", "hardbreak") else child.content
        for child in token.children or ()
        if child.type in ("text", "code_inline", "softbreak", "hardbreak")
    ]
    return " ".join("".join(parts).split())


def _remove_title(state: StateCore) -> None:
    """Remove the first top-level h1 when it gives or repeats the title (core rule)."""
    title = state.env.get(TITLE)
    if title is None:
        return
    tokens = state.tokens
    for i, token in enumerate(tokens):
        if token.type == "heading_open" and token.level == 0:
            if token.tag != "h1":
                continue
            text = _inline_text(tokens[i + 1])
            if not title.strip() or same_title(title, text):
                del tokens[i : i + 3]
                state.env[HEADING] = text
            return


def _remove_title_line(body: str, title: str) -> tuple[str, str | None]:
    """Blank a plain-text body's first non-empty line when it gives or repeats the title."""
    lines = body.split("\n")
    for i, line in enumerate(lines):
        if line.strip():
            text = " ".join(line.split())
            if title.strip() and not same_title(title, text):
                return body, None
            lines[i] = ""
            return "\n".join(lines), text
    return body, None
