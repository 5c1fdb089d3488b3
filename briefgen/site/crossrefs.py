"""Cross-references of a whole site: links, backlinks, tags, term usage, order, checks.

Computed after every article has been rendered (gather first, then link), from each
article's ``signature`` only, so editing an article's body or notes leaves the Index as
it was. Pure.
"""

from __future__ import annotations

import datetime as dt
import difflib
import itertools
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass
from typing import TypeVar

from briefgen.errors import Diagnostic, Location
from briefgen.markdown.renderer import Rendered, Renderer
from briefgen.model import Article, Content, Term
from briefgen.site.views import Ref, TagRef, TermRef
from briefgen.source.config import SiteConfig
from briefgen.source.sidecar import slugify

T = TypeVar("T")
TermKey = tuple[str | None, str]  # (slug of the defining article or None, headword)


Memo = dict[Hashable, tuple[Hashable, object]]  # slot -> (inputs, what they gave)


def remember(memo: Memo, slot: Hashable, inputs: Hashable, compute: Callable[[], T]) -> T:
    """``compute()``, or what it gave last time for equal ``inputs`` in ``slot``.

    Reusing the same objects when nothing changed also makes the next stage's
    comparisons cheap: equal-by-identity tuples compare without looking inside.
    """
    hit = memo.get(slot)
    if hit is not None and (hit[0] is inputs or hit[0] == inputs):
        return hit[1]  # type: ignore[return-value]
    value = compute()
    memo[slot] = (inputs, value)
    return value


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


def listing_key(ref: Ref) -> tuple[int, str, str]:
    """Newest first; undated drafts before everything; then by title, then slug."""
    return (-(ref.date.toordinal() if ref.date else 10**7), ref.title.casefold(), ref.slug)


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
    members: dict[str, dict[str, None]] = defaultdict(dict)  # ordered sets of slugs
    for article in content.articles:
        for tag in article.tags:
            slug = slugify(tag)
            names.setdefault(slug, tag)
            members[slug][article.slug] = None
    refs = {
        slug: TagRef(names[slug], slug, config.href(f"tags/{slug}/"), len(slugs))
        for slug, slugs in sorted(members.items())
    }
    return refs, {slug: list(slugs) for slug, slugs in members.items()}


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
    rank: Mapping[str, int]  # each slug's place in the list of articles, newest first

    def dated(self, slugs: Iterable[str]) -> tuple[Ref, ...]:
        """Refs for ``slugs``, newest first."""
        return tuple(self.refs[s] for s in sorted(slugs, key=self.rank.__getitem__))


@dataclass(frozen=True)
class Index:
    """What the site knows across articles: references, backlinks, tags, term usage, order.

    It depends only on each article's ``signature``, so editing an article's body or
    notes leaves it as it was, and every other article keeps its view.
    """

    links: Links
    mentioned: Mapping[TermKey, list[str]]
    tag_members: Mapping[str, list[str]]
    order: tuple[str, ...]  # slugs as the site lists them: newest first, then by title
    position: Mapping[str, int]  # each slug's place in that order
    problems: tuple[Diagnostic, ...]


def signature(article: Article, result: Rendered) -> Hashable:
    """What the site's Index takes from one article: not its body, notes or byline."""
    return (
        article.slug, article.path, article.sidecar_path, article.title, result.heading,
        article.date, article.summary, article.tags, article.terms,
        tuple((link.to, link.to_location) for link in article.links), article.related,
        result.links, result.mentions,
    )  # fmt: skip


def make_index(
    config: SiteConfig, content: Content, rendered: Mapping[str, Rendered], renderer: Renderer
) -> Index:
    """Cross-references of the whole site, checked."""
    refs = {}
    for a in content.articles:
        title = a.title or rendered[a.slug].heading or a.slug
        summary = renderer.render_inline(a.summary)
        refs[a.slug] = Ref(a.slug, title, config.href(f"{a.slug}/"), a.date, summary)
    ids = term_ids(content)
    glossary_href = config.href("glossary/")
    term_refs = {
        key: TermRef(term.key, ids[key], term.name, f"{glossary_href}#{ids[key]}")
        for key, term in owned_terms(content)
    }
    tag_refs, tag_members = index_tags(config, content)
    newest_first = sorted(refs, key=lambda s: (-(refs[s].date or dt.date.min).toordinal(), s))
    rank = {slug: n for n, slug in enumerate(newest_first)}
    links = Links(refs, tag_refs, term_refs, find_backlinks(content, rendered), rank)
    mentioned = find_mentions(content, rendered)
    order = sorted(refs, key=lambda s: listing_key(refs[s]))
    position = {slug: n for n, slug in enumerate(order)}
    problems = check_references(content.articles, rendered) + check_usage(content, mentioned)
    return Index(links, mentioned, tag_members, tuple(order), position, tuple(problems))
