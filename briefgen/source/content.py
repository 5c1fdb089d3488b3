"""Discover and load articles, sidecars and the glossary under content/.

This is the only stage that reads content files. It returns the ``Content`` model
and every problem found; it never stops at the first one.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Hashable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from briefgen.errors import Diagnostic, Location, Reporter
from briefgen.model import Article, Content, Term
from briefgen.source.config import SiteConfig
from briefgen.source.sidecar import SLUG_RE, parse_sidecar, parse_terms, slugify
from briefgen.source.yamlio import load_yaml
from briefgen.tempnames import is_temp_file

CONTENT_DIR = "content"
ARTICLE_SUFFIXES = (".md", ".txt")
SIDECAR_SUFFIXES = (".yaml", ".yml")


def walk(root: Path) -> Iterator[Path]:
    """Every content file below ``root``, sorted, skipping ignored files and folders."""
    for path in sorted(root.iterdir()):
        if is_temp_file(path.name):
            continue
        if path.is_dir():
            yield from walk(path)
        elif path.is_file():
            yield path


T = TypeVar("T")


@dataclass
class Sources:
    """Reads site files, keeping their bytes and what was parsed from them between builds.

    A cold build uses a fresh ``Sources``; the dev server keeps one and calls
    ``forget`` with the paths that changed, so a rebuild reads and parses only those.
    """

    _bytes: dict[Path, bytes] = field(default_factory=dict)
    _listings: dict[Path, list[Path]] = field(default_factory=dict)
    _listed: dict[Path, set[Path]] = field(default_factory=dict)
    _memo: dict[Hashable, tuple[object, object, Reporter]] = field(default_factory=dict)

    def read(self, path: Path) -> bytes:
        """The bytes of a file, read once until forgotten."""
        if path not in self._bytes:
            self._bytes[path] = path.read_bytes()
        return self._bytes[path]

    def walk(self, root: Path) -> list[Path]:
        """The content files below ``root``, listed once until a file appears or goes."""
        if root not in self._listings:
            self._listings[root] = list(walk(root))
            self._listed[root] = set(self._listings[root])
        return self._listings[root]

    def forget(self, paths: Iterable[Path]) -> None:
        """Drop what is known about ``paths``: they changed on disk."""
        for path in paths:
            listed = any(path in files for files in self._listed.values())
            if not listed or not path.is_file():  # it appeared, went, or is a folder
                for root in [r for r in self._listings if path.is_relative_to(r)]:
                    del self._listings[root], self._listed[root]
                for known in [p for p in self._bytes if p.is_relative_to(path)]:
                    del self._bytes[known]
            self._bytes.pop(path, None)

    def memo(
        self, slot: Hashable, inputs: object, reporter: Reporter, compute: Callable[[Reporter], T]
    ) -> T:
        """``compute``'s result for ``inputs`` in ``slot``, computed again only when they change.

        The diagnostics that ``compute`` reported are replayed into ``reporter`` each time.
        """
        cached = self._memo.get(slot)
        if cached is None or cached[0] != inputs:
            sub = Reporter()
            cached = (inputs, compute(sub), sub)
            self._memo[slot] = cached
        reporter.merge(cached[2])
        return cached[1]  # type: ignore[return-value]


@dataclass(frozen=True)
class SourceFile:
    """A file read from the site: its site-relative path and text."""

    path: str
    text: str


def read_text(data: bytes, rel: str, reporter: Reporter) -> SourceFile | None:
    """Decode a UTF-8 file (a BOM is dropped); undecodable bytes are a located error."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        reporter.error(
            Location(rel, line, col),
            "CNT004",
            f"{rel} is not valid UTF-8 (byte 0x{data[exc.start]:02x})",
            "save the file as UTF-8",
        )
        return None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    reporter.remember(rel, text)
    return SourceFile(rel, text)


def parse_glossary(data: bytes, rel: str, reporter: Reporter) -> tuple[Term, ...]:
    """The glossary file's terms; pure."""
    source = read_text(data, rel, reporter)
    if source is None:
        return ()
    doc, problems = load_yaml(rel, source.text)
    reporter.extend(problems)
    if doc is None:
        return ()
    return tuple(parse_terms(doc, doc.data, (), reporter.diagnostics, None))


def load_glossary(
    site_dir: Path, config: SiteConfig, reporter: Reporter, sources: Sources
) -> tuple[Term, ...]:
    """Load content/<glossary>; a missing glossary is an empty one."""
    path = site_dir / CONTENT_DIR / config.glossary
    if not path.is_file():
        return ()
    rel = f"{CONTENT_DIR}/{config.glossary}"
    data = sources.read(path)
    return sources.memo(
        ("glossary", rel), data, reporter, lambda sub: parse_glossary(data, rel, sub)
    )


