"""Live reload and the error overlay in real headless Chromium, against a running DevServer."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from briefgen.errors import Diagnostic, Location
from briefgen.serve.httpserver import DevServer
from briefgen.serve.snapshot import Snapshot

pytestmark = pytest.mark.browser

WAIT_MS = 10_000
PREFIX = "/briefing/"
PAGE = """\
<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/briefing/static/style.css">
</head>
<body>
<h1 id="title">{title}</h1>
<p>Leaders of the SCO met in Samarkand.</p>
</body>
</html>
"""
DIAGNOSTIC = Diagnostic(
    Location("content/summit.yaml", 4, 13),
    "ANC001",
    "quote 'met in Samarkan' is not in the article",
    "copy the quote exactly from content/summit.md",
    "  - quote: met in Samarkan",
)
OVERLAY = "briefgen-overlay [role=alert]"


def snapshot(
    epoch: int,
    title: str,
    color: str = "rgb(0, 0, 0)",
    diagnostics: tuple[Diagnostic, ...] = (),
    css_only: bool = False,
) -> Snapshot:
    """The site at one epoch: two pages titled ``title`` and a stylesheet coloring h1."""
    page = PAGE.format(title=title).encode()
    files = {
        "index.html": page,
        "summit/index.html": page,
        "static/style.css": f"h1 {{ color: {color}; }}\n".encode(),
        "404.html": PAGE.format(title="Not found").encode(),
    }
    return Snapshot(files, PREFIX, epoch, diagnostics, css_only)


@pytest.fixture
def server() -> Iterator[DevServer]:
    """The site at epoch 1, served on a free loopback port."""
    server = DevServer(snapshot(1, "First version"), port=0)
    server.start()
    yield server
    server.shutdown()


@pytest.fixture
def context(browser: Any) -> Iterator[Any]:
    """A fresh browser context whose pages' console errors are collected in ``errors``."""
    context = browser.new_context()
    context.errors = []
    context.on("page", lambda page: watch_errors(page, context.errors))
    yield context
    context.close()


def watch_errors(page: Any, errors: list[str]) -> None:
    """Record the page's console errors and uncaught exceptions."""
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))


def open_page(context: Any, url: str) -> Any:
    """A new tab at ``url``, with a marker that only survives while there is no navigation."""
    page = context.new_page()
    page.goto(url)
    page.evaluate("window.briefgenMarker = 'kept'")
    return page


def expect_title(page: Any, title: str) -> None:
    """Wait until the page shows the given title text."""
    from playwright.sync_api import expect

    expect(page.locator("#title")).to_have_text(title, timeout=WAIT_MS)


def test_a_successful_build_reloads_the_open_page(server: DevServer, context: Any) -> None:
    page = open_page(context, server.url + "summit/")
    expect_title(page, "First version")
    server.publish(snapshot(2, "Second version"))
    expect_title(page, "Second version")
    assert page.evaluate("window.briefgenMarker") is None  # it was a reload
    assert context.errors == []


def test_a_failed_build_shows_the_overlay_and_a_good_one_clears_it(
    server: DevServer, context: Any
) -> None:
    from playwright.sync_api import expect

    page = open_page(context, server.url)
    overlay = page.locator(OVERLAY)
    server.publish(snapshot(1, "First version", diagnostics=(DIAGNOSTIC,)))
    expect(overlay).to_contain_text(DIAGNOSTIC.headline(), timeout=WAIT_MS)
    source, caret = DIAGNOSTIC.format().split("\n")[1:]
    expect(page.locator("briefgen-overlay pre")).to_have_text(f"{source}\n{caret}")
    assert page.evaluate("window.briefgenMarker") == "kept"  # a failed build never reloads
    assert page.evaluate("getComputedStyle(document.body).position") == "static"

    server.publish(snapshot(2, "Fixed version"))
    expect_title(page, "Fixed version")
    expect(page.locator("briefgen-overlay")).to_have_count(0, timeout=WAIT_MS)
    assert context.errors == []


def test_a_page_opened_while_the_build_is_broken_shows_the_overlay(
    server: DevServer, context: Any
) -> None:
    from playwright.sync_api import expect

    server.publish(snapshot(1, "First version", diagnostics=(DIAGNOSTIC,)))
    page = open_page(context, server.url + "summit/")
    expect(page.locator(OVERLAY)).to_contain_text(DIAGNOSTIC.headline(), timeout=WAIT_MS)
    assert page.locator(OVERLAY).get_attribute("role") == "alert"
    assert context.errors == []


def test_the_overlay_is_dismissable_and_immune_to_page_styles(
    server: DevServer, context: Any
) -> None:
    from playwright.sync_api import expect

    page = open_page(context, server.url)
    page.add_style_tag(content="* { color: transparent !important; font-size: 1px !important; }")
    server.publish(snapshot(1, "First version", diagnostics=(DIAGNOSTIC,)))
    headline = page.locator("briefgen-overlay .headline")
    expect(headline).to_have_text(DIAGNOSTIC.headline(), timeout=WAIT_MS)
    style = headline.evaluate("e => [getComputedStyle(e).color, getComputedStyle(e).fontSize]")
    assert style[0] != "rgba(0, 0, 0, 0)" and style[1] == "14px"
    box = page.locator("briefgen-overlay .panel").bounding_box()
    assert box is not None and box["width"] == page.viewport_size["width"]
    page.locator("briefgen-overlay button", has_text="Dismiss").click()
    expect(page.locator("briefgen-overlay")).to_have_count(0)
    assert context.errors == []


def test_a_css_only_build_swaps_stylesheets_without_reloading(
    server: DevServer, context: Any
) -> None:
    from playwright.sync_api import expect

    page = open_page(context, server.url)
    color = "getComputedStyle(document.getElementById('title')).color"
    assert page.evaluate(color) == "rgb(0, 0, 0)"
    navigations: list[str] = []
    page.on("framenavigated", lambda frame: navigations.append(frame.url))
    server.publish(snapshot(2, "First version", color="rgb(0, 128, 0)", css_only=True))
    page.wait_for_function(f"{color} === 'rgb(0, 128, 0)'", timeout=WAIT_MS)
    assert page.evaluate("window.briefgenMarker") == "kept"
    expect(page.locator("link[rel=stylesheet]")).to_have_count(1, timeout=WAIT_MS)
    assert navigations == []

    server.publish(snapshot(3, "Third version"))  # a full build after it still reloads
    expect_title(page, "Third version")
    assert context.errors == []


def test_eight_tabs_share_one_stream_and_all_reload(server: DevServer, context: Any) -> None:
    pages = [open_page(context, server.url + ("summit/" if i % 2 else "")) for i in range(8)]
    assert pages[0].evaluate("typeof SharedWorker") == "function"
    for page in pages:
        expect_title(page, "First version")
    server.publish(snapshot(2, "Everywhere"))
    for page in pages:
        expect_title(page, "Everywhere")
        assert page.evaluate("window.briefgenMarker") is None
    # the tabs still load pages: no connection of the six per host is held per tab
    extra = open_page(context, server.url + "summit/")
    expect_title(extra, "Everywhere")
    assert context.errors == []


def test_without_live_reload_pages_are_plain(context: Any) -> None:
    server = DevServer(snapshot(1, "Plain"), port=0, live_reload=False)
    server.start()
    try:
        page = open_page(context, server.url)
        assert page.locator("script").count() == 0
        server.publish(snapshot(2, "Not followed"))
        page.reload()
        expect_title(page, "Not followed")
    finally:
        server.shutdown()
    assert context.errors == []
