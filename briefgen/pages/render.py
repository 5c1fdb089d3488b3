"""Site model -> output files: every page through the theme's templates; pure.

Template mistakes become located diagnostics (the template's path and line), one
per distinct mistake, however many pages hit it.
"""

from __future__ import annotations

import itertools
import traceback
from collections.abc import Hashable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import Any

import jinja2

from briefgen import __version__
from briefgen.build.workers import fork_map
from briefgen.errors import Diagnostic, Location
from briefgen.output import OutputFile
from briefgen.pages.theme import Theme
from briefgen.site.crossrefs import Memo, remember
from briefgen.site.model import Site
from briefgen.site.views import ArticleView, DayGroup, Entry, PageInfo, Pager, TagRef, TagView

FEED_SIZE = 20
PAGE_TEMPLATES = (
    "index.html", "article.html", "glossary.html", "tags.html", "tag.html",
    "404.html", "feed.xml", "sitemap.xml",
)  # fmt: skip


@dataclass(frozen=True)
class Page:
    """A page to render: its template, output path and template variables."""

    template: str
    path: str
    info: PageInfo
    context: Mapping[str, Any] = field(default_factory=dict)


def page_info(site: Site, kind: str, title: str, path: str) -> PageInfo:
    """The PageInfo of an output path ("kharkiv/index.html" is at "kharkiv/")."""
    url_path = path.removesuffix("index.html")
    return PageInfo(kind, title, path, site.config.href(url_path), site.config.abs_url(url_path))


def paginate(entries: tuple[Entry, ...], size: int) -> list[tuple[Entry, ...]]:
    """Split a list into pages of ``size`` (0: one page); an empty list is one empty page."""
    if size <= 0 or len(entries) <= size:
        return [entries]
    return [entries[i : i + size] for i in range(0, len(entries), size)]


def list_pages(
    site: Site, kind: str, title: str, base: str, entries: tuple[Entry, ...]
) -> Iterator[tuple[PageInfo, tuple[Entry, ...]]]:
    """The pages of a paginated list at ``base`` ("" or "tags/x/"): base, base/page/2/, ..."""
    chunks = paginate(entries, site.config.paginate)
    dirs = [base] + [f"{base}page/{n}/" for n in range(2, len(chunks) + 1)]
    for n, chunk in enumerate(chunks):
        pager = None
        if len(chunks) > 1:
            pager = Pager(
                number=n + 1,
                count=len(chunks),
                first_href=site.config.href(base),
                prev_href=site.config.href(dirs[n - 1]) if n > 0 else None,
                next_href=site.config.href(dirs[n + 1]) if n + 1 < len(chunks) else None,
            )
        page_title = title if n == 0 else f"{title}, page {n + 1}"
        info = page_info(site, kind, page_title, f"{dirs[n]}index.html")
        yield replace(info, pager=pager), chunk


def article_page(site: Site, article: ArticleView) -> Page:
    """An article's page."""
    path = f"{article.slug}/index.html"
    info = page_info(site, "article", article.title, path)
    return Page("article.html", path, info, {"article": article})


def front_pages(site: Site) -> tuple[Page, ...]:
    """The front page and its further pages, grouped by day."""
    pages = []
    for info, chunk in list_pages(site, "index", site.config.title, "", site.entries):
        days = tuple(
            DayGroup(date, tuple(group))
            for date, group in itertools.groupby(chunk, key=lambda e: e.date)
        )
        pages.append(Page("index.html", info.path, info, {"days": days}))
    return tuple(pages)


def tag_pages(site: Site, ref: TagRef, entries: tuple[Entry, ...]) -> tuple[Page, ...]:
    """The pages of one tag."""
    pages = []
    for info, chunk in list_pages(site, "tag", f"Tagged {ref.name}", f"tags/{ref.slug}/", entries):
        tag = TagView(ref.name, ref.slug, ref.href, chunk, len(entries))
        pages.append(Page("tag.html", info.path, info, {"tag": tag}))
    return tuple(pages)


def plan_pages(site: Site, memo: Memo | None = None) -> Iterator[Page]:
    """Every page of the site, in a fixed order.

    With a ``memo`` kept between rebuilds, pages whose articles did not change are the
    same objects as last time, which makes comparing them with the last build cheap.
    """
    memo = {} if memo is None else memo
    config = site.config
    yield from remember(memo, "front", (site.entries, config), partial(front_pages, site))
    for article in site.articles:
        page = partial(article_page, site, article)
        yield remember(memo, ("page", article.slug), (article, config), page)
    info = page_info(site, "glossary", "Glossary", "glossary/index.html")
    yield Page("glossary.html", info.path, info, {"terms": site.terms})
    info = page_info(site, "tags", "Tags", "tags/index.html")
    yield Page("tags.html", info.path, info, {"tags": site.tag_refs})
    for ref, entries in site.tags:
        pages = partial(tag_pages, site, ref, entries)
        yield from remember(memo, ("tag", ref.slug), (ref, entries, config), pages)
    yield Page("404.html", "404.html", page_info(site, "404", "Page not found", "404.html"))
    info = page_info(site, "feed", config.title, "feed.xml")
    yield Page("feed.xml", "feed.xml", info, {"articles": site.entries[:FEED_SIZE]})
    urls = [(config.abs_url(""), site.updated)]
    urls += [(a.abs_url, a.date) for a in site.articles]
    urls += [(config.abs_url("glossary/"), site.updated)]
    urls += [(config.abs_url(f"tags/{ref.slug}/"), None) for ref in site.tag_refs]
    info = page_info(site, "sitemap", "", "sitemap.xml")
    yield Page("sitemap.xml", "sitemap.xml", info, {"urls": tuple(urls)})


