"""`briefgen check`: every check a build runs, the layouts' included, and nothing written.

The check is the build's pipeline (``build.pipeline.make_files``) and the output's path
checks (``output.check_files``), without writing the output or indexing it for search.
Its report goes to standard output in the format asked for (``briefgen.report.formats``);
the exit code is 0 when the site is clean (warnings allowed unless --strict), 1 for
content or layout errors, 2 for configuration errors.

With --fix, the edits that diagnostics carry (``briefgen.report.fixes``) are printed as
a unified diff, the report of what they leave going to standard error; with --write
too, they are written (``output.write_files``), one line per sidecar says so, and the
site is checked again.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from briefgen.build.pipeline import BuildOptions, State, make_files
from briefgen.commands.options import add_site_options
from briefgen.errors import BriefgenError, ConfigError, Diagnostic, Location, UsageError
from briefgen.output import OutputFile, check_files, write_files
from briefgen.report.fixes import Fixes, make_fixes, unified_diff
from briefgen.report.formats import FORMATS, Report, exit_code, render
from briefgen.source.safefs import Refused, read_file


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
    parser.add_argument(
        "--fix", action="store_true",
        help="print the sidecar edits that repair drifted quotes as a unified diff (the "
        "report of what they leave goes to standard error); change nothing",
    )  # fmt: skip
    parser.add_argument(
        "--write", action="store_true",
        help="with --fix: make the edits, say what changed, and check again",
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
    """Check the site; print the report (with --fix, the repairs first); return the exit code."""
    if args.write and not args.fix:
        where, fix = Location("briefgen check"), "pass --fix --write to make the repairs"
        raise UsageError([Diagnostic(where, "FIX002", "--write without --fix", fix)])
    site_dir = args.site.resolve()
    options = BuildOptions(drafts=args.drafts)
    checked = check_site(site_dir, options)
    if args.fix:
        return _run_fix(args, site_dir, options, checked)
    report = Report(checked.diagnostics, site_prefix(site_dir))
    sys.stdout.write(render(report, args.format))
    return exit_code(checked.diagnostics, checked.configuration, args.strict)


def _run_fix(
    args: argparse.Namespace, site_dir: Path, options: BuildOptions, checked: Checked
) -> int:
    """--fix: print the repairs as a diff and what they leave; with --write, make them,
    say so, and report the check of the repaired site."""
    fixes = make_fixes(checked.diagnostics, partial(_read, site_dir))
    if args.write:
        files = [OutputFile(f.path, f.new, "briefgen check --fix") for f in fixes.files]
        write_files(files, site_dir)
        for fixed in fixes.files:
            sys.stderr.write(fixed.summary().headline() + "\n")
        after = check_site(site_dir, options)
        left = (*_unrepairable(after.diagnostics, fixes), *fixes.problems)
        sys.stdout.write(render(Report(left, site_prefix(site_dir)), args.format))
        return exit_code(left, after.configuration, args.strict)
    sys.stdout.write(unified_diff(fixes.files))
    left = (*_unrepairable(checked.diagnostics, fixes), *fixes.problems)
    sys.stderr.write(render(Report(left, site_prefix(site_dir)), args.format))
    if args.format == "text" and fixes.files:
        count = len(fixes.repaired)
        what = "1 problem" if count == 1 else f"{count} problems"
        sys.stderr.write(f"{what} repaired by the diff: --fix --write applies it\n")
    return exit_code((*checked.diagnostics, *fixes.problems), checked.configuration, args.strict)


def _unrepairable(diagnostics: Sequence[Diagnostic], fixes: Fixes) -> list[Diagnostic]:
    """The diagnostics the repairs leave, none offering a repair --fix could not make."""
    return [dataclasses.replace(d, edit=None) for d in diagnostics if d not in fixes.repaired]


def _read(site_dir: Path, path: str) -> bytes:
    """The bytes of a file of the site, read safely."""
    try:
        return read_file(site_dir, site_dir / path)
    except Refused as exc:  # changed since it was checked
        raise BriefgenError([exc.diagnostic]) from None
