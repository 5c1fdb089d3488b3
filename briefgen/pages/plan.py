"""Every page of the site: its template, output path and variables, in a fixed order; pure.

Paths and links come from the site's URL scheme. Lists (the front page, each tag)
are paginated by site.yaml's ``paginate``. With the build's ``Memo``, the pages of an
unchanged article or list are the same objects as last time, which makes comparing
them with the last build cheap.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from briefgen.memo import Memo
from briefgen.site.model import Site
from briefgen.site.views import (
    ArticleView,
    DayGroup,
    Entry,
    FeedView,
    PageInfo,
    Pager,
    Ref,
    TagRef,
    TagView,
    TermView,
)
from briefgen.urls import Address

FEED_SIZE = 20


@dataclass(frozen=True)
class Page:
    """A page to render: its template, output path and template variables."""

    template: str
    path: str
    info: PageInfo
    context: Mapping[str, Any] = field(default_factory=dict)


def page_info(kind: str, title: str, address: Address, pager: Pager | None = None) -> PageInfo:
    """What a template learns about the page it renders."""
    return PageInfo(kind, title, address.path, address.href, address.url, pager)


def page(template: str, info: PageInfo, **context: Any) -> Page:
    """A page, written where its info says."""
    return Page(template, info.path, info, context)


def paginate(entries: tuple[Entry, ...], size: int) -> list[tuple[Entry, ...]]:
    """Split a list into pages of ``size`` (0: one page); an empty list is one empty page."""
    if size <= 0 or len(entries) <= size:
        return [entries]
    return [entries[i : i + size] for i in range(0, len(entries), size)]


def list_pages(
    site: Site, kind: str, title: str, address: Callable[[int], Address], entries: tuple[Entry, ...]
) -> Iterator[tuple[PageInfo, tuple[Entry, ...]]]:
    """The pages of a paginated list; ``address(n)`` is where its page ``n`` goes."""
    chunks = paginate(entries, site.config.paginate)
    count = len(chunks)
    for n, chunk in enumerate(chunks, 1):
        pager = None
        if count > 1:
            pager = Pager(
                number=n,
                count=count,
                first_href=address(1).href,
                prev_href=address(n - 1).href if n > 1 else None,
                next_href=address(n + 1).href if n < count else None,
            )
        page_title = title if n == 1 else f"{title}, page {n}"
        yield page_info(kind, page_title, address(n), pager), chunk


def article_page(site: Site, article: ArticleView) -> Page:
    """An article's page."""
    info = page_info("article", article.title, site.urls.article(article.slug))
    return page("article.html", info, article=article)


def front_pages(site: Site) -> tuple[Page, ...]:
    """The front page and its further pages, grouped by day."""
    pages = []
    for info, chunk in list_pages(site, "index", site.config.title, site.urls.front, site.entries):
        days = tuple(
            DayGroup(date, tuple(group))
            for date, group in itertools.groupby(chunk, key=lambda e: e.date)
        )
        pages.append(page("index.html", info, days=days))
    return tuple(pages)


def tag_pages(site: Site, ref: TagRef, entries: tuple[Entry, ...]) -> tuple[Page, ...]:
    """The pages of one tag."""
    pages = []

    def address(n: int) -> Address:
        return site.urls.tag(ref.slug, n)

    feed = site.urls.tag_feed(ref.slug).href
    for info, chunk in list_pages(site, "tag", f"Tagged {ref.name}", address, entries):
        tag = TagView(ref.name, ref.slug, ref.href, feed, chunk, len(entries))
        pages.append(page("tag.html", info, tag=tag))
    return tuple(pages)


def feed_pages(site: Site, feed: FeedView, address: Address, json: Address | None) -> list[Page]:
    """A feed in Atom, and in JSON Feed when ``json`` says where."""
    pages = [page("feed.xml", page_info("feed", feed.title, address), feed=feed)]
    if json is not None:
        pages.append(page("feed.json", page_info("feed", feed.title, json), feed=feed))
    return pages


def newest(site: Site, listed: Iterable[Entry | Ref]) -> tuple[ArticleView, ...]:
    """The newest briefings of a list already in the order of every list (a tag's
    entries, a term's mentions), as many as a feed carries: the first of them, so that a
    feed costs its own size, not the site's."""
    slugs: dict[str, None] = {}
    for item in listed:
        if len(slugs) == FEED_SIZE:
            break
        slugs[item.slug] = None
    return tuple(site.views[slug] for slug in slugs)


