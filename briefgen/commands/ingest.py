"""`briefgen import` and `briefgen annotate`: their flags (the commands are in their packages)."""

from __future__ import annotations

import argparse
from pathlib import Path

from briefgen.annotate.command import run_annotate
from briefgen.commands.options import add_site_options, date_flag, slug_flag, tags_flag, url_flag
from briefgen.ingest.command import run_import


def add_import_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register `import` with its flags."""
    parser = commands.add_parser(
        "import",
        help="turn raw articles from seeds/ into articles with a sidecar skeleton",
        description="Clean raw articles (boilerplate, teasers, credits, encodings) into "
        "content/<slug>.txt or .md with a sidecar skeleton, reporting every change. "
        "The raw files are never modified; existing articles are never overwritten "
        "(--force re-imports a seed and keeps the editor's annotations).",
    )
    parser.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="seed files or folders")
    add_site_options(parser, verbose="also list skipped seeds and suggestions")
    parser.add_argument(
        "--slug", type=slug_flag, help="the article's slug (default: from the headline)"
    )
    parser.add_argument(
        "--date", type=date_flag, metavar="YYYY-MM-DD", help="the date of publication"
    )
    parser.add_argument("--source-name", metavar="NAME", help="the source's name, e.g. CNN")
    parser.add_argument("--source-url", type=url_flag, metavar="URL", help="the source's address")
    parser.add_argument("--tags", type=tags_flag, metavar="a,b", help="tags, separated by commas")
    parser.add_argument(
        "--format", choices=("txt", "md"), help="write plain text (default) or Markdown"
    )
    parser.add_argument(
        "--force", action="store_true", help="import seeds again, keeping the editor's fields"
    )
    parser.add_argument("--dry-run", action="store_true", help="report, but write nothing")
    parser.add_argument(
        "--fix-punctuation", action="store_true", help="remove stray full stops and the like"
    )
    parser.set_defaults(run=run_import)


def add_annotate_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register `annotate import` and `annotate export` with their flags."""
    parser = commands.add_parser(
        "annotate",
        help="import notes from W3C Web Annotations or Hypothesis, or export them",
        description="Move notes between sidecars and annotation tools: import W3C Web "
        "Annotations (JSON-LD) or a Hypothesis API export as notes, or export every "
        "note as one W3C AnnotationCollection.",
    )
    parser.set_defaults(run=run_annotate)
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    importing = actions.add_parser(
        "import",
        help="add the annotations of a file to the sidecars as notes",
        description="Add each annotation of FILE (W3C JSON-LD, or Hypothesis API JSON "
        '{"rows": [...]}) as a note to the sidecar of the article it targets: the one '
        "named by --article, or the one whose published URL or source.url is its target. "
        "Comments and existing notes are kept, duplicates skipped; annotations that do "
        "not anchor are reported with the closest passage.",
    )
    importing.add_argument("file", type=Path, metavar="FILE", help="the annotation file")
    add_site_options(importing, verbose="also list every note added or skipped")
    importing.add_argument(
        "--article", type=slug_flag, metavar="SLUG", help="add every annotation to this article"
    )
    importing.add_argument("--dry-run", action="store_true", help="report, but write nothing")
    exporting = actions.add_parser(
        "export",
        help="write every note as one W3C AnnotationCollection",
        description="Write the notes of every published article as one W3C Web Annotation "
        "collection (JSON-LD), to FILE or to standard output.",
    )
    add_site_options(exporting)
    exporting.add_argument(
        "-o", "--output", type=Path, metavar="FILE", help="the file to write (default: stdout)"
    )
