"""The demo checked by the web's own tools: the Nu HTML Checker, axe-core and Lighthouse.

These take the tools from npm (tests/tools.py): .ci/run installs them; elsewhere the
tests skip with the reason, and fail under CI=true.
"""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from briefgen.build.pipeline import BuildOptions, build
from tests.browser import CHROMIUM_ARGS, REPO, chromium_path, served_demo
from tests.tools import node_module, program

AXE_PAGES = ("", "putin-xi-samarkand/", "glossary/", "tags/sco/", "search/?q=SCO", "404.html")
LIGHTHOUSE_PAGES = ("", "putin-xi-samarkand/")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The demo, built under /briefing/ and served on loopback."""
    with served_demo(tmp_path_factory.mktemp("www")) as url:
        yield url


def test_every_page_passes_the_nu_html_checker(tmp_path: Path) -> None:
    java = program("java")
    vnu = node_module("vnu-jar", "build", "dist", "vnu.jar")
    build(REPO, tmp_path / "site", BuildOptions())
    pages = sorted(str(p) for p in (tmp_path / "site").rglob("*.html"))
    assert len(pages) >= 15
    done = subprocess.run(
        [java, "-jar", str(vnu), "--format", "json", "--also-check-css", *pages],
        capture_output=True, text=True, timeout=240, check=False,
    )  # fmt: skip
    messages = json.loads(done.stderr or '{"messages": []}')["messages"]
    problems = [
        f"{m['url'].rsplit('/site/', 1)[-1]}:{m.get('lastLine')}: {m['type']}: {m['message']}"
        for m in messages
        if m["type"] == "error" or m.get("subType") == "warning"
    ]
    assert problems == []  # no error and no warning; vnu's "info" lines are not problems


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [1366, 390])
def test_axe_finds_no_violation(browser: Any, demo: str, width: int, scheme: str) -> None:
    axe = node_module("axe-core", "axe.min.js")
    context = browser.new_context(
        viewport={"width": width, "height": 900}, color_scheme=scheme, reduced_motion="reduce"
    )
    page = context.new_page()
    found = {}
    for path in AXE_PAGES:
        page.goto(demo + path)
        page.wait_for_load_state("networkidle")
        page.add_script_tag(path=str(axe))
        result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
        found[path] = [
            f"{v['id']}: {v['help']} ({', '.join(n['target'][0] for n in v['nodes'][:3])})"
            for v in result["violations"]
        ]
    context.close()
    assert found == {path: [] for path in AXE_PAGES}


def lighthouse(url: str, out: Path) -> dict[str, Any]:
    """Lighthouse's report on one page, run with the system's Chromium."""
    cli = node_module("lighthouse", "cli", "index.js")
    node = program("node")
    flags = " ".join(["--headless=new", *CHROMIUM_ARGS])
    subprocess.run(
        [node, str(cli), url, "--quiet", "--output=json", f"--output-path={out}",
         f"--chrome-flags={flags}",
         "--only-categories=performance,accessibility,best-practices,seo"],
        env={**os.environ, "CHROME_PATH": chromium_path()}, check=True, timeout=240,
        capture_output=True,
    )  # fmt: skip
    report: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return report


@pytest.mark.browser
@pytest.mark.timeout(600)
@pytest.mark.parametrize("path", LIGHTHOUSE_PAGES)
def test_lighthouse_scores_100_for_accessibility_practices_and_seo(
    demo: str, path: str, tmp_path: Path
) -> None:
    report = lighthouse(demo + path, tmp_path / "report.json")
    scores = {k: c["score"] for k, c in report["categories"].items() if k != "performance"}
    failing = [
        f"{a['id']}: {a['title']}"
        for a in report["audits"].values()
        if a.get("score") is not None and a["score"] < 1 and a.get("scoreDisplayMode") == "binary"
    ]
    assert scores == {"accessibility": 1, "best-practices": 1, "seo": 1}, failing
