"""Theme lookup, the Jinja2 environment, and every built-in template with fake views."""

from __future__ import annotations

import datetime as dt
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import jinja2
import pytest
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup

from briefgen.build.pipeline import BuildOptions, build
from briefgen.errors import ConfigError, Location
from briefgen.markdown.renderer import Rendered
from briefgen.model import SourceRef
from briefgen.pages.plan import by_letter
from briefgen.pages.render import template_globals
from briefgen.pages.theme import BUILTIN_THEMES, Theme, find_theme, make_environment
from briefgen.site import views
from briefgen.source.config import SiteConfig
from briefgen.urls import UrlScheme
from tests.conftest import SITE_YAML, MakeSite, write_tree

DEFAULT = BUILTIN_THEMES / "default"
BASE = "https://example.org/briefing/"
SOURCE_URL = "https://example.com/original-article"
NOTE_SOURCE_URL = "https://example.net/un-vote"
DAY = dt.date(2022, 9, 15)


CONFIG = SiteConfig(
    title="World Briefing",
    base_url=BASE,
    description="Daily context on world affairs.",
    author="The Desk",
)
URLS = UrlScheme(BASE)
ASSETS = {
    "style.css": "/briefing/assets/style.0123456789.css",
    "briefgen.js": "/briefing/assets/briefgen.0123456789.js",
    "search.js": "/briefing/assets/search.0123456789.js",
}


def url(path: str) -> str:
    """A root-relative URL under the /briefing/ prefix."""
    return "/briefing/" + path


def abs_url(path: str) -> str:
    """An absolute URL under the base URL."""
    return BASE + path


def page_info(kind: str, title: str, path: str) -> views.PageInfo:
    """The PageInfo of an output path."""
    where = path.removesuffix("index.html")
    return views.PageInfo(kind, title, path, url(where), abs_url(where))


BODY = Markup(
    "<p>Putin said: “We understand your "
    '<mark class="noted" id="ref-1">questions and concerns</mark>'
    '<label class="note-num" for="note-toggle-1">1</label>'
    '<input type="checkbox" id="note-toggle-1" class="note-toggle">'
    '<span class="sidenote" id="note-1" role="note"><span class="note-n">1.</span> '
    '<span class="note-p">China abstained on UN votes.</span> '
    f'<span class="note-sources">Sources: <a href="{NOTE_SOURCE_URL}">UN vote</a></span></span>'
    " in this regard.”</p>\n"
    '<p>They met at the <span class="term"><a class="term-link" href="/briefing/glossary/#sco" '
    'aria-describedby="tip-1">SCO</a><span class="term-tip" role="tooltip" id="tip-1">'
    "<strong>Shanghai Cooperation Organisation</strong> A Eurasian security bloc.</span></span>"
    ' summit, after <a class="xref" href="/briefing/pelosi/">Pelosi\u2019s visit</a>.</p>\n'
)


def make_article(title: str = "Putin meets Xi", **changes: Any) -> views.ArticleView:
    """A small article view with a note, a term, a related article and a backlink."""
    feed = Markup("<p>The body, for feeds.</p>")
    body = Rendered(BODY, feed, None, Markup(""), (), (), (), (), "", (), 120, (), ())
    other = views.Ref("pelosi", "Pelosi in Taipei", url("pelosi/"), dt.date(2022, 8, 2), Markup(""))
    values: dict[str, Any] = {
        "slug": "putin-xi",
        "title": title,
        "href": url("putin-xi/"),
        "abs_url": abs_url("putin-xi/"),
        "annotations_href": url("putin-xi/annotations.jsonld"),
        "date": DAY,
        "summary_html": Markup("Why it <em>matters</em>."),
        "byline": "Staff",
        "source": SourceRef("CNN", SOURCE_URL),
        "tags": (views.TagRef("russia", "russia", url("tags/russia/"), 2),),
        "body": views.Body(body, ()),
        "notes": (
            views.NoteView(1, "note-1", "questions and concerns", Markup("China abstained."), ()),
        ),
        "connections": (views.Connection(other, True, True),),
        "terms": (views.TermRef("SCO", "sco", "Shanghai Cooperation Organisation", "#sco"),),
        "words": 120,
        "reading_minutes": 1,
        "draft": False,
    }
    values.update(changes)
    return views.ArticleView(**values)


