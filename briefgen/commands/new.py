"""`briefgen new SLUG`: start an article, its file and a sidecar skeleton that checks clean.

The article (``content/SLUG.md``, or ``.txt`` with ``--txt``) starts empty; the sidecar
holds the title (``--title``, else the slug in words), the date (``--date``, else today)
and commented hints, under the line that points editors at its JSON Schema
(``schemas.editor.modeline``). The schema is written into the site's schemas/ folder
when it is not there yet, so that line resolves. A slug that is not one, or that an
article, a sidecar or the glossary already has, is refused before anything is written.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
from collections.abc import Sequence
from pathlib import Path

from briefgen.commands.options import add_site_options
from briefgen.errors import BriefgenError, Diagnostic, Location, UsageError
from briefgen.ingest.skeleton import check_round_trip, emit
from briefgen.output import OutputFile, write_files
from briefgen.schemas.editor import missing_schema_files, modeline
from briefgen.source.config import CONFIG_FILE, read_config
from briefgen.source.content import ARTICLE_SUFFIXES, CONTENT_DIR, SIDECAR_SUFFIXES
from briefgen.source.safefs import walk
from briefgen.urls import SLUG_RE, UrlScheme, slugify

COMMAND = Location("briefgen new")
DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
HINTS = """\
# summary: why it matters, in one or two sentences (inline Markdown)
# source: {name: The Paper, url: "https://example.org/the-article"}
# notes:                        # context notes, anchored to phrases of the article
#   - quote: a phrase, exactly as readers see it
#     text: the context, in Markdown
#     sources: [{title: A source, url: "https://example.org/source"}]
# links:                        # a phrase that links to another article
#   - {quote: a phrase, to: another-slug}
"""


def add_new_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register `new` with its flags."""
    parser = commands.add_parser(
        "new",
        help="start an article: content/SLUG.md and its sidecar",
        description="Write content/SLUG.md (or .txt) and a sidecar skeleton, "
        "content/SLUG.yaml, that `briefgen check` accepts. The sidecar's first line points "
        "editors at its JSON Schema, written into schemas/ when it is missing.",
    )
    parser.add_argument("slug", metavar="SLUG", help="lowercase letters, digits and hyphens")
    add_site_options(parser)
    parser.add_argument("--txt", action="store_true", help="a plain-text article (default: .md)")
    parser.add_argument("--title", help="the title (default: the slug in words)")
    parser.add_argument("--date", metavar="YYYY-MM-DD", help="the date (default: today)")
    parser.set_defaults(run=run_new)


def run_new(args: argparse.Namespace) -> int:
    """Check the slug and the date, write the files, say what was written."""
    site_dir = args.site.resolve()
    slug: str = args.slug
    checks = (slug_problem(slug), date_problem(args.date), title_problem(args.title))
    problems = [p for p in checks if p is not None]
    if problems:
        raise UsageError(problems)
    config, found = read_config(site_dir)
    missing = [d for d in found if d.location.path == CONFIG_FILE and d.code == "CFG004"]
    if missing:
        raise UsageError(missing)
    existing = site_files(site_dir)
    free = free_slug(slug, existing, config.glossary)
    page = page_problem(slug, UrlScheme(config.base_url), free)
    if page is not None:
        raise BriefgenError([page])
    taken = taken_by(slug, existing, config.glossary)
    if taken:
        raise BriefgenError([taken_problem(slug, taken, existing, free)])
    date = dt.date.fromisoformat(args.date) if args.date else dt.date.today()
    title = args.title if args.title is not None else title_of(slug)
    files = new_files(slug, "txt" if args.txt else "md", title, date)
    files += missing_schema_files(site_dir, ["sidecar"])
    write_files(files, site_dir)
    if not args.quiet:
        for file in files:
            print(f"wrote {file.path}")
        if not args.date:
            print(f"date: {date.isoformat()}, today (--date YYYY-MM-DD sets another)")
    return 0


def new_files(slug: str, kind: str, title: str, date: dt.date) -> list[OutputFile]:
    """The article and its sidecar skeleton; pure."""
    article = f"{CONTENT_DIR}/{slug}.{kind}"
    sidecar = f"{CONTENT_DIR}/{slug}.yaml"
    fields = {"title": title, "date": date, "tags": []}
    lines = [
        modeline(sidecar, "sidecar"),
        f"# The sidecar of {article}: its metadata and annotations (see the README).",
        *emit("title", title),
        *emit("date", date),
        *emit("tags", []),
    ]
    text = "\n".join(lines) + "\n" + HINTS
    check_round_trip(sidecar, text, fields)
    return [
        OutputFile(article, b"", "briefgen new"),
        OutputFile(sidecar, text.encode("utf-8"), "briefgen new"),
    ]


