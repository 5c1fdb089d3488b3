"""Rebuilds that keep state give exactly the bytes of a cold build, and redo only what changed."""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

import pytest

from briefgen.build.pipeline import BuildOptions, State, make_files
from briefgen.errors import BriefgenError
from tests.conftest import write_tree
from tests.test_build import LINKED

SITE_YAML = "title: Test Briefing\nbase_url: https://example.org/briefing/\n"


def cold(site: Path) -> dict[str, bytes]:
    """A cold build's files, in memory."""
    return {f.path: f.data for f in make_files(site, BuildOptions(), State()).files}


def warm(site: Path, state: State, changed: list[Path]) -> dict[str, bytes] | None:
    """A rebuild with kept state after ``changed``; None when the build fails."""
    state.sources.forget(changed)
    try:
        return {f.path: f.data for f in make_files(site, BuildOptions(), state).files}
    except BriefgenError:
        return None


EDITS: list[tuple[str, Callable[[str], str]]] = [
    ("content/summit.md", lambda t: t + "\nA new closing line on the SCO.\n"),
    ("content/summit.md", lambda t: t.replace("Moscow's", "Beijing's")),
    ("content/summit.yaml", lambda t: t.replace("summary: Xi and Putin *meet*.", "summary: New.")),
    ("content/summit.yaml", lambda t: t.replace("related: [beijing]", "related: []")),
    ("content/summit.yaml", lambda t: t + "draft: true\n"),
    ("content/kharkiv.txt", lambda t: t + "\nKupiansk followed.\n"),
    ("content/kharkiv.yaml", lambda t: t.replace("[ukraine]", "[ukraine, war]")),
    ("content/kharkiv.yaml", lambda t: t.replace("2022-09-12", "2022-09-20")),
    ("content/beijing.yaml", lambda t: t + "related: [kharkiv]\n"),
    ("content/glossary.yaml", lambda t: t + "Izium:\n  definition: A city in Kharkiv oblast.\n"),
    ("content/glossary.yaml", lambda t: t.replace("security organisation", "bloc")),
    ("content/glossary.yaml", lambda t: t.replace("aliases: [Belt and Road Initiative]", "")),
    ("content/summit.yaml", lambda t: t.replace("date:", "dat:")),  # breaks the build
    ("content/summit.yaml", lambda t: t.replace("dat:", "date:")),  # and mends it
    ("site.yaml", lambda t: t.replace("Test Briefing", "Other Briefing")),
    ("site.yaml", lambda t: t + "terms: {link: all}\n"),
    ("layouts/tag.html", lambda t: "<p>{{ tag.name }} ({{ tag.articles | length }})</p>\n"),
    ("layouts/tag.html", lambda t: ""),  # an empty file is a valid, empty template
    ("static/extra.css", lambda t: t + "p { color: red }\n"),
    ("content/new-one.md", lambda t: "# A new one\n\nAbout the SCO and Izium.\n"),
    ("content/new-one.yaml", lambda t: "date: 2022-10-01\ntags: [war]\n"),
]


@pytest.mark.parametrize("seed", range(6))
def test_random_edit_sequences_match_a_cold_build(tmp_path: Path, seed: int) -> None:
    site = write_tree(tmp_path / "site", {"site.yaml": SITE_YAML, **LINKED})
    state = State()
    assert warm(site, state, []) == cold(site)
    rng = random.Random(seed)
    for _ in range(12):
        rel, edit = rng.choice(EDITS)
        path = site / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        old = path.read_text(encoding="utf-8") if path.exists() else ""
        path.write_text(edit(old), encoding="utf-8")
        served = warm(site, state, [path])
        try:
            expected: dict[str, bytes] | None = cold(site)
        except BriefgenError:
            expected = None
        assert served == expected, f"after editing {rel} (seed {seed})"


def test_an_edit_renders_only_the_pages_it_affects(tmp_path: Path) -> None:
    site = write_tree(tmp_path / "site", {"site.yaml": SITE_YAML, **LINKED})
    state = State()
    first = make_files(site, BuildOptions(), state)
    assert len(first.rendered) == first.pages - 1  # robots.txt is not a template
    again = make_files(site, BuildOptions(), state)
    assert again.rendered == ()
    body = site / "content/kharkiv.txt"
    body.write_text(body.read_text() + "\nKupiansk followed.\n")
    state.sources.forget([body])
    edited = make_files(site, BuildOptions(), state)
    # lists show briefs (title, summary, reading time), which did not change; feeds
    # carry whole briefings
    assert edited.rendered == (
        "kharkiv/index.html", "feed.xml", "feed.json", "tags/ukraine/feed.xml"
    )  # fmt: skip
    side = site / "content/kharkiv.yaml"
    side.write_text("date: 2022-09-12\ntags: [ukraine]\nsummary: Izium is retaken.\n")
    state.sources.forget([side])
    summary = make_files(site, BuildOptions(), state)
    # summit's phrase link previews kharkiv, with its summary; feeds carry summit's view
    assert summary.rendered == (
        "index.html", "summit/index.html", "kharkiv/index.html", "tags/ukraine/index.html",
        "feed.xml", "feed.json", "tags/china/feed.xml", "tags/sco/feed.xml",
        "tags/ukraine/feed.xml", "glossary/belt-and-road/feed.xml",
    )  # fmt: skip
    layout = site / "layouts/tag.html"
    layout.parent.mkdir()
    layout.write_text("<p>{{ tag.name }}</p>\n")
    templated = make_files(site, BuildOptions(), state)
    assert templated.rendered == (
        "tags/china/index.html", "tags/sco/index.html", "tags/ukraine/index.html"
    )  # fmt: skip
