"""The dev server over real loopback sockets: mapping, safety, live reload, consistency."""

from __future__ import annotations

import http.client
import itertools
import json
import re
import socket
import struct
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import pytest

from briefgen.errors import Diagnostic, Location
from briefgen.serve import httpserver as server_module
from briefgen.serve.httpserver import DevServer, PortInUse
from briefgen.serve.snapshot import Snapshot
from tests.test_routing import BAD_HOSTS, PREFIXES, traversal_targets

TIMEOUT = 10.0
PAGE = (
    "<!doctype html>\n<html><head><title>{title}</title></head>\n"
    "<body><p>{title}</p></body>\n</html>\n"
)
FILES: dict[str, bytes] = {
    "index.html": PAGE.format(title="Front page").encode(),
    "kharkiv/index.html": PAGE.format(title="Kharkiv").encode(),
    "tags/sco/index.html": PAGE.format(title="SCO").encode(),
    "404.html": PAGE.format(title="Not here").encode(),
    "static/style.css": b"body { color: black; }\n",
    "static/briefgen.js": b'"use strict";\n',
    "static/favicon.svg": b'<svg xmlns="http://www.w3.org/2000/svg"/>\n',
    "static/photo.png": b"\x89PNG\r\n\x1a\n",
    "static/photo.jpg": b"\xff\xd8\xff",
    "static/data.json": b"{}\n",
    "feed.xml": b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"/>\n',
    "sitemap.xml": b'<?xml version="1.0"?><urlset/>\n',
    "robots.txt": b"User-agent: *\n",
    "static/font.woff2": b"wOF2",
    "static/blob.bin": b"\x00\x01",
}
RELOAD_TAG = re.compile(
    rb'<script type="application/json" id="briefgen-live">(\{[^<]*\})</script>'
    rb'<script src="[^"]*__briefgen/client\.js" defer></script>'
)
DIAGNOSTIC = Diagnostic(
    Location("content/kharkiv.yaml", 4, 11),
    "ANC001",
    "quote 'met in Samarkan' is not in the article",
    "copy the quote exactly from content/kharkiv.md",
    "  - quote: met in Samarkan",
)


@contextmanager
def serving(snapshot: Snapshot, **options: Any) -> Iterator[DevServer]:
    """A started DevServer (on a free loopback port unless told), shut down afterwards."""
    server = DevServer(snapshot, **{"port": 0, **options})
    server.start()
    try:
        yield server
    finally:
        server.shutdown()


@pytest.fixture(params=PREFIXES)
def prefix(request: pytest.FixtureRequest) -> str:
    """Each path prefix a site can be mounted under."""
    return str(request.param)


@pytest.fixture
def served(prefix: str) -> Iterator[DevServer]:
    """The test site served under the prefix."""
    with serving(Snapshot(FILES, prefix, 1)) as server:
        yield server


def fetch(
    server: DevServer, path: str, method: str = "GET", headers: Mapping[str, str] | None = None
) -> tuple[int, http.client.HTTPMessage, bytes]:
    """One request over a fresh connection: status, headers, body."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=TIMEOUT)
    try:
        connection.request(method, path, headers=dict(headers or {}))
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


def send_raw(port: int, data: bytes) -> tuple[int, bytes]:
    """Send raw bytes, read the whole answer until the server closes; status and body."""
    with socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT) as sock:
        sock.sendall(data)
        chunks = []
        try:
            while chunk := sock.recv(65536):
                chunks.append(chunk)
        except ConnectionResetError:  # the server closed with part of a long request unread
            pass
    answer = b"".join(chunks)
    head, _, body = answer.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1]) if head.startswith(b"HTTP/") else 0
    return status, body


def request_bytes(target: str, host: str | None, method: str = "GET") -> bytes:
    """A raw HTTP/1.1 request that asks the server to close the connection afterwards."""
    lines = [f"{method} {target} HTTP/1.1"]
    if host is not None:
        lines.append(f"Host: {host}")
    lines += ["Connection: close", "", ""]
    return "\r\n".join(lines).encode("latin-1")


def without_reload(body: bytes) -> bytes:
    """The body as built: the injected reload script taken out."""
    return RELOAD_TAG.sub(b"", body)


def allowed_bodies(files: Mapping[str, bytes]) -> set[bytes]:
    """Every body the server may send: the snapshot's files and its short status texts."""
    statuses = (301, 302, 400, 403, 404, 405, 414, 431, 505)
    plain = {f"{s} {http.client.responses[s]}\n".encode() for s in statuses}
    return {*files.values(), *plain, b""}


