"""The demo's pages in headless Chromium at phone, tablet and desktop widths: sidenotes,
sideways scrolling, cards, the related list, tap targets, the first screen, search."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser import served_demo

pytestmark = pytest.mark.browser

DENSEST = "putin-xi-samarkand/"  # the demo's article with the most notes
PAGES = ("", DENSEST, "kharkiv-counteroffensive/", "glossary/", "tags/sco/", "search/", "404.html")
WIDTHS = (320, 390, 600, 601, 768, 900, 1024, 1100, 1366, 1920)
WAIT_MS = 5000
HIDDEN_CARDS = "[...document.querySelectorAll('.term-tip')].every(t => !t.getClientRects().length)"
HOSTS = ".article-body .term-link, .article-body .preview .xref"

NOTES = """() => {
  const body = document.querySelector('.article-body');
  return {
    height: innerHeight,
    textEnd: body.getBoundingClientRect().bottom + scrollY,
    notes: [...body.querySelectorAll('.sidenote')].map((note) => {
      const box = note.getBoundingClientRect();
      const label = document.querySelector(`label[for="note-toggle-${note.id.slice(5)}"]`);
      return {
        id: note.id,
        margin: getComputedStyle(note).float === 'right',
        visible: box.height > 0,
        offset: box.top - label.getBoundingClientRect().top,
        top: box.top + scrollY,
        bottom: box.bottom + scrollY,
        right: box.right,
      };
    }),
  };
}"""


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The demo, built under /briefing/ and served on loopback."""
    with served_demo(tmp_path_factory.mktemp("www")) as url:
        yield url


def open_page(browser: Any, url: str, width: int, height: int = 900, **options: Any) -> Any:
    """A page at this viewport, failing on any console or page error."""
    context = browser.new_context(viewport={"width": width, "height": height}, **options)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url)
    page.errors = errors
    return page


def close(page: Any) -> None:
    """Close the page's context, after checking that it logged no error."""
    assert page.errors == []
    page.context.close()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
@pytest.mark.parametrize("width", [1100, 1366, 1920])
def test_sidenotes_stay_near_their_line_apart_and_within_the_text(
    browser: Any, demo: str, width: int, javascript: bool
) -> None:
    page = open_page(browser, demo + DENSEST, width, java_script_enabled=javascript)
    page.evaluate("document.fonts.ready")
    found = page.evaluate(NOTES)
    notes = found["notes"]
    margin = [n for n in notes if n["margin"]]
    assert len(notes) == 14 and len(margin) >= 10  # most notes fit in the margin
    assert all(n["visible"] for n in notes)  # the others are shown in the text
    for before, after in itertools.pairwise(margin):
        assert after["top"] >= before["bottom"], (before["id"], after["id"])  # no overlap
    for note in margin:
        assert 0 <= note["offset"] <= found["height"] / 2 + 1, note  # within half a screen
        assert note["right"] <= width
    assert margin[-1]["bottom"] <= found["textEnd"] + 1  # nothing runs past the text
    close(page)


@pytest.mark.parametrize("width", WIDTHS)
def test_no_page_scrolls_sideways(browser: Any, demo: str, width: int) -> None:
    page = open_page(browser, demo, width)
    for path in PAGES:
        page.goto(demo + path)
        wide = page.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        assert wide[0] <= wide[1], (path, wide)
        # hidden cards are not laid out at all
        assert page.evaluate(HIDDEN_CARDS), path
    close(page)


def wrapped_host(page: Any) -> dict[str, Any] | None:
    """A term or phrase link that wraps onto two lines, with its line boxes."""
    found: dict[str, Any] | None = page.evaluate(
        """(hosts) => {
          for (const link of document.querySelectorAll(hosts)) {
            const rects = [...link.getClientRects()].filter((r) => r.width > 4);
            if (rects.length === 2 && rects[1].top > rects[0].top) {
              link.scrollIntoView({block: 'center'});
              const [a, b] = [...link.getClientRects()].filter((r) => r.width > 4);
              return {id: link.getAttribute('aria-describedby'),
                      first: {x: a.left, y: a.top, right: a.right, bottom: a.bottom},
                      second: {x: b.left, y: b.top, right: b.right, bottom: b.bottom}};
            }
          }
          return null;
        }""",
        HOSTS,
    )
    return found


@pytest.mark.parametrize("fragment", ["first", "second"])
def test_a_card_opens_next_to_the_hovered_line_fragment(
    browser: Any, demo: str, fragment: str
) -> None:
    page = open_page(browser, demo + DENSEST, 1366)
    found = None
    for width in range(1366, 1099, -6):  # find a width where a phrase with a card wraps
        page.set_viewport_size({"width": width, "height": 900})
        found = wrapped_host(page)
        if found:
            break
    assert found is not None, "no phrase with a card wraps at any wide width"
    box = found[fragment]
    page.mouse.move(box["x"] + 2, (box["y"] + box["bottom"]) / 2)
    tip = page.locator(f"#{found['id']}")
    tip.wait_for(state="visible", timeout=WAIT_MS)
    card = tip.bounding_box()
    assert card is not None
    assert (
        abs(card["y"] - (box["bottom"] + 8)) <= 2
        or abs(card["y"] + card["height"] - (box["y"] - 8)) <= 2
    )
    assert box["x"] - 10 <= card["x"] <= box["x"] + 2 or card["x"] + card["width"] >= 1366 - 40
    close(page)


