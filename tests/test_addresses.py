"""Addresses: the one URL check, for every address briefgen publishes."""

from __future__ import annotations

import pytest

from briefgen.cli import main
from briefgen.urls import is_safe_link, url_problem
from tests.conftest import MakeSite

BASE = "must be an absolute http(s) URL such as https://example.org/briefing/"


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("https://example.org/briefing/", None),
        ("http://localhost:8000/", None),
        ("https://[::1]:8443/x/", None),
        ("javascript:alert(1)//", BASE),
        ("JavaScript:alert(1)", BASE),
        ("data:text/html,x", BASE),
        ("ftp://example.org/", BASE),
        ("https:example.org", BASE),
        ("https:///path", BASE),
        ("example.org/preview", "must be a URL such as https://example.org/briefing/"),
        ("", "must be a URL such as https://example.org/briefing/"),
        (3, "must be a URL such as https://example.org/briefing/"),
        ("https://example.org/my briefing/",
         "must not contain spaces or control characters: 'https://example.org/my briefing/'"),
        ("https://example.org/\u202e/", "must not contain spaces or control characters: "
         "'https://example.org/\\u202e/'"),
        ("https://user:pw@example.org/",
         "must not contain a user name or password: 'https://user:pw@example.org/'"),
        ("https://example.org:99999/", "is not a valid URL: 'https://example.org:99999/'"),
        ("https://[::1/", "is not a valid URL: 'https://[::1/'"),
        ("https://example.org/?preview=1", "must not have a query or fragment"),
        ("https://example.org/#top", "must not have a query or fragment"),
    ],
)  # fmt: skip
def test_base_urls(url: object, problem: str | None) -> None:
    assert url_problem(url, base=True) == problem


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("https://edition.cnn.com/2022/09/15/x.html?ref=a#b", None),
        ("mailto:desk@example.org", None),
        ("mailto:", "is not a web address: 'mailto:'"),
        ("javascript:alert(1)", "is not a web address: 'javascript:alert(1)'"),
        ("vbscript:msgbox(1)", "is not a web address: 'vbscript:msgbox(1)'"),
        ("file:///etc/passwd", "is not a web address: 'file:///etc/passwd'"),
        ("//example.org/x", "is not a web address: '//example.org/x'"),
        ("java\tscript:alert(1)",
         "must not contain spaces or control characters: 'java\\tscript:alert(1)'"),
    ],
)  # fmt: skip
def test_link_urls(url: str, problem: str | None) -> None:
    assert url_problem(url) == problem


@pytest.mark.parametrize(
    ("url", "safe"),
    [
        ("/briefing/kharkiv/", True),
        ("../kharkiv/", True),
        ("#note-1", True),
        ("//example.org/x", True),
        ("https://example.org/", True),
        ("mailto:desk@example.org", True),
        ("javascript:alert(1)", False),
        ("data:image/png;base64,AAAA", False),
        ("tel:+4412345", False),
        ("https://user:pw@example.org/", False),
    ],
)
def test_markdown_links(url: str, safe: bool) -> None:
    assert is_safe_link(url) is safe


@pytest.mark.parametrize(
    ("flag", "problem"),
    [
        ("javascript:alert(1)//", BASE),
        ("example.org/preview", "must be a URL such as https://example.org/briefing/"),
    ],
)
def test_the_command_line_base_url_is_checked_as_base_url_is(
    make_site: MakeSite, capsys: pytest.CaptureFixture[str], flag: str, problem: str
) -> None:
    site = make_site({"content/a.txt": "A\n\nB.\n", "content/a.yaml": "date: 2022-09-15\n"})
    assert main(["build", "--site", str(site), "--base-url", flag]) == 2
    assert capsys.readouterr().err == (
        f"--base-url: error[URL002]: --base-url {problem}; "
        "fix: for example --base-url https://example.org/briefing/\n"
    )
    assert not (site / "build").exists()
