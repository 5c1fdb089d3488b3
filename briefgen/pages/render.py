"""Pages through the theme's templates: the site model -> output files; pure.

Template mistakes become located diagnostics (the template's path and line), one
per distinct mistake, however many pages hit it. The variables every template sees
(``template_globals``) are passed at render time with the page's own; the Jinja2
environment, kept between builds, is never changed after it is made.
"""

from __future__ import annotations

import datetime as dt
import traceback
from collections.abc import Callable, Hashable, Mapping, Sequence
from functools import partial
from pathlib import Path
from typing import Any

import jinja2
from jinja2.exceptions import SecurityError

from briefgen import __version__
from briefgen.build.progress import Progress
from briefgen.build.reuse import Record, record_of
from briefgen.build.workers import fork_map, process_count
from briefgen.errors import Diagnostic, Location
from briefgen.memo import Memo
from briefgen.output import OutputFile, Stage, writable
from briefgen.pages.feeds import json_feed
from briefgen.pages.metadata import Metadata
from briefgen.pages.plan import Page, plan_pages
from briefgen.pages.theme import TemplateFileError, Theme
from briefgen.site.model import Site
from briefgen.source.config import SiteConfig
from briefgen.urls import UrlScheme

PAGE_TEMPLATES = (
    "index.html", "article.html", "glossary.html", "tags.html", "tag.html", "search.html",
    "404.html", "feed.xml", "feed.json", "sitemap.xml",
)  # fmt: skip


class UnknownAsset(LookupError):
    """A template asked for a stylesheet or script that no static folder has."""


def asset_href(hrefs: Mapping[str, str], name: str) -> str:
    """The published (content-hashed) address of the stylesheet or script ``name``."""
    try:
        return hrefs[name]
    except KeyError:
        known = ", ".join(sorted(hrefs)) or "none"
        raise UnknownAsset(f"no stylesheet or script static/{name} (known: {known})") from None


