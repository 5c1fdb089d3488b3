"""What templates see: immutable views of the site, with every link already resolved.

Every ``href`` is a root-relative URL that includes the path prefix of ``base_url``
(``/briefing/kharkiv/``); every ``abs_url`` is absolute. HTML fields are ``Markup``
produced by briefgen's Markdown renderer (already escaped); every other string is
plain text that Jinja2 escapes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from markupsafe import Markup, escape

from briefgen.markdown.renderer import Rendered
from briefgen.markdown.sidenotes import fill_previews
from briefgen.model import SourceRef
from briefgen.pages.filters import date_display


@dataclass(frozen=True)
class Ref:
    """A link to an article, for lists (related, backlinks, mentioned in)."""

    slug: str
    title: str
    href: str
    date: dt.date | None
    summary_html: Markup


def preview_card(number: int, ref: Ref) -> str:
    """The card a phrase link shows: the linked briefing's title, date and summary.

    Plain text, as in a term's card: a tooltip holds no links. The search index
    leaves it out, since it repeats another briefing.
    """
    date = f' <span class="preview-date">{date_display(ref.date)}</span>' if ref.date else ""
    summary = f" {escape(ref.summary_html.striptags())}" if ref.summary_html else ""
    return (
        f'<span class="term-tip preview-tip" role="tooltip" id="preview-{number}" '
        f"data-pagefind-ignore><strong>{escape(ref.title)}</strong>{date}{summary}</span>"
    )


@dataclass(frozen=True)
class Body:
    """An article's body: its rendering and the briefings its phrase links preview.

    The HTML is put together when a page asks for it, in the process that renders the
    page: a build's main process holds only a light rendering (``Rendered.full``).
    """

    rendering: Rendered
    targets: tuple[tuple[str, Ref], ...]  # each linked briefing that exists, by slug

    def page_html(self) -> Markup:
        """The body's HTML with each preview placeholder filled (``fill_previews``)."""
        targets = dict(self.targets)

        def card(number: int, slug: str) -> str:
            return preview_card(number, targets[slug]) if slug in targets else ""

        return Markup(fill_previews(self.rendering.full().html, card))


@dataclass(frozen=True)
class Connection:
    """A briefing listed under an article: related to it, linking to it, or both."""

    ref: Ref
    related: bool  # the article's sidecar lists it under related
    refers: bool  # it links to the article or lists it as related

    @property
    def label(self) -> str:
        """How the list names the connection."""
        if self.related and self.refers:
            return "Related, and refers to this briefing"
        return "Related" if self.related else "Refers to this briefing"


@dataclass(frozen=True)
class TagRef:
    """A tag as shown on an article: its name, page and number of articles."""

    name: str
    slug: str
    href: str
    count: int


@dataclass(frozen=True)
class TermRef:
    """A link to a glossary entry."""

    key: str
    id: str
    name: str
    href: str


@dataclass(frozen=True)
class NoteView:
    """A numbered context note as it appears beside the article."""

    number: int
    id: str  # "note-3": the id of the sidenote element in the article body
    quote: str
    html: Markup
    sources: tuple[SourceRef, ...]


@dataclass(frozen=True)
class ArticleView:
    """One article page."""

    slug: str
    title: str
    href: str
    abs_url: str
    annotations_href: str  # its notes as W3C Web Annotations (annotations.jsonld)
    date: dt.date | None
    summary_html: Markup
    byline: str
    source: SourceRef | None
    tags: tuple[TagRef, ...]
    body: Body  # body_html and feed_html
    notes: tuple[NoteView, ...]
    connections: tuple[Connection, ...]  # related first (in sidecar order), then referrers
    terms: tuple[TermRef, ...]
    words: int
    reading_minutes: int
    draft: bool

    @property
    def body_html(self) -> Markup:
        """The body as its page shows it, with the preview card of each phrase link."""
        return self.body.page_html()

    @property
    def feed_html(self) -> Markup:
        """The body for feeds: absolute links, notes as endnotes."""
        return self.body.rendering.feed()

    @property
    def ref(self) -> Ref:
        """This article as a link in a list of references."""
        return Ref(self.slug, self.title, self.href, self.date, self.summary_html)

    @property
    def entry(self) -> Entry:
        """This article as a brief in a list."""
        return Entry(
            self.slug, self.title, self.href, self.abs_url, self.date, self.summary_html,
            self.byline, self.source, self.tags, self.reading_minutes, len(self.notes),
            self.draft,
        )  # fmt: skip


@dataclass(frozen=True)
class Entry:
    """An article in a list (front page, tag pages, feed): what a brief shows of it.

    Lists hold entries rather than whole articles, so that editing an article's body
    leaves the lists that show it unchanged.
    """

    slug: str
    title: str
    href: str
    abs_url: str
    date: dt.date | None
    summary_html: Markup
    byline: str
    source: SourceRef | None
    tags: tuple[TagRef, ...]
    reading_minutes: int
    note_count: int
    draft: bool


@dataclass(frozen=True)
class Pager:
    """Where a page of a paginated list stands: its number and its neighbours."""

    number: int  # 1-based
    count: int
    first_href: str
    prev_href: str | None
    next_href: str | None


@dataclass(frozen=True)
class TermView:
    """One glossary entry on the glossary page."""

    key: str
    id: str
    name: str
    href: str
    feed_href: str  # the Atom feed of the briefings that mention it
    aliases: tuple[str, ...]
    definition_html: Markup
    see: tuple[TermRef, ...]
    mentioned_in: tuple[Ref, ...]
    local_to: Ref | None  # the article whose sidecar defines it, for article-local terms


@dataclass(frozen=True)
class DayGroup:
    """Articles of one day on the front page."""

    date: dt.date | None
    articles: tuple[Entry, ...]


@dataclass(frozen=True)
class TagView:
    """One page of a tag's briefings."""

    name: str
    slug: str
    href: str
    feed_href: str
    articles: tuple[Entry, ...]  # on this page
    total: int  # on every page


@dataclass(frozen=True)
class FeedView:
    """A feed of briefings: every one, one tag's, or those mentioning a glossary entry."""

    title: str
    description: str
    url: str  # absolute: the feed itself
    home_url: str  # absolute: the page it follows
    articles: tuple[ArticleView, ...]  # newest first


@dataclass(frozen=True)
class PageInfo:
    """The page being rendered: its kind, title and addresses."""

    kind: str  # index | article | glossary | tag | tags | search | 404 | feed | sitemap
    title: str
    path: str  # output path relative to the build root, e.g. "kharkiv/index.html"
    href: str
    abs_url: str
    pager: Pager | None = None  # for the pages of a paginated list
