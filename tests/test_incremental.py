"""Rebuilds that keep state give exactly the bytes of a cold build, and redo only what changed."""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from briefgen.build.pipeline import BuildOptions, State, make_files
from briefgen.errors import BriefgenError
from briefgen.site import model
from briefgen.site.views import ArticleView
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


def bulk(count: int) -> dict[str, str]:
    """Articles enough for a tag's and a term's feed to carry only their newest."""
    files = {}
    for n in range(count):
        files[f"content/bulk-{n:02}.md"] = f"# Bulk {n}\n\nThe SCO met for the {n}th time.\n"
        files[f"content/bulk-{n:02}.yaml"] = (
            f"date: 2022-08-{n % 28 + 1:02}\ntags: [bulk]\nsummary: Meeting {n}.\n"
            + ("related: [summit]\n" if n % 5 == 0 else "")
        )
    return files


def rename(site: Path, old: str, new: str) -> list[Path]:
    """Rename an article and its sidecar; the paths the watcher reports."""
    moved = []
    for suffix in (".md", ".yaml"):
        (site / f"content/{old}{suffix}").rename(site / f"content/{new}{suffix}")
        moved += [site / f"content/{old}{suffix}", site / f"content/{new}{suffix}"]
    return moved


def replace(rel: str, old: str, new: str) -> Callable[[Path], list[Path]]:
    """An edit of one file: ``old`` replaced by ``new``."""

    def change(site: Path) -> list[Path]:
        path = site / rel
        text = path.read_text(encoding="utf-8") if path.exists() else ""
        assert old in text, (rel, old)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        return [path]

    return change


def delete(rel: str) -> Callable[[Path], list[Path]]:
    """Remove an article and its sidecar."""

    def change(site: Path) -> list[Path]:
        paths = [site / rel, (site / rel).with_suffix(".yaml")]
        for path in paths:
            path.unlink()
        return paths

    return change


KIND_EDITS: dict[str, Callable[[Path], list[Path]]] = {
    "body": replace("content/summit.md", "then left", "then, briefly, left"),
    "title": replace("content/kharkiv.yaml", "date:", "title: Izium retaken\ndate:"),
    "title of a bulk article": replace("content/bulk-07.md", "# Bulk 7", "# Bulk seven"),
    "date into a feed's newest": replace("content/bulk-03.yaml", "2022-08-04", "2022-08-30"),
    "tags": replace("content/kharkiv.yaml", "[ukraine]", "[ukraine, bulk, war]"),
    "links": replace("content/summit.yaml", "to: kharkiv}", "to: bulk-02}"),
    "related": replace("content/summit.yaml", "related: [beijing]", "related: [bulk-10, kharkiv]"),
    "glossary term": replace("content/glossary.yaml", "security organisation", "bloc"),
    "new glossary term": replace(
        "content/glossary.yaml", "SCO:", "Izium:\n  definition: A city.\nSCO:"
    ),
    "settings": replace("site.yaml", "", "markdown: {typographer: true}\n"),
    "template": replace("layouts/tag.html", "", "<p>{{ tag.name }}: {{ tag.total }}</p>\n"),
    "deleted article": delete("content/bulk-04.md"),
    "renamed article": lambda site: rename(site, "bulk-05", "bulk-renamed"),
}


@pytest.mark.parametrize("kind", KIND_EDITS)
def test_each_kind_of_edit_rebuilds_to_the_bytes_of_a_cold_build(tmp_path: Path, kind: str) -> None:
    site = write_tree(tmp_path / "site", {"site.yaml": SITE_YAML, **LINKED, **bulk(30)})
    state = State()
    make_files(site, BuildOptions(), state)
    changed = KIND_EDITS[kind](site)
    state.sources.forget(changed)
    served = make_files(site, BuildOptions(), state)
    expected = make_files(site, BuildOptions(), State())
    assert {f.path: f.data for f in served.files} == {f.path: f.data for f in expected.files}
    assert served.warnings == expected.warnings
    assert served.lock == expected.lock
    # and once more, each part of the site as the edit left it: nothing is rendered
    assert make_files(site, BuildOptions(), state).rendered == ()


