"""Addresses: the one URL check, and names in any script as path segments and ids."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefgen.build.pipeline import BuildOptions, build
from briefgen.cli import main
from briefgen.urlcheck import is_safe_link, url_problem
from briefgen.urls import UrlScheme, segment, segment_problem
from tests.conftest import MakeSite, read_tree

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
        ("tel:+4412345", True),
        ("irc://foo.bar:2233/baz", True),
        ("vbscript:msgbox(1)", False),
        ("file:///etc/passwd", False),
        ("JavaScript:alert(1)", False),
        ("java\tscript:alert(1)", False),
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


@pytest.mark.parametrize(
    ("name", "made"),
    [
        ("Belt and Road", "belt-and-road"),
        ("zero-COVID", "zero-covid"),
        ("U.S. politics", "u-s-politics"),
        ("Россия", "россия"),
        ("Война в Украине", "война-в-украине"),
        ("Ελλάδα", "ελλάδα"),
        ("ΟΔΟΣ", "οδος"),
        ("中国", "中国"),
        ("上海合作组织 峰会", "上海合作组织-峰会"),
        ("الصين", "الصين"),
        ("हिन्दी", "हिन्दी"),
        ("Zürich", "zürich"),
        ("..", ""),
        ("  ", ""),
        ("a\u202eb", "a-b"),
    ],
)
def test_segments_keep_letters_of_every_script(name: str, made: str) -> None:
    assert segment(name) == made


def test_tag_problems() -> None:
    assert segment_problem("Россия") is None
    assert segment_problem("..") == (
        "tag '..' has no letters or digits",
        "write it with letters or digits",
    )
    what, fix = segment_problem("д" * 128) or ("", "")
    assert what.endswith("is too long: 256 bytes as a file name, at most 255")
    assert fix == "shorten it to a few words"


def test_links_to_non_latin_pages_are_percent_encoded() -> None:
    urls = UrlScheme("https://example.org/briefing/")
    address = urls.tag("россия", 2)
    assert address.path == "tags/россия/page/2/index.html"
    assert address.href == "/briefing/tags/%D1%80%D0%BE%D1%81%D1%81%D0%B8%D1%8F/page/2/"
    assert address.url == "https://example.org" + address.href
    assert urls.static("my map.svg").href == "/briefing/static/my%20map.svg"


WORLD = {
    "content/glossary.yaml": """\
        НАТО: Организация Североатлантического договора.
        上海合作组织: 一个欧亚政治、经济和安全组织。
        Ελλάδα: Η χώρα.
        الصين: دولة في شرق آسيا.
        """,
    "content/world.md": """\
        # Four scripts

        Саммит НАТО прошёл в Вильнюсе.

        上海合作组织峰会在撒马尔罕举行。

        Η Ελλάδα και η الصين.
        """,
    "content/world.yaml": """\
        date: 2022-09-15
        summary: Four scripts.
        tags: [Россия, Ελλάδα, 中国, الصين]
        """,
}


def test_non_latin_tags_and_terms_are_first_class(make_site: MakeSite, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(make_site(WORLD), out, BuildOptions(strict=True))
    files = read_tree(out)
    for tag in ("россия", "ελλάδα", "中国", "الصين"):
        assert f"tags/{tag}/index.html" in files
    page = files["world/index.html"].decode()
    assert (
        '<a class="tag" href="/briefing/tags/%D1%80%D0%BE%D1%81%D1%81%D0%B8%D1%8F/" rel="tag">'
        "Россия</a>"
    ) in page
    for number, (term, fragment) in enumerate(
        [
            ("НАТО", "%D0%BD%D0%B0%D1%82%D0%BE"),
            ("上海合作组织", "%E4%B8%8A%E6%B5%B7%E5%90%88%E4%BD%9C%E7%BB%84%E7%BB%87"),
            ("Ελλάδα", "%CE%B5%CE%BB%CE%BB%CE%AC%CE%B4%CE%B1"),
            ("الصين", "%D8%A7%D9%84%D8%B5%D9%8A%D9%86"),
        ],
        start=1,
    ):
        link = f'href="/briefing/glossary/#{fragment}" aria-describedby="tip-{number}">{term}'
        assert link in page
    glossary = files["glossary/index.html"].decode()
    for term in ("нато", "上海合作组织", "ελλάδα", "الصين"):
        assert f'id="{term}"' in glossary
    for letter in ("Ε", "Н", "ا", "上"):  # in the letter index too, after A to Z
        assert f'<li><a href="#letter-{letter.lower()}">{letter}</a></li>' in glossary
