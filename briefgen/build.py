"""The build pipeline, top to bottom: load, render, link, write.

Two passes, as in MkDocs and Zola: everything is gathered and checked first; the
output is written only when no stage found an error, and then atomically.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from briefgen.config import load_config
from briefgen.content import load_content
from briefgen.errors import BuildFailed, Diagnostic
from briefgen.output import OutputFile, write_site
from briefgen.render import render_pages, template_globals
from briefgen.site import Site, make_renderer, make_site
from briefgen.theme import Theme, find_theme, make_environment


@dataclass(frozen=True)
class BuildOptions:
    """What the command line may change about a build."""

    drafts: bool = False
    strict: bool = False
    base_url: str | None = None


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
    files: int
    counts: Counts
    seconds: float
    warnings: tuple[Diagnostic, ...] = ()
    paths: tuple[str, ...] = ()

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
            if path.is_file() and not path.name.startswith("."):
                chosen[path.relative_to(directory).as_posix()] = path
    return [
        OutputFile(f"static/{rel}", path.read_bytes(), f"static/{rel}")
        for rel, path in sorted(chosen.items())
    ]


def load_site(
    site_dir: Path, options: BuildOptions
) -> tuple[Theme, Site, Counts, list[Diagnostic]]:
    """Every stage up to the site model; raises BuildFailed with all problems found.

    Returns the theme, the site model, its counts and the warnings.
    """
    config = load_config(site_dir)
    if options.base_url:
        config = config.with_base_url(options.base_url)
    theme = find_theme(site_dir, config.theme, config.theme_location)
    content, reporter = load_content(site_dir, config, drafts=options.drafts)
    renderer = make_renderer(config, content)
    rendered = {article.slug: renderer.render(article) for article in content.articles}
    for result in rendered.values():
        reporter.extend(result.diagnostics)
    site, problems = make_site(config, content, rendered, renderer)
    reporter.extend(problems)
    if options.strict and reporter.warnings:
        raise BuildFailed(reporter.diagnostics)
    if reporter.errors:
        raise BuildFailed(reporter.errors)
    counts = Counts(
        articles=len(content.articles),
        notes=sum(len(r.notes) for r in rendered.values()),
        terms=sum(len(r.terms) for r in rendered.values()),
        links=sum(len(a.links) for a in content.articles),
    )
    return theme, site, counts, sorted(reporter.warnings, key=Diagnostic.sort_key)


def build(site_dir: Path, out_dir: Path, options: BuildOptions) -> BuildResult:
    """Build the site in ``site_dir`` into ``out_dir``."""
    started = time.perf_counter()
    theme, site, counts, warnings = load_site(site_dir, options)
    env = make_environment(theme, template_globals(site))
    pages, problems = render_pages(site, env, theme, site_dir)
    if problems:
        raise BuildFailed(problems)
    files = pages + static_files(theme)
    write_site(files, out_dir, site_dir=site_dir)
    return BuildResult(
        pages=len(pages),
        files=len(files),
        counts=counts,
        seconds=time.perf_counter() - started,
        warnings=tuple(warnings),
        paths=tuple(f.path for f in files),
    )
