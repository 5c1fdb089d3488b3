"""The one safe reader: links inside the site followed, everything else refused, located.

The refusals as a user meets them (with exact messages, as an unprivileged user) are in
the catalogue of failing sites (test_catalogue.py); these tests pin the reader itself.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from briefgen.build.pipeline import BuildOptions, build
from briefgen.source import safefs
from briefgen.source.files import Sources
from briefgen.source.safefs import Listing, Refused, kind, read_file, walk
from tests.conftest import MakeSite, read_tree, write_tree

ARTICLE = {
    "content/europe/kharkiv.txt": "Ukraine retakes Izium\n\nThe counteroffensive.\n",
    "content/europe/kharkiv.yaml": "date: 2022-09-12\nsummary: Izium.\n",
}


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = write_tree(tmp_path / "site", {"site.yaml": "x\n", "a/b.txt": "b\n"})
    (tmp_path / "outside.txt").write_text("secret\n")
    return root


def test_a_plain_file_is_read(site: Path) -> None:
    assert read_file(site, site / "a" / "b.txt") == b"b\n"
    assert kind(site, site / "a") == "dir"
    assert kind(site, site / "a" / "b.txt") == "file"
    assert kind(site, site / "nothing") is None


def test_links_inside_the_site_are_followed(site: Path) -> None:
    (site / "link.txt").symlink_to("a/b.txt")
    (site / "folder").symlink_to("a")
    assert read_file(site, site / "link.txt") == b"b\n"
    assert read_file(site, site / "folder" / "b.txt") == b"b\n"
    assert walk(site, site / "folder") == Listing((site / "folder" / "b.txt",))


def test_a_site_reached_through_a_link_is_inside_itself(site: Path, tmp_path: Path) -> None:
    (tmp_path / "alias").symlink_to(site)
    alias = tmp_path / "alias"
    assert read_file(alias, alias / "a" / "b.txt") == b"b\n"
    assert walk(alias, alias / "a").files == (alias / "a" / "b.txt",)


def test_a_link_out_names_the_link_that_leads_out(site: Path) -> None:
    (site / "a" / "out").symlink_to("../../outside.txt")
    (site / "up").symlink_to("..")
    for path, name, text in [
        (site / "a" / "out", "a/out", "../../outside.txt"),
        (site / "up" / "outside.txt", "up", ".."),
    ]:
        with pytest.raises(Refused) as caught:
            read_file(site, path)
        assert caught.value.diagnostic.headline() == (
            f"{name}: error[CNT007]: {name} is a symbolic link to {text}, outside the site; "
            "fix: copy what it points to into the site, or remove the link"
        )


def test_a_path_outside_the_root_is_refused(site: Path, tmp_path: Path) -> None:
    with pytest.raises(Refused) as caught:
        read_file(site, tmp_path / "outside.txt")
    assert caught.value.diagnostic.code == "CNT007"
    with pytest.raises(Refused):
        read_file(site, site / ".." / "outside.txt")


def test_a_missing_file_is_refused_as_missing(site: Path) -> None:
    with pytest.raises(Refused) as caught:
        read_file(site, site / "nothing.txt")
    assert caught.value.missing
    assert walk(site, site / "nothing") == Listing((), exists=False)


def test_a_pipe_is_refused_and_never_opened(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    os.mkfifo(site / "pipe")
    opened: list[object] = []
    real_open = os.open

    def spy(path: object, *args: object, **kwargs: object) -> int:
        opened.append(path)
        return real_open(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", spy)
    with pytest.raises(Refused) as caught:
        read_file(site, site / "pipe")
    assert caught.value.diagnostic.code == "CNT009"
    assert "pipe" not in opened
    with pytest.raises(Refused):
        kind(site, site / "pipe")
    assert walk(site, site).refused == (site / "pipe",)


def test_a_component_swapped_for_a_link_after_the_check_is_refused(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_resolve = safefs._resolve

    def swap_then_resolve(real_root: Path, root: Path, path: Path) -> Path:
        resolved = real_resolve(real_root, root, path)
        (site / "a").rename(site / "a-old")
        (site / "a").symlink_to(tmp_path)  # the race: a link where a folder was checked
        return resolved

    monkeypatch.setattr(safefs, "_resolve", swap_then_resolve)
    with pytest.raises(Refused) as caught:
        read_file(site, site / "a" / "b.txt")
    assert caught.value.diagnostic.code == "CNT007"
    assert "changed into a symbolic link" in caught.value.diagnostic.message


def test_walk_lists_by_the_path_found_and_skips_leftovers(site: Path) -> None:
    write_tree(site, {"a/.hidden": "", "a/b.txt~": "", "a/c/d.txt": "d\n"})
    (site / "a" / "e").symlink_to("c")
    assert walk(site, site / "a").files == (
        site / "a" / "b.txt",
        site / "a" / "c" / "d.txt",
        site / "a" / "e" / "d.txt",
    )


def test_a_loop_is_reported_once_whichever_link_is_met_first(site: Path) -> None:
    (site / "a" / "x").symlink_to("y")
    (site / "a" / "y").symlink_to("x")
    listing = walk(site, site / "a")
    assert [d.headline() for d in listing.problems] == [
        "a/x: error[CNT008]: symbolic link loop: a/x -> y, a/y -> x; "
        "fix: remove or repoint one of these links"
    ]
    assert listing.files == (site / "a" / "b.txt",)


def test_sources_keep_bytes_until_forgotten(site: Path) -> None:
    sources = Sources()
    path = site / "a" / "b.txt"
    assert sources.read(site, path) == b"b\n"
    path.write_text("changed\n")
    assert sources.read(site, path) == b"b\n"
    sources.forget([path])
    assert sources.read(site, path) == b"changed\n"


def test_an_article_folder_linked_inside_the_site_is_published(make_site: MakeSite) -> None:
    site = make_site(ARTICLE)
    (site / "content" / "world").symlink_to("europe")
    (site / "static").mkdir()
    (site / "static" / "map.txt").symlink_to("../content/europe/kharkiv.txt")
    with pytest.raises(Exception, match="CNT001"):  # the same article twice: a duplicate slug
        build(site, site / "build", BuildOptions())
    (site / "content" / "world").unlink()
    build(site, site / "build", BuildOptions())
    files = read_tree(site / "build")
    assert "kharkiv/index.html" in files
    assert files["static/map.txt"] == b"Ukraine retakes Izium\n\nThe counteroffensive.\n"
