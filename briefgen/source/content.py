"""Discover and load articles, sidecars and the glossary under content/.

This is the only stage that reads content files. It returns the ``Content`` model
and every problem found; it never stops at the first one. What it parses from a
file's bytes is kept in the build's ``Memo``, so a rebuild parses only what changed.

A one-off build (a ``Memo`` that keeps nothing) loads the articles on every core
(``build.workers.fork_map``): each worker reads, decodes and parses its share and
sends back *light* articles, without their bodies (``model.Article``), and their
diagnostics, each already quoting its source line. So the main process, which the
later workers are forked from, holds neither the bodies nor the files' texts: the
workers that render an article read its body again (``whole``), and a diagnostic
made later quotes its line from the file read again (``Reporter.remember_later``),
both only while the file's bytes are still the ones loaded.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path

from briefgen.build.diskcache import digest
from briefgen.build.progress import Progress
from briefgen.build.workers import fork_map, process_count
from briefgen.errors import BuildFailed, Diagnostic, Location, Reporter
from briefgen.memo import Memo
from briefgen.model import Article, Content, Term
from briefgen.source.config import SiteConfig
from briefgen.source.files import AsLoaded, Sources, file_digest, read_text, text_again
from briefgen.source.glossary import check_terms, parse_glossary
from briefgen.source.safefs import Refused
from briefgen.source.sidecar import parse_sidecar
from briefgen.source.yamlio import load_yaml
from briefgen.urls import SLUG_RE, slugify

CONTENT_DIR = "content"
ARTICLE_SUFFIXES = (".md", ".txt")
SIDECAR_SUFFIXES = (".yaml", ".yml")


def glossary_terms(data: bytes, rel: str) -> tuple[tuple[Term, ...], Reporter]:
    """The glossary file's terms and problems, from its bytes; pure."""
    reporter = Reporter()
    text = read_text(data, rel, reporter)
    if text is None:
        return (), reporter
    doc, problems = load_yaml(rel, text)
    reporter.extend(problems)
    if doc is None:
        return (), reporter
    problems = []
    terms = parse_glossary(doc, problems)
    reporter.extend(problems)
    return terms, reporter


def load_glossary(
    site_dir: Path, config: SiteConfig, sources: Sources, memo: Memo, reporter: Reporter
) -> tuple[Term, ...]:
    """Load content/<glossary>; a missing glossary is an empty one."""
    path = site_dir / CONTENT_DIR / config.glossary
    rel = f"{CONTENT_DIR}/{config.glossary}"
    try:
        data = sources.read(site_dir, path)
    except Refused as refused:
        if not refused.missing:
            reporter.extend([refused.diagnostic])
        return ()
    terms, found = memo.get(("glossary", rel), data, lambda: glossary_terms(data, rel))
    reporter.merge(found)
    return terms


@dataclass(frozen=True)
class Pair:
    """An article file and its sidecar, with their site-relative paths."""

    path: Path
    rel: str
    sidecar: Path | None
    sidecar_rel: str | None


