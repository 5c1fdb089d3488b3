"""A site built into memory and rebuilt incrementally, keeping its last good build.

The dev server's model of the site: each batch of changed paths is forgotten by the
file cache, the pipeline runs again with the state kept from the last build, and the
result becomes a ``Snapshot`` to publish. A failed build keeps the last good files and
carries its diagnostics, which every open page shows.
"""

from __future__ import annotations

import time
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from briefgen.build.pipeline import BuildOptions, BuildResult, State, make_files
from briefgen.errors import BriefgenError, Diagnostic, Location, printable
from briefgen.serve.snapshot import Snapshot


def describe(site_dir: Path, paths: Iterable[Path]) -> str:
    """What changed, for the log line: "content/x.yaml changed", "a and 2 more changed"."""
    names = sorted(
        p.relative_to(site_dir).as_posix() if p.is_relative_to(site_dir) else str(p) for p in paths
    )
    if not names:
        return "first build"
    more = f" and {len(names) - 1} more" if len(names) > 1 else ""
    return printable(f"{names[0]}{more} changed")


def internal_error(exc: Exception) -> Diagnostic:
    """A diagnostic for a bug, so that the page shows it and the server keeps going."""
    return Diagnostic(
        Location("briefgen"),
        "INTERNAL",
        f"internal error: {type(exc).__name__}: {exc}",
        "please report it with the traceback printed in the terminal",
    )


def preview_options(options: BuildOptions) -> BuildOptions:
    """How serve builds: plain asset names, so that a stylesheet edit swaps in without a
    reload (the server sends no-store anyway), and the search index made in memory."""
    return replace(options, fingerprint=False, search_in_memory=True)


@dataclass
class DevSite:
    """A site built into memory, rebuilt incrementally, keeping its last good build."""

    site_dir: Path
    options: BuildOptions
    state: State = field(default_factory=State)
    files: dict[str, bytes] = field(default_factory=dict)
    prefix: str = "/"
    epoch: int = 0
    css_only: bool = False  # the last new epoch changed only stylesheets
    warnings: tuple[Diagnostic, ...] = ()  # the last good build's, logged once each

    def rebuild(self, changed: Iterable[Path], log: Callable[[str], None]) -> Snapshot:
        """Rebuild after ``changed``; log one line; return the snapshot to serve."""
        changed = list(changed)
        self.state.sources.forget(changed)
        started = time.perf_counter()
        try:
            result = make_files(self.site_dir, preview_options(self.options), self.state)
        except BriefgenError as exc:
            log(exc.report())
            log(f"build failed: {describe(self.site_dir, changed)}; serving the last good build")
            return self.snapshot(exc.diagnostics)
        except Exception as exc:  # a bug must not stop the server either
            traceback.print_exc()
            return self.snapshot([internal_error(exc)])
        repeated = self.log_warnings(result.warnings, log)
        self.publish_result(result)
        ms = (time.perf_counter() - started) * 1000
        pages = len(result.rendered)
        more = f" ({repeated} warning{'s' * (repeated != 1)} as before)" if repeated else ""
        log(f"rebuilt {pages} page{'s' * (pages != 1)} in {ms:.0f} ms: "
            f"{describe(self.site_dir, changed)}{more}")  # fmt: skip
        return self.snapshot(())

    def log_warnings(self, warnings: tuple[Diagnostic, ...], log: Callable[[str], None]) -> int:
        """Log each warning the last good build did not have, as a compiler's watch mode
        does (a site of 10,000 articles may have 20,000 warnings, printed once, not on
        every save); return how many were there before."""
        if warnings == self.warnings:
            new: list[Diagnostic] = []
        else:
            before = set(self.warnings)
            new = [warning for warning in warnings if warning not in before]
        for warning in new:
            log(warning.format())
        self.warnings = warnings
        return len(warnings) - len(new)

    def publish_result(self, result: BuildResult) -> None:
        """Take a successful build's files; a new epoch only when something changed."""
        files = {f.path: f.data for f in result.files}
        old = self.files
        # an unchanged file is the very same bytes object (kept by the Memo): compared by
        # identity first, so that one edit costs a pass of lookups, not of comparisons
        changed = [p for p, data in files.items() if old.get(p) is not data and old.get(p) != data]
        if len(files) - len(changed) < len(old):  # some of the old files are gone
            changed += [p for p in old if p not in files]
        if changed:
            self.css_only = bool(old) and all(p.endswith(".css") for p in changed)
            self.files = files
            self.epoch += 1
        self.prefix = result.prefix

    def snapshot(self, diagnostics: Iterable[Diagnostic]) -> Snapshot:
        """The current state as the server serves it."""
        return Snapshot(
            files=self.files,
            prefix=self.prefix,
            epoch=self.epoch,
            diagnostics=tuple(diagnostics),
            css_only=self.css_only,
        )
