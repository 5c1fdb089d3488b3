"""The dev server's routing as tables, without sockets: targets, prefixes, hosts, types.

``briefgen.serve.routing`` is pure: request-line and header text in, an outcome out.
These tables pin each outcome exactly; tests/test_server.py sends a few of each through
real sockets, and its traversal and Host tests use the tables of this module.
"""

from __future__ import annotations

import itertools
from http import HTTPStatus

import pytest

from briefgen.serve.routing import (
    File,
    Missing,
    Redirect,
    Reload,
    Route,
    Unsafe,
    allowed_hosts,
    content_type,
    decode_target,
    host_allowed,
    origin_allowed,
    prefix_forms,
    route,
    url_host,
)

PREFIXES = ("/", "/briefing/")
NAMES = frozenset(
    {
        "index.html",
        "404.html",
        "kharkiv/index.html",
        "tags/sco/index.html",
        "zürich/index.html",
        "static/style.css",
        "static/briefgen.js",
        "feed.xml",
    }
)
MOVED = HTTPStatus.MOVED_PERMANENTLY
FOUND = HTTPStatus.FOUND


# --- decode_target ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "target",
    ["/../x", "/%2e%2e/x", "/a/%2E%2e/b", "/a%2fb", "/a%5cb", "/a\\b", "/a%00", "/%252e/",
     "/%c0%ae%c0%ae/", "/./a", "/a/.", "/a//b", "//a", "http://a/", "*", "/%g0", "/a#b"],
)  # fmt: skip
def test_unsafe_targets_decode_to_nothing(target: str) -> None:
    assert decode_target(target) is None


@pytest.mark.parametrize(
    ("target", "decoded"),
    [
        ("/", ("/", "")),
        ("/kharkiv/", ("/kharkiv/", "")),
        ("/a%20b/?x=%2e%2e", ("/a b/", "x=%2e%2e")),
        ("/z%C3%BCrich/", ("/zürich/", "")),
        ("/a..b/c.d", ("/a..b/c.d", "")),
        ("/100%25/", ("/100%/", "")),
    ],
)
def test_safe_targets_decode_once(target: str, decoded: tuple[str, str]) -> None:
    assert decode_target(target) == decoded


# --- route: targets under the prefix ----------------------------------------------------