def pair_files(
    site_dir: Path, files: list[Path], reporter: Reporter, refused: Iterable[Path] = ()
) -> list[Pair]:
    """Match articles with sidecars; report bad slugs, duplicates and orphan sidecars.

    ``refused``: files found but not read (their problem is reported): no sidecar of
    theirs is an orphan.
    """
    listed = set(files) | set(refused)
    refused_sidecars = {p.with_suffix("") for p in refused if p.suffix in SIDECAR_SUFFIXES}
    sidecars: dict[Path, Path] = {}
    for path in files:
        if path.suffix in SIDECAR_SUFFIXES:
            other = sidecars.setdefault(path.with_suffix(""), path)
            if other != path:
                first, second = (q.relative_to(site_dir).as_posix() for q in (other, path))
                reporter.error(
                    Location(second),
                    "CNT012",
                    f"{first} and {second} are both sidecars of {path.stem}",
                    f"merge them into {first} and remove {second}",
                )
    pairs: list[Pair] = []
    seen: dict[str, str] = {}
    for path in files:
        if path.suffix not in ARTICLE_SUFFIXES:
            continue
        rel = path.relative_to(site_dir).as_posix()
        slug = path.stem
        if not SLUG_RE.match(slug):
            reporter.error(
                Location(rel),
                "CNT002",
                f"'{path.name}' does not give a valid slug",
                f"rename it to {slugify(slug) or 'article'}{path.suffix}: lowercase letters, "
                "digits and hyphens",
            )
            continue
        if slug in seen:
            reporter.error(
                Location(rel),
                "CNT001",
                f"slug '{slug}' is used by both {seen[slug]} and {rel}",
                "rename one of the two files; slugs are unique across content/",
            )
            continue
        seen[slug] = rel
        sidecar = sidecars.pop(path.with_suffix(""), None)
        if sidecar is None and path.with_suffix("") in refused_sidecars:
            continue  # its sidecar cannot be read, and that is reported
        side_rel = sidecar.relative_to(site_dir).as_posix() if sidecar else None
        pairs.append(Pair(path, rel, sidecar, side_rel))
    for stem, sidecar in sorted(sidecars.items()):
        if not any(stem.with_suffix(suffix) in listed for suffix in ARTICLE_SUFFIXES):
            rel = sidecar.relative_to(site_dir).as_posix()
            reporter.error(
                Location(rel),
                "CNT003",
                f"sidecar {rel} has no article",
                f"add {stem.name}.md or {stem.name}.txt beside it, or remove it",
            )
    return pairs


def article_of(
    slug: str, rel: str, data: bytes, side_rel: str | None, side_data: bytes | None
) -> tuple[Article | None, Reporter]:
    """An article and its sidecar, from their bytes, with the problems found; pure."""
    reporter = Reporter()
    body = read_text(data, rel, reporter)
    if body is None:
        return None, reporter
    if side_rel is None or side_data is None:
        reporter.error(
            Location(rel),
            "CNT005",
            f"{rel} has no sidecar",
            f"create {rel.rsplit('.', 1)[0]}.yaml with at least 'date: YYYY-MM-DD'",
        )
        return None, reporter
    side = read_text(side_data, side_rel, reporter)
    if side is None:
        return None, reporter
    doc, problems = load_yaml(side_rel, side)
    reporter.extend(problems)
    if doc is None:
        return None, reporter
    sidecar, problems = parse_sidecar(doc, slug)
    reporter.extend(problems)
    if sidecar is None:
        return None, reporter
    return Article(slug, rel, rel.rsplit(".", 1)[1], body, sidecar), reporter


def light_article_of(
    slug: str, rel: str, data: bytes, side_rel: str | None, side_data: bytes | None
) -> tuple[Article | None, Reporter]:
    """``article_of``, light: the article without its body, the problems without the
    files' texts (each diagnostic has quoted its line already); pure."""
    article, found = article_of(slug, rel, data, side_rel, side_data)
    if article is not None:
        article = replace(article, body=None, digest=file_digest(data))
    return article, Reporter(found.diagnostics)


Loaded = tuple[Article | None, Reporter, tuple[tuple[str, str], ...]]


def load_article(site_dir: Path, sources: Sources, memo: Memo, light: bool, pair: Pair) -> Loaded:
    """Read one article and its sidecar (parsed again only when their bytes changed):
    the article, the problems found and, ``light``, the article without its body and
    the problems without the texts, with the digests of the files read (to read again)."""
    try:
        data = sources.read(site_dir, pair.path)
        side_data = sources.read(site_dir, pair.sidecar) if pair.sidecar else None
    except Refused as refused:
        return None, Reporter([refused.diagnostic]), ()
    inputs = (data, pair.sidecar_rel, side_data)
    load = light_article_of if light else article_of
    article, found = memo.get(
        ("article", pair.rel),
        inputs,
        lambda: load(pair.path.stem, pair.rel, data, pair.sidecar_rel, side_data),
        stored=lambda: digest("light article" if light else "article", pair.rel, *inputs),
    )
    if not light:
        return article, found, ()
    read = [(pair.rel, data), (pair.sidecar_rel, side_data)]
    files = tuple((rel, file_digest(data)) for rel, data in read if rel and data is not None)
    return article, found, files


