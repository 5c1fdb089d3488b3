"""`briefgen import`: raw seed articles -> clean articles with a sidecar skeleton.

This is the command's edge (its flags are parsed in ``briefgen.commands.ingest``): reading
the site and the seeds, writing into content/ (through ``briefgen.output.write_files``, each file
atomically) and printing the report. Everything between is pure: ``plan_import``
(``briefgen.ingest.plan``) cleans a seed (``briefgen.ingest.cleaning``) and returns the
article and sidecar (``briefgen.ingest.skeleton``) to write. The seed is never modified.

Problems are raised as ``BriefgenError`` for ``briefgen.cli.main`` to print: a usage
error (exit code 2) before anything is done; the errors of the seeds that failed (exit
code 1) once every other seed is imported.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path

from briefgen.encoding import decode
from briefgen.errors import Diagnostic, ImportFailed, Location, Reporter, UsageError
from briefgen.ingest import report as codes
from briefgen.ingest.model import Existing, ImportOptions, Outcome, SiteIndex, text_digest
from briefgen.ingest.plan import plan_import
from briefgen.ingest.report import info, report_line, summary
from briefgen.memo import Memo
from briefgen.model import Term
from briefgen.output import OutputFile, write_files
from briefgen.schemas.editor import MODELINE, missing_schema_files
from briefgen.source.config import load_config
from briefgen.source.content import CONTENT_DIR, load_glossary
from briefgen.source.files import Sources, read_text
from briefgen.source.safefs import Refused, read_file, walk
from briefgen.source.yamlio import load_yaml

COMMAND = "briefgen import"  # where usage errors are, as argparse names it


def options_from(args: argparse.Namespace) -> ImportOptions:
    """The parsed flags as ``ImportOptions``: each field is the flag of the same name."""
    names = [option.name for option in dataclasses.fields(ImportOptions)]
    return ImportOptions(**{name: getattr(args, name) for name in names})


def run_import(args: argparse.Namespace) -> int:
    """Run the import; print what it did and found; raise ImportFailed if a seed failed."""
    options = options_from(args)
    site_dir = args.site.resolve()
    missing = [str(p) for p in args.paths if not p.exists()]
    if missing:
        fix = "name seed files or folders of seeds that exist"
        raise UsageError(
            usage(codes.NO_SUCH_PATH, f"no such file or folder: {p}", fix) for p in missing
        )
    seeds = seed_files(args.paths)
    if options.slug and len(seeds) > 1:
        fix = "import one seed with --slug, or leave --slug out"
        raise UsageError([usage(codes.SLUG_FOR_MANY, "--slug needs exactly one seed file", fix)])
    config = load_config(site_dir)
    reporter = Reporter()
    glossary = load_glossary(site_dir, config, Sources(), Memo(), reporter)
    if reporter.diagnostics and not args.quiet:
        where = Location(f"{CONTENT_DIR}/{config.glossary}")
        message = "the glossary has problems; suggested terms may miss some of its entries"
        fix = "run `briefgen build` to list them"
        warning = Diagnostic(where, codes.GLOSSARY, message, fix, severity="warning")
        print(warning.format(), file=sys.stderr)
    index = scan_site(site_dir, config.glossary)
    outcomes = []
    for path, named in seeds:
        seed = site_relative(path, site_dir)
        outcome = import_seed(site_dir, path, seed, named, index, glossary, options)
        print_outcome(outcome, args)
        outcomes.append(outcome)
    if not args.quiet:
        print(summary(outcomes, options))
    errors = [error for outcome in outcomes for error in outcome.errors]
    if errors:
        raise ImportFailed(errors)
    return 0


def usage(code: str, message: str, fix: str) -> Diagnostic:
    """A usage error, located at the command as argparse's are: ``briefgen import: ...``."""
    return Diagnostic(Location(COMMAND), code, message, fix)