# (target after the prefix, outcome with live reload, outcome without it); a Redirect's
# "{p}" stands for the prefix as the target wrote it
UNDER_PREFIX: list[tuple[str, Route, Route]] = [
    # files of the build, a folder by its index.html; the query is not part of the name
    ("", File("index.html"), File("index.html")),
    ("?from=feed", File("index.html"), File("index.html")),
    ("index.html", File("index.html"), File("index.html")),
    ("kharkiv/", File("kharkiv/index.html"), File("kharkiv/index.html")),
    ("kharkiv/?from=feed", File("kharkiv/index.html"), File("kharkiv/index.html")),
    ("kharkiv/index.html", File("kharkiv/index.html"), File("kharkiv/index.html")),
    ("tags/sco/", File("tags/sco/index.html"), File("tags/sco/index.html")),
    ("static/style.css", File("static/style.css"), File("static/style.css")),
    ("static/style.css?v=3", File("static/style.css"), File("static/style.css")),
    ("feed.xml", File("feed.xml"), File("feed.xml")),
    ("404.html", File("404.html"), File("404.html")),
    ("z%C3%BCrich/", File("zürich/index.html"), File("zürich/index.html")),
    ("z%c3%bcrich/", File("zürich/index.html"), File("zürich/index.html")),
    ("%6Bharkiv/", File("kharkiv/index.html"), File("kharkiv/index.html")),
    # a folder without its slash: the target as sent, with the slash, and its query
    ("kharkiv", Redirect(MOVED, "{p}kharkiv/"), Redirect(MOVED, "{p}kharkiv/")),
    (
        "kharkiv?from=feed",
        Redirect(MOVED, "{p}kharkiv/?from=feed"),
        Redirect(MOVED, "{p}kharkiv/?from=feed"),
    ),
    ("tags/sco", Redirect(MOVED, "{p}tags/sco/"), Redirect(MOVED, "{p}tags/sco/")),
    ("z%C3%BCrich", Redirect(MOVED, "{p}z%C3%BCrich/"), Redirect(MOVED, "{p}z%C3%BCrich/")),
    (
        "z%c3%bcrich?q=%2e",
        Redirect(MOVED, "{p}z%c3%bcrich/?q=%2e"),
        Redirect(MOVED, "{p}z%c3%bcrich/?q=%2e"),
    ),
    # nothing of the build
    ("nowhere", Missing(), Missing()),
    ("nowhere/", Missing(), Missing()),
    ("static", Missing(), Missing()),
    ("static/", Missing(), Missing()),
    ("kharkiv/index.htm", Missing(), Missing()),
    ("Kharkiv/", Missing(), Missing()),
    ("index.html/", Missing(), Missing()),
    ("static/style.css/", Missing(), Missing()),
    # the live-reload names, only with live reload
    ("__briefgen/client.js", Reload("client.js"), Missing()),
    ("__briefgen/worker.js", Reload("worker.js"), Missing()),
    ("__briefgen/events", Reload("events"), Missing()),
    ("__briefgen/events?since=3", Reload("events"), Missing()),
    ("%5F_briefgen/events", Reload("events"), Missing()),
    ("__briefgen/other.js", Reload("other.js"), Missing()),  # the server answers 404
    ("__briefgen/", Reload(""), Missing()),
    ("__briefgen", Missing(), Missing()),
    ("__BRIEFGEN/events", Missing(), Missing()),
    # refused before anything is looked up
    ("../index.html", Unsafe(), Unsafe()),
    ("kharkiv/..", Unsafe(), Unsafe()),
    ("%2e%2e/", Unsafe(), Unsafe()),
    ("./index.html", Unsafe(), Unsafe()),
    ("kharkiv%2f", Unsafe(), Unsafe()),
    ("static//style.css", Unsafe(), Unsafe()),
    ("__briefgen/../index.html", Unsafe(), Unsafe()),
    ("__briefgen/%2e%2e/index.html", Unsafe(), Unsafe()),
    ("index.html#top", Unsafe(), Unsafe()),
    ("index.html%00", Unsafe(), Unsafe()),
    ("zürich/", Unsafe(), Unsafe()),  # not encoded: only visible ASCII is accepted
    ("%ff", Unsafe(), Unsafe()),
]


def located(outcome: Route, prefix: str) -> Route:
    """The outcome with the prefix put into a Redirect's location."""
    if isinstance(outcome, Redirect):
        return Redirect(outcome.status, outcome.location.replace("{p}", prefix))
    return outcome


@pytest.mark.parametrize(
    ("prefix", "target", "live_reload", "expected"),
    [
        pytest.param(
            prefix,
            prefix + rel,
            live,
            located(with_reload if live else without, prefix),
            id=f"{prefix}{rel}-{'live' if live else 'plain'}",
        )
        for prefix in PREFIXES
        for rel, with_reload, without in UNDER_PREFIX
        for live in (True, False)
    ],
)
def test_route_under_the_prefix(
    prefix: str, target: str, live_reload: bool, expected: Route
) -> None:
    assert route(target, prefix, prefix, NAMES, live_reload) == expected


# --- route: outside the prefix, and prefixes that need encoding ---------------------------