def template_globals(
    config: SiteConfig,
    urls: UrlScheme,
    updated: dt.date | None,
    assets: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """Variables every template sees: the settings, links, and the newest briefing's date."""
    return {
        "config": config,
        "url": urls.href,
        "abs_url": urls.abs_url,
        "asset": partial(asset_href, assets or {}),
        "meta": Metadata(config, urls),
        "json_feed": partial(json_feed, config=config),
        "site_updated": updated,
        "generator": f"briefgen {__version__}",
        "nav": (
            ("Briefings", urls.front().href),
            ("Glossary", urls.glossary.href),
            ("Tags", urls.tags.href),
        ),
        "feeds": {"atom": urls.feed.href, "json": urls.json_feed.href},
        "search_href": urls.search.href if config.search else None,
        "search_bundle": urls.search_bundle.href if config.search else None,
    }


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
    if isinstance(exc, TemplateFileError):
        return exc.diagnostic
    if isinstance(exc, jinja2.TemplateSyntaxError):
        loc = template_location(exc.filename, exc.lineno, theme, site_dir)
        return Diagnostic(
            loc,
            "TPL001",
            f"template syntax error: {exc.message}",
            "check the {% %} and {{ }} tags on this line",
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
    if isinstance(exc, jinja2.TemplateNotFound):
        names = ", ".join(repr(name) for name in getattr(exc, "templates", [exc.name]))
        return Diagnostic(
            loc,
            "TPL003",
            f"template not found: {names}",
            "check the name in extends/include/import: layouts/ and the theme's templates/ "
            "are searched, default/NAME and theme/NAME reach a theme's own",
        )
    if isinstance(exc, SecurityError):
        return Diagnostic(
            loc,
            "TPL004",
            f"the template reaches beyond what briefgen passes it: {str(exc).rstrip('.')}",
            "use only the variables, filters and functions listed in the README (Theming)",
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


def render_page(
    env: jinja2.Environment,
    theme: Theme,
    site_dir: Path,
    variables: Mapping[str, Any],
    page: Page,
) -> bytes | Diagnostic:
    """One page's bytes, or the located diagnostic of its template's mistake."""
    try:
        template = env.get_template(page.template)
        context = {**variables, "page": page.info, "page_context": page.context, **page.context}
        return template.render(context).encode("utf-8")
    except Exception as exc:  # any template mistake, reported with its location
        if isinstance(exc, OSError) and not isinstance(exc, jinja2.TemplateError):
            raise  # the system's (a kept rendering read back), not the template's
        return template_error(exc, theme, site_dir)


def stage_page(
    render: Callable[[Page], bytes | Diagnostic],
    stage: Stage,
    paths: set[str],
    item: tuple[Page, Hashable],
) -> bytes | Diagnostic | OSError | Record | None:
    """Render a page and, when its path may be written, write it into the staging folder.

    Runs in a worker: only what went wrong comes back (None: the page is staged), so
    that no page's bytes pass between processes. A stage that records its files gets
    the page's record, and links the last build's file when its inputs are the same
    (``build.reuse``).
    """
    page, inputs = item
    try:
        name = stage.recording("page", inputs) if stage.recording else ""
        if stage.previous is not None and page.path in paths:
            linked = stage.previous.link(stage, page.path, name)
            if linked is not None:
                return linked
        data = render(page)
        if isinstance(data, Diagnostic) or page.path not in paths:
            return data
        stage.write(page.path, data)
    except OSError as exc:
        return exc
    return record_of(stage, page.path, name) if stage.recording else None


def render_pages(
    site: Site,
    env: jinja2.Environment,
    theme: Theme,
    site_dir: Path,
    signatures: Mapping[str, Hashable],
    memo: Memo,
    assets: Mapping[str, str] | None = None,
    *,
    jobs: int | None = None,
    progress: Progress | None = None,
    stage: Stage | None = None,
) -> tuple[list[OutputFile], list[Diagnostic], list[str]]:
    """Render every page (on every core); template errors are collected, once each.

    A page whose template files (``signatures``) and variables are unchanged keeps its
    bytes. With a ``stage``, the workers write the pages into it (``stage_page``) and
    the files returned are marked staged, without their bytes. Returns the files, the
    problems and the paths of the pages rendered now.
    """
    variables = template_globals(site.config, site.urls, site.updated, assets)
    settings = (site.config, site.urls, site.updated, tuple(sorted((assets or {}).items())))
    # the last build's object while equal, so that each page compares it by identity
    site_key = memo.get("site key", settings, lambda: settings)
    pages: dict[Hashable, Page] = {}
    for page in plan_pages(site, memo):  # a path planned twice is kept, for the output's check
        pages[page.path if page.path not in pages else (page.path, len(pages))] = page
    inputs = {
        key: (signatures.get(page.template, object()), site_key, page.info, page.context)
        for key, page in pages.items()
    }
    rendered: list[str] = []

    def render_all(keys: Sequence[Hashable]) -> list[bytes | Diagnostic | OSError | Record | None]:
        todo = [pages[key] for key in keys]
        rendered.extend(page.path for page in todo)
        advance = (progress or Progress(None)).stage("rendering pages", len(todo))
        processes = process_count(len(todo), jobs)
        render = partial(render_page, env, theme, site_dir, variables)
        if stage is None:
            return fork_map(render, todo, processes, advance)
        stage.open()
        staged = partial(stage_page, render, stage, writable([p.path for p in todo]))
        shared: dict[str, str] = {}  # each template's and the site's part, digested once
        if stage.recording:
            shared = {
                t: stage.recording(signatures.get(t), site_key) for t in {p.template for p in todo}
            }
        items = [(p, (shared.get(p.template), p.info, p.context)) for p in todo]
        return fork_map(staged, items, processes, advance)

    results = memo.map("page", inputs, render_all)
    files: list[OutputFile] = []
    problems: dict[tuple[Location, str], Diagnostic] = {}
    for key, data in results.items():
        if isinstance(data, OSError):
            raise data
        if isinstance(data, Diagnostic):
            problems.setdefault((data.location, data.message), data)
        elif isinstance(data, bytes):
            page = pages[key]
            files.append(OutputFile(page.path, data, page.template))
        else:
            page = pages[key]
            files.append(OutputFile(page.path, b"", page.template, staged=True, record=data))
    robots = site.urls.robots
    text = f"User-agent: *\nAllow: /\nSitemap: {site.urls.sitemap.url}\n"
    files.append(OutputFile(robots.path, text.encode("utf-8"), "robots.txt"))
    return files, list(problems.values()), rendered