# --- mapping ---------------------------------------------------------------------------

# Each outcome of routing end to end; tests/test_routing.py has the whole table.
ROUTES = [
    # (path under the prefix, status, file served or Location under the prefix)
    ("", 200, "index.html"),
    ("kharkiv/", 200, "kharkiv/index.html"),
    ("static/style.css?v=3", 200, "static/style.css"),
    ("kharkiv?from=feed", 301, "kharkiv/?from=feed"),
    ("nowhere", 404, "404.html"),
]


@pytest.mark.parametrize(("path", "status", "expected"), ROUTES)
def test_paths_map_to_files_under_the_prefix(
    served: DevServer, prefix: str, path: str, status: int, expected: str
) -> None:
    got, headers, body = fetch(served, prefix + path)
    assert got == status
    if status == 301:
        assert headers["Location"] == prefix + expected
    else:
        assert without_reload(body) == FILES[expected]
    assert headers["Cache-Control"] == "no-store"


def test_root_redirects_to_the_prefix_and_other_paths_outside_it_are_missing() -> None:
    with serving(Snapshot(FILES, "/briefing/", 1)) as server:
        for path in ("/", "/briefing"):
            status, headers, _ = fetch(server, path)
            assert (status, headers["Location"]) == (302, "/briefing/")
        for path in ("/index.html", "/kharkiv/", "/briefingx/", "/static/style.css"):
            status, _, body = fetch(server, path)
            assert (status, without_reload(body)) == (404, FILES["404.html"])


def test_a_miss_without_a_404_page_is_plain_text() -> None:
    files = {k: v for k, v in FILES.items() if k != "404.html"}
    with serving(Snapshot(files, "/", 1)) as server:
        status, headers, body = fetch(server, "/nowhere")
    assert (status, body) == (404, b"404 Not Found\n")
    assert headers["Content-Type"] == "text/plain; charset=utf-8"


def test_unicode_paths_are_decoded_once() -> None:
    files = {"zürich/index.html": PAGE.format(title="Zürich").encode()}
    with serving(Snapshot(files, "/", 1)) as server:
        status, _, body = fetch(server, "/z%C3%BCrich/")
        assert (status, without_reload(body)) == (200, files["zürich/index.html"])
        assert fetch(server, "/z%C3%BCrich")[1]["Location"] == "/z%C3%BCrich/"


def test_the_url_names_the_bound_port_and_the_prefix() -> None:
    with serving(Snapshot(FILES, "/briefing/", 1)) as server:
        assert server.port > 0
        assert server.url == f"http://127.0.0.1:{server.port}/briefing/"


# A few types end to end; tests/test_routing.py has the whole table.
CONTENT_TYPES = [
    ("", "text/html; charset=utf-8"),
    ("static/style.css", "text/css; charset=utf-8"),
    ("static/photo.png", "image/png"),
    ("static/blob.bin", "application/octet-stream"),
    ("feed.xml", "application/atom+xml"),
    ("nowhere", "text/html; charset=utf-8"),
]


@pytest.mark.parametrize(("path", "kind"), CONTENT_TYPES)
def test_content_type_and_length(served: DevServer, prefix: str, path: str, kind: str) -> None:
    _, headers, body = fetch(served, prefix + path)
    assert headers["Content-Type"] == kind
    assert headers["Content-Length"] == str(len(body))
    assert headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("path", ["", "kharkiv/", "static/style.css", "kharkiv", "nowhere"])
def test_head_sends_the_headers_of_get_without_a_body(
    served: DevServer, prefix: str, path: str
) -> None:
    get_status, get_headers, get_body = fetch(served, prefix + path)
    head_status, head_headers, head_body = fetch(served, prefix + path, "HEAD")
    assert (head_status, head_body) == (get_status, b"")
    assert head_headers["Content-Length"] == str(len(get_body))
    assert head_headers["Content-Type"] == get_headers["Content-Type"]


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "FOO"])
def test_other_methods_are_not_allowed(served: DevServer, prefix: str, method: str) -> None:
    status, headers, body = fetch(served, prefix, method)
    assert (status, body) == (405, b"405 Method Not Allowed\n")
    assert headers["Allow"] == "GET, HEAD"
    assert headers["Cache-Control"] == "no-store"


