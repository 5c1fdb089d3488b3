"""The previous build's unchanged files, linked instead of made again: same bytes."""

from __future__ import annotations

import os
from pathlib import Path

from briefgen.build.pipeline import BuildOptions, build
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
