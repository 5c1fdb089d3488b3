"""Headless Chromium for browser tests: the system's Chromium, never a downloaded one.

Where Chromium is missing the tests skip with the reason; under CI=true that is a
failure instead, so CI can never pass without running them.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str:
    """The system Chromium's path, or skip (fail under CI=true) when there is none."""
    path = os.environ.get("BRIEFGEN_CHROMIUM") or shutil.which("chromium")
    reason = ""
    if not path:
        reason = "Chromium not found: install Debian's chromium package to run browser tests"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            reason = "Playwright for Python is not installed: pip install -e '.[test]'"
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    assert path is not None
    return path


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """A static file handler that does not log every request."""

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def static_server(root: Path) -> Iterator[str]:
    """Serve ``root`` on a free loopback port; yield the base URL."""
    handler = functools.partial(QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


REPO = Path(__file__).resolve().parent.parent


@contextmanager
def served_demo(root: Path, prefix: str = "briefing/") -> Iterator[str]:
    """The demo site built under a path prefix into ``root`` and served; yields its URL."""
    from briefgen.build.pipeline import BuildOptions, build

    with static_server(root) as base:
        build(REPO, root / prefix.strip("/"), BuildOptions(base_url=base + prefix))
        yield base + prefix
