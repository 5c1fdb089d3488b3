"""What the dev server serves: a snapshot of the last good build, prepared once per publish."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from briefgen.errors import Diagnostic
from briefgen.serve.livereload import page_snippet, state_event
from briefgen.serve.routing import prefix_forms


@dataclass(frozen=True)
class Snapshot:
    """One state of the site as served: the last good build and the last attempt's problems.

    ``files`` must not change once published; each build publishes a new mapping.
    """

    files: Mapping[str, bytes]  # "index.html", "kharkiv/index.html", "static/style.css", ...
    prefix: str  # path prefix of base_url: "/" or "/briefing/"
    epoch: int  # +1 with every successful build
    diagnostics: tuple[Diagnostic, ...] = ()  # problems of the last build attempt
    css_only: bool = False  # the last successful build changed only .css files

    def __post_init__(self) -> None:
        """Reject a prefix that is not an absolute folder path."""
        if not (self.prefix.startswith("/") and self.prefix.endswith("/")):
            raise ValueError(f"prefix must start and end with '/': {self.prefix!r}")


@dataclass(frozen=True)
class Live:
    """A published snapshot with what every request and reload client needs, made once."""

    snapshot: Snapshot
    prefix: str  # the decoded prefix, compared with decoded request paths
    href_prefix: str  # the percent-encoded prefix, for Location headers and the script tag
    snippet: bytes  # what the server adds before </body> in HTML responses
    event: bytes  # the Server-Sent Event announcing this state


def prepare(snapshot: Snapshot, session: str) -> Live:
    """Work out, once per publish, the prefix forms, the page snippet and the event."""
    prefix, href_prefix = prefix_forms(snapshot.prefix)
    snippet = page_snippet(session, snapshot.epoch, href_prefix)
    event = state_event(session, snapshot.epoch, snapshot.css_only, snapshot.diagnostics)
    return Live(snapshot, prefix, href_prefix, snippet, event)