def test_keep_alive_serves_several_requests_on_one_connection(
    served: DevServer, prefix: str
) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", served.port, timeout=TIMEOUT)
    try:
        for path in ("", "kharkiv/", "static/style.css"):
            connection.request("GET", prefix + path)
            response = connection.getresponse()
            assert response.status == 200
            response.read()
    finally:
        connection.close()


# --- request targets and Host headers ---------------------------------------------------

MALFORMED_LINES = [
    "GET http://127.0.0.1:{port}/ HTTP/1.1",
    "GET http://evil.example/ HTTP/1.1",
    "GET https://127.0.0.1:{port}/index.html HTTP/1.1",
    "GET //evil.example/ HTTP/1.1",
    "GET //evil.example/%2e%2e/ HTTP/1.1",
    "GET 127.0.0.1:{port} HTTP/1.1",
    "GET * HTTP/1.1",
    "GET index.html HTTP/1.1",
    "GET /index.html#x HTTP/1.1",
    "GET /a\\..\\b HTTP/1.1",
    "GET /\x00 HTTP/1.1",
    "GET /\x7f HTTP/1.1",
    "GET /\xff\xfe HTTP/1.1",
    "GET /caf\xe9 HTTP/1.1",
    "GET / / HTTP/1.1",
    "GET",
    "GET /index.html HTTP/1.1 extra",
]


def test_traversal_and_malformed_targets_never_leak_and_the_server_survives() -> None:
    files = {**FILES, "secret-marker.txt": b"SECRET"}
    for prefix in PREFIXES:
        snapshot = Snapshot(files, prefix, 1)
        with serving(snapshot) as server:
            allowed = allowed_bodies(files)
            host = f"127.0.0.1:{server.port}"
            targets = traversal_targets()
            assert len(targets) >= 300
            results = []
            for target in targets:
                results.append((target, *send_raw(server.port, request_bytes(target, host))))
            for line in MALFORMED_LINES:
                raw = line.format(port=server.port).encode("latin-1")
                data = raw + f"\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode()
                results.append((line, *send_raw(server.port, data)))
            for target, status, body in results:
                assert status in (400, 403, 404), (target, status)
                assert without_reload(body) in allowed, target
                assert b"SECRET" not in body, target
            assert fetch(server, prefix)[0] == 200


def test_hosts_other_than_loopback_or_the_bound_address_are_forbidden() -> None:
    for prefix in PREFIXES:
        with serving(Snapshot(FILES, prefix, 1)) as server:
            allowed = allowed_bodies(FILES)
            cases = [
                request_bytes(target, host.format(port=server.port), method)
                for host, target, method in itertools.product(
                    BAD_HOSTS, (prefix, prefix + "kharkiv/", prefix + "__briefgen/events"),
                    ("GET", "HEAD"),
                )
            ]  # fmt: skip
            cases.append(request_bytes(prefix, None))
            cases.append(
                f"GET {prefix} HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\n"
                f"Host: evil.example\r\nConnection: close\r\n\r\n".encode()
            )
            cases.append(f"GET {prefix}\r\n\r\n".encode())  # HTTP/0.9, no headers
            for case in cases:
                status, body = send_raw(server.port, case)
                assert status in (400, 403), case  # 400: an HTTP/0.9 request has no Host
                assert body in allowed, case
            assert fetch(server, prefix)[0] == 200


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "LOCALHOST", "[::1]"])
def test_loopback_hosts_are_served_with_any_port(served: DevServer, prefix: str, host: str) -> None:
    for value in (host, f"{host}:{served.port}", f"{host}:9000"):
        assert fetch(served, prefix, headers={"Host": value})[0] == 200


def test_a_specific_bound_address_is_an_allowed_host() -> None:
    with serving(Snapshot(FILES, "/", 1), host="127.0.0.3") as server:
        connection = http.client.HTTPConnection("127.0.0.3", server.port, timeout=TIMEOUT)
        connection.request("GET", "/")
        assert connection.getresponse().status == 200
        connection.close()
        assert server.url == f"http://127.0.0.3:{server.port}/"