def check_terms(terms: tuple[Term, ...], local: list[Term]) -> list[Diagnostic]:
    """See-also targets exist; no spelling belongs to two site terms."""
    problems = []
    keys = {t.key for t in terms}
    owner: dict[str, Term] = {}
    for term in terms:
        for spelling in term.spellings:
            other = owner.setdefault(spelling.casefold(), term)
            if other is not term:
                problems.append(
                    Diagnostic(
                        term.location,
                        "TRM003",
                        f"'{spelling}' is a spelling of both '{other.key}' and '{term.key}'; "
                        f"it marks '{other.key}', the first",
                        "keep it in one entry only",
                        severity="warning",
                    )
                )
    for term in (*terms, *local):
        local_keys = {t.key for t in local if t.local_to == term.local_to}
        for target, loc in term.see:
            if target not in keys and target not in local_keys:
                close = difflib.get_close_matches(target, sorted(keys), n=1)
                fix = f"did you mean '{close[0]}'?" if close else "add it to the glossary"
                problems.append(
                    Diagnostic(loc, "TRM002", f"see-also names an unknown term '{target}'", fix)
                )
    return problems


@dataclass(frozen=True)
class Pair:
    """An article file and its sidecar, with their site-relative paths."""

    path: Path
    rel: str
    sidecar: Path | None
    sidecar_rel: str | None


def pair_files(site_dir: Path, files: list[Path], reporter: Reporter) -> list[Pair]:
    """Match articles with sidecars; report bad slugs, duplicates and orphan sidecars."""
    listed = set(files)
    sidecars = {p.with_suffix(""): p for p in files if p.suffix in SIDECAR_SUFFIXES}
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


def load_article(pair: Pair, reporter: Reporter, sources: Sources) -> Article | None:
    """Read one article and its sidecar into an ``Article`` (parsed again only when changed)."""
    data = sources.read(pair.path)
    side_data = sources.read(pair.sidecar) if pair.sidecar else None
    return sources.memo(
        ("article", pair.rel),
        (data, pair.sidecar_rel, side_data),
        reporter,
        lambda sub: parse_article(pair.path.stem, pair.rel, data, pair.sidecar_rel, side_data, sub),
    )


def parse_article(
    slug: str,
    rel: str,
    data: bytes,
    side_rel: str | None,
    side_data: bytes | None,
    reporter: Reporter,
) -> Article | None:
    """An article and its sidecar, from their bytes; pure."""
    body = read_text(data, rel, reporter)
    if body is None:
        return None
    if side_rel is None or side_data is None:
        reporter.error(
            Location(rel),
            "CNT005",
            f"{rel} has no sidecar",
            f"create {rel.rsplit('.', 1)[0]}.yaml with at least 'date: YYYY-MM-DD'",
        )
        return None
    side = read_text(side_data, side_rel, reporter)
    if side is None:
        return None
    doc, problems = load_yaml(side_rel, side.text)
    reporter.extend(problems)
    if doc is None:
        return None
    sidecar, problems = parse_sidecar(doc, slug)
    reporter.extend(problems)
    if sidecar is None:
        return None
    return Article(
        slug=slug,
        path=rel,
        kind=rel.rsplit(".", 1)[1],
        body=body.text,
        title=sidecar.title,
        title_location=sidecar.title_location,
        date=sidecar.date,
        sidecar_path=side_rel,
        summary=sidecar.summary,
        byline=sidecar.byline,
        source=sidecar.source,
        tags=sidecar.tags,
        draft=sidecar.draft,
        notes=sidecar.notes,
        links=sidecar.links,
        related=sidecar.related,
        terms=sidecar.terms,
    )


def load_content(
    site_dir: Path, config: SiteConfig, *, drafts: bool, sources: Sources | None = None
) -> tuple[Content, Reporter]:
    """Load every article with its sidecar, and the glossary; drafts only when asked."""
    sources = sources or Sources()
    reporter = Reporter()
    root = site_dir / CONTENT_DIR
    if not root.is_dir():
        reporter.error(
            Location(CONTENT_DIR),
            "CNT006",
            "the site has no content/ folder",
            "create content/ with articles and their sidecars",
        )
        return Content(()), reporter
    listing = sources.walk(root)
    glossary_file = root / config.glossary

    def pair_all(sub: Reporter) -> list[Pair]:
        return pair_files(site_dir, [p for p in listing if p != glossary_file], sub)

    pairs = sources.memo(("pairs",), (listing, glossary_file), reporter, pair_all)
    articles: list[Article] = []
    for pair in pairs:
        article = load_article(pair, reporter, sources)
        if article is not None and (drafts or not article.draft):
            articles.append(article)
    glossary = load_glossary(site_dir, config, reporter, sources)
    local = [t for a in articles for t in a.terms]
    reporter.extend(check_terms(glossary, local))
    articles.sort(key=lambda a: a.slug)
    return Content(tuple(articles), glossary), reporter