def tag_feed(site: Site, ref: TagRef, articles: tuple[ArticleView, ...]) -> list[Page]:
    """The Atom feed of one tag, carrying ``articles``, its newest."""
    urls, config = site.urls, site.config
    address = urls.tag_feed(ref.slug)
    title = f"{config.title}: {ref.name}"
    feed = FeedView(
        title, f"Briefings tagged {ref.name}.", address.url, urls.tag(ref.slug).url, articles
    )
    return feed_pages(site, feed, address, None)


def term_feed(site: Site, term: TermView, articles: tuple[ArticleView, ...]) -> list[Page]:
    """The Atom feed of the briefings that mention a glossary entry: ``articles``, its
    newest."""
    urls, config = site.urls, site.config
    address = urls.term_feed((term.local_to.slug if term.local_to else None, term.key))
    home = f"{urls.glossary.url}#{term.id}"
    description = f"Briefings that mention {term.name or term.key}."
    feed = FeedView(f"{config.title}: {term.key}", description, address.url, home, articles)
    return feed_pages(site, feed, address, None)


def by_letter(terms: tuple[TermView, ...]) -> tuple[tuple[str, tuple[TermView, ...]], ...]:
    """The glossary's terms by the capital of their first letter ("#" for a digit or a
    sign): sorted by key as Jinja2's ``sort`` does (ignoring case), letters in the order
    they first appear. One pass, where a template filtering every term for every letter
    makes a 5,000-term glossary page cost as much as all the feeds."""
    groups: dict[str, list[TermView]] = {}
    for term in sorted(terms, key=lambda term: term.key.lower()):
        first = term.key[:1].upper()
        groups.setdefault(first if first.isalpha() else "#", []).append(term)
    return tuple((letter, tuple(group)) for letter, group in groups.items())


def sitemap(site: Site) -> Page:
    """Every page a search engine should know, with the date of its newest briefing."""
    urls = site.urls
    listed = [(urls.front().url, site.updated)]
    listed += [(a.abs_url, a.date) for a in site.articles]
    listed += [(urls.glossary.url, site.updated), (urls.tags.url, site.updated)]
    for ref, entries in site.tags:
        dates = [e.date for e in entries if e.date]
        listed.append((urls.tag(ref.slug).url, max(dates, default=None)))
    return page("sitemap.xml", page_info("sitemap", "", urls.sitemap), urls=tuple(listed))


def plan_pages(site: Site, memo: Memo) -> Iterator[Page]:
    """Every page of the site, in a fixed order."""
    urls, config = site.urls, site.config
    yield from memo.get("front", (site.entries, config, urls), lambda: front_pages(site))
    views = site.views
    yield from memo.map(
        "article page",
        {article.slug: (article, urls) for article in site.articles},
        lambda slugs: [article_page(site, views[slug]) for slug in slugs],
    ).values()
    info = page_info("glossary", "Glossary", urls.glossary)
    yield page("glossary.html", info, terms=site.terms, letters=by_letter(site.terms))
    yield page("tags.html", page_info("tags", "Tags", urls.tags), tags=site.tag_refs)
    for ref, entries in site.tags:
        inputs = (ref, entries, config, urls)
        yield from memo.get(("tag", ref.slug), inputs, partial(tag_pages, site, ref, entries))
    if config.search:
        yield page("search.html", page_info("search", "Search", urls.search))
    yield page("404.html", page_info("404", "Page not found", urls.not_found))
    home = FeedView(
        config.title, config.description, urls.feed.url, urls.front().url,
        site.articles[:FEED_SIZE],
    )  # fmt: skip
    yield from feed_pages(site, home, urls.feed, urls.json_feed)
    for ref, entries in site.tags:
        articles = newest(site, entries)
        yield from memo.get(("tag feed", ref.slug), (ref, articles, config, urls),
                            partial(tag_feed, site, ref, articles))  # fmt: skip
    for term in site.terms:
        if term.mentioned_in:
            articles = newest(site, term.mentioned_in)
            yield from memo.get(("term feed", term.id), (term, articles, config, urls),
                                partial(term_feed, site, term, articles))  # fmt: skip
    listed = (site.articles, site.tags, site.updated, urls)  # views kept while unchanged
    yield memo.get("sitemap", listed, partial(sitemap, site))