def test_a_wildcard_bind_answers_loopback_names_only() -> None:
    with serving(Snapshot(FILES, "/", 1), host="0.0.0.0") as server:
        assert server.url == f"http://127.0.0.1:{server.port}/"
        assert fetch(server, "/", headers={"Host": f"localhost:{server.port}"})[0] == 200
        for host in ("0.0.0.0", "192.168.1.20", "my-laptop.local"):
            assert fetch(server, "/", headers={"Host": f"{host}:{server.port}"})[0] == 403


def test_an_ipv6_loopback_bind() -> None:
    if not socket.has_ipv6:
        pytest.skip("no IPv6 on this machine")
    try:
        server = DevServer(Snapshot(FILES, "/", 1), host="::1", port=0)
    except OSError as error:
        pytest.skip(f"cannot bind ::1: {error}")
    server.start()
    try:
        assert server.url == f"http://[::1]:{server.port}/"
        connection = http.client.HTTPConnection("::1", server.port, timeout=TIMEOUT)
        connection.request("GET", "/kharkiv/")
        assert connection.getresponse().status == 200
        connection.close()
    finally:
        server.shutdown()


def test_overlong_request_lines_and_headers_are_refused_without_echo(served: DevServer) -> None:
    status, body = send_raw(served.port, b"GET /" + b"a" * 70000 + b" HTTP/1.1\r\n\r\n")
    assert (status, body) == (414, b"414 Request-URI Too Long\n")
    long_header = b"X-Long: " + b"b" * 70000 + b"\r\n"
    request = b"GET / HTTP/1.1\r\nHost: localhost\r\n" + long_header + b"\r\n"
    status, body = send_raw(served.port, request)
    assert (status, body) == (431, b"431 Request Header Fields Too Large\n")
    status, body = send_raw(served.port, b"GET / HTTP/2.0\r\nHost: localhost\r\n\r\n")
    assert (status, body) == (505, b"505 HTTP Version Not Supported\n")


# --- live reload ------------------------------------------------------------------------


def test_the_reload_script_is_added_to_html_only(served: DevServer, prefix: str) -> None:
    tag = f'<script src="{prefix}__briefgen/client.js" defer></script></body>'.encode()
    for path in ("", "kharkiv/", "nowhere"):
        body = fetch(served, prefix + path)[2]
        assert body.count(b"__briefgen/client.js") == 1
        assert tag in body
        state = json.loads(RELOAD_TAG.search(body)[1])  # type: ignore[index]
        assert state["epoch"] == 1
    for path in ("static/style.css", "feed.xml", "sitemap.xml", "static/briefgen.js"):
        assert b"__briefgen" not in fetch(served, prefix + path)[2]
    assert all(b"__briefgen" not in data for data in FILES.values())


def test_the_reload_scripts_are_served(served: DevServer, prefix: str) -> None:
    for name in ("client.js", "worker.js"):
        status, headers, body = fetch(served, f"{prefix}__briefgen/{name}")
        assert (status, headers["Content-Type"]) == (200, "text/javascript; charset=utf-8")
        assert b'"use strict";' in body
    assert fetch(served, f"{prefix}__briefgen/other.js")[0] == 404


def test_without_live_reload_pages_are_plain_and_the_channel_is_missing(prefix: str) -> None:
    with serving(Snapshot(FILES, prefix, 1), live_reload=False) as server:
        for name, data in FILES.items():
            path = "" if name == "index.html" else name
            assert fetch(server, prefix + path)[2] == data
        for path in ("client.js", "worker.js", "events"):
            status, _, body = fetch(server, f"{prefix}__briefgen/{path}")
            assert (status, body) == (404, FILES["404.html"])


class Stream:
    """A reader of the server's event stream over one connection."""

    def __init__(self, server: DevServer, headers: Mapping[str, str] | None = None) -> None:
        """Open the stream of ``server``, with extra request headers."""
        self.connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=TIMEOUT)
        path = server.url.split(str(server.port), 1)[1] + "__briefgen/events"
        self.connection.request("GET", path, headers=dict(headers or {}))
        self.response = self.connection.getresponse()

    def next_event(self) -> dict[str, object]:
        """The data of the next event, skipping retry and comment lines."""
        while line := self.response.readline():
            if line.startswith(b"data: "):
                return dict(json.loads(line[6:]))
        raise EOFError("the stream ended")

    def next_comment(self) -> bytes:
        """The next comment line (a keep-alive)."""
        while line := self.response.readline():
            if line.startswith(b":"):
                return line
        raise EOFError("the stream ended")

    def close(self) -> None:
        """Drop the connection."""
        self.connection.close()