def test_a_phrase_link_previews_the_briefing_it_links_to(browser: Any, demo: str) -> None:
    page = open_page(browser, demo + DENSEST, 1366)
    link = page.locator(".article-body .preview .xref").first
    link.focus()
    tip = page.locator(f"#{link.get_attribute('aria-describedby')}")
    tip.wait_for(state="visible", timeout=WAIT_MS)
    target = link.get_attribute("href")
    page.goto(demo.split("/briefing/")[0] + target)
    title = page.locator("h1").inner_text()
    page.go_back()
    page.locator(".article-body .preview .xref").first.focus()
    shown = page.locator(f"#{link.get_attribute('aria-describedby')}")
    shown.wait_for(state="visible", timeout=WAIT_MS)
    assert shown.locator("strong").inner_text() == title
    assert "2022" in shown.locator(".preview-date").inner_text()
    close(page)


def test_a_briefing_related_and_referring_is_listed_once(browser: Any, demo: str) -> None:
    page = open_page(browser, demo + DENSEST, 1366)
    items = page.locator(".related .ref-list li")
    hrefs = [items.nth(i).locator(".ref-title").get_attribute("href") for i in range(items.count())]
    labels = [items.nth(i).locator(".ref-label").inner_text() for i in range(items.count())]
    assert len(hrefs) == len(set(hrefs)) == 5
    assert labels.count("Related, and refers to this briefing") == 5
    assert page.locator("#backlinks-heading").count() == 0
    close(page)


TARGETS = """() => [...document.querySelectorAll('a, button, input, label[for], summary')]
  .filter((el) => {
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || el.getClientRects().length === 0) return false;
    if (style.clipPath !== 'none' || el.closest('.term-tip')) return false;  // visually hidden
    if (el.matches('label.note-num')) return true;  // numbers in the text: asked for
    // links inside a sentence are exempt (WCAG 2.5.8, inline)
    return !el.closest('p, dd, li.search-result, .ref-summary, .glossary-definition, '
                       + '.standfirst, .note-sources, .sidenote');
  })
  .map((el) => { const r = el.getBoundingClientRect();
                 return {what: el.outerHTML.slice(0, 80), w: r.width, h: r.height}; })"""


@pytest.mark.parametrize("path", ["", DENSEST, "glossary/", "tags/sco/", "search/"])
def test_tap_targets_are_at_least_24_px(browser: Any, demo: str, path: str) -> None:
    page = open_page(browser, demo + path, 390, 844, has_touch=True, is_mobile=True)
    small = [t for t in page.evaluate(TARGETS) if t["w"] < 24 or t["h"] < 24]
    assert small == []
    close(page)


@pytest.mark.parametrize(("width", "height"), [(390, 844), (375, 667), (360, 740)])
def test_a_phone_shows_the_start_of_the_body_on_its_first_screen(
    browser: Any, demo: str, width: int, height: int
) -> None:
    page = open_page(browser, demo + DENSEST, width, height, has_touch=True, is_mobile=True)
    first = page.locator(".article-body p").first.bounding_box()
    assert first is not None
    assert first["y"] + 30 <= height  # at least its first line is on screen
    close(page)


def test_search_by_keyboard_lists_the_article_and_the_glossary_entry(
    browser: Any, demo: str
) -> None:
    page = open_page(browser, demo, 1366)
    for _ in range(20):  # from the top of the page to the header's search field
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "site-search-q":
            break
    page.keyboard.type("SCO")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/?q=SCO")
    results = page.locator(".search-result-title")
    results.first.wait_for(timeout=WAIT_MS)
    page.wait_for_function("document.querySelectorAll('.search-result').length >= 3")
    hrefs = [results.nth(i).get_attribute("href") for i in range(results.count())]
    assert "/briefing/putin-xi-samarkand/" in hrefs
    assert "/briefing/glossary/#sco" in hrefs
    for _ in range(40):  # on to the glossary entry, and open it
        page.keyboard.press("Tab")
        if (
            page.evaluate("document.activeElement.getAttribute('href')")
            == "/briefing/glossary/#sco"
        ):
            break
    page.keyboard.press("Enter")
    page.wait_for_url("**/glossary/#sco")
    close(page)


def test_without_javascript_search_points_to_the_glossary(browser: Any, demo: str) -> None:
    page = open_page(browser, demo + "search/", 1366, java_script_enabled=False)
    assert not page.locator(".search-input").is_visible()
    assert not page.locator(".site-search").is_visible()
    fallback = page.locator(".search-fallback a").first
    assert fallback.is_visible() and fallback.get_attribute("href") == "/briefing/glossary/"
    close(page)


def test_pages_load_at_most_10_kb_of_gzipped_script_before_searching(
    browser: Any, demo: str, tmp_path: Path
) -> None:
    import gzip
    import urllib.request

    page = open_page(browser, demo, 1366)
    for path in PAGES:
        scripts: list[str] = []
        page.on(
            "request", lambda r, s=scripts: s.append(r.url) if r.resource_type == "script" else None
        )
        page.goto(demo + path)
        page.wait_for_load_state("networkidle")
        size = sum(len(gzip.compress(urllib.request.urlopen(u).read(), 9)) for u in scripts)
        assert size <= 10 * 1024, (path, scripts, size)
        assert not any("pagefind" in u for u in scripts), path  # the index waits for a search
    close(page)
