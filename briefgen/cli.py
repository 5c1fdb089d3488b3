"""The command line: commands and flags; errors become messages and exit codes.

Exit codes: 0 success, 1 content or layout errors, 2 usage or configuration
errors, 3 an internal error (a bug: rerun with --debug for the traceback).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path

from briefgen import __version__
from briefgen.annotate.command import run_annotate
from briefgen.build.pipeline import BuildOptions, build
from briefgen.build.progress import Progress
from briefgen.errors import BriefgenError, Diagnostic, Location, UsageError, printable
from briefgen.ingest.command import run_import
from briefgen.serve.command import ServeOptions, print_err, serve
from briefgen.serve.httpserver import PortInUse
from briefgen.urlcheck import url_problem
from briefgen.urls import SLUG_RE, segment_problem, slugify

EXIT_INTERNAL = 3


def add_site_options(
    parser: argparse.ArgumentParser, verbose: str = "print every file written"
) -> None:
    """Flags shared by every command that reads a site; ``verbose`` says what -v adds."""
    parser.add_argument(
        "--site",
        type=Path,
        default=Path("."),
        metavar="DIR",
        help="the site folder, holding site.yaml (default: the current folder)",
    )
    parser.add_argument("--debug", action="store_true", help="show tracebacks of internal errors")
    verbosity = parser.add_mutually_exclusive_group()
    verbosity.add_argument("-q", "--quiet", action="store_true", help="print only errors")
    verbosity.add_argument("-v", "--verbose", action="store_true", help=verbose)


def make_parser() -> argparse.ArgumentParser:
    """The argument parser for every command."""
    parser = argparse.ArgumentParser(
        prog="briefgen",
        description="Build annotated news briefing sites: articles stay untouched, "
        "notes, glossary terms and cross-links live in YAML sidecars.",
    )
    parser.add_argument("--version", action="version", version=f"briefgen {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    build_parser = commands.add_parser(
        "build",
        help="build the site into build/",
        description="Build site.yaml + content/ + layouts/ into a static site. The output "
        "folder is replaced only when the whole build succeeded.",
    )
    add_site_options(build_parser)
    build_parser.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="DIR",
        help="the output folder (default: build/ in the site folder)",
    )
    build_parser.add_argument(
        "--base-url",
        metavar="URL",
        help="override base_url of site.yaml, e.g. for a preview deployment",
    )
    build_parser.add_argument("--drafts", action="store_true", help="include draft articles")
    build_parser.add_argument("--strict", action="store_true", help="treat warnings as errors")
    build_parser.add_argument(
        "--no-cache", action="store_true",
        help="build cold: neither read nor write the build cache (.briefgen-cache/)",
    )  # fmt: skip
    build_parser.add_argument(
        "-j", "--jobs", type=jobs_flag, metavar="N",
        help="processes for rendering (default: one per usable CPU)",
    )  # fmt: skip

    serve_parser = commands.add_parser(
        "serve",
        help="preview the site, rebuilding and reloading on every change",
        description="Build the site into memory, serve it on this machine, and rebuild what "
        "a change affects whenever a file of the site changes; open pages reload "
        "by themselves and show build errors. Nothing is written to build/.",
    )
    add_site_options(serve_parser)
    serve_parser.add_argument(
        "--port", type=int, default=8000, help="the port (default 8000; 0 takes a free one)"
    )
    serve_parser.add_argument(
        "--bind", default="127.0.0.1", metavar="ADDRESS",
        help="the address to listen on (default 127.0.0.1: this machine only)",
    )  # fmt: skip
    serve_parser.add_argument("--open", action="store_true", help="open the site in a browser")
    serve_parser.add_argument("--drafts", action="store_true", help="include draft articles")
    serve_parser.add_argument(
        "--no-reload", action="store_true", help="serve plain pages, without live reload"
    )
    serve_parser.add_argument(
        "--poll", action="store_true",
        help="poll for changes instead of using the system's file events (network drives)",
    )  # fmt: skip

    add_import_parser(commands)
    add_annotate_parser(commands)
    return parser


def add_annotate_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register `annotate import` and `annotate export` with their flags."""
    parser = commands.add_parser(
        "annotate",
        help="import notes from W3C Web Annotations or Hypothesis, or export them",
        description="Move notes between sidecars and annotation tools: import W3C Web "
        "Annotations (JSON-LD) or a Hypothesis API export as notes, or export every "
        "note as one W3C AnnotationCollection.",
    )
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


def date_flag(value: str) -> dt.date:
    """A date in YYYY-MM-DD form."""
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date in YYYY-MM-DD form: {value!r}") from None


def slug_flag(value: str) -> str:
    """A slug: lowercase letters, digits and hyphens."""
    if not SLUG_RE.match(value):
        raise argparse.ArgumentTypeError(
            f"not a slug: {value!r} (lowercase letters, digits and hyphens, e.g. "
            f"{slugify(value) or 'putin-xi-samarkand'})"
        )
    return value


def tags_flag(value: str) -> tuple[str, ...]:
    """Tag names separated by commas, each once."""
    tags = tuple(dict.fromkeys(t.strip() for t in value.split(",") if t.strip()))
    for tag in tags:
        problem = segment_problem(tag)
        if problem:
            raise argparse.ArgumentTypeError(problem[0])
    return tags


def jobs_flag(value: str) -> int:
    """A number of processes: 1 or more."""
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"not a number of processes (1 or more): {value!r}")
    return int(value)


def url_flag(value: str) -> str:
    """An absolute http(s) or mailto URL, as sidecar sources take."""
    problem = url_problem(value)
    if problem:
        raise argparse.ArgumentTypeError(f"the URL {problem}")
    return value


def run_build(args: argparse.Namespace) -> int:
    """The build command."""
    site_dir = args.site.resolve()
    out_dir = (args.output or site_dir / "build").resolve()
    options = BuildOptions(
        drafts=args.drafts, strict=args.strict, base_url=args.base_url, jobs=args.jobs,
        cache=not args.no_cache, progress=Progress(None if args.quiet else sys.stderr),
    )  # fmt: skip
    result = build(site_dir, out_dir, options)
    for warning in result.warnings:
        print(warning.format(), file=sys.stderr)
    if args.verbose:
        for file in result.files:
            print(f"wrote {file.path}")
    if not args.quiet:
        print(f"{result.summary()}; output in {out_dir}")
    return 0


def run_serve(args: argparse.Namespace) -> int:
    """The serve command."""
    options = ServeOptions(
        host=args.bind,
        port=args.port,
        open_browser=args.open,
        drafts=args.drafts,
        live_reload=not args.no_reload,
        poll=args.poll,
    )
    try:
        return serve(args.site.resolve(), options, print_err)
    except PortInUse as exc:
        fix = f"try --port {exc.suggestion}, or --port 0 for any free port"
        where = Location("briefgen serve")
        raise UsageError(
            [Diagnostic(where, "SRV001", f"port {args.port} is in use", fix)]
        ) from None


COMMANDS = {"build": run_build, "serve": run_serve, "import": run_import, "annotate": run_annotate}


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``briefgen`` command."""
    parser = make_parser()
    args = parser.parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except BriefgenError as exc:
        print(exc.report(), file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except OSError as exc:
        if args.debug:
            traceback.print_exc()
        text = f"error: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": ")
        print(printable(text), file=sys.stderr)
        return 1
    except Exception as exc:
        if args.debug:
            traceback.print_exc()
        else:
            print(
                printable(
                    f"internal error: {type(exc).__name__}: {exc} (rerun with --debug for details)"
                ),
                file=sys.stderr,
            )
        return EXIT_INTERNAL
