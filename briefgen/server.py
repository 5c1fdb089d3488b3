"""The development server: serves the last good build from memory and live-reloads browsers.

Files come only from an in-memory ``Snapshot`` of the build, never from the disk, so
nothing outside the build can ever be served. ``DevServer.publish`` swaps in a new
snapshot; every request takes the snapshot once when it starts, so a response never
mixes two builds. Open pages follow the builds over one Server-Sent Events stream per
browser (``livereload/worker.js`` shares it between tabs): they reload after a
successful build, swap their stylesheets after a CSS-only one, and show the located
diagnostics in an overlay while the last build attempt has failed.

Safe by default: it binds 127.0.0.1, answers only requests whose Host names a loopback
address or the bound one (DNS rebinding), checks the Origin of the reload channel, and
rejects unsafe request targets with 400 before looking anything up.
"""

from __future__ import annotations

import contextlib
import errno
import http.server
import re
import secrets
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
from urllib.parse import quote, unquote

from briefgen.errors import Diagnostic
from briefgen.livereload import (
    RELOAD_PATH,
    Channel,
    browser_scripts,
    inject,
    page_snippet,
    state_event,
)

KEEPALIVE_SECONDS = 15.0  # an SSE comment this often keeps proxies quiet and finds dead clients
IDLE_SECONDS = 30.0  # a kept-alive connection with no new request is closed after this
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")
WILDCARD_HOSTS = ("", "0.0.0.0", "::")
DISCONNECTS = (BrokenPipeError, ConnectionResetError, ConnectionAbortedError, TimeoutError)
LOG_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f]")
ESCAPE = re.compile(r"%[0-9A-Fa-f]{2}")
HEX = frozenset("0123456789abcdefABCDEF")
HOST_FORM = re.compile(r"(\[[0-9a-f:.]+\]|[^:\[\]]+)(?::[0-9]{1,5})?")

NAMED_TYPES = {"feed.xml": "application/atom+xml", "sitemap.xml": "application/xml"}
CONTENT_TYPES = {
    "html": "text/html; charset=utf-8",
    "htm": "text/html; charset=utf-8",
    "css": "text/css; charset=utf-8",
    "js": "text/javascript; charset=utf-8",
    "mjs": "text/javascript; charset=utf-8",
    "json": "application/json",
    "map": "application/json",
    "webmanifest": "application/manifest+json",
    "xml": "application/xml",
    "atom": "application/atom+xml",
    "rss": "application/rss+xml",
    "txt": "text/plain; charset=utf-8",
    "md": "text/markdown; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "svg": "image/svg+xml",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
    "webp": "image/webp",
    "avif": "image/avif",
    "ico": "image/x-icon",
    "woff": "font/woff",
    "woff2": "font/woff2",
    "ttf": "font/ttf",
    "otf": "font/otf",
    "pdf": "application/pdf",
    "mp3": "audio/mpeg",
    "mp4": "video/mp4",
    "webm": "video/webm",
    "wasm": "application/wasm",
}
HTML_TYPE = CONTENT_TYPES["html"]
JS_TYPE = CONTENT_TYPES["js"]
TEXT_TYPE = CONTENT_TYPES["txt"]

Log = Callable[[str], None]


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


class PortInUse(Exception):
    """The port is taken; ``suggestion`` is the next free one."""

    def __init__(self, host: str, port: int, suggestion: int) -> None:
        """Name the taken port and the suggested one."""
        self.host = host
        self.port = port
        self.suggestion = suggestion
        super().__init__(f"port {port} is already in use on {host}; port {suggestion} is free")


@dataclass(frozen=True)
class _Live:
    """A published snapshot with what every request and reload client needs, made once."""

    snapshot: Snapshot
    prefix: str  # the decoded prefix, compared with decoded request paths
    href_prefix: str  # the percent-encoded prefix, for Location headers and the script tag
    snippet: bytes  # what the server adds before </body> in HTML responses
    event: bytes  # the Server-Sent Event announcing this state


def prepare(snapshot: Snapshot, session: str) -> _Live:
    """Work out, once per publish, the prefix forms, the page snippet and the event."""
    prefix = unquote(snapshot.prefix, errors="strict")
    href_prefix = quote(prefix, safe="/!$&'()*+,;=:@~")
    snippet = page_snippet(session, snapshot.epoch, href_prefix)
    event = state_event(session, snapshot.epoch, snapshot.css_only, snapshot.diagnostics)
    return _Live(snapshot, prefix, href_prefix, snippet, event)