def template_location(filename: str | None, lineno: int, theme: Theme, site_dir: Path) -> Location:
    """Name a template file as the user knows it: layouts/x.html, or theme:NAME/x.html."""
    if not filename:
        return Location("layouts", lineno)
    path = Path(filename)
    try:
        return Location(path.relative_to(site_dir).as_posix(), lineno)
    except ValueError:
        pass
    for directory in theme.template_dirs:
        try:
            rel = path.relative_to(directory).as_posix()
        except ValueError:
            continue
        return Location(f"theme:{directory.parent.name}/{rel}", lineno)
    return Location(filename, lineno)


def template_error(exc: Exception, theme: Theme, site_dir: Path) -> Diagnostic:
    """A located diagnostic for an exception raised while rendering a template."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        loc = template_location(exc.filename, exc.lineno, theme, site_dir)
        return Diagnostic(
            loc,
            "TPL001",
            f"template syntax error: {exc.message}",
            "check the {% %} and {{ }} tags on this line",
        )
    if isinstance(exc, jinja2.TemplateNotFound):
        return Diagnostic(
            Location("layouts"),
            "TPL003",
            f"template not found: {exc.name}",
            "check the name in extends/include/import",
        )
    frames = [
        f
        for f in traceback.extract_tb(exc.__traceback__)
        if f.filename.endswith((".html", ".xml", ".txt", ".j2"))
    ]
    last = frames[-1] if frames else None
    loc = template_location(
        last.filename if last else None, last.lineno or 0 if last else 0, theme, site_dir
    )
    if isinstance(exc, jinja2.UndefinedError):
        return Diagnostic(
            loc,
            "TPL002",
            f"undefined variable: {exc.message}",
            "check the name, or guard it with {% if ... is defined %}",
        )
    return Diagnostic(
        loc,
        "TPL002",
        f"template error: {type(exc).__name__}: {exc}",
        "check the expression on this line",
    )


PageMemo = dict[str, tuple[object, bytes]]  # output path -> (what it was rendered from, bytes)


def render_page(
    env: jinja2.Environment, theme: Theme, site_dir: Path, page: Page
) -> bytes | Diagnostic:
    """One page's bytes, or the located diagnostic of its template's mistake."""
    try:
        template = env.get_template(page.template)
        return template.render(page=page.info, **page.context).encode("utf-8")
    except Exception as exc:  # any template mistake, reported with its location
        return template_error(exc, theme, site_dir)


def render_pages(
    site: Site,
    env: jinja2.Environment,
    theme: Theme,
    site_dir: Path,
    memo: PageMemo | None = None,
    signatures: Mapping[str, Hashable] | None = None,
    plans: Memo | None = None,
) -> tuple[list[OutputFile], list[Diagnostic], list[str]]:
    """Render every page; template errors are collected, once each.

    With a ``memo`` from the previous build and the templates' ``signatures``, a page
    whose template files and variables are unchanged keeps its bytes. Returns the
    files, the problems and the paths of the pages that were rendered.
    """
    site_key = (site.config, site.updated)
    planned: list[tuple[Page, object, bytes | None]] = []  # page, memo inputs, kept bytes
    for page in plan_pages(site, plans):
        inputs: object = None
        if memo is not None and signatures is not None and page.template in signatures:
            inputs = (signatures[page.template], site_key, page.info, page.context)
            cached = memo.get(page.path)
            if cached is not None and cached[0] == inputs:
                planned.append((page, inputs, cached[1]))
                continue
        planned.append((page, inputs, None))
    todo = [page for page, _, kept in planned if kept is None]
    results = fork_map(partial(render_page, env, theme, site_dir), todo)
    outcomes = {page.path: result for page, result in zip(todo, results, strict=True)}
    files: list[OutputFile] = []
    problems: dict[tuple[Location, str], Diagnostic] = {}
    rendered: list[str] = []
    for page, page_inputs, kept in planned:
        data = kept if kept is not None else outcomes[page.path]
        if isinstance(data, Diagnostic):
            problems.setdefault((data.location, data.message), data)
            continue
        if kept is None:
            rendered.append(page.path)
            if memo is not None and page_inputs is not None:
                memo[page.path] = (page_inputs, data)
        files.append(OutputFile(page.path, data, page.template))
    robots = f"User-agent: *\nAllow: /\nSitemap: {site.config.abs_url('sitemap.xml')}\n"
    files.append(OutputFile("robots.txt", robots.encode("utf-8"), "robots.txt"))
    return files, list(problems.values()), rendered


def template_globals(site: Site) -> dict[str, Any]:
    """Variables every template sees."""
    config = site.config
    return {
        "config": config,
        "url": config.href,
        "abs_url": config.abs_url,
        "site_updated": site.updated,
        "generator": f"briefgen {__version__}",
        "nav": (
            ("Briefings", config.href("")),
            ("Glossary", config.href("glossary/")),
            ("Tags", config.href("tags/")),
        ),
    }