def make_terms() -> tuple[views.TermView, ...]:
    """Two glossary entries, one with aliases, a see-also and mentions."""
    article = make_article()
    sco = views.TermView(
        key="SCO",
        id="sco",
        name="Shanghai Cooperation Organisation",
        href=url("glossary/#sco"),
        feed_href=url("glossary/sco/feed.xml"),
        aliases=("Shanghai Cooperation Organization",),
        definition_html=Markup("<p>A Eurasian security bloc.</p>"),
        see=(
            views.TermRef("Belt and Road", "belt-and-road", "BRI", url("glossary/#belt-and-road")),
        ),
        mentioned_in=(article.ref,),
        local_to=None,
    )
    bri = views.TermView(
        key="Belt and Road",
        id="belt-and-road",
        name="Belt and Road Initiative",
        href=url("glossary/#belt-and-road"),
        feed_href=url("glossary/belt-and-road/feed.xml"),
        aliases=(),
        definition_html=Markup("<p>China\u2019s infrastructure programme.</p>"),
        see=(),
        mentioned_in=(),
        local_to=article.ref,
    )
    return (sco, bri)


def template_contexts() -> dict[str, tuple[views.PageInfo, dict[str, object]]]:
    """Per built-in template: its page and its own variables."""
    article = make_article()
    draft = make_article("A draft", slug="draft", href=url("draft/"), date=None, draft=True)
    tag = views.TagView(
        "russia", "russia", url("tags/russia/"), url("tags/russia/feed.xml"), (article.entry,), 31
    )
    feed = views.FeedView(
        "World Briefing", "Daily context.", abs_url("feed.xml"), abs_url(""), (article,)
    )
    pager = views.Pager(2, 3, url(""), url(""), url("page/3/"))
    index = replace(page_info("index", "World Briefing, page 2", "page/2/index.html"), pager=pager)
    return {
        "index.html": (
            index,
            {"days": (views.DayGroup(DAY, (article.entry,)), views.DayGroup(None, (draft.entry,)))},
        ),
        "article.html": (
            page_info("article", article.title, "putin-xi/index.html"),
            {"article": article},
        ),
        "glossary.html": (
            page_info("glossary", "Glossary", "glossary/index.html"),
            {"terms": make_terms(), "letters": by_letter(make_terms())},
        ),
        "tag.html": (page_info("tag", "Tagged russia", "tags/russia/index.html"), {"tag": tag}),
        "tags.html": (
            page_info("tags", "Tags", "tags/index.html"),
            {"tags": (views.TagRef("russia", "russia", url("tags/russia/"), 1),)},
        ),
        "search.html": (page_info("search", "Search", "search/index.html"), {}),
        "404.html": (page_info("404", "Page not found", "404.html"), {}),
        "feed.xml": (page_info("feed", "World Briefing", "feed.xml"), {"feed": feed}),
        "feed.json": (page_info("feed", "World Briefing", "feed.json"), {"feed": feed}),
        "sitemap.xml": (
            page_info("sitemap", "", "sitemap.xml"),
            {"urls": ((abs_url(""), DAY), (abs_url("tags/russia/"), None))},
        ),
    }


def render(env: jinja2.Environment, name: str, page: views.PageInfo, **context: object) -> str:
    """Render one template of the environment, as a build does: with the template globals."""
    variables = template_globals(CONFIG, URLS, DAY, ASSETS)
    return env.get_template(name).render(
        {**variables, "page": page, "page_context": context, **context}
    )


def default_env(site: Path) -> jinja2.Environment:
    """The environment of the default theme for a site folder."""
    return make_environment(find_theme(site, "default"))


# ---------- find_theme ----------


def test_default_theme_searches_layouts_then_the_builtin(tmp_path: Path) -> None:
    write_tree(tmp_path, {"layouts/.keep": "", "static/.keep": ""})
    assert find_theme(tmp_path, "default") == Theme(
        site_dir=tmp_path,
        name="default",
        template_dirs=(tmp_path / "layouts", DEFAULT / "templates"),
        static_dirs=(DEFAULT / "static", tmp_path / "static"),
    )


def test_missing_site_folders_are_left_out(tmp_path: Path) -> None:
    assert find_theme(tmp_path, "default") == Theme(
        site_dir=tmp_path,
        name="default",
        template_dirs=(DEFAULT / "templates",),
        static_dirs=(DEFAULT / "static",),
    )