def decode_target(target: str) -> tuple[str, str] | None:
    """The decoded path and raw query of a safe origin-form request target, else None."""
    # Rejected: other forms (absolute, authority, "*"), "//", anything but visible ASCII,
    # backslashes, fragments, malformed escapes, encoded "/", "\" or control characters,
    # escapes that decode into another escape (double encoding), invalid or overlong
    # UTF-8, and ".", ".." or empty segments.
    if not target.startswith("/") or target.startswith("//"):
        return None
    if any(not "!" <= c <= "~" for c in target) or "\\" in target or "#" in target:
        return None
    raw_path, _, query = target.partition("?")
    decoded = bytearray()
    i = 0
    while i < len(raw_path):
        if raw_path[i] != "%":
            decoded.append(ord(raw_path[i]))
            i += 1
            continue
        digits = raw_path[i + 1 : i + 3]
        if len(digits) != 2 or not set(digits) <= HEX:
            return None
        byte = int(digits, 16)
        if byte < 0x20 or byte == 0x7F or byte in (0x2F, 0x5C):
            return None
        decoded.append(byte)
        i += 3
    try:
        path = decoded.decode("utf-8")
    except UnicodeDecodeError:
        return None
    segments = path.split("/")[1:]
    if ESCAPE.search(path) or any(s in ("", ".", "..") for s in segments[:-1]):
        return None
    if segments[-1] in (".", ".."):
        return None
    return path, query


def content_type(name: str) -> str:
    """The Content-Type of a file of the build, by its name."""
    base = name.rpartition("/")[2]
    if base in NAMED_TYPES:
        return NAMED_TYPES[base]
    extension = base.rpartition(".")[2].lower() if "." in base else ""
    return CONTENT_TYPES.get(extension, "application/octet-stream")


def allowed_hosts(host: str) -> frozenset[str]:
    """Host names (lowercase, without port) a request may address: loopback, bound address."""
    names = set(LOOPBACK_NAMES)
    if host not in WILDCARD_HOSTS:
        names.add(f"[{host}]" if ":" in host else host)
    return frozenset(name.lower() for name in names)


def host_allowed(values: list[str], names: frozenset[str]) -> bool:
    """Whether there is exactly one Host header and it names an allowed host (any port)."""
    if len(values) != 1:
        return False
    match = HOST_FORM.fullmatch(values[0].strip().lower())
    return match is not None and match[1] in names


def next_free_port(host: str, port: int) -> int:
    """The first of the next 100 ports that can be bound on ``host``, else any free one."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    for candidate in [*range(port + 1, min(port + 101, 65536)), 0]:
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind((host, candidate))
            except OSError:
                continue
            return int(probe.getsockname()[1])
    raise OSError(errno.EADDRINUSE, f"no free port on {host}")


@dataclass
class _Site:
    """What the request handler needs: the channel, the settings and the reload scripts."""

    channel: Channel[_Live]
    hosts: frozenset[str]
    live_reload: bool
    scripts: Mapping[str, bytes]
    log: Log | None
    keepalive: float


class _HTTPServer(http.server.ThreadingHTTPServer):
    """A threaded HTTP server that tracks its connections so that shutdown can end them."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], site: _Site) -> None:
        """Bind the address (IPv6 for an address with colons) to serve ``site``."""
        self.address_family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        self.site = site
        self._connections: dict[Any, threading.Thread] = {}
        self._lock = threading.Lock()
        super().__init__(address, _Handler)

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