def test_feeds_carry_the_newest_twenty_of_a_tag_and_of_a_term(tmp_path: Path) -> None:
    site = write_tree(tmp_path / "site", {"site.yaml": SITE_YAML, **LINKED, **bulk(30)})
    files = {f.path: f.data for f in make_files(site, BuildOptions(), State()).files}
    dates = {n: f"2022-08-{n % 28 + 1:02}" for n in range(30)}
    newest = sorted(dates, key=lambda n: (dates[n], -n), reverse=True)  # then by title
    bulk_titles = [f"Bulk {n}" for n in newest]
    titles = re.compile(r"<entry>\s*<title[^>]*>([^<]*)</title>")
    assert titles.findall(files["tags/bulk/feed.xml"].decode()) == bulk_titles[:20]
    # Beijing (2022-02-04) mentions the SCO too, older than every bulk article
    assert titles.findall(files["glossary/sco/feed.xml"].decode()) == bulk_titles[:20]


def test_a_title_edit_after_a_body_edit_makes_only_the_views_that_show_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = write_tree(tmp_path / "site", {"site.yaml": SITE_YAML, **LINKED, **bulk(30)})
    state = State()
    make_files(site, BuildOptions(), state)
    made: list[str] = []
    real = model.make_article_view

    def counted(*inputs: Any) -> ArticleView:
        made.append(inputs[1].slug)
        return real(*inputs)

    monkeypatch.setattr(model, "make_article_view", counted)
    state.sources.forget(KIND_EDITS["body"](site))
    make_files(site, BuildOptions(), state)
    assert made == ["summit"]
    made.clear()  # the views the body edit found whole are kept for the next rebuild
    state.sources.forget(KIND_EDITS["title"](site))
    make_files(site, BuildOptions(), state)
    assert made == ["kharkiv", "summit"]  # and the summit links to it


def one_note_site(tmp_path: Path) -> Path:
    """A site of one article with one note, without sources or summary: two warnings."""
    return write_tree(
        tmp_path / "site",
        {
            "site.yaml": SITE_YAML,
            "content/a.md": "# A\n\nThe council met today.\n",
            "content/a.yaml": "date: 2022-01-01\nnotes:\n  - quote: council met\n    text: N.\n",
        },
    )


def test_warnings_follow_a_note_moved_by_an_edit_above_it(tmp_path: Path) -> None:
    site = one_note_site(tmp_path)
    state = State()
    make_files(site, BuildOptions(), state)
    sidecar = site / "content/a.yaml"
    sidecar.write_text("# a comment\n" + sidecar.read_text(encoding="utf-8"), encoding="utf-8")
    state.sources.forget([sidecar])
    warnings = [w.headline() for w in make_files(site, BuildOptions(), state).warnings]
    assert warnings == [w.headline() for w in make_files(site, BuildOptions(), State()).warnings]
    assert [w.split(": ")[0] for w in warnings] == ["content/a.yaml:2:1", "content/a.yaml:4:12"]


def test_warnings_quote_a_line_edited_without_changing_the_index(tmp_path: Path) -> None:
    site = one_note_site(tmp_path)
    state = State()
    make_files(site, BuildOptions(), state)
    sidecar = site / "content/a.yaml"
    text = sidecar.read_text(encoding="utf-8")
    sidecar.write_text(text.replace("council met\n", "council met  # check\n"), encoding="utf-8")
    state.sources.forget([sidecar])
    warnings = [w.format() for w in make_files(site, BuildOptions(), state).warnings]
    assert warnings == [w.format() for w in make_files(site, BuildOptions(), State()).warnings]
    assert warnings[1].splitlines()[1] == " 3 |   - quote: council met  # check"
