"""Renderings kept on disk between a build's passes: light in the main process, same bytes."""

from __future__ import annotations

import os
import pickle
import shutil
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest
from markupsafe import Markup

from briefgen.build import pipeline
from briefgen.build.diskcache import FOLDER, DiskCache
from briefgen.build.pipeline import BuildOptions, build
from briefgen.build.spill import Cached, Kept, Recent, Spill
from briefgen.errors import BuildFailed
from briefgen.markdown.renderer import Rendered, Renderer
from briefgen.model import Sidecar
from briefgen.output import SCRATCH
from briefgen.site import model as site_model
from tests.conftest import MakeSite, read_tree
from tests.test_build import LINKED


def capture_renderings(
    monkeypatch: pytest.MonkeyPatch,
) -> list[dict[str, tuple[Rendered, Rendered]]]:
    """Record the renderings the main process hands to the site model, each with the
    whole rendering read back (while the build runs)."""
    seen: list[dict[str, tuple[Rendered, Rendered]]] = []
    real = site_model.make_site

    def spy(config, urls, content, rendered: Mapping[str, Rendered], *rest):
        seen.append({slug: (r, r.full()) for slug, r in rendered.items()})
        return real(config, urls, content, rendered, *rest)

    monkeypatch.setattr(pipeline, "make_site", spy)
    return seen


@pytest.mark.parametrize("cache", [False, True])
def test_the_main_process_holds_no_html_and_the_pages_are_the_same_bytes(
    make_site: MakeSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cache: bool
) -> None:
    site = make_site(LINKED)
    seen = capture_renderings(monkeypatch)
    build(site, tmp_path / "spilled", BuildOptions(cache=cache, jobs=1))
    [rendered] = seen
    assert sorted(rendered) == ["beijing", "kharkiv", "summit"]
    for light, whole in rendered.values():
        assert (light.html, light.feed_html, light.text, light.gaps) == ("", "", "", ())
        assert light.body is not None and whole.body is None
        assert "<p>" in whole.html and "<p>" in whole.feed_html and whole.text
        assert (whole.notes, whole.terms, whole.words) == (light.notes, light.terms, light.words)
    monkeypatch.setattr(pipeline, "spill_of", lambda *args: None)  # renderings in memory
    build(site, tmp_path / "in-memory", BuildOptions(cache=False, jobs=1))
    assert seen[-1]["summit"][0] is seen[-1]["summit"][1]  # whole already
    assert read_tree(tmp_path / "spilled") == read_tree(tmp_path / "in-memory")
    assert not any(SCRATCH in path for path in read_tree(tmp_path / "spilled"))
    assert sorted(os.listdir(tmp_path)) == ["in-memory", "site", "spilled"]  # nothing left


NOTED = {
    **LINKED,
    "content/summit.yaml": """\
        date: 2022-09-15
        tags: [China, sco]
        summary: Xi and Putin *meet*.
        notes:
          - quote: Belt and Road Initiative
            text: Announced in *2013*.
          - quote: left Moscow's delegation
            text: The talks took two hours.
        links:
          - {quote: counteroffensive in Kharkiv, to: kharkiv}
        related: [beijing]
        """,
}


@pytest.mark.parametrize("cache", [False, True])
def test_light_renderings_hold_their_articles_own_notes_and_no_note_blocks(
    make_site: MakeSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cache: bool
) -> None:
    site = make_site(NOTED)
    seen: list[tuple[Sidecar, Rendered, Rendered]] = []  # summit's, in each build
    real = site_model.make_site

    def spy(config, urls, content, rendered: Mapping[str, Rendered], *rest):
        [sidecar] = [a.sidecar for a in content.articles if a.slug == "summit"]
        seen.append((sidecar, rendered["summit"], rendered["summit"].full()))
        return real(config, urls, content, rendered, *rest)

    monkeypatch.setattr(pipeline, "make_site", spy)
    build(site, tmp_path / "cold", BuildOptions(cache=cache, jobs=1))
    build(site, tmp_path / "again", BuildOptions(cache=cache, jobs=1))  # from the cache
    assert len(seen) == 2
    for sidecar, light, whole in seen:
        assert light.body is not None and whole.body is None
        for n, own in zip(light.notes, sidecar.notes, strict=True):
            assert n.note is own and n.blocks == ""
        landed = {x.anchor.quote: x.anchor for x in light.landings}
        owned = [n.anchor for n in sidecar.notes] + [x.anchor for x in sidecar.links]
        assert sorted(landed) == sorted(a.quote for a in owned)
        assert all(landed[a.quote] is a for a in owned)
        assert [str(n.blocks) for n in whole.notes] == [
            "<p>Announced in <em>2013</em>.</p>\n",
            "<p>The talks took two hours.</p>\n",
        ]
        assert [n.html for n in whole.notes] == [n.html for n in light.notes]
        assert whole.landings == light.landings
    assert read_tree(tmp_path / "cold") == read_tree(tmp_path / "again")