def whole(site_dir: Path, article: Article) -> Article:
    """The article with its body: a light article's read again, the bytes it was loaded
    from; raises BuildFailed (CNT013) when the file changed since."""
    if article.body is not None:
        return article
    body = text_again(site_dir, site_dir / article.path, article.digest)
    if body is None:
        message = f"{article.path} changed while the site was being built"
        raise BuildFailed([Diagnostic(Location(article.path), "CNT013", message, "build again")])
    return replace(article, body=body)


def load_content(
    site_dir: Path,
    config: SiteConfig,
    *,
    drafts: bool,
    sources: Sources | None = None,
    memo: Memo | None = None,
    jobs: int | None = None,
    progress: Progress | None = None,
) -> tuple[Content, Reporter]:
    """Load every article with its sidecar, and the glossary; drafts only when asked.

    A rebuild passes the ``sources`` and ``memo`` of the last build; a cold load needs none.
    With a ``memo`` that keeps nothing, the articles are light and loaded by up to
    ``jobs`` processes (None: one per usable CPU).
    """
    sources = sources if sources is not None else Sources()
    memo = memo if memo is not None else Memo()  # an empty Memo is falsy
    reporter = Reporter()
    root = site_dir / CONTENT_DIR
    walked = sources.walk(site_dir, root)
    reporter.extend(walked.problems)
    if not walked.exists:
        reporter.error(
            Location(CONTENT_DIR),
            "CNT006",
            "the site has no content/ folder",
            "create content/ with articles and their sidecars",
        )
        return Content(()), reporter
    listing = list(walked.files)
    glossary_file = root / config.glossary

    def pair_all() -> tuple[list[Pair], Reporter]:
        found = Reporter()
        files = [p for p in listing if p != glossary_file]
        return pair_files(site_dir, files, found, walked.refused), found

    pairs, found = memo.get("pairs", (listing, walked.refused, glossary_file), pair_all)
    reporter.merge(found)
    articles: list[Article] = []
    suffixes = (*ARTICLE_SUFFIXES, *SIDECAR_SUFFIXES)
    unloaded = {p.stem for p in walked.refused if p.suffix in suffixes and SLUG_RE.match(p.stem)}
    left_out = set()
    light = not memo.keep
    processes = process_count(len(pairs), jobs) if light else 1  # a kept memo: in this process
    advance = progress.stage("loading articles", len(pairs)) if progress is not None else None
    load = partial(load_article, site_dir, sources, memo, light)
    results, again = fork_map(load, pairs, processes, advance), AsLoaded(site_dir)
    for pair, (article, found, files) in zip(pairs, results, strict=True):
        reporter.merge(found)
        for rel, digested in files:  # a light load's: quoted from the file read again
            again.add(rel, digested)
            reporter.remember_later(rel, again)
        if article is None:
            unloaded.add(pair.path.stem)
        elif drafts or not article.sidecar.draft:
            articles.append(article)
        else:
            left_out.add(article.slug)
    glossary = load_glossary(site_dir, config, sources, memo, reporter)
    local = [t for a in articles for t in a.sidecar.terms]
    reporter.extend(check_terms(glossary, local))
    articles.sort(key=lambda a: a.slug)
    loaded = {a.slug for a in articles}
    content = Content(tuple(articles), glossary, frozenset(unloaded - loaded), frozenset(left_out))
    return content, reporter
