"""What the demo publishes for feed readers, search engines and hosts: feeds, JSON-LD,
Open Graph, the sitemap, links that resolve under a sub-path, byte-identical builds."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urldefrag, urljoin

import feedparser
import pytest

from briefgen.build.pipeline import BuildOptions, build
from tests.browser import REPO, served_demo
from tests.conftest import MakeSite, read_tree

BASE = "https://example.org/briefing/"
MINIMAL = {"content/a.md": "# A\n\nText.\n", "content/a.yaml": "date: 2022-09-15\nsummary: S.\n"}
JSON_FEED_ITEM = {"id", "url", "title", "content_html", "date_published", "authors"}


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo, built with its own base URL."""
    out = tmp_path_factory.mktemp("demo") / "site"
    build(REPO, out, BuildOptions())
    return out


def text(out: Path, path: str) -> str:
    return (out / path).read_text(encoding="utf-8")


# ---------- feeds ----------


@pytest.mark.parametrize(
    "path", ["feed.xml", "tags/sco/feed.xml", "glossary/belt-and-road/feed.xml"]
)
def test_atom_feeds_parse_strictly(demo: Path, path: str) -> None:
    feed = feedparser.parse((demo / path).read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert feed.entries
    for entry in feed.entries:
        assert entry.link.startswith(BASE) and entry.id == entry.link
        assert entry.published and entry.updated and entry.author
        [content] = entry.content
        assert content.type == "text/html" and len(content.value) > 500  # the whole briefing


def test_the_atom_feed_carries_the_full_article_with_endnotes(demo: Path) -> None:
    feed = feedparser.parse((demo / "feed.xml").read_bytes())
    [entry] = [e for e in feed.entries if e.link == BASE + "putin-xi-samarkand/"]
    html = entry.content[0].value
    assert "Putin made the comments when he met Chinese leader Xi Jinping" in html
    assert f'<sup><a href="{BASE}putin-xi-samarkand/#note-1">1</a></sup>' in html
    assert "<h2>Notes</h2><ol><li>" in html
    assert f'<a href="{BASE}putin-xi-samarkand/#ref-14"' in html  # each note links back
    assert 'href="/' not in html  # every link is absolute
    assert "term-tip" not in html and "preview" not in html  # no cards in feeds


def test_the_json_feed_has_every_required_field(demo: Path) -> None:
    feed = json.loads(text(demo, "feed.json"))
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["title"] == "World Briefing"
    assert feed["home_page_url"] == BASE and feed["feed_url"] == BASE + "feed.json"
    assert len(feed["items"]) == 6
    atom = "{http://www.w3.org/2005/Atom}"
    entries = ET.fromstring((demo / "feed.xml").read_bytes()).findall(f"{atom}entry")
    for item, entry in zip(feed["items"], entries, strict=True):
        assert set(item) >= JSON_FEED_ITEM
        assert item["id"] == entry.findtext(f"{atom}id")
        assert item["content_html"] == entry.findtext(f"{atom}content")  # the same as Atom's
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT00:00:00Z", item["date_published"])


def test_tags_and_terms_link_their_feeds(demo: Path) -> None:
    tag = text(demo, "tags/sco/index.html")
    assert 'href="/briefing/tags/sco/feed.xml"' in tag
    glossary = text(demo, "glossary/index.html")
    assert (
        'href="/briefing/glossary/belt-and-road/feed.xml" type="application/atom+xml"' in glossary
    )
    feed = feedparser.parse((demo / "glossary/belt-and-road/feed.xml").read_bytes())
    assert feed.feed.title == "World Briefing: Belt and Road"
    assert feed.feed.link == BASE + "glossary/#belt-and-road"


# ---------- metadata ----------


def json_ld(html: str) -> Any:
    [data] = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html)
    return json.loads(data)


def test_an_article_is_a_news_article(demo: Path) -> None:
    graph = json_ld(text(demo, "putin-xi-samarkand/index.html"))["@graph"]
    assert isinstance(graph, list)
    article, crumbs = graph
    assert article["@type"] == "NewsArticle"
    assert article["headline"].startswith("Putin admits China has")
    assert article["datePublished"] == article["dateModified"] == "2022-09-15"
    assert article["author"] == {
        "@type": "Person",
        "name": "Anna Chernova, Betsy Klein and Ivana Kottasová, CNN",
    }
    assert article["publisher"]["name"] == "World Briefing"
    assert article["isBasedOn"]["@type"] == "CreativeWork" and article["isBasedOn"]["url"]
    assert {"@type": "DefinedTerm", "@id": BASE + "glossary/#sco", "name": "SCO",
            "inDefinedTermSet": BASE + "glossary/"} in article["about"]  # fmt: skip
    assert len(article["citation"]) >= 10 and all(c["url"] for c in article["citation"])
    assert crumbs["@type"] == "BreadcrumbList"
    assert [i["item"] for i in crumbs["itemListElement"]] == [BASE, BASE + "putin-xi-samarkand/"]


def test_the_glossary_is_a_defined_term_set(demo: Path) -> None:
    terms, _ = json_ld(text(demo, "glossary/index.html"))["@graph"]
    assert terms["@type"] == "DefinedTermSet"
    sco = next(t for t in terms["hasDefinedTerm"] if t["name"] == "SCO")
    assert sco["alternateName"] == [
        "Shanghai Cooperation Organisation",
        "Shanghai Cooperation Organization",
    ]
    assert sco["description"].startswith("A Eurasian political, economic and security")


