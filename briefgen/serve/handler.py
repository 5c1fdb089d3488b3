"""The HTTP side of the dev server: a threaded server and the handler of one connection.

Every request takes the published state once when it starts, so a response never mixes
two builds. Host, request target and method are checked before anything is looked up
(``briefgen.serve.routing`` holds those checks as pure functions).
"""

from __future__ import annotations

import contextlib
import http.server
import re
import socket
import socketserver
import sys
import threading
import time
import traceback
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

from briefgen.serve.livereload import Channel, inject
from briefgen.serve.routing import (
    HTML_TYPE,
    JS_TYPE,
    TEXT_TYPE,
    File,
    Missing,
    Redirect,
    Reload,
    Unsafe,
    content_type,
    host_allowed,
    origin_allowed,
    route,
)
from briefgen.serve.snapshot import Live
from briefgen.urls import NOT_FOUND

IDLE_SECONDS = 30.0  # a kept-alive connection with no new request is closed after this
DISCONNECTS = (BrokenPipeError, ConnectionResetError, ConnectionAbortedError, TimeoutError)
LOG_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f]")

Log = Callable[[str], None]


def address_family(host: str) -> socket.AddressFamily:
    """IPv6 for an address with colons, else IPv4."""
    return socket.AF_INET6 if ":" in host else socket.AF_INET


@dataclass
class Served:
    """What the request handler needs: the channel, the settings and the reload scripts."""

    channel: Channel[Live]
    hosts: frozenset[str]
    live_reload: bool
    scripts: Mapping[str, bytes]
    log: Log | None
    keepalive: float


class ThreadingServer(http.server.ThreadingHTTPServer):
    """A threaded HTTP server that tracks its connections so that shutdown can end them."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], site: Served) -> None:
        """Bind the address (IPv6 for an address with colons) to serve ``site``."""
        self.address_family = address_family(address[0])
        self.site = site
        self._connections: dict[Any, threading.Thread] = {}
        self._lock = threading.Lock()
        super().__init__(address, Handler)

    def server_bind(self) -> None:
        """Bind without the reverse DNS lookup of HTTPServer (slow on some machines)."""
        socketserver.TCPServer.server_bind(self)
        self.server_name = str(self.server_address[0])
        self.server_port = int(self.server_address[1])

    def process_request(self, request: Any, client_address: Any) -> None:
        """Serve the connection in a daemon thread of its own, and remember both."""
        thread = threading.Thread(
            target=self.process_request_thread, args=(request, client_address), daemon=True
        )
        with self._lock:
            self._connections[request] = thread
        thread.start()

    def shutdown_request(self, request: Any) -> None:
        """Forget and close a finished connection."""
        with self._lock:
            self._connections.pop(request, None)
        super().shutdown_request(request)

    def end_connections(self, timeout: float) -> None:
        """Shut down every open connection and wait (bounded) for their threads to finish."""
        with self._lock:
            connections = list(self._connections.items())
        for connection, _ in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
        deadline = time.monotonic() + timeout
        for _, thread in connections:
            thread.join(max(0.0, deadline - time.monotonic()))

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Stay quiet when a client goes away; report anything else as the bug it is."""
        if isinstance(sys.exc_info()[1], DISCONNECTS):
            return
        text = f"briefgen serve: error answering {client_address}:\n{traceback.format_exc()}"
        if self.site.log is not None:
            self.site.log(text)
        else:
            sys.stderr.write(text)


