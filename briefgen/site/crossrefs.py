"""Cross-references of a whole site: links, backlinks, tags, term usage, order, checks.

Computed after every article has been rendered (gather first, then link), from each
article's ``signature`` only, so editing an article's body or a note's text leaves the
Index as it was. Pure.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass

from briefgen.errors import Diagnostic, Location, did_you_mean
from briefgen.markdown.renderer import Rendered
from briefgen.model import Article, Content, TermKey
from briefgen.site.views import Ref, TagRef, TermRef
from briefgen.urls import UrlScheme, segment

UNDATED = 10**7  # sorts an undated draft before every date: it is being written now


def newest_first(ref: Ref) -> tuple[int, str, str]:
    """The order of every list of briefings: newest first, undated drafts before
    everything; then by title, then slug."""
    return (-(ref.date.toordinal() if ref.date else UNDATED), ref.title.casefold(), ref.slug)


def check_references(content: Content, rendered: Mapping[str, Rendered]) -> list[Diagnostic]:
    """Phrase-link targets and related slugs name existing articles, never the article itself.

    An article that could not be loaded is known all the same (its own problem is
    reported); a draft left out of the build is named as one (LNK003).
    """
    slugs = sorted(a.slug for a in content.articles)
    known = set(slugs) | content.unloaded
    problems = []
    for article in content.articles:
        sidecar = article.sidecar
        targets = [(link.to, link.to_location, "LNK001", "link") for link in sidecar.links]
        targets += [(slug, loc, "LNK002", "related") for slug, loc in sidecar.related]
        for slug, loc, code, what in targets:
            if slug == article.slug:
                problems.append(
                    Diagnostic(loc, code, f"{what} points to the article itself", "remove it")
                )
            elif slug in content.drafts:
                message = f"{what} to '{slug}', a draft: drafts are built only with --drafts"
                remove = "the link" if what == "link" else "it from related"
                fix = f"build with --drafts, or remove {remove} until '{slug}' is published"
                problems.append(Diagnostic(loc, "LNK003", message, fix))
            elif slug not in known:
                fix = did_you_mean(
                    slug, slugs, "check the slug (the article's file name)", cutoff=0.5
                )
                problems.append(Diagnostic(loc, code, f"{what} to unknown article '{slug}'", fix))
        if not sidecar.title and not rendered[article.slug].heading:
            fix = "add 'title: ...' to the sidecar or start the article with its headline"
            problems.append(
                Diagnostic(
                    Location(sidecar.path, 1, 1), "SC005", f"{article.path} has no title", fix
                )
            )
    return problems


def find_mentions(content: Content, rendered: Mapping[str, Rendered]) -> dict[TermKey, list[str]]:
    """For each term, the slugs of the articles that really mention it."""
    mentioned: dict[TermKey, list[str]] = defaultdict(list)
    for article in content.articles:
        local = {t.key for t in article.sidecar.terms}
        for key in rendered[article.slug].mentions:
            mentioned[(article.slug if key in local else None, key)].append(article.slug)
    return mentioned


def find_backlinks(content: Content, rendered: Mapping[str, Rendered]) -> dict[str, set[str]]:
    """For each article, the slugs of the articles that link to it or list it as related."""
    known = {a.slug for a in content.articles}
    backlinks: dict[str, set[str]] = defaultdict(set)
    for article in content.articles:
        related = (s for s, _ in article.sidecar.related)
        for target in (*rendered[article.slug].links, *related):
            if target in known and target != article.slug:
                backlinks[target].add(article.slug)
    return backlinks


def index_tags(urls: UrlScheme, content: Content) -> tuple[dict[str, TagRef], dict[str, list[str]]]:
    """Tags by slug, and their articles; a tag's name is the first spelling met."""
    names: dict[str, str] = {}
    members: dict[str, dict[str, None]] = defaultdict(dict)  # ordered sets of slugs
    for article in content.articles:
        for tag in article.sidecar.tags:
            slug = segment(tag)
            names.setdefault(slug, tag)
            members[slug][article.slug] = None
    refs = {
        slug: TagRef(names[slug], slug, urls.tag(slug).href, len(slugs))
        for slug, slugs in sorted(members.items())
    }
    return refs, {slug: list(slugs) for slug, slugs in members.items()}


