"""`briefgen serve`: build into memory, serve, watch, rebuild what changed, reload.

The dev server only orchestrates: the watcher reports batches of changed paths, the
loop rebuilds with the state kept from the last build, and the HTTP server swaps in
the new snapshot, which wakes the browsers. A failed build keeps the last good site
and shows its diagnostics in every open page. Nothing is written to disk.
"""

from __future__ import annotations

import sys
import time
import traceback
import webbrowser
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from briefgen.build.pipeline import BuildOptions, BuildResult, State, make_files
from briefgen.errors import BriefgenError, Diagnostic, Location
from briefgen.serve.httpserver import DevServer, Snapshot
from briefgen.serve.watch import Watcher

OUTPUT_DIR = "build"


def describe(site_dir: Path, paths: Iterable[Path]) -> str:
    """What changed, for the log line: "content/x.yaml changed", "a and 2 more changed"."""
    names = sorted(
        p.relative_to(site_dir).as_posix() if p.is_relative_to(site_dir) else str(p) for p in paths
    )
    if not names:
        return "first build"
    more = f" and {len(names) - 1} more" if len(names) > 1 else ""
    return f"{names[0]}{more} changed"


def internal_error(exc: Exception) -> Diagnostic:
    """A diagnostic for a bug, so that the page shows it and the server keeps going."""
    return Diagnostic(
        Location("briefgen"),
        "INTERNAL",
        f"internal error: {type(exc).__name__}: {exc}",
        "please report it with the traceback printed in the terminal",
    )


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

    def rebuild(self, changed: Iterable[Path], log: Callable[[str], None]) -> Snapshot:
        """Rebuild after ``changed``; log one line; return the snapshot to serve."""
        changed = list(changed)
        self.state.sources.forget(changed)
        started = time.perf_counter()
        try:
            result = make_files(self.site_dir, self.options, self.state)
        except BriefgenError as exc:
            log(exc.report())
            log(f"build failed: {describe(self.site_dir, changed)}; serving the last good build")
            return self.snapshot(exc.diagnostics)
        except Exception as exc:  # a bug must not stop the server either
            traceback.print_exc()
            return self.snapshot([internal_error(exc)])
        for warning in result.warnings:
            log(warning.format())
        self.publish_result(result)
        ms = (time.perf_counter() - started) * 1000
        pages = len(result.rendered)
        log(f"rebuilt {pages} page{'s' * (pages != 1)} in {ms:.0f} ms: "
            f"{describe(self.site_dir, changed)}")  # fmt: skip
        return self.snapshot(())

    def publish_result(self, result: BuildResult) -> None:
        """Take a successful build's files; a new epoch only when something changed."""
        files = {f.path: f.data for f in result.files}
        if files != self.files:
            changed = {
                p for p in files.keys() | self.files.keys() if files.get(p) != self.files.get(p)
            }
            self.css_only = bool(self.files) and all(p.endswith(".css") for p in changed)
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


def origin(host: str, port: int) -> str:
    """The origin that absolute URLs (feed, canonical links) use while previewing."""
    if host in ("0.0.0.0", "::", ""):
        host = "127.0.0.1"
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


@dataclass(frozen=True)
class ServeOptions:
    """The serve command's flags."""

    host: str = "127.0.0.1"
    port: int = 8000
    open_browser: bool = False
    drafts: bool = False
    live_reload: bool = True
    poll: bool = False


def serve(site_dir: Path, options: ServeOptions, log: Callable[[str], None]) -> int:
    """Serve the site until interrupted; returns the exit code."""
    if options.host not in ("127.0.0.1", "localhost", "::1"):
        log(f"warning: serving on {options.host}: other machines on the network can reach "
            "this preview; use the default 127.0.0.1 unless you mean it")  # fmt: skip
    server = DevServer(
        Snapshot(files={}, prefix="/", epoch=0, diagnostics=()),
        host=options.host,
        port=options.port,
        live_reload=options.live_reload,
    )
    dev = DevSite(
        site_dir, BuildOptions(drafts=options.drafts, origin=origin(options.host, server.port))
    )
    watcher = Watcher(site_dir, poll=options.poll, output_dirs=(site_dir / OUTPUT_DIR,))
    watcher.start()
    server.start()
    try:
        server.publish(dev.rebuild((), log))
        url = server.url
        log(f"serving {site_dir} at {url} (Ctrl+C to stop)")
        if options.open_browser:
            webbrowser.open(url)
        while True:
            change = watcher.next_change(timeout=1.0)
            if change is not None:
                server.publish(dev.rebuild(change.paths, log))
    except KeyboardInterrupt:
        log("stopped")
        return 0
    finally:
        watcher.stop()
        server.shutdown()


def print_err(line: str) -> None:
    """Print a log line to standard error, at once."""
    print(line, file=sys.stderr, flush=True)