def test_site_theme_sits_between_layouts_and_the_default(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "layouts/.keep": "",
            "static/.keep": "",
            "themes/paper/templates/.keep": "",
            "themes/paper/static/.keep": "",
        },
    )
    paper = tmp_path / "themes" / "paper"
    assert find_theme(tmp_path, "paper") == Theme(
        site_dir=tmp_path,
        name="paper",
        template_dirs=(tmp_path / "layouts", paper / "templates", DEFAULT / "templates"),
        static_dirs=(DEFAULT / "static", paper / "static", tmp_path / "static"),
    )


def test_templates_are_found_in_search_order(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "layouts/a.html": "layouts a",
            "themes/paper/templates/a.html": "paper a",
            "themes/paper/templates/b.html": "paper b",
        },
    )
    env = make_environment(find_theme(tmp_path, "paper"))
    assert env.get_template("a.html").render() == "layouts a"
    assert env.get_template("b.html").render() == "paper b"
    assert env.get_template("theme/a.html").render() == "paper a"
    assert env.get_template("404.html").filename == str(DEFAULT / "templates" / "404.html")


@pytest.mark.parametrize("name", ["fancy", "../default", ""])
def test_unknown_theme_is_a_located_config_error(tmp_path: Path, name: str) -> None:
    with pytest.raises(ConfigError) as caught:
        find_theme(tmp_path, name, Location("site.yaml", 5, 8))
    assert [d.headline() for d in caught.value.diagnostics] == [
        f"site.yaml:5:8: error[CFG005]: unknown theme {name!r}; "
        "fix: use 'default' or create themes/<name>/ with templates/"
    ]
    assert caught.value.exit_code == 2


def test_an_unknown_theme_does_not_hide_layout_mistakes(
    make_site: MakeSite, tmp_path: Path
) -> None:
    site = make_site(
        {
            "site.yaml": SITE_YAML + "theme: fancy\n",
            "content/a.txt": "A\n\nText.\n",
            "content/a.yaml": "date: 2022-09-15\nsummary: S.\n",
            "layouts/tags.html": "{{ tags.nmae }}\n",
        }
    )
    with pytest.raises(ConfigError) as caught:
        build(site, tmp_path / "out", BuildOptions())
    assert [d.headline() for d in caught.value.diagnostics] == [
        "layouts/tags.html:1:1: error[TPL002]: undefined variable: 'tuple object' has no "
        "attribute 'nmae'; fix: check the name, or guard it with {% if ... is defined %}",
        "site.yaml:3:8: error[CFG005]: unknown theme 'fancy'; "
        "fix: use 'default' or create themes/<name>/ with templates/",
    ]


# ---------- overriding templates ----------


def test_layout_replaces_the_theme_template(tmp_path: Path) -> None:
    write_tree(tmp_path, {"layouts/article.html": "<h1>{{ article.title }}</h1>\n"})
    page, context = template_contexts()["article.html"]
    assert render(default_env(tmp_path), "article.html", page, **context) == (
        "<h1>Putin meets Xi</h1>\n"
    )


def test_layout_extends_the_default_and_overrides_one_block(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "layouts/article.html": """\
                {% extends "default/article.html" %}
                {% block headline %}<h1 class="mine">{{ article.title|upper }}</h1>{% endblock %}
                """,
        },
    )
    page, context = template_contexts()["article.html"]
    html = render(default_env(tmp_path), "article.html", page, **context)
    assert '<h1 class="mine">PUTIN MEETS XI</h1>' in html
    assert '<h1 class="article-title">' not in html
    assert '<div class="standfirst">Why it <em>matters</em>.</div>' in html
    assert '<mark class="noted" id="ref-1">questions and concerns</mark>' in html
    assert '<h2 class="section-heading" id="related-heading">Related briefings</h2>' in html
    assert "<title>Putin meets Xi · World Briefing</title>" in html


def test_layout_base_applies_to_default_pages(tmp_path: Path) -> None:
    write_tree(tmp_path, {"layouts/base.html": "[{% block content %}{% endblock %}]\n"})
    page, _ = template_contexts()["404.html"]
    html = render(default_env(tmp_path), "404.html", page)
    assert html.startswith('[<div class="not-found">\n  <p class="page-kicker">Error 404</p>')
    assert html.endswith("</div>\n]\n")


# ---------- environment ----------


def test_missing_variable_raises(tmp_path: Path) -> None:
    env = default_env(tmp_path)
    page, _ = template_contexts()["article.html"]
    with pytest.raises(jinja2.UndefinedError, match="'article' is undefined"):
        render(env, "article.html", page)


