"""The site model: the views templates see, made from rendered articles and the Index.

Gather first, then link: the cross-references (briefgen.site.crossrefs) are computed after
every article has been rendered, never patched in during the loop. Pure.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial

from briefgen.errors import Diagnostic
from briefgen.markdown.renderer import Rendered, Renderer
from briefgen.model import Article, Content, Term
from briefgen.site.crossrefs import (
    Links,
    Memo,
    TermKey,
    make_index,
    owned_terms,
    remember,
    signature,
    term_ids,
)
from briefgen.site.views import (
    ArticleView,
    Entry,
    NoteView,
    Ref,
    TagRef,
    TermRef,
    TermView,
)
from briefgen.source.config import SiteConfig
from briefgen.source.sidecar import slugify

WORDS_PER_MINUTE = 230


@dataclass(frozen=True)
class Site:
    """Everything the pages show, indexed."""

    config: SiteConfig
    articles: tuple[ArticleView, ...]  # newest first
    entries: tuple[Entry, ...]  # the same, as briefs in lists
    tags: tuple[tuple[TagRef, tuple[Entry, ...]], ...]  # each tag with its briefs, newest first
    terms: tuple[TermView, ...]
    updated: dt.date | None

    @property
    def tag_refs(self) -> tuple[TagRef, ...]:
        """Every tag, by slug."""
        return tuple(ref for ref, _ in self.tags)


def make_renderer(config: SiteConfig, content: Content) -> Renderer:
    """The Markdown renderer for this site, with its glossary and URL scheme."""
    ids = term_ids(content)

    def term_href(term: Term) -> str:
        return config.href("glossary/") + "#" + ids[(term.local_to, term.key)]

    def article_href(slug: str) -> str:
        return config.href(f"{slug}/")

    return Renderer(
        content.glossary,
        term_link=config.term_link,
        article_href=article_href,
        term_href=term_href,
    )


def article_view(
    config: SiteConfig, article: Article, result: Rendered, links: Links, memo: Memo
) -> ArticleView:
    """One article page's view, made again only when what it shows changed."""
    local = {t.key for t in article.terms}
    related = tuple(links.refs[s] for s, _ in article.related if s in links.refs)
    backlinks = links.dated(links.backlinks[article.slug])
    tags = tuple(links.tags[slugify(t)] for t in article.tags)
    terms = tuple(links.terms[(article.slug if k in local else None, k)] for k in result.mentions)
    inputs = (config, article, result, links.refs[article.slug], related, backlinks, tags, terms)
    return remember(
        memo,
        ("view", article.slug),
        inputs,
        lambda: make_article_view(config, article, result, *inputs[3:]),
    )


def make_article_view(
    config: SiteConfig,
    article: Article,
    result: Rendered,
    ref: Ref,
    related: tuple[Ref, ...],
    backlinks: tuple[Ref, ...],
    tags: tuple[TagRef, ...],
    terms: tuple[TermRef, ...],
) -> ArticleView:
    """One article page's view, from everything it links to."""
    words = result.words
    return ArticleView(
        slug=article.slug,
        title=ref.title,
        href=ref.href,
        abs_url=config.abs_url(f"{article.slug}/"),
        date=article.date,
        summary_html=ref.summary_html,
        byline=article.byline,
        source=article.source,
        tags=tags,
        body_html=result.html,
        notes=tuple(
            NoteView(n.number, f"note-{n.number}", n.note.anchor.quote, n.html, n.note.sources)
            for n in result.notes
        ),
        related=related,
        backlinks=backlinks,
        terms=terms,
        words=words,
        reading_minutes=max(1, round(words / WORDS_PER_MINUTE)),
        draft=article.draft,
    )


def term_view(
    key: TermKey,
    term: Term,
    links: Links,
    mentioned: Mapping[TermKey, list[str]],
    renderer: Renderer,
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
        aliases=term.aliases,
        definition_html=renderer.render_block(term.definition),
        see=tuple(see),
        mentioned_in=links.dated(mentioned.get(key, ())),
        local_to=links.refs.get(owner) if owner else None,
    )


def entry_of(view: ArticleView) -> Entry:
    """An article page's view as a brief in lists."""
    return view.entry


def make_site(
    config: SiteConfig,
    content: Content,
    rendered: Mapping[str, Rendered],
    renderer: Renderer,
    memo: Memo | None = None,
) -> tuple[Site, list[Diagnostic]]:
    """Build the site model from loaded content and rendered articles.

    With a ``memo`` kept between rebuilds, the Index is made again only when an
    article's signature changed, and an article keeps its view while its own inputs
    and the Index are unchanged.
    """
    memo = {} if memo is None else memo
    signatures = tuple(
        remember(memo, ("signature", a.slug), (a, rendered[a.slug]),
                 partial(signature, a, rendered[a.slug]))
        for a in content.articles
    )  # fmt: skip
    index = remember(
        memo,
        "index",
        (config, content.glossary, signatures),
        partial(make_index, config, content, rendered, renderer),
    )
    views = {
        a.slug: remember(
            memo,
            ("view of", a.slug),
            (index, a, rendered[a.slug]),
            partial(article_view, config, a, rendered[a.slug], index.links, memo),
        )
        for a in content.articles
    }
    articles = tuple(views[slug] for slug in index.order)
    entries = tuple(remember(memo, ("entry", a.slug), a, partial(entry_of, a)) for a in articles)
    by_slug = {e.slug: e for e in entries}
    tags = remember(
        memo,
        "tags",
        (index, entries),
        lambda: tuple(
            (ref, tuple(by_slug[s] for s in sorted(index.tag_members[slug],
                                                   key=index.position.__getitem__)))
            for slug, ref in index.links.tags.items()
        ),
    )  # fmt: skip
    terms = remember(
        memo,
        "terms",
        (index, content.glossary),
        lambda: tuple(
            sorted(
                (
                    term_view(key, term, index.links, index.mentioned, renderer)
                    for key, term in owned_terms(content)
                ),
                key=lambda v: (v.name.casefold(), v.id),
            )
        ),
    )
    updated = max((a.date for a in articles if a.date), default=None)
    site = Site(config, articles, entries, tags, terms, updated)
    return site, list(index.problems)
