"""The command line: the parser of every command; errors become messages and exit codes.

Each command's flags and the edge that runs it are in ``briefgen.commands``; a command's
parser names its function as ``run``. Exit codes: 0 success, 1 content or layout
errors, 2 usage or configuration errors, 3 an internal error (a bug: rerun with
--debug for the traceback).
"""

from __future__ import annotations

import argparse
import sys
import traceback
from collections.abc import Sequence

from briefgen import __version__
from briefgen.commands.build import add_build_parser, add_serve_parser
from briefgen.commands.check import add_check_parser
from briefgen.commands.ingest import add_annotate_parser, add_import_parser
from briefgen.commands.lock import add_lock_parser
from briefgen.commands.new import add_new_parser
from briefgen.commands.schema import add_schema_parser
from briefgen.errors import BriefgenError, printable

EXIT_INTERNAL = 3


def make_parser() -> argparse.ArgumentParser:
    """The argument parser for every command."""
    parser = argparse.ArgumentParser(
        prog="briefgen",
        description="Build annotated news briefing sites: articles stay untouched, "
        "notes, glossary terms and cross-links live in YAML sidecars.",
    )
    parser.add_argument("--version", action="version", version=f"briefgen {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for add in (
        add_build_parser,
        add_check_parser,
        add_serve_parser,
        add_import_parser,
        add_annotate_parser,
        add_schema_parser,
        add_lock_parser,
        add_new_parser,
    ):
        add(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``briefgen`` command."""
    parser = make_parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.run(args)
        return code
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