def check_usage(content: Content, mentioned: Mapping[TermKey, list[str]]) -> list[Diagnostic]:
    """Warnings: glossary entries no article mentions, articles without a summary, notes
    without sources."""
    warnings = [
        Diagnostic(term.location, "TRM005", f"term '{key[1]}' is not mentioned in any article",
                   "remove it, or add an alias that the articles use", severity="warning")
        for key, term in content.owned_terms()
        if not mentioned.get(key)
    ]  # fmt: skip
    warnings += [
        Diagnostic(Location(a.sidecar.path, a.sidecar.title_location.line or 1, 1), "SC006",
                   f"{a.slug} has no summary",
                   "add 'summary: ...': the front page, feed and search show it",
                   severity="warning")
        for a in content.articles
        if not a.sidecar.summary
    ]  # fmt: skip
    warnings += [
        Diagnostic(note.anchor.location, "SC008", f'the note on "{note.anchor.quote}" has no '
                   "sources", "add 'sources:' with the title and url of where its facts come "
                   "from", severity="warning")
        for a in content.articles
        for note in a.sidecar.notes
        if not note.sources
    ]  # fmt: skip
    return warnings


@dataclass(frozen=True)
class Links:
    """Everything an article page links to, resolved once for the whole site."""

    refs: Mapping[str, Ref]
    tags: Mapping[str, TagRef]
    terms: Mapping[TermKey, TermRef]
    backlinks: Mapping[str, set[str]]
    position: Mapping[str, int]  # each slug's place in the list of briefings

    def listed(self, slugs: Iterable[str]) -> tuple[Ref, ...]:
        """Refs for ``slugs``, in the order of every list (``newest_first``)."""
        return tuple(self.refs[s] for s in sorted(slugs, key=self.position.__getitem__))


@dataclass(frozen=True)
class Index:
    """What the site knows across articles: references, backlinks, tags, term usage, order.

    It depends only on each article's ``signature``, so editing an article's body or a
    note's text leaves it as it was, and every other article keeps its view.
    """

    links: Links
    mentioned: Mapping[TermKey, list[str]]
    tag_members: Mapping[str, list[str]]
    order: tuple[str, ...]  # slugs as the site lists them (``newest_first``)
    # its problems by file, each file's in the order found: a rebuild quotes their
    # source lines again only for the files whose text changed
    problems: Mapping[str, tuple[Diagnostic, ...]]


def title_of(article: Article, result: Rendered) -> str:
    """An article's title: the sidecar's, else its first heading or line, else its slug."""
    return article.sidecar.title or result.heading or article.slug


def signature(article: Article, result: Rendered) -> Hashable:
    """What the site's Index takes from one article: not its body, notes or byline, but
    where its warnings point (``check_usage``): the title's line, each note's place."""
    sidecar = article.sidecar
    return (
        article.slug, article.path, sidecar.path, sidecar.title, result.heading,
        sidecar.date, result.summary_html, sidecar.tags, sidecar.terms,
        tuple((link.to, link.to_location) for link in sidecar.links), sidecar.related,
        result.links, result.mentions, sidecar.title_location, bool(sidecar.summary),
        tuple((note.anchor.location, note.anchor.quote, bool(note.sources))
              for note in sidecar.notes),
    )  # fmt: skip


def make_index(urls: UrlScheme, content: Content, rendered: Mapping[str, Rendered]) -> Index:
    """Cross-references of the whole site, checked."""
    refs = {}
    for a in content.articles:
        result = rendered[a.slug]
        title = title_of(a, result)
        href = urls.article(a.slug).href
        refs[a.slug] = Ref(a.slug, title, href, a.sidecar.date, result.summary_html)
    term_refs = {
        key: TermRef(term.key, urls.term_id(key), term.name, urls.term(key))
        for key, term in content.owned_terms()
    }
    tag_refs, tag_members = index_tags(urls, content)
    order = sorted(refs, key=lambda s: newest_first(refs[s]))
    position = {slug: n for n, slug in enumerate(order)}
    links = Links(refs, tag_refs, term_refs, find_backlinks(content, rendered), position)
    mentioned = find_mentions(content, rendered)
    problems = check_references(content, rendered) + check_usage(content, mentioned)
    by_file: dict[str, list[Diagnostic]] = defaultdict(list)
    for problem in problems:
        by_file[problem.location.path].append(problem)
    grouped = {path: tuple(found) for path, found in by_file.items()}
    return Index(links, mentioned, tag_members, tuple(order), grouped)
