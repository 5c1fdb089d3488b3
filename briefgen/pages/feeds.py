"""JSON Feed 1.1 from a feed's view; pure (the Atom feed is the theme's ``feed.xml``).

Both feeds carry the same entries: each briefing in full, its notes as numbered
endnotes linking back to the page (``ArticleView.feed_html``).
"""

from __future__ import annotations

import json

from briefgen.pages.filters import rfc3339
from briefgen.site.views import ArticleView, FeedView
from briefgen.source.config import SiteConfig

VERSION = "https://jsonfeed.org/version/1.1"
HTML_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})


def json_item(article: ArticleView, config: SiteConfig) -> dict[str, object]:
    """One briefing as a JSON Feed item."""
    item: dict[str, object] = {
        "id": article.abs_url,
        "url": article.abs_url,
        "title": article.title,
        "content_html": str(article.feed_html),
    }
    if article.summary_html:
        item["summary"] = article.summary_html.striptags()
    if article.date:
        item["date_published"] = item["date_modified"] = rfc3339(article.date)
    item["authors"] = [{"name": article.byline or config.author or config.title}]
    if article.tags:
        item["tags"] = [tag.name for tag in article.tags]
    if article.source and article.source.url:
        item["external_url"] = article.source.url
    item["language"] = config.language
    return item


def json_feed(feed: FeedView, url: str, config: SiteConfig) -> str:
    """The feed, published at ``url``, as JSON Feed 1.1: keys in a fixed order.

    ``<``, ``>`` and ``&`` are written as ``\\u`` escapes (the same JSON), so that no
    markup appears in the file even to a careless reader of it.
    """
    document: dict[str, object] = {
        "version": VERSION,
        "title": feed.title,
        "home_page_url": feed.home_url,
        "feed_url": url,
    }
    if feed.description:
        document["description"] = feed.description
    document["language"] = config.language
    document["authors"] = [{"name": config.author or config.title}]
    document["items"] = [json_item(article, config) for article in feed.articles]
    text = json.dumps(document, ensure_ascii=False, indent=2)
    return text.translate(HTML_SAFE) + "\n"