BRIEFING = "/briefing/"
ZURICH = "/z%C3%BCrich/"  # a base_url path as written in site.yaml, decoded for routing
OUTSIDE: list[tuple[str, str, Route]] = [
    # (prefix as written, target, outcome with or without live reload)
    # the root and the prefix without its slash lead to the prefix; the query is dropped
    (BRIEFING, "/", Redirect(FOUND, "/briefing/")),
    (BRIEFING, "/?from=feed", Redirect(FOUND, "/briefing/")),
    (BRIEFING, "/briefing", Redirect(FOUND, "/briefing/")),
    (BRIEFING, "/briefing?from=feed", Redirect(FOUND, "/briefing/")),
    (BRIEFING, "/brief%69ng/", File("index.html")),  # decoded before it is compared
    (BRIEFING, "/index.html", Missing()),
    (BRIEFING, "/kharkiv/", Missing()),
    (BRIEFING, "/kharkiv", Missing()),
    (BRIEFING, "/static/style.css", Missing()),
    (BRIEFING, "/briefingx/", Missing()),
    (BRIEFING, "/briefingx", Missing()),
    (BRIEFING, "/BRIEFING/", Missing()),
    (BRIEFING, "/__briefgen/events", Missing()),  # the reload channel is under the prefix
    (BRIEFING, "/briefing%2f", Unsafe()),
    (BRIEFING, "/briefing/../briefing/", Unsafe()),
    (ZURICH, "/", Redirect(FOUND, "/z%C3%BCrich/")),
    (ZURICH, "/z%C3%BCrich", Redirect(FOUND, "/z%C3%BCrich/")),
    (ZURICH, "/z%c3%bcrich", Redirect(FOUND, "/z%C3%BCrich/")),
    (ZURICH, "/z%C3%BCrich/", File("index.html")),
    (ZURICH, "/z%c3%bcrich/", File("index.html")),
    (ZURICH, "/z%c3%bcrich/kharkiv", Redirect(MOVED, "/z%c3%bcrich/kharkiv/")),
    (ZURICH, "/z%C3%BCrich/kharkiv/", File("kharkiv/index.html")),
    (ZURICH, "/zurich/", Missing()),
    (ZURICH, "/kharkiv/", Missing()),
    (ZURICH, "/zürich/", Unsafe()),
]


@pytest.mark.parametrize(("written", "target", "expected"), OUTSIDE)
@pytest.mark.parametrize("live_reload", [True, False], ids=["live", "plain"])
def test_route_outside_the_prefix_and_with_encoded_prefixes(
    written: str, target: str, expected: Route, live_reload: bool
) -> None:
    prefix, href_prefix = prefix_forms(written)
    assert route(target, prefix, href_prefix, NAMES, live_reload) == expected


def test_route_with_an_encoded_prefix_reaches_the_reload_channel() -> None:
    prefix, href_prefix = prefix_forms(ZURICH)
    assert route("/z%C3%BCrich/__briefgen/events", prefix, href_prefix, NAMES, True) == Reload(
        "events"
    )
    assert route("/z%C3%BCrich/__briefgen/events", prefix, href_prefix, NAMES, False) == Missing()


def test_route_without_an_index_page() -> None:
    names = {"kharkiv/index.html"}
    assert route("/", "/", "/", names, True) == Missing()
    assert route("/kharkiv", "/", "/", names, True) == Redirect(MOVED, "/kharkiv/")


# Traversal attempts: payloads × encodings of "." and "/" × prefixes, and other tricks.
DOTS = [".", "%2e", "%2E", "%252e", "%c0%ae", "%e0%80%ae", "%u002e"]
SLASHES = ["/", "%2f", "%2F", "%5c", "%5C", "\\", "%252f", "%c0%af", "%e0%80%af"]
PAYLOADS = [
    "{d}{d}{s}{d}{d}{s}etc{s}passwd",
    "static{s}{d}{d}{s}{d}{d}{s}pyproject.toml",
    "kharkiv{s}{d}{d}",
    "{d}{s}index.html",
    "static{s}{d}{s}style.css",
]
EXTRA_TARGETS = [
    "index.html%00",
    "index.html%00.css",
    "%00",
    "static/style.css%2500",
    "..%00/",
    "%",
    "%2",
    "%zz",
    "%%32%65%%32%65/",
    "%25%32%65%25%32%65/",
    "%25252e%25252e/",
    "static//style.css",
    "static/%0d%0aSet-Cookie:x=1",
    "%ff",
    "%c3",
    "%ed%a0%80",
    "%f8%88%80%80%80",
    "kharkiv%2f",
    "kharkiv%5cindex.html",
]