def test_events_start_with_the_current_state_then_follow_each_publish(
    served: DevServer, prefix: str
) -> None:
    stream = Stream(served)
    try:
        assert stream.response.status == 200
        assert stream.response.headers["Content-Type"] == "text/event-stream"
        assert stream.response.headers["Cache-Control"] == "no-store"
        first = stream.next_event()
        assert (first["epoch"], first["css_only"], first["diagnostics"]) == (1, False, [])
        served.publish(Snapshot(FILES, prefix, 1, (DIAGNOSTIC,)))
        failed = stream.next_event()
        assert failed["epoch"] == 1 and failed["session"] == first["session"]
        assert failed["diagnostics"] == [
            {
                "headline": DIAGNOSTIC.headline(),
                "location": "content/kharkiv.yaml:4:11",
                "path": "content/kharkiv.yaml",
                "line": 4,
                "col": 11,
                "severity": "error",
                "code": "ANC001",
                "message": DIAGNOSTIC.message,
                "fix": DIAGNOSTIC.fix,
                "source_line": DIAGNOSTIC.source_line,
                "text": DIAGNOSTIC.format(),
            }
        ]
        served.publish(Snapshot(FILES, prefix, 2, css_only=True))
        fixed = stream.next_event()
        assert (fixed["epoch"], fixed["css_only"], fixed["diagnostics"]) == (2, True, [])
    finally:
        stream.close()


def test_a_page_opened_while_the_build_is_broken_gets_the_diagnostics_first() -> None:
    with serving(Snapshot(FILES, "/", 3, (DIAGNOSTIC,))) as server:
        stream = Stream(server)
        try:
            state = stream.next_event()
        finally:
            stream.close()
    assert state["epoch"] == 3
    assert [d["headline"] for d in state["diagnostics"]] == [DIAGNOSTIC.headline()]  # type: ignore[attr-defined]