def title_of(slug: str) -> str:
    """The slug in words: "putin-xi-samarkand" -> "Putin xi samarkand"."""
    words = slug.replace("-", " ")
    return words[:1].upper() + words[1:]


def slug_problem(slug: str) -> Diagnostic | None:
    """NEW001 when ``slug`` is not a slug."""
    if SLUG_RE.match(slug):
        return None
    suggestion = slugify(slug)
    fix = f"write it as {suggestion}" if suggestion else "use letters or digits"
    message = f"not a slug: {slug!r}; a slug is lowercase letters, digits and single hyphens"
    return Diagnostic(COMMAND, "NEW001", message, fix)


def title_problem(title: str | None) -> Diagnostic | None:
    """NEW004 when ``--title`` has no words."""
    if title is None or title.strip():
        return None
    fix = "write the title, or leave out --title"
    return Diagnostic(COMMAND, "NEW004", "--title is empty", fix)


def date_problem(date: str | None) -> Diagnostic | None:
    """NEW003 when ``--date`` is not a date in YYYY-MM-DD form."""
    if date is None:
        return None
    if DATE_RE.match(date):
        try:
            dt.date.fromisoformat(date)
            return None
        except ValueError:
            pass
    message = f"--date is not a date in YYYY-MM-DD form: {date!r}"
    return Diagnostic(COMMAND, "NEW003", message, "for example --date 2022-09-15")


def page_problem(slug: str, urls: UrlScheme, free: str) -> Diagnostic | None:
    """NEW002 when an article's page at ``slug/`` would be in a folder of the site's own."""
    folders = {
        urls.tags.path: "the list of tags",
        urls.glossary.path: "the glossary page",
        urls.search.path: "the search page",
        urls.front(2).path: "the front page's later pages",
        urls.static("x").path: "the static files",
        urls.fingerprinted("x.css", "0").path: "the stylesheets and scripts",
        urls.search_bundle.path: "the search index",
    }
    for path, what in folders.items():
        if path.split("/", 1)[0] == slug:
            message = f"the slug {slug!r} is taken: {slug}/ holds {what}"
            return Diagnostic(COMMAND, "NEW002", message, f"choose another slug, such as {free}")
    return None


def site_files(site_dir: Path) -> list[str]:
    """The site-relative paths of the files below content/ (none when it is missing)."""
    listing = walk(site_dir, site_dir / CONTENT_DIR)
    paths = [*listing.files, *listing.refused]
    return sorted(path.relative_to(site_dir).as_posix() for path in paths)


def taken_by(slug: str, files: Sequence[str], glossary: str) -> list[str]:
    """The files of ``files`` that already have ``slug``: articles, sidecars, the glossary."""
    suffixes = (*ARTICLE_SUFFIXES, *SIDECAR_SUFFIXES)
    found = [f for f in files if Path(f).stem == slug and Path(f).suffix in suffixes]
    glossary_file = f"{CONTENT_DIR}/{glossary}"
    if glossary_file in (f"{CONTENT_DIR}/{slug}{s}" for s in SIDECAR_SUFFIXES):
        found.append(glossary_file)
    return sorted(set(found))


def free_slug(slug: str, files: Sequence[str], glossary: str) -> str:
    """The first of ``slug-2``, ``slug-3``... that no file has."""
    numbered = (f"{slug}-{n}" for n in range(2, len(files) + 3))
    return next(other for other in numbered if not taken_by(other, files, glossary))


def taken_problem(slug: str, taken: Sequence[str], files: Sequence[str], free: str) -> Diagnostic:
    """NEW002 at the first file that has the slug, with a free slug to take instead."""
    if taken[0] not in files:  # site.yaml's glossary, not written yet
        message = f"the slug {slug!r} is taken: {taken[0]} is the glossary's file"
    else:
        others = f" (and {', '.join(taken[1:])})" if len(taken) > 1 else ""
        message = f"the slug {slug!r} is taken: {taken[0]} exists{others}"
    return Diagnostic(Location(taken[0]), "NEW002", message, f"choose another slug, such as {free}")