def traversal_targets() -> list[str]:
    """Traversal request paths: payloads × dot and slash encodings × prefixes."""
    targets = [
        prefix + payload.format(d=dot, s=slash)
        for prefix, payload, dot, slash in itertools.product(PREFIXES, PAYLOADS, DOTS, SLASHES)
    ]
    targets += [prefix + extra for prefix in PREFIXES for extra in EXTRA_TARGETS]
    return sorted(set(targets))


# Request targets that are not a path at all (the target of the request line only).
FOREIGN_TARGETS = [
    "http://127.0.0.1:8000/",
    "http://evil.example/",
    "https://127.0.0.1:8000/index.html",
    "//evil.example/",
    "//evil.example/%2e%2e/",
    "127.0.0.1:8000",
    "*",
    "index.html",
    "",
    "/index.html#x",
    "/a\\..\\b",
    "/\x00",
    "/\x7f",
    "/\xff\xfe",
    "/caf\xe9",
    "/ /",
]


def test_traversal_and_foreign_targets_are_unsafe_under_every_prefix() -> None:
    targets = traversal_targets() + FOREIGN_TARGETS
    assert len(targets) == 668 + 16
    for prefix, live_reload in itertools.product((*PREFIXES, "/zürich/"), (True, False)):
        names = NAMES | {"etc/passwd", "pyproject.toml"}
        outcomes = {target: route(target, prefix, prefix, names, live_reload) for target in targets}
        assert outcomes == dict.fromkeys(targets, Unsafe())


# --- prefix_forms and url_host ----------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "forms"),
    [
        ("/", ("/", "/")),
        ("/briefing/", ("/briefing/", "/briefing/")),
        ("/z%C3%BCrich/", ("/zürich/", "/z%C3%BCrich/")),
        ("/z%c3%bcrich/", ("/zürich/", "/z%C3%BCrich/")),
        ("/zürich/", ("/zürich/", "/z%C3%BCrich/")),
        ("/news%20and%20views/", ("/news and views/", "/news%20and%20views/")),
        ("/a b/", ("/a b/", "/a%20b/")),
        ("/a:b@c~d/", ("/a:b@c~d/", "/a:b@c~d/")),
        ("/100%25/", ("/100%/", "/100%25/")),
        ("/a%3Fb/", ("/a?b/", "/a%3Fb/")),
    ],
)
def test_prefix_forms(written: str, forms: tuple[str, str]) -> None:
    assert prefix_forms(written) == forms


def test_a_prefix_that_is_not_utf8_is_refused() -> None:
    with pytest.raises(UnicodeDecodeError):
        prefix_forms("/%ff/")


@pytest.mark.parametrize(
    ("bound", "in_urls"),
    [
        ("127.0.0.1", "127.0.0.1"),
        ("127.0.0.3", "127.0.0.3"),
        ("localhost", "localhost"),
        ("", "127.0.0.1"),
        ("0.0.0.0", "127.0.0.1"),
        ("::", "[::1]"),
        ("::1", "[::1]"),
        ("fe80::1", "[fe80::1]"),
        ("192.168.1.20", "192.168.1.20"),
    ],
)
def test_url_host(bound: str, in_urls: str) -> None:
    assert url_host(bound) == in_urls


# --- Host and Origin --------------------------------------------------------------------

LOOPBACK = frozenset({"127.0.0.1", "localhost", "[::1]"})


@pytest.mark.parametrize(
    ("bound", "names"),
    [
        ("127.0.0.1", LOOPBACK),
        ("localhost", LOOPBACK),
        ("::1", LOOPBACK),
        ("0.0.0.0", LOOPBACK),
        ("::", LOOPBACK),
        ("", LOOPBACK),
        ("127.0.0.3", LOOPBACK | {"127.0.0.3"}),
        ("192.168.1.20", LOOPBACK | {"192.168.1.20"}),
        ("fe80::1", LOOPBACK | {"[fe80::1]"}),
        ("My-Laptop.local", LOOPBACK | {"my-laptop.local"}),
    ],
)
def test_allowed_hosts(bound: str, names: frozenset[str]) -> None:
    assert allowed_hosts(bound) == names


