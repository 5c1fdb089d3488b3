"""`briefgen schema`: print the JSON Schema of site.yaml, sidecars or the glossary, or
write all three into the site's schemas/ folder, where the files briefgen writes point."""

from __future__ import annotations

import argparse
import sys

from briefgen.commands.options import add_site_options
from briefgen.errors import Diagnostic, Location, UsageError
from briefgen.output import write_files
from briefgen.schemas.editor import SCHEMAS, SITE_FOLDER, site_schema_files


def add_schema_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register `schema` with its flags."""
    parser = commands.add_parser(
        "schema",
        help="print the JSON Schema of site.yaml, sidecars or the glossary, for editors",
        description="Print the JSON Schema (2020-12) of site.yaml, of a sidecar or of the "
        f"glossary; or, with --write, write all three into the site's {SITE_FOLDER}/ folder, "
        "which the first line of the files briefgen writes points at.",
    )
    parser.add_argument(
        "name", nargs="?", choices=tuple(SCHEMAS), metavar="|".join(SCHEMAS),
        help="the schema to print",
    )  # fmt: skip
    add_site_options(parser)
    parser.add_argument(
        "--write", action="store_true", help=f"write every schema into {SITE_FOLDER}/ of the site"
    )
    parser.set_defaults(run=run_schema)


def run_schema(args: argparse.Namespace) -> int:
    """Print one schema, or write them all into the site."""
    if args.write:
        site_dir = args.site.resolve()
        files = site_schema_files()
        write_files(files, site_dir)
        if args.verbose:
            for file in files:
                print(f"wrote {file.path}")
        if not args.quiet:
            print(f"wrote {len(files)} schemas into {site_dir / SITE_FOLDER}")
        return 0
    if args.name is None:
        fix = "name one: briefgen schema " + "|".join(SCHEMAS) + ", or pass --write"
        raise UsageError(
            [Diagnostic(Location("briefgen schema"), "SCH001", "no schema named", fix)]
        )
    sys.stdout.write(SCHEMAS[args.name].text())
    return 0
