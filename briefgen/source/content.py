"""Discover and load articles, sidecars and the glossary under content/.

This is the only stage that reads content files. It returns the ``Content`` model
and every problem found; it never stops at the first one. What it parses from a
file's bytes is kept in the build's ``Memo``, so a rebuild parses only what changed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from briefgen.build.diskcache import digest
from briefgen.errors import Location, Reporter
from briefgen.memo import Memo
from briefgen.model import Article, Content, Term
from briefgen.source.config import SiteConfig
from briefgen.source.files import Sources, read_text
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


def load_article(
    site_dir: Path, pair: Pair, sources: Sources, memo: Memo, reporter: Reporter
) -> Article | None:
    """Read one article and its sidecar (parsed again only when their bytes changed)."""
    try:
        data = sources.read(site_dir, pair.path)
        side_data = sources.read(site_dir, pair.sidecar) if pair.sidecar else None
    except Refused as refused:
        reporter.extend([refused.diagnostic])
        return None
    inputs = (data, pair.sidecar_rel, side_data)
    article, found = memo.get(
        ("article", pair.rel),
        inputs,
        lambda: article_of(pair.path.stem, pair.rel, data, pair.sidecar_rel, side_data),
        stored=lambda: digest("article", pair.rel, *inputs),
    )
    reporter.merge(found)
    return article


def load_content(
    site_dir: Path,
    config: SiteConfig,
    *,
    drafts: bool,
    sources: Sources | None = None,
    memo: Memo | None = None,
) -> tuple[Content, Reporter]:
    """Load every article with its sidecar, and the glossary; drafts only when asked.

    A rebuild passes the ``sources`` and ``memo`` of the last build; a cold load needs none.
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
    for pair in pairs:
        article = load_article(site_dir, pair, sources, memo, reporter)
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
