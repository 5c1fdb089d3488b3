"""`briefgen annotate import` and `export`: notes to and from W3C Web Annotations.

This is the commands' edge (their flags are parsed in ``briefgen.commands.ingest``):
reading the site and the annotation file, writing sidecars (through
``briefgen.output.write_files``, each atomically) or the exported collection, and printing.
The rest is pure: ``reading`` (the file's annotations), ``plan`` (the notes they make),
``sidecar_notes`` (the sidecars' new text) and ``export`` (the collection).

Codes: ANN001 not JSON, ANN002 not an annotation file, ANN003 an annotation without a
TextQuoteSelector, ANN004 a target that is no article of the site, ANN005 a sidecar
that cannot be extended safely, ANN006 an annotation file that cannot be read, ANN007
an unknown --article, ANN008 an annotation without a comment (a highlight); one that
does not anchor gets the build's ANC codes. What was done is "info": ANN101 a note
added, ANN102 a duplicate skipped, ANN103 a sidecar written.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

from briefgen.annotate.export import site_collection
from briefgen.annotate.plan import Plan, plan_import
from briefgen.annotate.reading import read_annotations
from briefgen.annotate.sidecar_notes import add_notes
from briefgen.encoding import decode
from briefgen.errors import (
    BriefgenError,
    BuildFailed,
    Diagnostic,
    Location,
    Reporter,
    UsageError,
    did_you_mean,
)
from briefgen.ingest.report import report_line
from briefgen.markdown.renderer import Rendered, Renderer
from briefgen.model import Content
from briefgen.output import OutputFile, write_files
from briefgen.source.config import SiteConfig, load_config
from briefgen.source.content import load_content
from briefgen.urls import UrlScheme, make_url_scheme

CANNOT_EXTEND = "ANN005"
UNREADABLE = "ANN006"
UNKNOWN_ARTICLE = "ANN007"
WROTE = "ANN103"


class AnnotateFailed(BriefgenError):
    """Some annotations could not be imported (the others were): exit code 1."""

    exit_code = 1


@dataclass(frozen=True)
class Site:
    """A site loaded and its articles ready to render, for the annotate commands."""

    config: SiteConfig
    urls: UrlScheme
    content: Content
    renderer: Renderer
    reporter: Reporter


def load_site(site_dir: Path) -> Site:
    """site.yaml, every article (drafts too) and a renderer with the site's settings."""
    config = load_config(site_dir)
    content, reporter = load_content(site_dir, config, drafts=True)
    urls = make_url_scheme(config.base_url, content)
    renderer = Renderer(
        content.glossary, term_link=config.term_link, urls=urls, markdown=config.markdown
    )
    return Site(config, urls, content, renderer, reporter)


def run_annotate(args: argparse.Namespace) -> int:
    """The annotate command: import or export."""
    if args.action == "export":
        return run_export(args)
    return run_import(args)


def run_import(args: argparse.Namespace) -> int:
    """Import the annotations of a file as notes; raise AnnotateFailed if some failed."""
    site_dir = args.site.resolve()
    label = str(args.file)
    try:
        text = decode(args.file.read_bytes()).text
    except OSError as exc:
        where = Location("briefgen annotate import")
        message = f"cannot read {label}: {exc.strerror or exc}"
        raise UsageError(
            [Diagnostic(where, UNREADABLE, message, "name an existing file")]
        ) from None
    site = load_site(site_dir)
    slugs = [article.slug for article in site.content.articles]
    if args.article is not None and args.article not in slugs:
        fix = did_you_mean(args.article, slugs, "name an article of content/ by its slug")
        where = Location("briefgen annotate import")
        message = f"--article {args.article}: no such article"
        raise UsageError([Diagnostic(where, UNKNOWN_ARTICLE, message, fix)])
    incoming, problems = read_annotations(label, text or "")
    plan = plan_import(site.content, site.renderer, site.urls, incoming, args.article)
    plan.errors[:0] = problems
    written = write_sidecars(site_dir, site, plan, dry_run=args.dry_run)
    if not args.quiet:
        for done in [*plan.done, *written] if args.verbose else written:
            print(report_line(done))
        print(summary(plan, len(incoming) + len(problems), args.dry_run))
    if plan.errors:
        raise AnnotateFailed(plan.errors)
    return 0


def write_sidecars(site_dir: Path, site: Site, plan: Plan, *, dry_run: bool) -> list[Diagnostic]:
    """Add each article's new notes to its sidecar, every sidecar atomically."""
    articles = {article.slug: article for article in site.content.articles}
    files: list[OutputFile] = []
    done: list[Diagnostic] = []
    for slug, notes in plan.notes.items():
        path = articles[slug].sidecar.path
        old = decode((site_dir / path).read_bytes()).text or ""
        new = add_notes(path, old, notes)
        if isinstance(new, tuple):
            fix = "write the sidecar's notes as a block list ('- quote: ...')"
            plan.errors.append(Diagnostic(Location(path), CANNOT_EXTEND, new[0], fix))
            continue
        files.append(OutputFile(path, new.encode("utf-8"), "briefgen annotate import"))
        verb = "would add" if dry_run else "added"
        count = f"{len(notes)} note" + ("s" if len(notes) != 1 else "")
        done.append(Diagnostic(Location(path), WROTE, f"{verb} {count}", severity="info"))
    if files and not dry_run:
        write_files(files, site_dir)
    return done


def summary(plan: Plan, total: int, dry_run: bool) -> str:
    """One line: how many annotations became notes, were skipped or failed."""
    added = sum(len(notes) for notes in plan.notes.values())
    skipped = sum(1 for d in plan.done if d.code == "ANN102")
    failed = total - added - skipped
    verb = "would import" if dry_run else "imported"
    duplicates = f"{skipped} duplicate" + ("" if skipped == 1 else "s")
    return f"{verb} {added} of {total} annotations ({duplicates} skipped, {failed} failed)"


def run_export(args: argparse.Namespace) -> int:
    """Write every article's notes as one W3C annotation collection."""
    site = load_site(args.site.resolve())
    published = [a for a in site.content.articles if not a.sidecar.draft]
    rendered: dict[str, Rendered] = {a.slug: site.renderer.render(a) for a in published}
    site.reporter.extend(d for r in rendered.values() for d in r.diagnostics)
    if site.reporter.errors:
        raise BuildFailed(site.reporter.errors)
    data = site_collection(
        site.urls, site.config.title, published, rendered, site.config.language,
    )  # fmt: skip
    if args.output is None:
        sys.stdout.write(data.decode("utf-8"))
        return 0
    target = args.output.resolve()
    write_files([OutputFile(target.name, data, "briefgen annotate export")], target.parent)
    if not args.quiet:
        notes = sum(len(r.notes) for r in rendered.values())
        print(f"wrote {notes} notes of {len(published)} articles to {args.output}")
    return 0
