"""The Markdown extensions in real headless Chromium: heading links, notes in tables,
code and footnotes, and the annotations link."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from briefgen.build.pipeline import BuildOptions, build
from tests.browser import static_server
from tests.conftest import write_tree
from tests.test_browser import open_page

pytestmark = pytest.mark.browser

SITE = {
    "site.yaml": "title: Browser Briefing\nbase_url: https://example.org/briefing/\n",
    "content/figures.md": """\
        # Figures

        Exports rose in 2022, as the figures show.[^1] Imports fell.[^2] Re-exports held.[^3]

        ## The table

        | Year | Exports (tonnes) |
        |------|-----------------:|
        | 2021 | 1,200 |
        | 2022 | 1,450 |

        ## The command

        ```
        trade --year 2022 --by member
        ```

        [^1]: Customs data, revised in March.
        [^2]: The statistics office's monthly bulletin, which counts imports by the month in
            which the goods cleared customs rather than the month in which they arrived.
        [^3]: Re-exports are goods that leave the country in the state in which they came,
            counted apart from the country's own exports in every table above.
        """,
    "content/figures.yaml": """\
        date: 2022-09-15
        notes:
          - {quote: "1,450", text: Provisional.}
          - {quote: "--by member", text: One row per member state.}
          - {quote: revised in March, text: By three per cent.}
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


def opacity(locator: Any) -> str:
    """The computed opacity of an element."""
    return str(locator.evaluate("e => getComputedStyle(e).opacity"))


def test_a_heading_link_shows_on_hover_and_focus(browser: Any, served: str) -> None:
    page, errors = open_page(browser, served + "figures/", 1280, 900)
    anchor = page.locator("a.heading-anchor[href='#the-table']")
    assert anchor.get_attribute("aria-label") == "Permalink: The table"
    assert opacity(anchor) == "0"
    page.locator("h2#the-table").hover()
    page.wait_for_function(
        "() => getComputedStyle(document.querySelector(\"a[href='#the-table']\")).opacity === '1'"
    )
    page.mouse.move(0, 0)
    anchor.focus()
    assert opacity(anchor) == "1"
    box, heading = anchor.bounding_box(), page.locator("h2#the-table").bounding_box()
    assert box is not None and heading is not None
    assert box["x"] + box["width"] <= heading["x"] + 1  # in the margin, before the heading
    anchor.press("Enter")
    page.wait_for_url("**/figures/#the-table")
    assert errors == []
    page.context.close()


@pytest.mark.parametrize(("number", "holder"), [(1, "td"), (2, "pre")])
def test_a_note_in_a_table_or_code_opens_under_its_number(
    browser: Any, served: str, number: int, holder: str
) -> None:
    page, errors = open_page(browser, served + "figures/", 1400, 900)
    note = page.locator(f"#note-{number}")
    assert not note.is_visible()
    page.locator(f"label[for='note-toggle-{number}']").click()
    note.wait_for(state="visible", timeout=2000)
    box, cell = note.bounding_box(), page.locator(holder, has=note).bounding_box()
    assert box is not None and cell is not None
    assert cell["x"] <= box["x"] and box["x"] + box["width"] <= cell["x"] + cell["width"] + 1
    assert note.evaluate("e => getComputedStyle(e).whiteSpace") == "normal"
    assert errors == []
    page.context.close()


def test_a_note_in_a_footnote_sits_in_the_margin(browser: Any, served: str) -> None:
    page, errors = open_page(browser, served + "figures/", 1400, 900)
    note = page.locator("#note-3")
    assert note.is_visible()
    item = page.locator("li.footnote-item", has=note).bounding_box()
    box = note.bounding_box()
    assert box is not None and item is not None
    assert box["x"] >= item["x"] + item["width"] - 1
    assert errors == []
    page.context.close()


def test_the_page_links_its_annotations(browser: Any, served: str) -> None:
    page, errors = open_page(browser, served + "figures/", 1280, 900)
    data = page.evaluate(
        """async () => {
            const link = document.querySelector('link[rel=alternate][type="application/ld+json"]');
            return (await fetch(link.href)).json();
        }"""
    )
    assert (data["type"], data["total"]) == ("AnnotationCollection", 3)
    exacts = [item["target"]["selector"][0]["exact"] for item in data["first"]["items"]]
    assert exacts == ["1,450", "--by member", "revised in March"]
    assert errors == []
    page.context.close()