class _Handler(http.server.BaseHTTPRequestHandler):
    """Answers one connection: snapshot files, redirects, the reload scripts and events."""

    server: _HTTPServer
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
        """Map the request target under the prefix to a file, a redirect or a miss."""
        site = self.server.site
        if self.request_version == "HTTP/0.9":  # no headers, so no Host: refuse with a status
            return self.send_error(HTTPStatus.BAD_REQUEST)
        if self.headers.get("Content-Length") or self.headers.get("Transfer-Encoding"):
            self.close_connection = True  # an unexpected body is never read
        if not host_allowed(self.headers.get_all("Host") or [], site.hosts):
            return self._plain(HTTPStatus.FORBIDDEN, head)
        target = decode_target(self.requestline.split()[1])
        if target is None:
            return self._plain(HTTPStatus.BAD_REQUEST, head)
        path, query = target
        live = site.channel.state  # the only read: the whole answer comes from this build
        files = live.snapshot.files
        if not path.startswith(live.prefix):
            if path in ("/", live.prefix[:-1]):
                return self._redirect(HTTPStatus.FOUND, live.href_prefix, head)
            return self._not_found(live, head)
        rel = path[len(live.prefix) :]
        if site.live_reload and rel.startswith(RELOAD_PATH):
            return self._reload_endpoint(rel[len(RELOAD_PATH) :], live, head)
        name = rel + "index.html" if rel == "" or rel.endswith("/") else rel
        if name in files:
            return self._file(name, files[name], live, HTTPStatus.OK, head)
        if not rel.endswith("/") and rel + "/index.html" in files:
            raw_path = self.requestline.split()[1].partition("?")[0]
            location = raw_path + "/" + ("?" + query if query else "")
            return self._redirect(HTTPStatus.MOVED_PERMANENTLY, location, head)
        return self._not_found(live, head)

    def _reload_endpoint(self, name: str, live: _Live, head: bool) -> None:
        """Serve the reload client, its shared worker, or the event stream."""
        if name == "events":
            return self._stream(live, head)
        script = self.server.site.scripts.get(name)
        if script is None:
            return self._not_found(live, head)
        self._send(HTTPStatus.OK, JS_TYPE, script, head)

    def _stream(self, live: _Live, head: bool) -> None:
        """Send the current state, then one event per publish, with keep-alive comments."""
        origin = self.headers.get_all("Origin")
        host = (self.headers.get("Host") or "").strip().lower()
        if origin is not None and [o.strip().lower() for o in origin] != [f"http://{host}"]:
            return self._plain(HTTPStatus.FORBIDDEN, head)
        self.close_connection = True
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Connection", "close")
        self.end_headers()
        if head:
            return
        self.wfile.write(b"retry: 1000\n\n" + live.event)
        site = self.server.site
        seen = live
        while (current := site.channel.wait(seen, site.keepalive)) is not None:
            self.wfile.write(b": keep-alive\n\n" if current is seen else current.event)
            seen = current

    def _file(self, name: str, data: bytes, live: _Live, status: int, head: bool) -> None:
        """Send a file of the snapshot; HTML gets the reload script when live reload is on."""
        kind = content_type(name)
        if kind == HTML_TYPE and self.server.site.live_reload:
            data = inject(data, live.snippet)
        self._send(status, kind, data, head)

    def _not_found(self, live: _Live, head: bool) -> None:
        """Send the build's 404.html with status 404, or a plain text 404."""
        page = live.snapshot.files.get("404.html")
        if page is None:
            return self._plain(HTTPStatus.NOT_FOUND, head)
        self._file("404.html", page, live, HTTPStatus.NOT_FOUND, head)

    def _redirect(self, status: int, location: str, head: bool) -> None:
        """Redirect to a path on this server."""
        self._plain(status, head, headers={"Location": location})

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
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if not head:
            self.wfile.write(body)

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


class DevServer:
    """Serves published snapshots of the build on a loopback port, with live reload."""

    def __init__(
        self,
        snapshot: Snapshot,
        *,
        host: str = "127.0.0.1",
        port: int = 8000,
        live_reload: bool = True,
        log: Log | None = None,
    ) -> None:
        """Bind the port (raising PortInUse when it is taken); ``log`` gets access lines."""
        self._session = secrets.token_hex(8)
        self._host = host
        self._channel = Channel(prepare(snapshot, self._session))
        scripts = browser_scripts() if live_reload else {}
        hosts = allowed_hosts(host)
        site = _Site(self._channel, hosts, live_reload, scripts, log, KEEPALIVE_SECONDS)
        try:
            self._httpd = _HTTPServer((host, port), site)
        except OSError as error:
            if error.errno != errno.EADDRINUSE or port == 0:
                raise
            raise PortInUse(host, port, next_free_port(host, port)) from None
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        """The bound port (the one the system chose when asked for port 0)."""
        return self._httpd.server_port

    @property
    def url(self) -> str:
        """The site's address, e.g. ``http://127.0.0.1:8000/briefing/``."""
        host = {"": "127.0.0.1", "0.0.0.0": "127.0.0.1", "::": "[::1]"}.get(self._host)
        if host is None:
            host = f"[{self._host}]" if ":" in self._host else self._host
        return f"http://{host}:{self.port}{self._channel.state.href_prefix}"

    def start(self) -> None:
        """Serve in a daemon thread."""
        if self._thread is None:
            self._thread = threading.Thread(
                target=self._httpd.serve_forever,
                kwargs={"poll_interval": 0.1},
                name="briefgen-serve",
                daemon=True,
            )
            self._thread.start()

    def publish(self, snapshot: Snapshot) -> None:
        """Serve ``snapshot`` from now on and tell every reload client (thread-safe)."""
        self._channel.publish(prepare(snapshot, self._session))

    def shutdown(self) -> None:
        """Stop serving, end the reload streams and open connections, free the port."""
        self._channel.close()
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join(timeout=5)
        self._httpd.server_close()
        self._httpd.end_connections(timeout=5)
