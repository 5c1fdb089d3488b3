"""`briefgen build` and `briefgen serve`: their flags and how they run."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from briefgen.build.pipeline import BuildOptions, build
from briefgen.build.progress import Progress
from briefgen.commands.options import add_site_options, jobs_flag
from briefgen.errors import Diagnostic, Location, UsageError
from briefgen.serve.command import ServeOptions, print_err, serve
from briefgen.serve.httpserver import PortInUse


def add_build_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register `build` with its flags."""
    parser = commands.add_parser(
        "build",
        help="build the site into build/",
        description="Build site.yaml + content/ + layouts/ into a static site. The output "
        "folder is replaced only when the whole build succeeded.",
    )
    add_site_options(parser)
    parser.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="DIR",
        help="the output folder (default: build/ in the site folder)",
    )
    parser.add_argument(
        "--base-url",
        metavar="URL",
        help="override base_url of site.yaml, e.g. for a preview deployment",
    )
    parser.add_argument("--drafts", action="store_true", help="include draft articles")
    parser.add_argument("--strict", action="store_true", help="treat warnings as errors")
    parser.add_argument(
        "--no-cache", action="store_true",
        help="build cold: neither read nor write the build cache (.briefgen-cache/)",
    )  # fmt: skip
    parser.add_argument(
        "-j", "--jobs", type=jobs_flag, metavar="N",
        help="processes for rendering (default: one per usable CPU)",
    )  # fmt: skip
    parser.set_defaults(run=run_build)


def add_serve_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register `serve` with its flags."""
    parser = commands.add_parser(
        "serve",
        help="preview the site, rebuilding and reloading on every change",
        description="Build the site into memory, serve it on this machine, and rebuild what "
        "a change affects whenever a file of the site changes; open pages reload "
        "by themselves and show build errors. Nothing is written to build/.",
    )
    add_site_options(parser)
    parser.add_argument(
        "--port", type=int, default=8000, help="the port (default 8000; 0 takes a free one)"
    )
    parser.add_argument(
        "--bind", default="127.0.0.1", metavar="ADDRESS",
        help="the address to listen on (default 127.0.0.1: this machine only)",
    )  # fmt: skip
    parser.add_argument("--open", action="store_true", help="open the site in a browser")
    parser.add_argument("--drafts", action="store_true", help="include draft articles")
    parser.add_argument(
        "--no-reload", action="store_true", help="serve plain pages, without live reload"
    )
    parser.add_argument(
        "--poll", action="store_true",
        help="poll for changes instead of using the system's file events (network drives)",
    )  # fmt: skip
    parser.set_defaults(run=run_serve)


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
