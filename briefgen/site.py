"""The site model: every article rendered, then indexes, backlinks and glossary usage.

Gather first, then link: backlinks and "mentioned in" lists are computed here, after
every article has been rendered, never patched in during the loop. Pure.
"""

from __future__ import annotations

import datetime as dt
import difflib
import itertools
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from briefgen.config import SiteConfig
from briefgen.errors import Diagnostic, Location
from briefgen.markdown import Rendered, Renderer
from briefgen.model import Article, Content, Term
from briefgen.sidecar import slugify
from briefgen.views import (
    ArticleView,
    DayGroup,
    NoteView,
    Ref,
    TagRef,
    TagView,
    TermRef,
    TermView,
)

WORDS_PER_MINUTE = 230
TermKey = tuple[str | None, str]  # (slug of the defining article or None, headword)


@dataclass(frozen=True)
class Site:
    """Everything the pages show, indexed."""

    config: SiteConfig
    articles: tuple[ArticleView, ...]  # newest first
    days: tuple[DayGroup, ...]
    tags: tuple[TagView, ...]
    tag_refs: tuple[TagRef, ...]
    terms: tuple[TermView, ...]
    updated: dt.date | None


def term_ids(content: Content) -> dict[TermKey, str]:
    """A unique fragment id for every glossary entry, site-wide and article-local."""
    ids: dict[TermKey, str] = {}
    used: set[str] = set()
    for (owner, key), term in owned_terms(content):
        base = term.id if owner is None else f"{owner}-{term.id}"
        candidate = base
        for n in itertools.count(2):
            if candidate not in used:
                break
            candidate = f"{base}-{n}"
        used.add(candidate)
        ids[(owner, key)] = candidate
    return ids


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


def sort_key(article: ArticleView) -> tuple[int, str]:
    """Newest first; undated drafts before everything; then by title."""
    return (-(article.date.toordinal() if article.date else 10**7), article.title.casefold())


def closest(word: str, choices: list[str]) -> str:
    """A did-you-mean fix for an unknown slug."""
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.5)
    return f"did you mean '{close[0]}'?" if close else "check the slug (the article's file name)"


def check_references(
    articles: tuple[Article, ...], rendered: Mapping[str, Rendered]
) -> list[Diagnostic]:
    """Phrase-link targets and related slugs name existing articles, never the article itself."""
    slugs = sorted(a.slug for a in articles)
    known = set(slugs)
    problems = []
    for article in articles:
        targets = [(link.to, link.to_location, "LNK001", "link") for link in article.links]
        targets += [(slug, loc, "LNK002", "related") for slug, loc in article.related]
        for slug, loc, code, what in targets:
            if slug == article.slug:
                problems.append(
                    Diagnostic(loc, code, f"{what} points to the article itself", "remove it")
                )
            elif slug not in known:
                problems.append(
                    Diagnostic(
                        loc, code, f"{what} to unknown article '{slug}'", closest(slug, slugs)
                    )
                )
        if not article.title and not rendered[article.slug].heading:
            fix = "add 'title: ...' to the sidecar or start the article with its headline"
            problems.append(
                Diagnostic(
                    Location(article.sidecar_path or article.path, 1, 1),
                    "SC005",
                    f"{article.path} has no title",
                    fix,
                )
            )
    return problems


def owned_terms(content: Content) -> list[tuple[TermKey, Term]]:
    """Every glossary entry with its key: site terms first, then article-local ones."""
    entries: list[tuple[TermKey, Term]] = [((None, t.key), t) for t in content.glossary]
    entries += [((a.slug, t.key), t) for a in content.articles for t in a.terms]
    return entries


def find_mentions(content: Content, rendered: Mapping[str, Rendered]) -> dict[TermKey, list[str]]:
    """For each term, the slugs of the articles that really mention it."""
    mentioned: dict[TermKey, list[str]] = defaultdict(list)
    for article in content.articles:
        local = {t.key for t in article.terms}
        for key in rendered[article.slug].mentions:
            mentioned[(article.slug if key in local else None, key)].append(article.slug)
    return mentioned


def find_backlinks(content: Content, rendered: Mapping[str, Rendered]) -> dict[str, set[str]]:
    """For each article, the slugs of the articles that link to it or list it as related."""
    known = {a.slug for a in content.articles}
    backlinks: dict[str, set[str]] = defaultdict(set)
    for article in content.articles:
        for target in (*rendered[article.slug].links, *(s for s, _ in article.related)):
            if target in known and target != article.slug:
                backlinks[target].add(article.slug)
    return backlinks


