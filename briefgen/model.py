"""The content model: what loaders produce and the pure stages consume.

Every value that a message may point at carries its ``Location`` in the sidecar.
All classes are frozen: stages return new data and never patch what they were given;
and slotted, since a large site holds hundreds of thousands of them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from briefgen.errors import Location

TermKey = tuple[str | None, str]  # (slug of the article that defines it or None, headword)


@dataclass(frozen=True, slots=True)
class SourceRef:
    """A citation: where an article or a note comes from."""

    title: str
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Anchor:
    """A phrase of the article, given by its exact words and optional context."""

    quote: str
    location: Location
    prefix: str | None = None
    suffix: str | None = None
    occurrence: int | None = None  # 1-based: which match to take when several remain


@dataclass(frozen=True, slots=True)
class Note:
    """A context note anchored to a phrase; ``text`` is Markdown."""

    anchor: Anchor
    text: str
    sources: tuple[SourceRef, ...] = ()


@dataclass(frozen=True, slots=True)
class PhraseLink:
    """A phrase of the article that links to another article."""

    anchor: Anchor
    to: str
    to_location: Location


@dataclass(frozen=True, slots=True)
class Term:
    """A glossary entry. ``key`` is its headword, as written in the glossary."""

    key: str
    name: str
    definition: str
    location: Location
    aliases: tuple[str, ...] = ()
    see: tuple[tuple[str, Location], ...] = ()
    local_to: str | None = None  # slug of the article that defines it, for sidecar terms

    @property
    def ident(self) -> TermKey:
        """What names this entry site-wide: its owner (None for the glossary) and headword."""
        return (self.local_to, self.key)

    @property
    def spellings(self) -> tuple[str, ...]:
        """The key and every alias: the phrases that mark this term in articles."""
        seen: dict[str, None] = {self.key: None}
        if self.name:
            seen.setdefault(self.name, None)
        for alias in self.aliases:
            seen.setdefault(alias, None)
        return tuple(seen)


@dataclass(frozen=True, slots=True)
class Sidecar:
    """What a sidecar says about its article: metadata and annotations."""

    path: str  # site-relative, e.g. "content/world/kharkiv.yaml"
    title: str  # "" when the body's first heading or line gives it
    title_location: Location
    date: dt.date | None
    summary: str = ""
    byline: str = ""
    source: SourceRef | None = None
    tags: tuple[str, ...] = ()
    draft: bool = False
    notes: tuple[Note, ...] = ()
    links: tuple[PhraseLink, ...] = ()
    related: tuple[tuple[str, Location], ...] = ()
    terms: tuple[Term, ...] = ()


@dataclass(frozen=True, slots=True)
class Article:
    """An article and its sidecar, as loaded; the body is never modified.

    A build's main process holds *light* articles: ``body`` None and ``digest`` the
    BLAKE2b digest of the file's bytes, by which the workers that render it read the
    body again and check that it is the one loaded (``source.content.whole``).
    """

    slug: str
    path: str  # site-relative, e.g. "content/world/kharkiv.md"
    kind: str  # "md" or "txt"
    body: str | None  # the article text, exactly as in the file; None in a light article
    sidecar: Sidecar
    digest: str = ""  # a light article's: of its file's bytes


@dataclass(frozen=True, slots=True)
class Content:
    """Everything under content/: articles by slug order and the site glossary.

    ``unloaded``: slugs of articles whose files are there but could not be loaded (their
    problems are reported): a link to one is no unknown article. ``drafts``: slugs of the
    drafts left out of this build.
    """

    articles: tuple[Article, ...]
    glossary: tuple[Term, ...] = field(default=())
    unloaded: frozenset[str] = frozenset()
    drafts: frozenset[str] = frozenset()

    def owned_terms(self) -> list[tuple[TermKey, Term]]:
        """Every glossary entry with its key: site terms first, then article-local ones."""
        entries: list[tuple[TermKey, Term]] = [(t.ident, t) for t in self.glossary]
        entries += [((a.slug, t.key), t) for a in self.articles for t in a.sidecar.terms]
        return entries
