"""What several commands share: the site flags and the types of flag values."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from briefgen.urlcheck import url_problem
from briefgen.urls import SLUG_RE, segment_problem, slugify


def add_site_options(
    parser: argparse.ArgumentParser, verbose: str | None = "print every file written"
) -> None:
    """Flags shared by every command that reads a site; ``verbose`` says what -v adds
    (None: the command has no -q and -v)."""
    parser.add_argument(
        "--site",
        type=Path,
        default=Path("."),
        metavar="DIR",
        help="the site folder, holding site.yaml (default: the current folder)",
    )
    parser.add_argument("--debug", action="store_true", help="show tracebacks of internal errors")
    if verbose is None:
        return
    verbosity = parser.add_mutually_exclusive_group()
    verbosity.add_argument("-q", "--quiet", action="store_true", help="print only errors")
    verbosity.add_argument("-v", "--verbose", action="store_true", help=verbose)


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
