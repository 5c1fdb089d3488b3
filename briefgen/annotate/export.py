"""The W3C annotation files of a site: ``<slug>/annotations.jsonld`` and the whole site's.

Each article's notes, as the build rendered them, become an ``AnnotationCollection``
(``briefgen.annotate.w3c``) written beside the article's page and linked from it; the
``annotate export`` command gathers every article's into one. Pure.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from briefgen.annotate.w3c import Selected, article_annotations, collection, dump
from briefgen.markdown.renderer import Rendered
from briefgen.model import Article
from briefgen.output import OutputFile
from briefgen.site.crossrefs import title_of
from briefgen.urls import UrlScheme


def annotations_of(
    urls: UrlScheme, article: Article, rendered: Rendered, language: str
) -> list[dict[str, Any]]:
    """An article's notes as W3C annotations of its published page."""
    notes = [
        Selected(n.number, n.start, n.end, str(n.blocks), n.note.sources) for n in rendered.notes
    ]
    address = urls.annotations(article.slug)
    page = urls.article(article.slug).url
    return article_annotations(
        address.url, page, title_of(article, rendered), rendered.text, notes, language
    )


def article_file(
    urls: UrlScheme, article: Article, rendered: Rendered, language: str
) -> OutputFile:
    """``<slug>/annotations.jsonld``: the collection of one article's notes."""
    address = urls.annotations(article.slug)
    items = annotations_of(urls, article, rendered, language)
    label = f"Notes on {title_of(article, rendered)}"
    return OutputFile(address.path, dump(collection(address.url, label, items)), article.path)


def site_collection(
    urls: UrlScheme,
    site_title: str,
    articles: Sequence[Article],
    rendered: Mapping[str, Rendered],
    language: str,
) -> bytes:
    """Every article's notes in one collection, articles in slug order."""
    items = [
        item
        for article in articles
        for item in annotations_of(urls, article, rendered[article.slug], language)
    ]
    return dump(collection(urls.site_annotations.url, f"Notes of {site_title}", items))