# Host header values that never name this server, whatever address it is bound to.
BAD_HOSTS = [
    "evil.example",
    "evil.example:{port}",
    "127.0.0.1.nip.io:{port}",
    "localhost.evil.example:{port}",
    "localhost.:{port}",
    "127.0.0.2:{port}",
    "127.1:{port}",
    "2130706433:{port}",
    "0x7f000001:{port}",
    "0.0.0.0:{port}",
    "[::2]:{port}",
    "::1",
    "[::1",
    "127.0.0.1@evil.example",
    "evil.example@127.0.0.1:{port}",
    "127.0.0.1:{port}.evil.example",
    "127.0.0.1:{port}:{port}",
    "127.0.0.1:x",
    "127.0.0.1 evil.example",
    "127.0.0.1:{port}, evil.example",
    "",
    "%31%32%37.0.0.1:{port}",
    "localhost%00:{port}",
    "xn--localhost-:{port}",
]
HOSTS: list[tuple[str, list[str], bool]] = [
    # (bound address, the request's Host headers, allowed)
    ("127.0.0.1", ["127.0.0.1"], True),
    ("127.0.0.1", ["127.0.0.1:8000"], True),
    ("127.0.0.1", ["127.0.0.1:9"], True),  # any port: a proxy or a forwarded port
    ("127.0.0.1", ["127.0.0.1:65535"], True),
    ("127.0.0.1", ["localhost"], True),
    ("127.0.0.1", ["LOCALHOST:8000"], True),
    ("127.0.0.1", ["LocalHost"], True),
    ("127.0.0.1", ["[::1]"], True),
    ("127.0.0.1", ["[::1]:8000"], True),
    ("127.0.0.1", [" localhost:8000 "], True),
    ("127.0.0.1", ["127.0.0.1:123456"], False),
    ("127.0.0.1", ["127.0.0.1:"], False),
    ("127.0.0.1", ["127.0.0.3:8000"], False),
    ("127.0.0.1", [], False),
    ("127.0.0.1", ["127.0.0.1:8000", "127.0.0.1:8000"], False),
    ("127.0.0.1", ["127.0.0.1:8000", "evil.example"], False),
    *(("127.0.0.1", [bad.format(port=8000)], False) for bad in BAD_HOSTS),
    *(("0.0.0.0", [bad.format(port=8000)], False) for bad in BAD_HOSTS),
    ("0.0.0.0", ["127.0.0.1:8000"], True),
    ("0.0.0.0", ["localhost:8000"], True),
    ("0.0.0.0", ["192.168.1.20:8000"], False),
    ("0.0.0.0", ["my-laptop.local:8000"], False),
    ("::", ["[::1]:8000"], True),
    ("::", ["[::]:8000"], False),
    ("127.0.0.3", ["127.0.0.3:8000"], True),
    ("127.0.0.3", ["127.0.0.2:8000"], False),
    ("fe80::1", ["[fe80::1]:8000"], True),
    ("fe80::1", ["[FE80::1]"], True),
    ("fe80::1", ["fe80::1"], False),
    ("My-Laptop.local", ["my-laptop.local:8000"], True),
    ("My-Laptop.local", ["MY-LAPTOP.LOCAL"], True),
]


@pytest.mark.parametrize(("bound", "values", "allowed"), HOSTS)
def test_host_allowed(bound: str, values: list[str], allowed: bool) -> None:
    assert host_allowed(values, allowed_hosts(bound)) is allowed


