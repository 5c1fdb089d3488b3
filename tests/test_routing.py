"""Request targets checked and decoded without a server."""

from __future__ import annotations

import pytest

from briefgen.serve.routing import decode_target


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
