"""The previous build's unchanged files, linked instead of made again: same bytes."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from dataclasses import astuple
from pathlib import Path

from markupsafe import Markup

from briefgen import __version__
from briefgen.build.pipeline import BuildOptions, build
from briefgen.build.reuse import Digests, inputs_digest
from briefgen.site.views import Ref, TagRef
from tests.conftest import MakeSite, read_tree
from tests.test_build import LINKED


def inodes(folder: Path) -> dict[str, int]:
    """Each file's inode, by path."""
    return {
        p.relative_to(folder).as_posix(): p.stat().st_ino
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_a_warm_build_links_the_unchanged_files_and_makes_the_changed_ones(
    make_site: MakeSite, tmp_path: Path
) -> None:
    site, out = make_site(LINKED), tmp_path / "build"
    build(site, out, BuildOptions(jobs=1))
    first = inodes(out)
    build(site, out, BuildOptions(jobs=1))
    again = inodes(out)
    made_again = sorted(path for path, ino in again.items() if first.get(path) != ino)
    # every page and annotation file is the old file; the other files are written anew
    assert [p for p in made_again if p.endswith(("index.html", ".jsonld", ".xml"))] == []
    assert again["beijing/index.html"] == first["beijing/index.html"]
    (site / "content/beijing.md").write_text("# The Beijing statement\n\nNo limits at all.\n")
    build(site, out, BuildOptions(jobs=1))
    changed = inodes(out)
    assert changed["beijing/index.html"] != again["beijing/index.html"]
    assert changed["beijing/annotations.jsonld"] != again["beijing/annotations.jsonld"]
    assert changed["kharkiv/index.html"] == again["kharkiv/index.html"]
    build(site, tmp_path / "cold", BuildOptions(cache=False))
    assert read_tree(out) == read_tree(tmp_path / "cold")


def test_a_file_changed_in_the_output_folder_is_made_again(
    make_site: MakeSite, tmp_path: Path
) -> None:
    site, out = make_site(LINKED), tmp_path / "build"
    build(site, out, BuildOptions(jobs=1))
    expected = read_tree(out)
    page = out / "kharkiv/index.html"
    page.write_bytes(page.read_bytes().replace(b"Izium", b"Kupiansk"))  # edited in place
    linked = out / "beijing/index.html"
    linked.unlink()
    linked.symlink_to(out / "summit/index.html")  # replaced by a link
    build(site, out, BuildOptions(jobs=1))
    assert read_tree(out) == expected
    assert not (out / "beijing/index.html").is_symlink()
    assert sorted(os.listdir(tmp_path)) == ["build", "site"]


def test_a_shared_view_is_digested_by_its_value_once() -> None:
    one = Ref(
        "beijing", "The Beijing statement", "/beijing/", dt.date(2022, 2, 4), Markup("<p>x</p>")
    )
    equal = Ref(
        "beijing", "The Beijing statement", "/beijing/", dt.date(2022, 2, 4), Markup("<p>x</p>")
    )
    other = dataclasses.replace(one, summary_html=Markup("<p>y</p>"))
    tag = TagRef("Summits", "summits", "/tags/summits/", 2)
    digests = Digests()
    shown = digests("page", {"refs": (one, one), "tag": tag})
    # the same value, shared or not, in this process or another: the same digest
    assert digests("page", {"refs": (one, equal), "tag": tag}) == shown
    assert Digests()("page", {"refs": (equal, equal), "tag": tag}) == shown
    assert inputs_digest("page", {"refs": (equal, one), "tag": tag}) == shown
    # a field changed in a shared view, or in a view around it: another digest
    assert digests("page", {"refs": (one, other), "tag": tag}) != shown
    assert digests("page", {"refs": (one, one), "tag": dataclasses.replace(tag, count=3)}) != shown
    # a shared view's digest is made once per process, by its identity
    digested: list[object] = []
    real = digests._digest

    def digest(value: object) -> bytes:
        digested.append(value)
        return real(value)

    digests._digest = digest  # type: ignore[method-assign]
    fresh = dataclasses.replace(one)  # equal, not yet seen
    digests("page", (one, fresh, equal, fresh))
    assert digested == [(__version__, ("page", (one, fresh, equal, fresh))), (Ref, astuple(fresh))]