def index_tags(
    config: SiteConfig, content: Content
) -> tuple[dict[str, TagRef], dict[str, list[str]]]:
    """Tags by slug, and their articles; a tag's name is the first spelling met."""
    names: dict[str, str] = {}
    members: dict[str, list[str]] = defaultdict(list)
    for article in content.articles:
        for tag in article.tags:
            slug = slugify(tag)
            names.setdefault(slug, tag)
            if article.slug not in members[slug]:
                members[slug].append(article.slug)
    refs = {
        slug: TagRef(names[slug], slug, config.href(f"tags/{slug}/"), len(slugs))
        for slug, slugs in sorted(members.items())
    }
    return refs, members


def check_usage(content: Content, mentioned: Mapping[TermKey, list[str]]) -> list[Diagnostic]:
    """Warnings: glossary entries that no article mentions, articles without a summary."""
    warnings = [
        Diagnostic(term.location, "TRM005", f"term '{key[1]}' is not mentioned in any article",
                   "remove it, or add an alias that the articles use", severity="warning")
        for key, term in owned_terms(content)
        if not mentioned.get(key)
    ]  # fmt: skip
    warnings += [
        Diagnostic(Location(a.sidecar_path or a.path, 1, 1), "SC006", f"{a.slug} has no summary",
                   "add 'summary: ...': the front page, feed and search show it",
                   severity="warning")
        for a in content.articles
        if not a.summary
    ]  # fmt: skip
    return warnings


@dataclass(frozen=True)
class Links:
    """Everything an article page links to, resolved once for the whole site."""

    refs: Mapping[str, Ref]
    tags: Mapping[str, TagRef]
    terms: Mapping[TermKey, TermRef]
    backlinks: Mapping[str, set[str]]

    def dated(self, slugs: Iterable[str]) -> tuple[Ref, ...]:
        """Refs for ``slugs``, newest first."""
        ordered = sorted(slugs, key=lambda s: (-(self.refs[s].date or dt.date.min).toordinal(), s))
        return tuple(self.refs[s] for s in ordered)


def article_view(
    config: SiteConfig, article: Article, result: Rendered, links: Links
) -> ArticleView:
    """One article page's view."""
    ref = links.refs[article.slug]
    local = {t.key for t in article.terms}
    words = len(result.text.split())
    return ArticleView(
        slug=article.slug,
        title=ref.title,
        href=ref.href,
        abs_url=config.abs_url(f"{article.slug}/"),
        date=article.date,
        summary_html=ref.summary_html,
        byline=article.byline,
        source=article.source,
        tags=tuple(links.tags[slugify(t)] for t in article.tags),
        body_html=result.html,
        notes=tuple(
            NoteView(n.number, f"note-{n.number}", n.note.anchor.quote, n.html, n.note.sources)
            for n in result.notes
        ),
        related=tuple(links.refs[s] for s, _ in article.related if s in links.refs),
        backlinks=links.dated(links.backlinks[article.slug]),
        terms=tuple(
            links.terms[(article.slug if k in local else None, k)] for k in result.mentions
        ),
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


def make_site(
    config: SiteConfig, content: Content, rendered: Mapping[str, Rendered], renderer: Renderer
) -> tuple[Site, list[Diagnostic]]:
    """Build the site model from loaded content and rendered articles."""
    refs = {
        a.slug: Ref(
            a.slug,
            a.title or rendered[a.slug].heading or a.slug,
            config.href(f"{a.slug}/"),
            a.date,
            renderer.render_inline(a.summary),
        )
        for a in content.articles
    }
    ids = term_ids(content)
    glossary_href = config.href("glossary/")
    term_refs = {
        key: TermRef(term.key, ids[key], term.name, f"{glossary_href}#{ids[key]}")
        for key, term in owned_terms(content)
    }
    tag_refs, tag_members = index_tags(config, content)
    links = Links(refs, tag_refs, term_refs, find_backlinks(content, rendered))
    mentioned = find_mentions(content, rendered)

    views = [article_view(config, a, rendered[a.slug], links) for a in content.articles]
    articles = tuple(sorted(views, key=sort_key))
    by_slug = {v.slug: v for v in articles}
    days = tuple(
        DayGroup(date, tuple(group))
        for date, group in itertools.groupby(articles, key=lambda v: v.date)
    )
    tags = tuple(
        TagView(ref.name, ref.slug, ref.href,
                tuple(sorted((by_slug[s] for s in tag_members[slug]), key=sort_key)))
        for slug, ref in tag_refs.items()
    )  # fmt: skip
    terms = tuple(
        sorted(
            (
                term_view(key, term, links, mentioned, renderer)
                for key, term in owned_terms(content)
            ),
            key=lambda v: (v.name.casefold(), v.id),
        )
    )
    updated = max((a.date for a in articles if a.date), default=None)
    site = Site(config, articles, days, tags, tuple(tag_refs.values()), terms, updated)
    problems = check_references(content.articles, rendered) + check_usage(content, mentioned)
    return site, problems