def import_seed(
    site_dir: Path,
    path: Path,
    seed: str,
    named: bool,
    index: SiteIndex,
    glossary: Sequence[Term],
    options: ImportOptions,
) -> Outcome:
    """Import one seed: read, plan, write (unless a dry run); keep ``index`` up to date."""
    slug = index.seeds.get(seed)
    if slug is not None and not options.force:
        message = (
            f"already imported as {index.user_of(slug)}; nothing to do (--force imports it again)"
        )
        skipped = info(codes.SKIPPED, message, seed)
        if named:
            return Outcome(seed, "skipped", diagnostics=[skipped])
        return Outcome(seed, "skipped", details=[report_line(skipped)])
    existing = read_existing(site_dir, index, slug) if slug is not None else None
    if isinstance(existing, list):
        return Outcome(seed, "failed", diagnostics=existing)
    try:  # a seed is where the command line says: its links are followed, pipes refused
        real = Path(os.path.realpath(path))
        data = read_file(site_dir if real.is_relative_to(site_dir) else real.parent, real)
    except Refused as refused:
        return Outcome(seed, "failed", diagnostics=[refused.diagnostic])
    outcome = plan_import(seed, data, index, glossary, options, existing)
    if outcome.status == "failed":
        return outcome
    wanted = ["sidecar"] if _points_at_schema(outcome) else []
    schemas = [s for s in missing_schema_files(site_dir, wanted) if s.path not in index.schemas]
    index.schemas.update(schema.path for schema in schemas)
    for schema in schemas:
        outcome.diagnostics.append(info(codes.WROTE, f"wrote {schema.path} (for editors)"))
    if not options.dry_run:
        writes = outcome.writes.items()
        files = [OutputFile(rel, text.encode("utf-8"), seed) for rel, text in writes]
        write_files([*files, *schemas], site_dir)
    for rel, text in outcome.writes.items():
        index.record(seed, rel, text)
    if options.dry_run:
        outcome.diagnostics = [_would(d) for d in outcome.diagnostics]
    return outcome


def _points_at_schema(outcome: Outcome) -> bool:
    """Whether a sidecar the import writes starts with the line that points at its schema."""
    return any(text.startswith(MODELINE) for text in outcome.writes.values())


def _would(diagnostic: Diagnostic) -> Diagnostic:
    """What a dry run reports: "wrote x" -> "would write x"."""
    line = diagnostic.message
    for done, would in (("wrote ", "would write "), ("rewrote ", "would rewrite "),
                        ("updated ", "would update ")):  # fmt: skip
        if diagnostic.code == codes.WROTE and line.startswith(done):
            return dataclasses.replace(diagnostic, message=would + line[len(done) :])
    return diagnostic


def print_outcome(outcome: Outcome, args: argparse.Namespace) -> None:
    """Print what one seed did, and its warnings, unless -q; its errors come at the end."""
    if args.quiet:
        return
    for warning in outcome.warnings:
        print(warning.format(), file=sys.stderr)
    for done in outcome.report:
        print(report_line(done))
    if args.verbose:
        for line in outcome.details:
            print(line)


# -- the site (I/O) ------------------------------------------------------------------------


def scan_site(site_dir: Path, glossary: str) -> SiteIndex:
    """Index content/: articles, sidecars, and the seed each sidecar came from."""
    index = SiteIndex()
    root = site_dir / CONTENT_DIR
    if not root.is_dir():
        return index
    glossary_file = (root / glossary).resolve()
    for path in walk(site_dir, root).files:  # what cannot be read, the build reports
        rel = path.relative_to(site_dir).as_posix()
        try:
            data = read_file(site_dir, path)
        except Refused:
            continue
        if path.suffix in (".md", ".txt"):
            index.articles.setdefault(path.stem, rel)
            text = decode(data).text
            if text is not None:  # else the build reports it (CNT004)
                index.bodies.setdefault(text_digest(text), rel)
        elif path.suffix in (".yaml", ".yml") and path.resolve() != glossary_file:
            index.sidecars.setdefault(path.stem, rel)
            text = decode(data).text or ""
            doc, _ = load_yaml(rel, text)
            seed = doc.data.get("seed") if doc and isinstance(doc.data, dict) else None
            if doc is None:  # a broken sidecar still names its seed: never import it twice
                line = re.search(r"^seed: *[\"']?([^\"'\s#]+)", text, re.MULTILINE)
                seed = line.group(1) if line else None
            if isinstance(seed, str):
                index.seeds.setdefault(seed, path.stem)
    return index


def read_existing(site_dir: Path, index: SiteIndex, slug: str) -> Existing | list[Diagnostic]:
    """The files of the article imported earlier as ``slug``, or why they cannot be read."""
    reporter = Reporter()
    article, sidecar = index.articles.get(slug), index.sidecars[slug]
    try:
        text: str | None = ""
        if article:
            text = read_text(read_file(site_dir, site_dir / article), article, reporter)
        side_text = read_text(read_file(site_dir, site_dir / sidecar), sidecar, reporter)
    except Refused as refused:
        return [refused.diagnostic]
    if text is None or side_text is None:
        return reporter.errors
    return Existing(slug, article, text, sidecar, side_text)


def seed_files(paths: Sequence[Path]) -> list[tuple[Path, bool]]:
    """Every seed file named, folders expanded: (path, named explicitly)."""
    found = []
    for path in paths:
        if path.is_dir():
            real = Path(os.path.realpath(path))
            found += [(path / p.relative_to(real), False) for p in walk(real, real).files]
        else:
            found.append((path, True))
    return found


def site_relative(path: Path, site_dir: Path) -> str:
    """``path`` relative to the site (with ../ when outside it), in / form."""
    return Path(os.path.relpath(path.resolve(), site_dir)).as_posix()