def test_the_stream_sends_keep_alive_comments(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(server_module, "KEEPALIVE_SECONDS", 0.05)
    with serving(Snapshot(FILES, "/", 1)) as server:
        stream = Stream(server)
        try:
            stream.next_event()
            assert stream.next_comment() == b": keep-alive\n"
        finally:
            stream.close()


def test_shutdown_ends_open_streams() -> None:
    server = DevServer(Snapshot(FILES, "/", 1), port=0)
    server.start()
    stream = Stream(server)
    stream.next_event()
    server.shutdown()
    with pytest.raises(EOFError):
        stream.next_event()
    stream.close()


@pytest.mark.parametrize(
    "origin",
    ["http://evil.example", "http://127.0.0.1:{other}", "https://127.0.0.1:{port}", "null",
     "http://localhost:{port}", "http://127.0.0.1:{port}.evil.example", ""],
)  # fmt: skip
def test_the_event_stream_refuses_foreign_origins(served: DevServer, origin: str) -> None:
    value = origin.format(port=served.port, other=served.port + 1)
    path = served.url.split(str(served.port), 1)[1] + "__briefgen/events"
    status, _, body = fetch(served, path, headers={"Origin": value})
    assert (status, body) == (403, b"403 Forbidden\n")


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_the_event_stream_accepts_its_own_origin(served: DevServer, host: str) -> None:
    origin = f"http://{host}:{served.port}"
    stream = Stream(served, {"Host": f"{host}:{served.port}", "Origin": origin})
    try:
        assert stream.response.status == 200
        assert stream.next_event()["epoch"] == 1
    finally:
        stream.close()


# --- consistency, ports, disconnects ----------------------------------------------------


def epoch_site(epoch: int) -> dict[str, bytes]:
    """A site whose every page carries its epoch many times, over several TCP segments."""
    marker = f"<p>epoch {epoch}</p>\n"
    page = f"<!doctype html><html><body>{marker}{'x' * 50_000}{marker * 500}</body></html>"
    return {
        "index.html": page.encode(),
        "a/index.html": page.encode(),
        "static/style.css": f"/* epoch {epoch} */\n".encode() * 2000,
    }


def test_concurrent_clients_never_get_a_mix_of_two_builds() -> None:
    with serving(Snapshot(epoch_site(0), "/", 0)) as server:
        done = threading.Event()
        fetched = threading.Condition()
        counts = [0]
        problems: list[str] = []
        seen: list[set[int]] = [set() for _ in range(50)]

        def client(index: int) -> None:
            """Fetch pages until the publisher is done; record any mixed or short page."""
            connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=TIMEOUT)
            paths = ("/", "/a/", "/static/style.css")
            try:
                for count in itertools.count():
                    if done.is_set():
                        break
                    path = paths[(index + count) % 3]
                    connection.request("GET", path)
                    response = connection.getresponse()
                    body = response.read()
                    epochs = {int(e) for e in re.findall(rb"epoch (\d+)", body)}
                    state = RELOAD_TAG.search(body)
                    if state:
                        epochs.add(json.loads(state[1])["epoch"])
                    complete = body.endswith(b"</html>" if path.endswith("/") else b"*/\n")
                    if response.status != 200 or len(epochs) != 1 or not complete:
                        problems.append(f"{path}: {response.status} {epochs} {complete}")
                    seen[index] |= epochs
                    with fetched:
                        counts[0] += 1
                        fetched.notify_all()
            except Exception as error:
                problems.append(repr(error))
            finally:
                connection.close()

        threads = [threading.Thread(target=client, args=(i,)) for i in range(50)]
        for thread in threads:
            thread.start()
        for epoch in range(1, 201):
            server.publish(Snapshot(epoch_site(epoch), "/", epoch))
            with fetched:  # let the clients fetch a few pages of this build
                while counts[0] < 5 * epoch:
                    assert fetched.wait(timeout=TIMEOUT), "the clients stopped fetching"
        done.set()
        for thread in threads:
            thread.join(timeout=TIMEOUT)
        assert not any(thread.is_alive() for thread in threads)
        assert problems == []
        assert all(seen)
        assert len(set().union(*seen)) > 100


def test_a_taken_port_raises_port_in_use_with_a_free_suggestion() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(PortInUse) as caught:
            DevServer(Snapshot(FILES, "/", 1), port=port)
        suggestion = caught.value.suggestion
        assert suggestion != port and caught.value.port == port
        assert f"port {port} is already in use" in str(caught.value)
        with serving(Snapshot(FILES, "/", 1), port=suggestion) as server:
            assert server.port == suggestion


def test_client_disconnects_are_quiet(
    capfd: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(server_module, "KEEPALIVE_SECONDS", 0.02)
    files = {**FILES, "big.bin": b"z" * 8_000_000}
    lines: list[str] = []
    with serving(Snapshot(files, "/", 1), log=lines.append) as server:
        for _ in range(5):
            sock = socket.create_connection(("127.0.0.1", server.port), timeout=TIMEOUT)
            sock.sendall(request_bytes("/big.bin", "localhost"))
            sock.recv(1024)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            sock.close()  # a reset in the middle of the body
        stream = Stream(server)
        stream.next_event()
        stream.close()  # the next keep-alive comment finds the stream gone
        half = socket.create_connection(("127.0.0.1", server.port), timeout=TIMEOUT)
        half.sendall(b"GET / HT")
        half.close()
        assert fetch(server, "/")[0] == 200
    # shutdown waits for every connection's thread, so all of them have finished here
    assert capfd.readouterr().err == ""
    assert not [line for line in lines if "Traceback" in line]


def test_the_log_receives_access_lines() -> None:
    lines: list[str] = []
    with serving(Snapshot(FILES, "/", 1), log=lines.append) as server:
        fetch(server, "/kharkiv/")
        fetch(server, "/%1b[31m")
    assert any('"GET /kharkiv/ HTTP/1.1" 200' in line for line in lines)
    assert not any("\x1b" in line for line in lines)


def test_a_prefix_must_be_a_folder_path() -> None:
    for prefix in ("", "briefing/", "/briefing"):
        with pytest.raises(ValueError, match="prefix"):
            Snapshot(FILES, prefix, 1)