def test_a_scratch_file_cut_short_fails_the_build_and_keeps_the_last_one(
    make_site: MakeSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site, out = make_site(LINKED), tmp_path / "build"
    build(site, out, BuildOptions(cache=False, jobs=1))
    before = read_tree(out)
    real = site_model.make_site

    def cut_short(config, urls, content, rendered, *rest):
        for light in rendered.values():
            assert light.body is not None
            os.truncate(light.body.path, 10)
        return real(config, urls, content, rendered, *rest)

    monkeypatch.setattr(pipeline, "make_site", cut_short)
    with pytest.raises(BuildFailed) as failed:
        build(site, out, BuildOptions(cache=False, jobs=1))
    [problem] = failed.value.diagnostics
    assert problem.code == "OUT004"
    assert problem.message.startswith(f"cannot write {out}/{SCRATCH}/")
    assert problem.message.endswith(".pickle: a rendering kept for this build is cut short")
    assert read_tree(out) == before
    assert sorted(os.listdir(tmp_path)) == ["build", "site"]


def test_a_scratch_file_that_cannot_be_written_keeps_the_renderings_in_memory(
    make_site: MakeSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = make_site(LINKED)
    build(site, tmp_path / "kept", BuildOptions(cache=False, jobs=1))
    seen = capture_renderings(monkeypatch)

    def full_disk(fd: int, data: bytes) -> int:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "write", full_disk)
    build(site, tmp_path / "full", BuildOptions(cache=False, jobs=1))
    [rendered] = seen
    assert all(light is whole and light.body is None for light, whole in rendered.values())
    assert read_tree(tmp_path / "full") == read_tree(tmp_path / "kept")


def test_feeds_read_the_feed_html_alone_through_one_bounded_recent(
    make_site: MakeSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen = capture_renderings(monkeypatch)
    build(make_site(LINKED), tmp_path / "out", BuildOptions(cache=False, jobs=1))
    [rendered] = seen
    kept = [light.body for light, _ in rendered.values() if isinstance(light.body, Kept)]
    assert len(kept) == 3 and all(isinstance(body.recent, Recent) for body in kept)
    assert len({id(body.recent) for body in kept}) == 1  # the build's one
    for light, whole in rendered.values():
        assert light.feed() == whole.feed_html and "<p>" in light.feed()
        assert light.feed_html == ""  # the light copy itself still holds none


def test_recent_reads_each_feed_once_and_drops_the_least_recently_used() -> None:
    reads: list[str] = []

    def reader(name: str) -> Callable[[], Markup]:
        def read() -> Markup:
            reads.append(name)
            return Markup(f"<p>{name}</p>")

        return read

    recent = Recent(limit=2)
    a, b, c = (Path("w.pickle"), 0), (Path("w.pickle"), 10), (Path("w.pickle"), 20)
    assert recent.get(a, reader("a")) == Markup("<p>a</p>")
    assert recent.get(b, reader("b")) == Markup("<p>b</p>")
    assert recent.get(a, reader("a")) == Markup("<p>a</p>")  # held: not read again
    assert reads == ["a", "b"]
    recent.get(c, reader("c"))  # over the limit: b, the least recently used, goes
    recent.get(a, reader("a"))
    recent.get(b, reader("b"))
    assert reads == ["a", "b", "c", "b"]
    copy = pickle.loads(pickle.dumps(recent))
    assert copy.limit == 2
    copy.get(a, reader("a"))  # a copy starts empty: what it holds is its process's own
    assert reads == ["a", "b", "c", "b", "a"]


def count_calls(monkeypatch: pytest.MonkeyPatch, owner: type, name: str) -> list[object]:
    """Record each call of ``owner.name`` from now on (in this process)."""
    calls: list[object] = []
    real = getattr(owner, name)

    def spy(self: object, *args: object) -> object:
        calls.append(args)
        return real(self, *args)

    monkeypatch.setattr(owner, name, spy)
    return calls


def test_a_build_with_nothing_changed_points_at_the_cache_and_reads_no_rendering(
    make_site: MakeSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site, out = make_site(LINKED), tmp_path / "build"
    build(site, out, BuildOptions(jobs=1))
    first = read_tree(out)
    seen = capture_renderings(monkeypatch)
    rests = count_calls(monkeypatch, DiskCache, "rest")
    kept = count_calls(monkeypatch, Spill, "_keep")
    build(site, out, BuildOptions(jobs=1))
    assert read_tree(out) == first
    assert kept == []  # nothing copied into a scratch file
    [rendered] = seen  # (the spy itself reads each whole rendering once)
    assert all(isinstance(light.body, Cached) for light, _ in rendered.values())
    assert len(rests) == 3
    rests.clear()
    monkeypatch.setattr(pipeline, "make_site", site_model.make_site)  # the spy gone
    build(site, out, BuildOptions(jobs=1))  # no page, no annotation file reads a rendering
    assert rests == []


def test_renderings_gone_from_the_cache_mid_build_are_rendered_again_the_same(
    make_site: MakeSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = make_site(LINKED)
    build(site, tmp_path / "first", BuildOptions(jobs=1))
    real = site_model.make_site

    def remove_cache(config, urls, content, rendered, *rest):
        shutil.rmtree(site / FOLDER)  # after the renderings were found there
        return real(config, urls, content, rendered, *rest)

    monkeypatch.setattr(pipeline, "make_site", remove_cache)
    renders = count_calls(monkeypatch, Renderer, "render")
    build(site, tmp_path / "again", BuildOptions(jobs=1))  # every page made: another folder
    assert len(renders) == 3  # each once, kept again for the annotation files
    assert read_tree(tmp_path / "again") == read_tree(tmp_path / "first")
