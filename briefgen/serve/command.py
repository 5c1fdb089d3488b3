"""`briefgen serve`: build into memory, serve, watch, rebuild what changed, reload.

The dev server only orchestrates: the watcher reports batches of changed paths, the
``DevSite`` rebuilds with the state kept from the last build, and the HTTP server swaps
in the new snapshot, which wakes the browsers. Nothing is written to disk.
"""

from __future__ import annotations

import sys
import webbrowser
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from briefgen.build.pipeline import BuildOptions
from briefgen.serve.devsite import DevSite
from briefgen.serve.heap import serving
from briefgen.serve.httpserver import DevServer
from briefgen.serve.routing import url_host
from briefgen.serve.snapshot import Snapshot
from briefgen.serve.watch import Watcher

OUTPUT_DIR = "build"


def origin(host: str, port: int) -> str:
    """The origin that absolute URLs (feed, canonical links) use while previewing."""
    return f"http://{url_host(host)}:{port}"


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
        with serving() as heap:
            server.publish(dev.rebuild((), log))
            heap.settle()
            url = server.url
            log(f"serving {site_dir} at {url} (Ctrl+C to stop)")
            if options.open_browser:
                webbrowser.open(url)
            while True:
                change = watcher.next_change(timeout=1.0)
                if change is None:
                    heap.idle()
                    continue
                server.publish(dev.rebuild(change.paths, log))
                heap.settle()
    except KeyboardInterrupt:
        log("stopped")
        return 0
    finally:
        watcher.stop()
        server.shutdown()


def print_err(line: str) -> None:
    """Print a log line to standard error, at once."""
    print(line, file=sys.stderr, flush=True)
