"""The site model: the views templates see, made from rendered articles and the Index.

Gather first, then link: the cross-references (``briefgen.site.crossrefs``) are computed
after every article has been rendered, never patched in during the loop. Pure, but for
the build's ``Memo``, which keeps each view while what it shows is unchanged.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import partial
from typing import TypeVar

from markupsafe import Markup

from briefgen.markdown.renderer import Rendered, Renderer
from briefgen.memo import Memo, Same
from briefgen.model import Article, Content, Term, TermKey
from briefgen.site.crossrefs import Index, Links
from briefgen.site.views import (
    ArticleView,
    Body,
    Connection,
    Entry,
    NoteView,
    Ref,
    TagRef,
    TermRef,
    TermView,
)
from briefgen.source.config import SiteConfig
from briefgen.urls import UrlScheme, segment

WORDS_PER_MINUTE = 230
K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


@dataclass(frozen=True)
class Site:
    """Everything the pages show, indexed."""

    config: SiteConfig
    urls: UrlScheme
    articles: tuple[ArticleView, ...]  # newest first
    views: Mapping[str, ArticleView]  # the same, by slug
    entries: tuple[Entry, ...]  # the same, as briefs in lists
    tags: tuple[tuple[TagRef, tuple[Entry, ...]], ...]  # each tag with its briefs, newest first
    terms: tuple[TermView, ...]
    updated: dt.date | None

    @property
    def tag_refs(self) -> tuple[TagRef, ...]:
        """Every tag, by slug."""
        return tuple(ref for ref, _ in self.tags)


def connections(related: tuple[Ref, ...], referrers: tuple[Ref, ...]) -> tuple[Connection, ...]:
    """Related briefings, then those that refer to the article; each listed once."""
    referring = {ref.slug for ref in referrers}
    listed = {ref.slug for ref in related}
    both = [Connection(ref, True, ref.slug in referring) for ref in related]
    return (*both, *(Connection(ref, False, True) for ref in referrers if ref.slug not in listed))


ViewInputs = tuple[
    UrlScheme, Article, Rendered, Ref, tuple[Ref, ...], tuple[Ref, ...], tuple[TagRef, ...],
    tuple[TermRef, ...], Mapping[str, Ref],
]  # fmt: skip


def make_article_view(
    urls: UrlScheme,
    article: Article,
    result: Rendered,
    ref: Ref,
    related: tuple[Ref, ...],
    backlinks: tuple[Ref, ...],
    tags: tuple[TagRef, ...],
    terms: tuple[TermRef, ...],
    targets: Mapping[str, Ref],
) -> ArticleView:
    """One article page's view, from everything it links to."""
    words = result.words
    sidecar = article.sidecar
    return ArticleView(
        slug=article.slug,
        title=ref.title,
        href=ref.href,
        abs_url=urls.article(article.slug).url,
        annotations_href=urls.annotations(article.slug).href,
        date=sidecar.date,
        summary_html=ref.summary_html,
        byline=sidecar.byline,
        source=sidecar.source,
        tags=tags,
        body=Body(result, tuple(targets.items())),
        notes=tuple(
            NoteView(n.number, f"note-{n.number}", n.note.anchor.quote, n.html, n.note.sources)
            for n in result.notes
        ),
        connections=connections(related, backlinks),
        terms=terms,
        words=words,
        reading_minutes=max(1, round(words / WORDS_PER_MINUTE)),
        draft=sidecar.draft,
    )


def view_inputs(urls: UrlScheme, article: Article, result: Rendered, links: Links) -> ViewInputs:
    """Everything one article page's view shows, looked up in the site's links."""
    sidecar = article.sidecar
    local = {t.key for t in sidecar.terms}
    related = tuple(links.refs[s] for s, _ in sidecar.related if s in links.refs)
    backlinks = links.listed(links.backlinks[article.slug])
    tags = tuple(links.tags[segment(t)] for t in sidecar.tags)
    terms = tuple(links.terms[(article.slug if k in local else None, k)] for k in result.mentions)
    targets = {slug: links.refs[slug] for slug in result.links if slug in links.refs}
    ref = links.refs[article.slug]
    return (urls, article, result, ref, related, backlinks, tags, terms, targets)