def test_missing_attribute_raises(tmp_path: Path) -> None:
    env = make_environment(find_theme(tmp_path, "default"))
    with pytest.raises(jinja2.UndefinedError, match="has no attribute 'subtitle'"):
        env.from_string("{{ config.subtitle }}").render(config=CONFIG)


@pytest.mark.parametrize(
    "template",
    [
        "{{ ''.__class__.__mro__ }}",
        "{{ url.__self__ }}",
        "{{ cycler.__init__.__globals__ }}",
        "{% set parts = [1] %}{{ parts.append(2) }}",
        "{{ 'ab' * 600000 }}",
    ],
)
def test_templates_render_in_the_sandbox(tmp_path: Path, template: str) -> None:
    env = default_env(tmp_path)
    assert isinstance(env, ImmutableSandboxedEnvironment)
    with pytest.raises(SecurityError):
        env.from_string(template).render(template_globals(CONFIG, URLS, DAY))


def test_fields_are_read_directly_once_found_safe_and_nothing_else_is(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = default_env(tmp_path)
    checked: list[str] = []
    real = ImmutableSandboxedEnvironment.getattr

    def spy(self: ImmutableSandboxedEnvironment, obj: Any, attribute: str) -> Any:
        checked.append(attribute)
        return real(self, obj, attribute)

    monkeypatch.setattr(ImmutableSandboxedEnvironment, "getattr", spy)
    article = make_article()
    template = "{% for n in range(50) %}{{ a.title }}{{ a.body_html|length }}{% endfor %}"
    assert env.from_string(template).render(a=article).startswith("Putin meets Xi")
    assert checked.count("title") == 1  # a field: checked once, then read directly
    assert checked.count("body_html") == 50  # a property: checked every time
    for name in ["__class__", "__init__", "__dataclass_fields__"]:
        with pytest.raises(SecurityError):
            env.from_string(f"{{{{ a.{name}.x }}}}").render(a=article)


def test_titles_are_escaped(tmp_path: Path) -> None:
    env = default_env(tmp_path)
    page, _ = template_contexts()["article.html"]
    article = make_article("<script>alert(1)</script>")
    html = render(env, "article.html", page, article=article)
    assert "<script>alert" not in html
    assert '<h1 class="article-title">&lt;script&gt;alert(1)&lt;/script&gt;</h1>' in html
    feed_view = views.FeedView("World Briefing", "", abs_url("feed.xml"), abs_url(""), (article,))
    feed = render(env, "feed.xml", page, feed=feed_view)
    assert "<title>&lt;script&gt;alert(1)&lt;/script&gt;</title>" in feed


def test_environment_is_deterministic(tmp_path: Path) -> None:
    outputs = []
    for _ in range(2):
        env = default_env(tmp_path)
        outputs.append(
            {
                name: render(env, name, page, **context)
                for name, (page, context) in template_contexts().items()
            }
        )
    assert outputs[0] == outputs[1]


@pytest.mark.parametrize(
    ("expression", "value", "expected"),
    [
        ("date_display", dt.date(2022, 9, 5), "5 September 2022"),
        ("date_display", dt.date(2023, 1, 15), "15 January 2023"),
        ("date_display", None, ""),
        ("iso_date", dt.date(2022, 9, 5), "2022-09-05"),
        ("iso_date", dt.datetime(2022, 9, 15, 23, 30), "2022-09-15"),
        ("rfc3339", dt.date(2022, 9, 15), "2022-09-15T00:00:00Z"),
        ("rfc3339", dt.datetime(2022, 9, 15, 8, 5, 3, 99), "2022-09-15T08:05:03Z"),
        (
            "rfc3339",
            dt.datetime(2022, 9, 15, 2, 0, tzinfo=dt.timezone(dt.timedelta(hours=3))),
            "2022-09-14T23:00:00Z",
        ),
        ("weekday", dt.date(2022, 9, 15), "Thursday"),
    ],
)
def test_date_filters(tmp_path: Path, expression: str, value: object, expected: str) -> None:
    env = make_environment(find_theme(tmp_path, "default"))
    template = env.from_string("{{ value|" + expression + " }}")
    assert template.render(value=value) == expected


# ---------- every built-in template ----------

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
HTML_TEMPLATES = [
    "index.html",
    "article.html",
    "glossary.html",
    "search.html",
    "tag.html",
    "tags.html",
    "404.html",
]


class TagChecker(HTMLParser):
    """Records unbalanced tags, duplicate ids and nested links."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.problems: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element_id = dict(attrs).get("id")
        if element_id is not None:
            if element_id in self.ids:
                self.problems.append(f"duplicate id {element_id!r}")
            self.ids.add(element_id)
        if tag == "a" and "a" in self.stack:
            self.problems.append("nested <a>")
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.problems.append(f"self-closing <{tag}/>")

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes {self.stack[-1:]}")
            return
        self.stack.pop()


def check_html(html: str) -> list[str]:
    """Every structural problem of an HTML document."""
    checker = TagChecker()
    checker.feed(html)
    checker.close()
    return checker.problems + [f"unclosed <{tag}>" for tag in checker.stack]


def external_urls(text: str) -> set[str]:
    """Every http(s) URL in a text."""
    return set(re.findall(r"https?://[^\s\"'<>)]+", text))


DATA_URLS = {SOURCE_URL, NOTE_SOURCE_URL}
XML_NAMESPACES = {"http://www.w3.org/2005/Atom", "http://www.sitemaps.org/schemas/sitemap/0.9"}


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Mapping[str, str]:
    """Every built-in template rendered with the fake views."""
    env = default_env(tmp_path_factory.mktemp("site"))
    return {
        name: render(env, name, page, **context)
        for name, (page, context) in template_contexts().items()
    }


def test_every_builtin_template_is_covered() -> None:
    templates = {
        p.relative_to(DEFAULT / "templates").as_posix()
        for p in (DEFAULT / "templates").rglob("*")
        if p.is_file() and p.parent.name == "templates"
    }
    assert templates == {"base.html", *template_contexts()}


@pytest.mark.parametrize("name", HTML_TEMPLATES)
def test_html_templates_render_balanced_documents(rendered: Mapping[str, str], name: str) -> None:
    html = rendered[name]
    assert html.startswith('<!doctype html>\n<html lang="en">\n')
    assert check_html(html) == []
    assert html.count("<h1") == 1
    assert '<a class="skip-link" href="#main-content">' in html
    assert '<main id="main-content"' in html
    assert (f'<link rel="canonical" href="{BASE}' in html) == (name != "404.html")
    assert (
        '<link rel="alternate" type="application/atom+xml" title="World Briefing" '
        'href="/briefing/feed.xml">'
    ) in html
    assert (
        '<link rel="alternate" type="application/feed+json" title="World Briefing" '
        'href="/briefing/feed.json">'
    ) in html
    assert '<link rel="stylesheet" href="/briefing/assets/style.0123456789.css">' in html
    assert '<script src="/briefing/assets/briefgen.0123456789.js" defer></script>' in html
    assert '<meta property="og:site_name" content="World Briefing">' in html
    assert '<meta name="twitter:card" content="summary">' in html


@pytest.mark.parametrize("name", HTML_TEMPLATES)
def test_html_templates_make_no_external_requests(rendered: Mapping[str, str], name: str) -> None:
    found = external_urls(rendered[name])
    # schema.org names the vocabulary of the JSON-LD: an identifier, never fetched
    assert {u for u in found if not u.startswith(BASE)} <= DATA_URLS | {"https://schema.org"}


def test_json_feed_is_json(rendered: Mapping[str, str]) -> None:
    feed = json.loads(rendered["feed.json"])
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["items"][0]["content_html"] == "<p>The body, for feeds.</p>"


@pytest.mark.parametrize("name", ["feed.xml", "sitemap.xml"])
def test_xml_templates_are_well_formed(rendered: Mapping[str, str], name: str) -> None:
    ET.fromstring(rendered[name].encode("utf-8"))
    found = external_urls(rendered[name])
    assert {u for u in found if not u.startswith(BASE)} <= DATA_URLS | XML_NAMESPACES


def test_static_files_make_no_external_requests() -> None:
    for path in sorted((DEFAULT / "static").rglob("*")):
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            assert external_urls(text) <= {"http://www.w3.org/2000/svg"}, path.name
            assert "@import" not in text, path.name


def test_index_groups_briefings_by_day(rendered: Mapping[str, str]) -> None:
    html = rendered["index.html"]
    assert '<h2 class="day-heading" id="day-2022-09-15">' in html
    assert (
        '<time datetime="2022-09-15"><span class="day-weekday">Thursday</span> '
        '<span class="day-date">15 September 2022</span></time>'
    ) in html
    assert '<h2 class="day-heading" id="day-undated">' in html
    assert '<h3 class="brief-title"><a href="/briefing/putin-xi/">Putin meets Xi</a></h3>' in html
    assert '<span class="brief-notes">1 note</span>' in html
    assert '<a class="tag" href="/briefing/tags/russia/" rel="tag">russia</a>' in html
    # page 2 of the front page: Briefings is the section, not the page itself
    assert '<li><a class="is-section" href="/briefing/">Briefings</a></li>' in html
    assert "<title>World Briefing, page 2</title>" in html
    assert (
        '<a class="pager-prev" href="/briefing/" rel="prev">Newer</a>\n'
        '  <span class="pager-status">Page 2 of 3</span>\n'
        '  <a class="pager-next" href="/briefing/page/3/" rel="next">Older</a>'
    ) in html


def test_article_shows_kicker_and_lists(rendered: Mapping[str, str]) -> None:
    html = rendered["article.html"]
    assert '<span class="kicker-item"><time datetime="2022-09-15">15 September 2022</time>' in html
    assert '<span class="kicker-item">By Staff</span>' in html
    assert '<span class="kicker-item">1 min read</span>' in html
    assert '<meta name="description" content="Why it matters.">' in html
    assert '<h2 class="section-heading" id="related-heading">Related briefings</h2>' in html
    assert '<span class="ref-label">Related, and refers to this briefing</span>' in html
    assert '<meta property="og:type" content="article">' in html
    assert '"@type": "NewsArticle"' in html
    assert '<li><a href="#sco">SCO</a> <span class="term-list-name">' in html
    assert f'<a class="external" href="{SOURCE_URL}" rel="external">CNN</a>' in html


def test_glossary_terms_are_grouped_by_letter_in_one_pass() -> None:
    def term(key: str) -> views.TermView:
        return replace(make_terms()[0], key=key, id=key.lower())

    keys = ["beta", "Alpha", "1st", "\u00c9migr\u00e9", "alpha two", "Zeta", "\u00e9t\u00e9"]
    grouped = by_letter(tuple(term(key) for key in keys))
    assert [(letter, [t.key for t in group]) for letter, group in grouped] == [
        ("#", ["1st"]),
        ("A", ["Alpha", "alpha two"]),
        ("B", ["beta"]),
        ("Z", ["Zeta"]),
        ("\u00c9", ["\u00c9migr\u00e9", "\u00e9t\u00e9"]),
    ]
    assert by_letter(()) == ()


def test_glossary_has_letter_index_and_anchors(rendered: Mapping[str, str]) -> None:
    html = rendered["glossary.html"]
    assert '<li><a href="#letter-b">B</a></li>' in html
    assert '<li><span aria-hidden="true">C</span></li>' in html
    assert html.index('id="belt-and-road"') < html.index('id="sco"')
    assert (
        '<h3 class="glossary-heading" id="sco">\n          <dfn class="glossary-term">SCO</dfn>'
        in html
    )
    assert 'href="/briefing/glossary/sco/feed.xml" type="application/atom+xml">Follow SCO' in html
    assert '"@type": "DefinedTermSet"' in html
    assert '<span class="alias">Shanghai Cooperation Organization</span>' in html
    assert 'See also: <a href="/briefing/glossary/#belt-and-road">Belt and Road</a>' in html
    assert 'Defined for <a href="/briefing/putin-xi/">Putin meets Xi</a>' in html
    assert '<li><a href="/briefing/glossary/" aria-current="page">Glossary</a></li>' in html


def test_feed_is_atom(rendered: Mapping[str, str]) -> None:
    atom = "{http://www.w3.org/2005/Atom}"
    feed = ET.fromstring(rendered["feed.xml"].encode("utf-8"))
    assert feed.findtext(f"{atom}updated") == "2022-09-15T00:00:00Z"
    assert feed.findtext(f"{atom}id") == BASE
    entry = feed.find(f"{atom}entry")
    assert entry is not None
    assert entry.findtext(f"{atom}id") == BASE + "putin-xi/"
    assert entry.findtext(f"{atom}summary") == "Why it <em>matters</em>."
    assert entry.findtext(f"{atom}content") == "<p>The body, for feeds.</p>"


def test_sitemap_lists_urls(rendered: Mapping[str, str]) -> None:
    ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    urlset = ET.fromstring(rendered["sitemap.xml"].encode("utf-8"))
    assert [(u.findtext(f"{ns}loc"), u.findtext(f"{ns}lastmod")) for u in urlset] == [
        (BASE, "2022-09-15"),
        (BASE + "tags/russia/", None),
    ]
