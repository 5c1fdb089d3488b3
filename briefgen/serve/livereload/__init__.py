"""Live reload: what open pages are told about builds, the channel that tells them, the scripts.

The dev server adds a small snippet to every HTML page it serves: the page's build
(session and epoch) as JSON and ``client.js``. The client follows the server's event
stream, through ``worker.js`` (a SharedWorker holding one stream for every tab) where
the browser has SharedWorker, and:

- reloads when a newer successful build exists (or the server was restarted),
- swaps its stylesheets without reloading when that build changed only CSS,
- shows the diagnostics of a failed build attempt in an overlay, until a build succeeds.

Each event is one JSON object: ``{"session", "epoch", "css_only", "diagnostics"}``.
"""

from __future__ import annotations

import html
import json
import threading
from collections.abc import Iterable
from importlib import resources
from typing import Generic, TypeVar

from briefgen.errors import Diagnostic

RELOAD_PATH = "__briefgen/"  # under the site's prefix: client.js, worker.js, events
SCRIPTS = ("client.js", "worker.js")
COMPACT = (",", ":")

State = TypeVar("State")


def diagnostic_json(d: Diagnostic) -> dict[str, object]:
    """A diagnostic as the overlay receives it: its parts, headline and formatted text."""
    return {
        "headline": d.headline(),
        "location": str(d.location),
        "path": d.location.path,
        "line": d.location.line,
        "col": d.location.col,
        "severity": d.severity,
        "code": d.code,
        "message": d.message,
        "fix": d.fix,
        "source_line": d.source_line,
        "text": d.format(),
    }


def state_event(
    session: str, epoch: int, css_only: bool, diagnostics: Iterable[Diagnostic]
) -> bytes:
    """The Server-Sent Event that tells pages the current build and its problems."""
    state = {
        "session": session,
        "epoch": epoch,
        "css_only": css_only,
        "diagnostics": [diagnostic_json(d) for d in diagnostics],
    }
    return f"data: {json.dumps(state, separators=COMPACT)}\n\n".encode()


def page_snippet(session: str, epoch: int, href_prefix: str) -> bytes:
    """The markup added before ``</body>``: the page's build, then the client script."""
    page = json.dumps({"epoch": epoch, "session": session}, separators=COMPACT)
    src = html.escape(f"{href_prefix}{RELOAD_PATH}client.js")
    return (
        f'<script type="application/json" id="briefgen-live">{page}</script>'
        f'<script src="{src}" defer></script>'
    ).encode()


def inject(page: bytes, snippet: bytes) -> bytes:
    """Insert the snippet before the page's last ``</body>``, or append it."""
    at = page.lower().rfind(b"</body>")
    return page + snippet if at < 0 else page[:at] + snippet + page[at:]


def browser_scripts() -> dict[str, bytes]:
    """The client and shared worker scripts, from the package data next to this module."""
    folder = resources.files(__name__)
    return {name: folder.joinpath(name).read_bytes() for name in SCRIPTS}


class Channel(Generic[State]):
    """The current state, and a condition that every event stream waits on."""

    def __init__(self, state: State) -> None:
        """Start with ``state`` as the current one."""
        self._changed = threading.Condition()
        self._state = state
        self._closed = False

    @property
    def state(self) -> State:
        """The current state (one reference read, so always a whole one)."""
        return self._state

    def publish(self, state: State) -> None:
        """Make ``state`` current and wake every stream."""
        with self._changed:
            self._state = state
            self._changed.notify_all()

    def close(self) -> None:
        """Wake every stream for the last time."""
        with self._changed:
            self._closed = True
            self._changed.notify_all()

    def wait(self, seen: State, timeout: float) -> State | None:
        """The current state once it is not ``seen`` or after the timeout; None once closed."""
        with self._changed:
            self._changed.wait_for(lambda: self._closed or self._state is not seen, timeout)
            return None if self._closed else self._state