ORIGINS: list[tuple[list[str] | None, str | None, bool]] = [
    # (the request's Origin headers or None, its Host, allowed)
    (None, "127.0.0.1:8000", True),  # not a cross-origin request
    (None, None, True),
    (["http://127.0.0.1:8000"], "127.0.0.1:8000", True),
    (["http://localhost:8000"], "localhost:8000", True),
    (["HTTP://LOCALHOST:8000"], "localhost:8000", True),
    (["http://localhost:8000"], "LOCALHOST:8000", True),
    ([" http://[::1]:8000 "], " [::1]:8000", True),
    (["http://127.0.0.1"], "127.0.0.1", True),
    (["http://localhost:8000"], "127.0.0.1:8000", False),  # another name: another origin
    (["http://127.0.0.1:8001"], "127.0.0.1:8000", False),
    (["http://127.0.0.1"], "127.0.0.1:8000", False),
    (["https://127.0.0.1:8000"], "127.0.0.1:8000", False),
    (["http://127.0.0.1:8000/"], "127.0.0.1:8000", False),
    (["http://127.0.0.1:8000.evil.example"], "127.0.0.1:8000", False),
    (["http://evil.example"], "127.0.0.1:8000", False),
    (["null"], "127.0.0.1:8000", False),
    ([""], "127.0.0.1:8000", False),
    ([], "127.0.0.1:8000", False),
    (["http://127.0.0.1:8000", "http://127.0.0.1:8000"], "127.0.0.1:8000", False),
    (["http://127.0.0.1:8000", "http://evil.example"], "127.0.0.1:8000", False),
    (["http://127.0.0.1:8000"], None, False),
]


@pytest.mark.parametrize(("origins", "host", "allowed"), ORIGINS)
def test_origin_allowed(origins: list[str] | None, host: str | None, allowed: bool) -> None:
    assert origin_allowed(origins, host) is allowed


# --- content_type -----------------------------------------------------------------------

HTML = "text/html; charset=utf-8"
CONTENT_TYPES = [
    ("index.html", HTML),
    ("kharkiv/index.html", HTML),
    ("404.html", HTML),
    ("old/page.htm", HTML),
    ("static/style.css", "text/css; charset=utf-8"),
    ("static/briefgen.js", "text/javascript; charset=utf-8"),
    ("static/module.mjs", "text/javascript; charset=utf-8"),
    ("static/data.json", "application/json"),
    ("static/briefgen.js.map", "application/json"),
    ("site.webmanifest", "application/manifest+json"),
    ("feed.xml", "application/atom+xml"),
    ("sitemap.xml", "application/xml"),
    ("static/feed.xml", "application/atom+xml"),  # by its name, in any folder
    ("static/other.xml", "application/xml"),
    ("static/feed.atom", "application/atom+xml"),
    ("static/feed.rss", "application/rss+xml"),
    ("robots.txt", "text/plain; charset=utf-8"),
    (".well-known/security.txt", "text/plain; charset=utf-8"),
    ("static/notes.md", "text/markdown; charset=utf-8"),
    ("static/table.csv", "text/csv; charset=utf-8"),
    ("static/favicon.svg", "image/svg+xml"),
    ("static/photo.png", "image/png"),
    ("static/PHOTO.PNG", "image/png"),
    ("static/photo.jpg", "image/jpeg"),
    ("static/photo.jpeg", "image/jpeg"),
    ("static/anim.gif", "image/gif"),
    ("static/photo.webp", "image/webp"),
    ("static/photo.avif", "image/avif"),
    ("favicon.ico", "image/x-icon"),
    ("static/font.woff", "font/woff"),
    ("static/font.woff2", "font/woff2"),
    ("static/font.ttf", "font/ttf"),
    ("static/font.otf", "font/otf"),
    ("static/report.pdf", "application/pdf"),
    ("static/clip.mp3", "audio/mpeg"),
    ("static/clip.mp4", "video/mp4"),
    ("static/clip.webm", "video/webm"),
    ("static/module.wasm", "application/wasm"),
    ("static/blob.bin", "application/octet-stream"),
    ("static/archive.tar.gz", "application/octet-stream"),
    ("static/README", "application/octet-stream"),
    ("static.d/README", "application/octet-stream"),  # a dot in a folder is no extension
    ("static/trailing.", "application/octet-stream"),
    ("static/page.html.bak", "application/octet-stream"),
]


@pytest.mark.parametrize(("name", "kind"), CONTENT_TYPES)
def test_content_type(name: str, kind: str) -> None:
    assert content_type(name) == kind