def test_open_graph_and_twitter_cards(demo: Path) -> None:
    html = text(demo, "putin-xi-samarkand/index.html")
    for prop in ("og:site_name", "og:title", "og:description", "og:url", "og:type", "og:locale"):
        assert f'<meta property="{prop}" content="' in html, prop
    assert '<meta property="og:type" content="article">' in html
    assert '<meta name="twitter:card" content="summary">' in html
    assert '<meta property="og:description" content="The first face-to-face' in html


def test_a_configured_image_makes_large_cards(make_site: MakeSite, tmp_path: Path) -> None:
    site = make_site({
        "site.yaml": "title: T\nbase_url: https://example.org/b/\nimage: static/cover.png\n",
        "static/cover.png": "png",
        **MINIMAL,
    })  # fmt: skip
    build(site, tmp_path / "out", BuildOptions())
    html = (tmp_path / "out/index.html").read_text(encoding="utf-8")
    assert '<meta property="og:image" content="https://example.org/b/static/cover.png">' in html
    assert '<meta name="twitter:card" content="summary_large_image">' in html


def test_a_missing_image_is_a_located_error(make_site: MakeSite, tmp_path: Path) -> None:
    site = make_site(
        {
            "site.yaml": "title: T\nbase_url: https://example.org/b/\nimage: static/x.png\n",
            **MINIMAL,
        }
    )
    done = subprocess.run(
        [sys.executable, "-m", "briefgen", "build", "--site", str(site), "-o", str(tmp_path / "o")],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 1
    assert done.stderr.splitlines()[0] == (
        "site.yaml:3:8: error[CFG006]: image 'static/x.png' is not a file of the built site; "
        "fix: put the image in static/ and write its path, such as 'static/cover.png'"
    )


def test_the_404_page_has_no_canonical_link(demo: Path) -> None:
    html = text(demo, "404.html")
    assert 'rel="canonical"' not in html and "og:url" not in html


def test_the_sitemap_lists_tag_pages_with_their_last_change(demo: Path) -> None:
    sitemap = text(demo, "sitemap.xml")
    assert f"<loc>{BASE}tags/sco/</loc>\n    <lastmod>2022-09-16</lastmod>" in sitemap
    assert "search/" not in sitemap and "404" not in sitemap


# ---------- links under a sub-path ----------


class Links(HTMLParser):
    """Every address a page links to or loads, and every id it has."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(str(values["id"]))
        for name in ("href", "src"):
            if values.get(name) and not (tag == "link" and values.get("rel") == "canonical"):
                self.urls.append(str(values[name]))


def test_a_crawl_under_a_sub_path_finds_no_broken_link(tmp_path: Path) -> None:
    with served_demo(tmp_path) as root:
        origin = root.removesuffix("/briefing/")
        seen: dict[str, Links] = {}
        todo, broken, targets = [root], [], []
        while todo:
            url = todo.pop()
            if url in seen:
                continue
            try:
                with urllib.request.urlopen(url) as response:
                    body = response.read()
                    kind = response.headers.get_content_type()
            except urllib.error.HTTPError as exc:
                broken.append(f"{url}: {exc.code}")
                continue
            parser = Links()
            if kind == "text/html":
                parser.feed(body.decode("utf-8"))
            elif kind == "text/css":
                parser.urls = re.findall(r"url\(['\"]?([^'\")]+)", body.decode("utf-8"))
            seen[url] = parser
            for link in parser.urls:
                absolute = urljoin(url, link)
                if not absolute.startswith(origin) or absolute.startswith("data:"):
                    continue
                assert absolute.startswith(root), (url, link)  # nothing outside the sub-path
                page, fragment = urldefrag(absolute)
                if fragment:
                    targets.append((url, page, fragment))
                todo.append(page)
        missing = [f"{src} -> {page}#{frag}" for src, page, frag in targets
                   if page in seen and frag not in seen[page].ids]  # fmt: skip
        assert broken == [] and missing == []
        assert len(seen) >= 40  # pages, feeds' pages, stylesheets, scripts, the icon


# ---------- reproducible builds ----------


def test_builds_in_other_folders_time_zones_and_locales_are_byte_identical(
    tmp_path: Path,
) -> None:
    outputs = []
    for n, (tz, locale) in enumerate([("UTC", "C.UTF-8"), ("Pacific/Kiritimati", "C"),
                                      ("America/St_Johns", "POSIX")]):  # fmt: skip
        env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000", "TZ": tz, "LC_ALL": locale}
        out = tmp_path / f"folder-{n}" / ("deeper/" * n or ".") / "out"
        subprocess.run(
            [sys.executable, "-m", "briefgen", "build", "--site", str(REPO), "-o", str(out), "-q"],
            env=env, check=True, cwd=tmp_path,
        )  # fmt: skip
        outputs.append(read_tree(out))
    assert outputs[0] == outputs[1] == outputs[2]
    assert {"feed.xml", "feed.json", "sitemap.xml", "pagefind/pagefind-entry.json"} <= set(
        outputs[0]
    )
