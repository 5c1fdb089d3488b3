"""The build pipeline, top to bottom: load, render, link, write.

Two passes, as in MkDocs and Zola: everything is gathered and checked first; the
output is written only when no stage found an error, and then atomically.
``make_files`` is the whole pipeline, one stage a line; the cached stages go through
the one ``Memo`` kept in ``State``, so a rebuild (the dev server's) redoes only what
its changed inputs affect, and gives the same bytes as a cold build.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from briefgen.build.annotations import annotation_files
from briefgen.build.diskcache import DiskCache, digest
from briefgen.build.problems import check, check_image, in_file_order, quoted
from briefgen.build.progress import Progress
from briefgen.build.reuse import Digests, keep_records, previous
from briefgen.build.search import index_folder, index_pages
from briefgen.build.spill import Spill
from briefgen.build.workers import fork_map, process_count
from briefgen.errors import BuildFailed, Diagnostic, Location, Reporter, UsageError
from briefgen.markdown.renderer import Rendered, Renderer
from briefgen.memo import Memo
from briefgen.model import Article, Content
from briefgen.output import OutputFile, Stage
from briefgen.pages.dependencies import signatures, template_files
from briefgen.pages.passthrough import passthrough_files, passthrough_problems
from briefgen.pages.render import PAGE_TEMPLATES, render_pages
from briefgen.pages.theme import (
    Theme,
    find_theme_or_default,
    make_environment,
    static_files,
    theme_problems,
)
from briefgen.site.crossrefs import make_index, signature
from briefgen.site.drift import check_drift
from briefgen.site.model import make_site
from briefgen.source.config import SiteConfig, read_config
from briefgen.source.content import load_content, whole
from briefgen.source.files import Sources
from briefgen.source.lockfile import Lock, read_lock
from briefgen.staging import write_failure
from briefgen.urlcheck import BASE_EXAMPLE, url_problem
from briefgen.urls import make_url_scheme, rebase


@dataclass(frozen=True)
class BuildOptions:
    """What the command line may change about a build."""

    drafts: bool = False
    strict: bool = False
    base_url: str | None = None
    origin: str | None = None  # serve: "http://127.0.0.1:8000", keeping base_url's path prefix
    fingerprint: bool = True  # content-hashed names for stylesheets and scripts
    search_in_memory: bool = False  # serve: index the pages in memory (build: the staged folder)
    jobs: int | None = None  # processes for the heavy stages (None: one per usable CPU)
    cache: bool = True  # build: keep results in the site's .briefgen-cache/ between builds
    progress: Progress | None = None  # where a long build shows its stage and count


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
    search: bool = True  # site.yaml's search: whether the build gets Pagefind's index
    lock: Lock = field(default_factory=dict)  # where quotes landed (``site.drift.lock_of``)

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


def site_config(site_dir: Path, options: BuildOptions) -> tuple[SiteConfig, list[Diagnostic]]:
    """site.yaml, with the command line's base URL or the dev server's origin; its problems.

    A value that is wrong takes its default, so that the rest of the site is checked.
    """
    config, problems = read_config(site_dir)
    if options.base_url is not None:
        problem = url_problem(options.base_url, base=True)
        if problem:
            where, fix = Location("--base-url"), f"for example --base-url {BASE_EXAMPLE}"
            raise UsageError([Diagnostic(where, "URL002", f"--base-url {problem}", fix)])
        config = config.with_base_url(options.base_url)
    if options.origin:
        config = config.with_base_url(rebase(config.base_url, options.origin))
    return config, problems


def render_whole(site_dir: Path, renderer: Renderer, article: Article) -> Rendered:
    """An article's rendering, a light article's body read again first."""
    return renderer.render(whole(site_dir, article))


def render_articles(
    site_dir: Path,
    renderer: Renderer,
    content: Content,
    slugs: Sequence[str],
    options: BuildOptions,
    spill: Spill | None = None,
) -> list[Rendered]:
    """The bodies of the articles ``slugs``, rendered on every core (and kept on disk by
    the workers, light copies returned, with a ``spill``)."""
    articles = {article.slug: article for article in content.articles}
    advance = progress_of(options).stage("rendering articles", len(slugs))
    processes = process_count(len(slugs), options.jobs)
    render_one = partial(render_whole, site_dir, renderer)
    if spill is None:
        return fork_map(render_one, [articles[slug] for slug in slugs], processes, advance)
    try:
        render = partial(spill.render, render_one)
        light = fork_map(render, [articles[slug] for slug in slugs], processes, advance)
        return [spill.attach(r, articles[slug]) for r, slug in zip(light, slugs, strict=True)]
    finally:
        spill.close()


def spill_of(
    site_dir: Path,
    stage: Stage | None,
    memo: Memo,
    name: Callable[[str], str],
    renderer: Renderer,
    content: Content,
) -> Spill | None:
    """Where a build keeps its renderings (``build.spill``): the staging folder's scratch
    folder, or the build cache; None in memory (serve, or an output folder that cannot
    be used, reported when the pages are written)."""
    if stage is None:
        return None
    articles = {article.slug: article for article in content.articles}
    try:
        return Spill(
            stage.scratch(),
            memo.store,
            name,
            lambda slug: render_whole(site_dir, renderer, articles[slug]),
        )
    except BuildFailed:
        return None


def rendered_name(config: SiteConfig, content: Content) -> Callable[[str], str]:
    """The name of an article's rendering in the disk cache: of all the renderer's inputs
    (the settings, the glossary, the URL scheme's) and of the article."""
    rendering = digest("renderer", config.term_link, config.markdown, content.glossary,
                       config.base_url, [key for key, _ in content.owned_terms()])  # fmt: skip
    articles = {article.slug: article for article in content.articles}
    return lambda slug: digest("rendered", rendering, articles[slug])


def progress_of(options: BuildOptions) -> Progress:
    """Where the build shows its progress (nowhere, unless the command line says)."""
    return options.progress or Progress(None)


def count(content: Content, rendered: Mapping[str, Rendered]) -> Counts:
    """What the annotations of the site add up to (one pass: a rebuild makes it too)."""
    notes = terms = links = 0
    for article in content.articles:
        result = rendered[article.slug]
        notes += len(result.notes)
        terms += len(result.terms)
        links += len(article.sidecar.links)
    return Counts(articles=len(content.articles), notes=notes, terms=terms, links=links)


def make_files(
    site_dir: Path, options: BuildOptions, state: State, stage: Stage | None = None
) -> BuildResult:
    """Every output file of the site; raises BuildFailed (or ConfigError) with all problems.

    The files are in memory, but with a ``stage``: pages and annotation files are then
    written into its staging folder by the workers that make them (marked staged).
    """
    started, memo, configuration = time.perf_counter(), state.memo, Reporter()
    config, problems = site_config(site_dir, options)
    theme, unknown = find_theme_or_default(site_dir, config.theme, config.theme_location)
    configuration.extend([*problems, *unknown])
    content, reporter = load_content(
        site_dir, config, drafts=options.drafts, sources=state.sources, memo=memo,
        jobs=options.jobs, progress=progress_of(options),
    )  # fmt: skip
    urls = memo.get(
        "urls",
        (config.base_url, [key for key, _ in content.owned_terms()]),
        lambda: make_url_scheme(config.base_url, content),
    )
    renderer = memo.get(
        "renderer",
        (config.term_link, config.markdown, content.glossary, urls),
        lambda: Renderer(
            content.glossary, term_link=config.term_link, urls=urls, markdown=config.markdown
        ),
    )
    name = rendered_name(config, content)
    spill = spill_of(site_dir, stage, memo, name, renderer, content)
    rendered = memo.map(
        "rendered",
        {article.slug: (renderer, article) for article in content.articles},
        lambda slugs: render_articles(site_dir, renderer, content, slugs, options, spill),
        stored=name if memo.store is not None and spill is None else None,
    )
    index = memo.get(
        "index",
        (urls, content.glossary, content.unloaded, content.drafts,
         signatures_of(content, rendered, memo)),
        lambda: make_index(urls, content, rendered),
    )  # fmt: skip
    reporter.extend_quoted(quoted(index.problems, reporter, memo))
    reporter.extend(theme_problems(theme, state.sources))
    reporter.extend(passthrough_problems(site_dir, state.sources))
    reporter.extend(d for result in rendered.values() for d in result.diagnostics)
    lock, found = read_lock(site_dir, state.sources, memo)
    reporter.merge(found)
    drifted, landed = check_drift(lock, rendered, content.drafts, memo)
    reporter.extend(drifted)
    site = make_site(config, urls, content, rendered, index, renderer, memo)
    env = memo.get(
        "environment", template_key(theme, state.sources), lambda: make_environment(theme)
    )
    templates = memo.get("templates", env, lambda: signatures(env, PAGE_TEMPLATES))
    assets = static_files(theme, urls, state.sources, fingerprint=options.fingerprint)
    pages, problems, fresh = render_pages(
        site, env, theme, site_dir, templates, memo, assets.hrefs, jobs=options.jobs,
        progress=progress_of(options), stage=stage,
    )  # fmt: skip
    reporter.extend([*problems, *check_image(config, assets.files)])
    warnings = in_file_order(check(reporter, configuration, options.strict), memo)
    taken = [f.path for f in pages]
    files = pages + annotation_files(
        urls, config, content, rendered, memo, stage, taken, options.jobs
    )
    files += list(assets.files)
    files += passthrough_files(site_dir, state.sources)
    if options.search_in_memory and config.search:
        html = tuple((f.path, f.data) for f in pages if f.path.endswith(".html"))
        files += memo.get("search", html, lambda: index_pages(html))
    memo.sweep()
    return BuildResult(
        pages=len(pages),
        files=tuple(files),
        counts=count(content, rendered),
        prefix=urls.prefix,
        rendered=tuple(fresh),
        seconds=time.perf_counter() - started,
        warnings=tuple(warnings),
        search=config.search,
        lock=landed,
    )


def signatures_of(content: Content, rendered: Mapping[str, Rendered], memo: Memo) -> list[object]:
    """Every article's ``signature``, made again only for the articles that changed."""
    articles = {a.slug: a for a in content.articles}
    found = memo.map(
        "signature",
        {a.slug: (a, rendered[a.slug]) for a in content.articles},
        lambda slugs: [signature(articles[slug], rendered[slug]) for slug in slugs],
    )
    return list(found.values())


def template_key(theme: Theme, sources: Sources) -> object:
    """What the Jinja2 environment is made from: the theme and every template file's bytes."""
    return (theme, template_files(theme, sources))


def build(site_dir: Path, out_dir: Path, options: BuildOptions) -> BuildResult:
    """Build the site in ``site_dir`` into ``out_dir``: a cold build, written atomically.

    Pagefind indexes the staged build before it is swapped in (``search.index_folder``),
    unless site.yaml says ``search: false``.
    """
    progress = progress_of(options)

    def index(staging: Path) -> None:
        progress.stage("indexing for search")
        index_folder(staging)

    try:
        with Stage(out_dir, site_dir) as stage:
            store = DiskCache(site_dir) if options.cache else None
            if store is not None:  # link the last build's unchanged files (build.reuse)
                stage.recording, stage.previous = Digests(), previous(store, out_dir)
            state = State(Sources(keep=False), Memo(store, keep=False))  # nothing kept for later
            result = make_files(site_dir, options, state, stage)
            progress.stage("writing")
            stage.commit(result.files, index if result.search else None)
            if store is not None:
                keep_records(store, out_dir, list(result.files))
    except OSError as exc:
        raise BuildFailed([write_failure(exc, out_dir)]) from None
    finally:
        progress.finish()
    return result
