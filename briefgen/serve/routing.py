"""Addressing: how a request names this server and a file of the build, checked without I/O.

Pure functions of request-line and header text: which Host names and Origins mean this
server, which request targets are safe and what they decode to, where a decoded path
leads under the site's prefix, and the Content-Type of a file by its name.
"""

from __future__ import annotations

import re
from collections.abc import Container
from dataclasses import dataclass
from http import HTTPStatus
from urllib.parse import quote, unquote

from briefgen.serve.livereload import RELOAD_PATH
from briefgen.urls import INDEX

LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")
# a bind to every address, and the address a browser uses to reach it
WILDCARD_HOSTS = {"": "127.0.0.1", "0.0.0.0": "127.0.0.1", "::": "[::1]"}
ESCAPE = re.compile(r"%[0-9A-Fa-f]{2}")
HEX = frozenset("0123456789abcdefABCDEF")
HOST_FORM = re.compile(r"(\[[0-9a-f:.]+\]|[^:\[\]]+)(?::[0-9]{1,5})?")
HREF_SAFE = "/!$&'()*+,;=:@~"  # kept as they are when a decoded path is written as a link

NAMED_TYPES = {"feed.xml": "application/atom+xml", "sitemap.xml": "application/xml"}
CONTENT_TYPES = {
    "html": "text/html; charset=utf-8",
    "htm": "text/html; charset=utf-8",
    "css": "text/css; charset=utf-8",
    "js": "text/javascript; charset=utf-8",
    "mjs": "text/javascript; charset=utf-8",
    "json": "application/json",
    "jsonld": "application/ld+json",
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


@dataclass(frozen=True)
class File:
    """A file of the build, by its name in the snapshot."""

    name: str


@dataclass(frozen=True)
class Redirect:
    """Another path on this server."""

    status: HTTPStatus
    location: str


@dataclass(frozen=True)
class Reload:
    """A name under the live-reload path: a script or the event stream."""

    name: str


@dataclass(frozen=True)
class Missing:
    """Nothing of the build."""


@dataclass(frozen=True)
class Unsafe:
    """A target refused before anything is looked up."""


Route = File | Redirect | Reload | Missing | Unsafe


def url_host(host: str) -> str:
    """The bound address as a URL names it: loopback for a wildcard, IPv6 in brackets."""
    if host in WILDCARD_HOSTS:
        return WILDCARD_HOSTS[host]
    return f"[{host}]" if ":" in host else host


def allowed_hosts(host: str) -> frozenset[str]:
    """Host names (lowercase, without port) a request may address: loopback, bound address."""
    return frozenset(name.lower() for name in (*LOOPBACK_NAMES, url_host(host)))


def host_allowed(values: list[str], names: frozenset[str]) -> bool:
    """Whether there is exactly one Host header and it names an allowed host (any port)."""
    if len(values) != 1:
        return False
    match = HOST_FORM.fullmatch(values[0].strip().lower())
    return match is not None and match[1] in names


def origin_allowed(origins: list[str] | None, host: str | None) -> bool:
    """Whether there is no Origin header, or exactly one naming the Host the request used."""
    if origins is None:
        return True
    expected = f"http://{(host or '').strip().lower()}"
    return [origin.strip().lower() for origin in origins] == [expected]


def prefix_forms(prefix: str) -> tuple[str, str]:
    """The prefix decoded (to compare with decoded paths) and percent-encoded (for links)."""
    decoded = unquote(prefix, errors="strict")
    return decoded, quote(decoded, safe=HREF_SAFE)


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


def route(
    target: str, prefix: str, href_prefix: str, names: Container[str], live_reload: bool
) -> Route:
    """Where a raw request target leads under the (decoded) prefix, given the build's names."""
    decoded = decode_target(target)
    if decoded is None:
        return Unsafe()
    path, query = decoded
    if not path.startswith(prefix):
        if path in ("/", prefix[:-1]):
            return Redirect(HTTPStatus.FOUND, href_prefix)
        return Missing()
    rel = path[len(prefix) :]
    if live_reload and rel.startswith(RELOAD_PATH):
        return Reload(rel[len(RELOAD_PATH) :])
    name = rel + INDEX if rel == "" or rel.endswith("/") else rel
    if name in names:
        return File(name)
    if not rel.endswith("/") and f"{rel}/{INDEX}" in names:
        location = target.partition("?")[0] + "/" + ("?" + query if query else "")
        return Redirect(HTTPStatus.MOVED_PERMANENTLY, location)
    return Missing()


def content_type(name: str) -> str:
    """The Content-Type of a file of the build, by its name."""
    base = name.rpartition("/")[2]
    if base in NAMED_TYPES:
        return NAMED_TYPES[base]
    extension = base.rpartition(".")[2].lower() if "." in base else ""
    return CONTENT_TYPES.get(extension, "application/octet-stream")
