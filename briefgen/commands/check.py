"""`briefgen check`: every check a build runs, the layouts' included, and nothing written.

The check is the build's pipeline (``build.pipeline.make_files``) and the output's path
checks (``output.check_files``), without writing the output or indexing it for search.
Its report goes to standard output in the format asked for (``briefgen.report.formats``);
the exit code is 0 when the site is clean (warnings allowed unless --strict), 1 for
content or layout errors, 2 for configuration errors.
"""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from briefgen.build.pipeline import BuildOptions, State, make_files
from briefgen.commands.options import add_site_options
from briefgen.errors import BriefgenError, ConfigError, Diagnostic
from briefgen.output import check_files
from briefgen.report.formats import FORMATS, Report, exit_code, render


def add_check_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register `check` with its flags."""
    parser = commands.add_parser(
        "check",
        help="run every check a build runs, writing nothing",
        description="Check site.yaml, content/, the glossary and the layouts as a build "
        "does (pages are rendered, so a layout mistake is found), and write nothing. Exit "
        "code 0 when clean (warnings allowed unless --strict), 1 for content or layout "
        "errors, 2 for configuration errors.",
    )
    add_site_options(parser, verbose=None)
    parser.add_argument("--strict", action="store_true", help="fail on warnings too")
    parser.add_argument("--drafts", action="store_true", help="check drafts as published")
    parser.add_argument(
        "--format", choices=tuple(FORMATS), default="text",
        help="text (default), json, github (workflow commands) or sarif (SARIF 2.1.0)",
    )  # fmt: skip
    parser.set_defaults(run=run_check)


@dataclass(frozen=True)
class Checked:
    """What checking a site found: every diagnostic, and whether the configuration failed."""

    diagnostics: tuple[Diagnostic, ...]
    configuration: bool


def check_site(site_dir: Path, options: BuildOptions) -> Checked:
    """Run the build's pipeline and the output's checks on the site; write nothing."""
    try:
        result = make_files(site_dir, options, State())
    except BriefgenError as exc:
        found = (*exc.diagnostics, *exc.warnings)
        return Checked(tuple(dict.fromkeys(found)), isinstance(exc, ConfigError))
    return Checked((*result.warnings, *check_files(result.files)), False)


def site_prefix(site_dir: Path) -> str:
    """The site folder from the working folder, when it is below it ("" when it is it)."""
    relative = os.path.relpath(site_dir, Path.cwd())
    return "" if relative == "." or relative.startswith("..") else Path(relative).as_posix()


def run_check(args: argparse.Namespace) -> int:
    """Check the site; print the report; return the exit code."""
    site_dir = args.site.resolve()
    checked = check_site(site_dir, BuildOptions(drafts=args.drafts))
    report = Report(checked.diagnostics, site_prefix(site_dir))
    sys.stdout.write(render(report, args.format))
    return exit_code(checked.diagnostics, checked.configuration, args.strict)
