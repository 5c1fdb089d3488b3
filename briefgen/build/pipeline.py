"""The build pipeline, top to bottom: load, render, link, write.

Two passes, as in MkDocs and Zola: everything is gathered and checked first; the
output is written only when no stage found an error, and then atomically.
``make_files`` is the whole pipeline, one stage a line; the cached stages go through
the one ``Memo`` kept in ``State``, so a rebuild (the dev server's) redoes only what
its changed inputs affect, and gives the same bytes as a cold build.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from briefgen.build.workers import fork_map
from briefgen.errors import BuildFailed, Diagnostic, Location, Reporter, UsageError
from briefgen.markdown.renderer import Rendered, Renderer
from briefgen.memo import Memo
from briefgen.model import Content
from briefgen.output import OutputFile, write_failure, write_site
from briefgen.pages.dependencies import signatures, template_files
from briefgen.pages.passthrough import passthrough_files, passthrough_problems
from briefgen.pages.render import PAGE_TEMPLATES, render_pages
from briefgen.pages.theme import (
    Theme,
    find_theme,
    make_environment,
    static_files,
    theme_problems,
)
from briefgen.site.crossrefs import make_index, signature
from briefgen.site.model import make_site
from briefgen.source.config import SiteConfig, load_config
from briefgen.source.content import load_content
from briefgen.source.files import Sources
from briefgen.urls import BASE_EXAMPLE, make_url_scheme, rebase, url_problem


@dataclass(frozen=True)
class BuildOptions:
    """What the command line may change about a build."""

    drafts: bool = False
    strict: bool = False
    base_url: str | None = None
    origin: str | None = None  # serve: "http://127.0.0.1:8000", keeping base_url's path prefix


@dataclass(frozen=True)
class Counts:
    """What the annotations added up to."""

    articles: int
    notes: int
    terms: int
    links: int


@dataclass(frozen=True)
class BuildResult:
    """What a successful build made, for the summary line."""

    pages: int
    files: tuple[OutputFile, ...]
    counts: Counts
    prefix: str  # the path prefix of base_url, where the site is mounted
    rendered: tuple[str, ...]  # pages rendered (the others were unchanged since the last build)
    seconds: float
    warnings: tuple[Diagnostic, ...] = ()

    def summary(self) -> str:
        """One line: what was written and how long it took."""
        c = self.counts
        return (
            f"built {self.pages} pages ({c.articles} articles, {c.notes} notes, "
            f"{c.terms} terms marked, {c.links} phrase links) in {self.seconds * 1000:.0f} ms"
        )


@dataclass
class State:
    """What one build leaves for the next build of the same site.

    A cold build starts from an empty State; the dev server keeps one, so a rebuild
    reads, parses and renders again only what the changed files affect.
    """

    sources: Sources = field(default_factory=Sources)
    memo: Memo = field(default_factory=Memo)


def site_config(site_dir: Path, options: BuildOptions) -> SiteConfig:
    """site.yaml, with the command line's base URL or the dev server's origin."""
    config = load_config(site_dir)
    if options.base_url is not None:
        problem = url_problem(options.base_url, base=True)
        if problem:
            where, fix = Location("--base-url"), f"for example --base-url {BASE_EXAMPLE}"
            raise UsageError([Diagnostic(where, "URL002", f"--base-url {problem}", fix)])
        config = config.with_base_url(options.base_url)
    if options.origin:
        config = config.with_base_url(rebase(config.base_url, options.origin))
    return config


def render_articles(renderer: Renderer, content: Content, slugs: Iterable[str]) -> list[Rendered]:
    """The bodies of the articles ``slugs``, rendered on every core."""
    articles = {article.slug: article for article in content.articles}
    return fork_map(renderer.render, [articles[slug] for slug in slugs])


def check(reporter: Reporter, rendered: Mapping[str, Rendered], strict: bool) -> list[Diagnostic]:
    """Fail with every problem found so far; else return the warnings, in file order."""
    for result in rendered.values():
        reporter.extend(result.diagnostics)
    if strict and reporter.warnings:
        raise BuildFailed(reporter.diagnostics)
    if reporter.errors:
        raise BuildFailed(reporter.errors)
    return sorted(reporter.warnings, key=Diagnostic.sort_key)


def count(content: Content, rendered: Mapping[str, Rendered]) -> Counts:
    """What the annotations of the site add up to."""
    return Counts(
        articles=len(content.articles),
        notes=sum(len(r.notes) for r in rendered.values()),
        terms=sum(len(r.terms) for r in rendered.values()),
        links=sum(len(a.sidecar.links) for a in content.articles),
    )


def make_files(site_dir: Path, options: BuildOptions, state: State) -> BuildResult:
    """Every output file of the site, in memory; raises BuildFailed with all problems."""
    started, memo = time.perf_counter(), state.memo
    config = site_config(site_dir, options)
    theme = find_theme(site_dir, config.theme, config.theme_location)
    content, reporter = load_content(
        site_dir, config, drafts=options.drafts, sources=state.sources, memo=memo
    )
    urls = memo.get(
        "urls",
        (config.base_url, [key for key, _ in content.owned_terms()]),
        lambda: make_url_scheme(config.base_url, content),
    )
    renderer = memo.get(
        "renderer",
        (config.term_link, content.glossary, urls),
        lambda: Renderer(content.glossary, term_link=config.term_link, urls=urls),
    )
    rendered = memo.map(
        "rendered",
        {article.slug: (renderer, article) for article in content.articles},
        lambda slugs: render_articles(renderer, content, slugs),
    )
    index = memo.get(
        "index",
        (urls, content.glossary, [signature(a, rendered[a.slug]) for a in content.articles]),
        lambda: make_index(urls, content, rendered),
    )
    reporter.extend(index.problems)
    reporter.extend(theme_problems(theme, state.sources))
    reporter.extend(passthrough_problems(site_dir, state.sources))
    site = make_site(config, urls, content, rendered, index, renderer, memo)
    warnings = check(reporter, rendered, options.strict)
    env = memo.get(
        "environment", template_key(theme, state.sources), lambda: make_environment(theme)
    )
    templates = memo.get("templates", env, lambda: signatures(env, PAGE_TEMPLATES))
    pages, problems, fresh = render_pages(site, env, theme, site_dir, templates, memo)
    if problems:
        raise BuildFailed(problems)
    files = pages + static_files(theme, urls, state.sources)
    files += passthrough_files(site_dir, state.sources)
    memo.sweep()
    return BuildResult(
        pages=len(pages),
        files=tuple(files),
        counts=count(content, rendered),
        prefix=urls.prefix,
        rendered=tuple(fresh),
        seconds=time.perf_counter() - started,
        warnings=tuple(warnings),
    )


def template_key(theme: Theme, sources: Sources) -> object:
    """What the Jinja2 environment is made from: the theme and every template file's bytes."""
    return (theme, template_files(theme, sources))


def build(site_dir: Path, out_dir: Path, options: BuildOptions) -> BuildResult:
    """Build the site in ``site_dir`` into ``out_dir``: a cold build, written atomically."""
    result = make_files(site_dir, options, State())
    try:
        write_site(result.files, out_dir, site_dir=site_dir)
    except OSError as exc:
        raise BuildFailed([write_failure(exc, out_dir)]) from None
    return result