class Handler(http.server.BaseHTTPRequestHandler):
    """Answers one connection: snapshot files, redirects, the reload scripts and events."""

    server: ThreadingServer
    protocol_version = "HTTP/1.1"
    server_version = "briefgen"
    timeout = IDLE_SECONDS

    def version_string(self) -> str:
        """The Server header: just the name."""
        return self.server_version

    def do_GET(self) -> None:
        """Answer a GET."""
        self._answer(head=False)

    def do_HEAD(self) -> None:
        """Answer a HEAD: the headers of the GET, no body."""
        self._answer(head=True)

    def __getattr__(self, name: str) -> Callable[[], None]:
        """Make every other method a 405 instead of http.server's 501."""
        if name.startswith("do_"):
            return self._not_allowed
        raise AttributeError(name)

    def _not_allowed(self) -> None:
        """Refuse a method other than GET and HEAD."""
        self.close_connection = True  # its body, if any, is never read
        self._plain(HTTPStatus.METHOD_NOT_ALLOWED, head=False, headers={"Allow": "GET, HEAD"})

    def _answer(self, head: bool) -> None:
        """Check the request, then serve it from the current snapshot; never raise."""
        try:
            self._route(head)
        except DISCONNECTS:
            raise
        except Exception:
            self.server.handle_error(self.request, self.client_address)
            self.close_connection = True
            self._plain(HTTPStatus.INTERNAL_SERVER_ERROR, head)

    def _route(self, head: bool) -> None:
        """Check the version and Host, then answer with what the target leads to in this build."""
        site = self.server.site
        if self.request_version == "HTTP/0.9":  # no headers, so no Host: refuse with a status
            return self.send_error(HTTPStatus.BAD_REQUEST)
        if self.headers.get("Content-Length") or self.headers.get("Transfer-Encoding"):
            self.close_connection = True  # an unexpected body is never read
        if not host_allowed(self.headers.get_all("Host") or [], site.hosts):
            return self._plain(HTTPStatus.FORBIDDEN, head)
        live = site.channel.state  # the only read: the whole answer comes from this build
        files = live.snapshot.files
        target = self.requestline.split()[1]  # self.path has "//" collapsed
        match route(target, live.prefix, live.href_prefix, files, site.live_reload):
            case File(name):
                self._file(name, files[name], live, HTTPStatus.OK, head)
            case Redirect(status, location):
                self._plain(status, head, headers={"Location": location})
            case Reload(name):
                self._reload_endpoint(name, live, head)
            case Missing():
                self._not_found(live, head)
            case Unsafe():
                self._plain(HTTPStatus.BAD_REQUEST, head)

    def _reload_endpoint(self, name: str, live: Live, head: bool) -> None:
        """Serve the reload client, its shared worker, or the event stream."""
        if name == "events":
            return self._stream(live, head)
        script = self.server.site.scripts.get(name)
        if script is None:
            return self._not_found(live, head)
        self._send(HTTPStatus.OK, JS_TYPE, script, head)

    def _stream(self, live: Live, head: bool) -> None:
        """Send the current state, then one event per publish, with keep-alive comments."""
        if not origin_allowed(self.headers.get_all("Origin"), self.headers.get("Host")):
            return self._plain(HTTPStatus.FORBIDDEN, head)
        self.close_connection = True
        self._start(HTTPStatus.OK, "text/event-stream", {})
        if head:
            return
        self.wfile.write(b"retry: 1000\n\n" + live.event)
        site = self.server.site
        seen = live
        while (current := site.channel.wait(seen, site.keepalive)) is not None:
            self.wfile.write(b": keep-alive\n\n" if current is seen else current.event)
            seen = current

    def _file(self, name: str, data: bytes, live: Live, status: int, head: bool) -> None:
        """Send a file of the snapshot; HTML gets the reload script when live reload is on."""
        kind = content_type(name)
        if kind == HTML_TYPE and self.server.site.live_reload:
            data = inject(data, live.snippet)
        self._send(status, kind, data, head)

    def _not_found(self, live: Live, head: bool) -> None:
        """Send the build's 404.html with status 404, or a plain text 404."""
        page = live.snapshot.files.get(NOT_FOUND)
        if page is None:
            return self._plain(HTTPStatus.NOT_FOUND, head)
        self._file(NOT_FOUND, page, live, HTTPStatus.NOT_FOUND, head)

    def _plain(self, status: int, head: bool, headers: Mapping[str, str] | None = None) -> None:
        """Send a short plain-text status page."""
        phrase = HTTPStatus(status).phrase
        self._send(status, TEXT_TYPE, f"{status} {phrase}\n".encode(), head, headers)

    def _send(
        self,
        status: int,
        kind: str,
        body: bytes,
        head: bool,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        """Send a complete response: status, headers, and the body unless it is a HEAD."""
        self._start(status, kind, {"Content-Length": str(len(body)), **(headers or {})})
        if not head:
            self.wfile.write(body)

    def _start(self, status: int, kind: str, headers: Mapping[str, str]) -> None:
        """Send the status line, the headers every answer has, and ``headers``."""
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        for key, value in headers.items():
            self.send_header(key, value)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Answer a request http.server could not parse with a plain page that echoes nothing."""
        self.close_connection = True
        if self.request_version == "HTTP/0.9":  # unparsed: answer with a status line anyway
            self.request_version = "HTTP/1.0"
        self._plain(code, head=self.command == "HEAD")

    def handle(self) -> None:
        """Serve the connection's requests; a client that goes away is no error."""
        try:
            super().handle()
        except DISCONNECTS:
            self.close_connection = True

    def finish(self) -> None:
        """Flush and close the connection, quietly when the client is already gone."""
        with contextlib.suppress(*DISCONNECTS):
            super().finish()

    def log_message(self, format: str, *args: Any) -> None:
        """Pass an access or error line to the log, if there is one, with controls escaped."""
        log = self.server.site.log
        if log is not None:
            line = LOG_UNSAFE.sub(lambda m: f"\\x{ord(m[0]):02x}", format % args)
            log(f"{self.address_string()} {line}")