def term_view(
    urls: UrlScheme,
    key: TermKey,
    term: Term,
    definition: Markup,
    links: Links,
    mentioned: Mapping[TermKey, list[str]],
) -> TermView:
    """One glossary entry's view; see-also prefers the article's own terms."""
    ref = links.terms[key]
    owner = key[0]
    see = []
    for target, _ in term.see:
        found = links.terms.get((owner, target)) or links.terms.get((None, target))
        if found is not None:
            see.append(found)
    return TermView(
        key=term.key,
        id=ref.id,
        name=term.name,
        href=ref.href,
        feed_href=urls.term_feed(key).href,
        aliases=term.aliases,
        definition_html=definition,
        see=tuple(see),
        mentioned_in=links.listed(mentioned.get(key, ())),
        local_to=links.refs.get(owner) if owner else None,
    )


def term_views(
    urls: UrlScheme,
    owned: list[tuple[TermKey, Term]],
    definitions: Mapping[TermKey, Markup],
    index: Index,
) -> tuple[TermView, ...]:
    """Every glossary entry's view, by name."""
    views = (
        term_view(urls, key, term, definitions[key], index.links, index.mentioned)
        for key, term in owned
    )
    return tuple(sorted(views, key=lambda v: (v.name.casefold(), v.id)))


def tag_lists(
    index: Index, entries: tuple[Entry, ...]
) -> tuple[tuple[TagRef, tuple[Entry, ...]], ...]:
    """Each tag with its briefs, in the order of every list."""
    by_slug = {e.slug: e for e in entries}
    position = index.links.position
    return tuple(
        (ref, tuple(by_slug[s] for s in sorted(index.tag_members[slug], key=position.__getitem__)))
        for slug, ref in index.links.tags.items()
    )


def make_site(
    config: SiteConfig,
    urls: UrlScheme,
    content: Content,
    rendered: Mapping[str, Rendered],
    index: Index,
    renderer: Renderer,
    memo: Memo,
) -> Site:
    """Build the site model from loaded content, rendered articles and their Index.

    An article keeps its view, and a list its briefs, while what they show is unchanged.
    """
    articles_by_slug = {a.slug: a for a in content.articles}
    links = stable_links(index.links, memo)

    def make_views(slugs: Sequence[str]) -> list[ArticleView]:
        missed.update(slugs)
        inputs = {s: view_inputs(urls, articles_by_slug[s], rendered[s], links) for s in slugs}
        made = memo.map("view", inputs, lambda keys: [make_article_view(*inputs[k]) for k in keys])
        return list(made.values())

    # What a view shows can change only when its article, its rendering or the Index
    # does: while all three are the objects of the last build, the view is looked up
    # in one step; else each part it shows is compared (``view_inputs``), and the view
    # is made again only when one of them changed.
    missed: set[str] = set()
    same_index = Same(index)
    views = memo.map(
        "view of",
        {a.slug: (urls, same_index, a, rendered[a.slug]) for a in content.articles},
        make_views,
    )
    memo.carry("view", (slug for slug in views if slug not in missed))
    articles = tuple(views[slug] for slug in index.order)
    by_entry = memo.map("entry", {v.slug: v for v in articles}, entries_of(views))
    entries = tuple(by_entry.values())
    tags = memo.get("tags", (index, entries), lambda: tag_lists(index, entries))
    owned = content.owned_terms()
    terms_by_key = dict(owned)
    definitions = memo.map(
        "definition",
        {key: (renderer, term.definition) for key, term in owned},
        lambda keys: [renderer.render_block(terms_by_key[key].definition) for key in keys],
    )
    inputs = (urls, index, owned, definitions)
    terms = memo.get("terms", inputs, partial(term_views, urls, owned, definitions, index))
    updated = max((a.date for a in articles if a.date), default=None)
    return Site(config, urls, articles, views, entries, tags, terms, updated)


def stable_links(links: Links, memo: Memo) -> Links:
    """``links`` with each reference that equals the last build's being the last build's
    object: a new Index (a title edited) makes new ones for the whole site, and each
    view compares those it shows with an identity test instead of field by field."""

    def same(stage: str, new: Mapping[K, V]) -> dict[K, V]:
        return memo.map(stage, new, lambda keys: [new[key] for key in keys])

    refs, tags, terms = (
        same("ref", links.refs),
        same("tag ref", links.tags),
        same("term ref", links.terms),
    )
    return replace(links, refs=refs, tags=tags, terms=terms)


def entries_of(views: Mapping[str, ArticleView]) -> Callable[[Sequence[str]], list[Entry]]:
    """The briefs in lists of the article pages ``slugs`` (from their ``views``)."""
    return lambda slugs: [views[slug].entry for slug in slugs]
