"""The article page in real headless Chromium: term popovers, sidenotes, no console errors."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from briefgen.build.pipeline import BuildOptions, build
from tests.browser import static_server
from tests.conftest import write_tree

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parent.parent
PARAGRAPH = (
    "Leaders of the SCO met in Samarkand. The summit was the first trip abroad "
    "for the Chinese leader in more than two years, and the talks covered trade, "
    "security and the war in Ukraine at considerable length. "
) * 3

SITE = {
    "site.yaml": "title: Browser Briefing\nbase_url: https://example.org/briefing/\n",
    "content/glossary.yaml": """\
        SCO:
          name: Shanghai Cooperation Organisation
          definition: A Eurasian security organisation founded in 2001.
        """,
    "content/summit.md": f"# The summit\n\n{PARAGRAPH}\n\nA second paragraph follows here.\n",
    "content/summit.yaml": """\
        date: 2022-09-15
        notes:
          - quote: met in Samarkand
            occurrence: 1
            text: Samarkand is in Uzbekistan, which chaired the SCO in 2022.
            sources: [{title: SCO, url: "https://en.wikipedia.org/wiki/SCO"}]
        """,
}


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The mini-site, built under a path prefix and served on loopback."""
    root = tmp_path_factory.mktemp("www")
    site = write_tree(tmp_path_factory.mktemp("site"), SITE)
    with static_server(root) as base:
        build(site, root / "briefing", BuildOptions(base_url=base + "briefing/"))
        yield base + "briefing/"


def open_page(
    browser: Any, url: str, width: int, height: int, **options: Any
) -> tuple[Any, list[str]]:
    """A page at the given viewport, recording console errors and page errors."""
    context = browser.new_context(viewport={"width": width, "height": height}, **options)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url)
    return page, errors


def test_term_popover_opens_on_focus_and_hover_and_closes_on_escape(
    browser: Any, served: str
) -> None:
    page, errors = open_page(browser, served + "summit/", 1280, 900)
    tip = page.locator(".term-tip").first
    link = page.locator(".term-link").first
    assert link.inner_text() == "SCO"
    assert not tip.is_visible()
    link.focus()
    tip.wait_for(state="visible", timeout=2000)
    assert "A Eurasian security organisation founded in 2001." in tip.inner_text()
    page.keyboard.press("Escape")
    tip.wait_for(state="hidden", timeout=2000)
    page.mouse.move(0, 0)
    link.hover()
    tip.wait_for(state="visible", timeout=2000)
    assert link.get_attribute("href") == "/briefing/glossary/#sco"
    assert errors == []
    page.context.close()


def test_sidenote_sits_in_the_margin_on_wide_screens(browser: Any, served: str) -> None:
    page, errors = open_page(browser, served + "summit/", 1400, 900)
    note = page.locator("#note-1")
    assert note.is_visible()
    paragraph = page.locator("article p", has=note).first.bounding_box()
    box = note.bounding_box()
    assert box is not None and paragraph is not None
    assert box["x"] >= paragraph["x"] + paragraph["width"] - 1  # right of the text column
    assert "Samarkand is in Uzbekistan" in note.inner_text()
    assert errors == []
    page.context.close()


@pytest.mark.parametrize("javascript", [True, False])
def test_note_is_reachable_on_phones(browser: Any, served: str, javascript: bool) -> None:
    page, errors = open_page(browser, served + "summit/", 390, 844, java_script_enabled=javascript)
    note = page.locator("#note-1")
    assert not note.is_visible()
    page.locator("label[for='note-toggle-1']").click()
    note.wait_for(state="visible", timeout=2000)
    box = note.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
    assert errors == []
    page.context.close()


def test_term_tip_stays_on_screen_on_phones(browser: Any, served: str) -> None:
    page, errors = open_page(browser, served + "summit/", 390, 844, has_touch=True)
    link = page.locator(".term-link").first
    link.tap()
    tip = page.locator(".term-tip").first
    tip.wait_for(state="visible", timeout=2000)
    assert page.url == served + "summit/"  # the first tap opens the definition
    box = tip.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
    assert errors == []
    page.context.close()


def test_demo_pages_log_no_errors(browser: Any, tmp_path: Path) -> None:
    with static_server(tmp_path) as base:
        build(REPO, tmp_path / "briefing", BuildOptions(base_url=base + "briefing/"))
        for path in ("", "putin-xi-samarkand/", "glossary/", "tags/", "404.html"):
            for width, height in ((1280, 900), (390, 844)):
                page, errors = open_page(browser, base + "briefing/" + path, width, height)
                assert errors == [], (path, width, errors)
                page.context.close()


NON_LATIN = {
    "site.yaml": "title: Four Scripts\nbase_url: https://example.org/briefing/\n",
    "content/glossary.yaml": """\
        НАТО: Организация Североатлантического договора.
        上海合作组织: 一个欧亚政治、经济和安全组织。
        """,
    "content/world.md": """\
        # World

        Саммит НАТО прошёл в Вильнюсе.

        上海合作组织峰会在撒马尔罕举行。
        """,
    "content/world.yaml": "date: 2022-09-15\nsummary: Two scripts.\ntags: [Россия, 中国]\n",
}


def test_non_latin_tags_and_entries_are_reachable(browser: Any, tmp_path: Path) -> None:
    site = write_tree(tmp_path / "site", NON_LATIN)
    with static_server(tmp_path / "www") as base:
        build(site, tmp_path / "www" / "briefing", BuildOptions(base_url=base + "briefing/"))
        page, errors = open_page(browser, base + "briefing/world/", 1280, 900)
        page.locator("a.tag:visible", has_text="Россия").click()
        page.wait_for_url("**/tags/%D1%80%D0%BE%D1%81%D1%81%D0%B8%D1%8F/")
        assert page.locator("h1").first.inner_text().endswith("Россия")
        page.go_back()
        href = page.locator(".term-link", has_text="НАТО").get_attribute("href")
        assert href == "/briefing/glossary/#%D0%BD%D0%B0%D1%82%D0%BE"
        page.goto(base + href.lstrip("/"))
        assert page.evaluate("document.querySelector(':target').id") == "нато"
        page.locator(".letter-index a", has_text="上").click()
        assert page.evaluate("location.hash") == "#letter-%E4%B8%8A"
        assert page.evaluate("document.querySelector(':target').id") == "letter-上"
        assert errors == []
        page.context.close()
