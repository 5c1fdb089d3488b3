"""What search engines and link previews read: schema.org JSON-LD and Open Graph; pure.

Templates receive ``meta``, a ``Metadata`` of the build: ``meta.graph(page, ...)`` is a
page's JSON-LD (a ``NewsArticle`` for an article, a ``DefinedTermSet`` for the glossary,
a ``BreadcrumbList`` below the front page), which ``base.html`` writes with Jinja2's
``tojson`` (safe inside ``<script>``); ``meta.image`` is the site's image for Open Graph
and Twitter cards. Every date comes from the content, never from the clock.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from briefgen.pages.filters import iso_date
from briefgen.site.views import ArticleView, PageInfo, TermView
from briefgen.source.config import SiteConfig
from briefgen.urls import UrlScheme

CONTEXT = "https://schema.org"
HEADLINE_MAX = 110  # characters: what search engines show of a headline

Json = dict[str, Any]


@dataclass(frozen=True)
class Metadata:
    """The site's structured data, for templates."""

    config: SiteConfig
    urls: UrlScheme

    @property
    def image(self) -> str:
        """The absolute URL of the site's image (site.yaml ``image``), or ""."""
        image = self.config.image
        if not image or "://" in image:
            return image
        return self.urls.abs_url(image)

    @property
    def locale(self) -> str:
        """The Open Graph locale of the site's language ("en-GB" -> "en_GB")."""
        return self.config.language.replace("-", "_")

    def publisher(self) -> Json:
        """The site as the publisher of every briefing."""
        found: Json = {
            "@type": "Organization",
            "name": self.config.title,
            "url": self.urls.base_url,
        }
        if self.image:
            found["logo"] = {"@type": "ImageObject", "url": self.image}
        return found

    def graph(self, page: PageInfo, **context: Any) -> Json | None:
        """The JSON-LD of a page, or None (the front page and the 404 page have none)."""
        nodes: list[Json] = []
        if page.kind == "article":
            nodes.append(self.article(context["article"]))
        elif page.kind == "glossary":
            nodes.append(self.glossary(page, context["terms"]))
        crumbs = self.breadcrumbs(page, context.get("tag"))
        if crumbs:
            nodes.append(crumbs)
        return {"@context": CONTEXT, "@graph": nodes} if nodes else None

    def article(self, article: ArticleView) -> Json:
        """A briefing as a ``NewsArticle``: its source, terms mentioned, the notes' sources."""
        config = self.config
        node: Json = {
            "@type": "NewsArticle",
            "@id": f"{article.abs_url}#article",
            "url": article.abs_url,
            "mainEntityOfPage": article.abs_url,
            "headline": _headline(article.title),
            "inLanguage": config.language,
            "wordCount": article.words,
        }
        if article.summary_html:
            node["description"] = article.summary_html.striptags()
        if article.date:
            node["datePublished"] = node["dateModified"] = iso_date(article.date)
        if article.byline:
            node["author"] = {"@type": "Person", "name": article.byline}
        else:
            node["author"] = {"@type": "Organization", "name": config.author or config.title}
        node["publisher"] = self.publisher()
        if self.image:
            node["image"] = [self.image]
        if article.tags:
            node["keywords"] = [tag.name for tag in article.tags]
        if article.source:
            node["isBasedOn"] = _work(article.source.title, article.source.url)
        if article.terms:
            node["about"] = [
                {
                    "@type": "DefinedTerm",
                    "@id": self.urls.abs_url(term.href.removeprefix(self.urls.prefix)),
                    "name": term.key,
                    "inDefinedTermSet": self.urls.glossary.url,
                }
                for term in article.terms
            ]
        cited = {(s.title, s.url): None for note in article.notes for s in note.sources}
        if cited:
            node["citation"] = [_work(title, url) for title, url in cited]
        return node

    def glossary(self, page: PageInfo, terms: Sequence[TermView]) -> Json:
        """The glossary as a ``DefinedTermSet`` of every entry."""
        url = page.abs_url
        return {
            "@type": "DefinedTermSet",
            "@id": url,
            "url": url,
            "name": f"{self.config.title}: {page.title}",
            "inLanguage": self.config.language,
            "hasDefinedTerm": [
                {
                    "@type": "DefinedTerm",
                    "@id": f"{url}#{term.id}",
                    "url": f"{url}#{term.id}",
                    "name": term.key,
                    **({"alternateName": _names(term)} if _names(term) else {}),
                    "description": term.definition_html.striptags(),
                    "inDefinedTermSet": url,
                }
                for term in terms
            ],
        }

    def breadcrumbs(self, page: PageInfo, tag: Any = None) -> Json | None:
        """Where a page sits below the front page, as a ``BreadcrumbList``."""
        urls = self.urls
        trail = [(self.config.title, urls.front().url)]
        if page.kind == "tag" and tag is not None:
            trail += [("Tags", urls.tags.url), (tag.name, urls.tag(tag.slug).url)]
        elif page.kind in ("article", "glossary", "tags", "search"):
            trail.append((page.title, page.abs_url))
        else:
            return None
        items = [
            {"@type": "ListItem", "position": n, "name": name, "item": url}
            for n, (name, url) in enumerate(trail, 1)
        ]
        return {"@type": "BreadcrumbList", "itemListElement": items}


def _headline(title: str) -> str:
    """A headline short enough for search engines, cut at a word with an ellipsis."""
    if len(title) <= HEADLINE_MAX:
        return title
    return title[: HEADLINE_MAX - 1].rsplit(" ", 1)[0] + "…"


def _work(title: str, url: str | None) -> Json:
    """A cited work."""
    return {"@type": "CreativeWork", "name": title, **({"url": url} if url else {})}


def _names(term: TermView) -> list[str]:
    """A term's other names: its full name and aliases."""
    names = [term.name] if term.name and term.name != term.key else []
    return names + [alias for alias in term.aliases if alias not in names]
