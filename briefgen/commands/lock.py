"""`briefgen lock`: record where every note and phrase link lands, in briefgen.lock.

A build never writes outside its output folder, so the lock is written only by this
command (and by ``lock_site`` for any command that refreshes it). It runs the build's
pipeline and writes nothing else; a site with errors is not recorded, since a quote
that does not anchor has no place to record.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

from briefgen.build.pipeline import BuildOptions, State, make_files
from briefgen.commands.options import add_site_options
from briefgen.errors import BriefgenError
from briefgen.output import OutputFile, write_files
from briefgen.source.files import Sources
from briefgen.source.lockfile import LOCK_FILE, Lock, lock_text
from briefgen.source.safefs import Refused


def add_lock_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register `lock` with its flags."""
    parser = commands.add_parser(
        "lock",
        help=f"record where every note and phrase link lands, in {LOCK_FILE}",
        description=f"Check the site as a build does and record, in {LOCK_FILE} beside "
        "site.yaml, where each note and phrase link lands and the words around it. Builds "
        "and checks then warn (LCK001) when those words change. Nothing is recorded while "
        "the site has errors.",
    )
    add_site_options(parser, verbose="list the anchors of each article")
    parser.add_argument(
        "--drafts", action="store_true", help="record drafts too (else their records are kept)"
    )
    parser.set_defaults(run=run_lock)


@dataclass(frozen=True)
class Recorded:
    """What recording the lock did."""

    lock: Lock
    changed: bool  # False: the lock held exactly this already

    def summary(self) -> str:
        """One line: how many anchors of how many articles, and whether it changed."""
        anchored = [entries for entries in self.lock.values() if entries]
        anchors = sum(map(len, anchored))
        what = f"{anchors} anchor{'s' * (anchors != 1)} of {len(anchored)} article"
        what += "s" * (len(anchored) != 1)
        return f"{LOCK_FILE} {'recorded' if self.changed else 'up to date:'} {what}"


def lock_site(site_dir: Path, options: BuildOptions) -> Recorded:
    """Check the site and write its lock; raises the build's errors, writing nothing."""
    result = make_files(site_dir, options, State())
    return Recorded(result.lock, write_lock(site_dir, result.lock))


def write_lock(site_dir: Path, lock: Lock) -> bool:
    """Write ``lock`` into the site's lock file, atomically, unless it holds it already."""
    data = lock_text(lock).encode("utf-8")
    try:
        if Sources().read(site_dir, site_dir / LOCK_FILE) == data:
            return False
    except Refused:
        pass  # missing, or not a file briefgen may read: written below, or refused there
    write_files([OutputFile(LOCK_FILE, data, "briefgen lock")], site_dir)
    return True


def run_lock(args: argparse.Namespace) -> int:
    """Record the lock; print what was recorded."""
    site_dir = args.site.resolve()
    try:
        done = lock_site(site_dir, BuildOptions(drafts=args.drafts))
    except BriefgenError as exc:
        print(exc.report(), file=sys.stderr)
        print(f"{LOCK_FILE} not written: fix the errors first", file=sys.stderr)
        return exc.exit_code
    if args.verbose:
        for slug, entries in sorted(done.lock.items()):
            print(f"{slug}: {len(entries)} anchors")
    if not args.quiet:
        print(done.summary())
    return 0
