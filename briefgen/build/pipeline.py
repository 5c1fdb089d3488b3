"""The build pipeline, top to bottom: load, render, link, write.

Two passes, as in MkDocs and Zola: everything is gathered and checked first; the
output is written only when no stage found an error, and then atomically.
"""

from __future__ import annotations

import time
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import jinja2

from briefgen.build.workers import fork_map
from briefgen.errors import BuildFailed, Diagnostic
from briefgen.markdown.renderer import Rendered, Renderer
from briefgen.model import Article, Content
from briefgen.output import OutputFile, write_site
from briefgen.pages.dependencies import signatures, template_files
from briefgen.pages.render import PAGE_TEMPLATES, PageMemo, render_pages, template_globals
from briefgen.pages.theme import Theme, find_theme, make_environment
from briefgen.site.crossrefs import Memo, remember, term_ids
from briefgen.site.model import Site, make_renderer, make_site
from briefgen.source.config import SiteConfig, load_config
from briefgen.source.content import Sources, load_content
from briefgen.tempnames import is_temp_file


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


def static_files(theme: Theme) -> list[OutputFile]:
    """The theme's and the site's static files under static/, later folders winning."""
    chosen: dict[str, Path] = {}
    for directory in theme.static_dirs:
        if not directory.is_dir():
            continue
        for path in sorted(directory.rglob("*")):
            if path.is_file() and not any(
                is_temp_file(p) for p in path.relative_to(directory).parts
            ):
                chosen[path.relative_to(directory).as_posix()] = path
    return [
        OutputFile(f"static/{rel}", path.read_bytes(), f"static/{rel}")
        for rel, path in sorted(chosen.items())
    ]


@dataclass
class State:
    """What one build leaves for the next build of the same site: pure results, by input.

    A cold build starts from an empty State; the dev server keeps one, so a rebuild
    reads, parses and renders again only what the changed files affect. Every cached
    result is reused only when its inputs compare equal, so the output is the same
    bytes a cold build makes.
    """

    sources: Sources = field(default_factory=Sources)
    renderer: tuple[Hashable, Renderer] | None = None
    rendered: dict[str, tuple[Article, Rendered]] = field(default_factory=dict)
    environment: tuple[Hashable, jinja2.Environment, dict[str, Hashable]] | None = None
    views: Memo = field(default_factory=dict)
    plans: Memo = field(default_factory=dict)
    pages: PageMemo = field(default_factory=dict)

    def renderer_for(self, config: SiteConfig, content: Content) -> Renderer:
        """The Markdown renderer, made again only when the glossary or settings change."""
        key = (config, content.glossary, tuple(term_ids(content).items()))
        if self.renderer is None or self.renderer[0] != key:
            self.renderer = (key, make_renderer(config, content))
            self.rendered.clear()
        return self.renderer[1]

    def render(self, renderer: Renderer, articles: Sequence[Article]) -> dict[str, Rendered]:
        """Every article's body, rendered again (on every core) only when it changed."""
        todo = []
        for article in articles:
            cached = self.rendered.get(article.slug)
            if cached is None or (cached[0] is not article and cached[0] != article):
                todo.append(article)
        for article, result in zip(todo, fork_map(renderer.render, todo), strict=True):
            self.rendered[article.slug] = (article, result)
        return {article.slug: self.rendered[article.slug][1] for article in articles}

    def environment_for(self, theme: Theme) -> tuple[jinja2.Environment, dict[str, Hashable]]:
        """The Jinja2 environment and page-template signatures, new when a template changed."""
        dirs = (*theme.template_dirs, theme.default_templates, theme.theme_templates)
        key = (theme, template_files(dirs))
        if self.environment is None or self.environment[0] != key:
            env = make_environment(theme, {})
            self.environment = (key, env, signatures(env, PAGE_TEMPLATES))
        return self.environment[1], self.environment[2]


def count(content: Content, rendered: Mapping[str, Rendered]) -> Counts:
    """What the annotations of the site add up to."""
    return Counts(
        articles=len(content.articles),
        notes=sum(len(r.notes) for r in rendered.values()),
        terms=sum(len(r.terms) for r in rendered.values()),
        links=sum(len(a.links) for a in content.articles),
    )


def load_site(
    site_dir: Path, options: BuildOptions, state: State
) -> tuple[Theme, Site, Counts, list[Diagnostic]]:
    """Every stage up to the site model; raises BuildFailed with all problems found.

    Returns the theme, the site model, its counts and the warnings.
    """
    config = load_config(site_dir)
    if options.base_url:
        config = config.with_base_url(options.base_url)
    if options.origin:
        config = config.with_base_url(options.origin + config.prefix)
    theme = find_theme(site_dir, config.theme, config.theme_location)
    content, reporter = load_content(site_dir, config, drafts=options.drafts, sources=state.sources)
    renderer = state.renderer_for(config, content)
    rendered = state.render(renderer, content.articles)
    for result in rendered.values():
        reporter.extend(result.diagnostics)
    site, problems = make_site(config, content, rendered, renderer, state.views)
    reporter.extend(problems)
    if options.strict and reporter.warnings:
        raise BuildFailed(reporter.diagnostics)
    if reporter.errors:
        raise BuildFailed(reporter.errors)
    counts = remember(
        state.views, "counts", tuple(rendered.values()), partial(count, content, rendered)
    )
    return theme, site, counts, sorted(reporter.warnings, key=Diagnostic.sort_key)


def make_files(site_dir: Path, options: BuildOptions, state: State) -> BuildResult:
    """Every output file of the site, in memory; raises BuildFailed with all problems."""
    started = time.perf_counter()
    theme, site, counts, warnings = load_site(site_dir, options, state)
    env, page_signatures = state.environment_for(theme)
    env.globals.update(template_globals(site))
    pages, problems, rendered = render_pages(
        site, env, theme, site_dir, state.pages, page_signatures, state.plans
    )
    if problems:
        raise BuildFailed(problems)
    files = pages + static_files(theme)
    return BuildResult(
        pages=len(pages),
        files=tuple(files),
        counts=counts,
        prefix=site.config.prefix,
        rendered=tuple(rendered),
        seconds=time.perf_counter() - started,
        warnings=tuple(warnings),
    )


def build(site_dir: Path, out_dir: Path, options: BuildOptions) -> BuildResult:
    """Build the site in ``site_dir`` into ``out_dir``: a cold build, written atomically."""
    result = make_files(site_dir, options, State())
    write_site(result.files, out_dir, site_dir=site_dir)
    return result
