"""The build cache on disk: same bytes whatever it holds, never trusted, never required."""

from __future__ import annotations

import copyreg
import hashlib
import os
import pickle
import zlib
from pathlib import Path

import pytest
from markupsafe import Markup

from briefgen.build import diskcache, slotted
from briefgen.build.diskcache import FOLDER, MAGIC, DiskCache
from briefgen.build.pipeline import BuildOptions, build
from briefgen.errors import BuildFailed
from briefgen.markdown.renderer import Renderer
from briefgen.model import SourceRef
from briefgen.source import content
from briefgen.urls import Address
from tests.conftest import MakeSite, read_tree
from tests.test_build import LINKED


def entries(site: Path) -> list[Path]:
    """The cache's entries (its .gitignore aside)."""
    return sorted(p for p in (site / FOLDER).rglob("*") if p.is_file() and p.name != ".gitignore")


def count_renders(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record the slug of every article rendered from now on (in this process)."""
    rendered: list[str] = []
    real = Renderer.render

    def spy(self: Renderer, article):
        rendered.append(article.slug)
        return real(self, article)

    monkeypatch.setattr(Renderer, "render", spy)
    return rendered


def count_loads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record the slug of every article parsed from its files from now on."""
    loaded: list[str] = []
    real = content.article_of

    def spy(slug: str, *args):
        loaded.append(slug)
        return real(slug, *args)

    monkeypatch.setattr(content, "article_of", spy)
    return loaded


def test_a_warm_build_renders_nothing_again_and_gives_the_same_bytes(
    make_site: MakeSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = make_site(LINKED)
    build(site, tmp_path / "cold", BuildOptions(cache=False))
    assert not (site / FOLDER).exists()  # --no-cache neither reads nor writes it
    renders, loads = count_renders(monkeypatch), count_loads(monkeypatch)
    build(site, tmp_path / "first", BuildOptions(jobs=1))
    assert sorted(renders) == sorted(loads) == ["beijing", "kharkiv", "summit"]
    assert (site / FOLDER / ".gitignore").read_text(encoding="utf-8").endswith("*\n")
    renders.clear()
    loads.clear()
    build(site, tmp_path / "warm", BuildOptions(jobs=1))
    assert renders == loads == []
    (site / "content/kharkiv.txt").write_text("Ukraine's counteroffensive\n\nIzium.\n")
    build(site, tmp_path / "changed", BuildOptions(jobs=1))
    assert renders == loads == ["kharkiv"]
    cold = read_tree(tmp_path / "cold")
    assert read_tree(tmp_path / "first") == cold
    assert read_tree(tmp_path / "warm") == cold
    build(site, tmp_path / "changed-cold", BuildOptions(cache=False))
    assert read_tree(tmp_path / "changed") == read_tree(tmp_path / "changed-cold")


def test_a_failed_build_keeps_its_work_in_the_cache_and_nothing_else(
    make_site: MakeSite, tmp_path: Path
) -> None:
    site = make_site({**LINKED, "content/kharkiv.yaml": "date: 2022-09-12\nrelated: [nowhere]\n"})
    out = tmp_path / "out"
    out.mkdir()
    before = read_tree(site)
    with pytest.raises(BuildFailed):
        build(site, out, BuildOptions(jobs=1))
    after = read_tree(site)
    assert {p for p in after if not p.startswith(FOLDER + "/")} == set(before)
    assert entries(site)  # the articles loaded and rendered are kept for the next build
    assert list(out.iterdir()) == []


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[: len(data) // 2],  # truncated
        lambda data: data[:-1] + bytes([data[-1] ^ 1]),  # a flipped bit
        lambda data: b"",  # emptied
        lambda data: b"not a cache entry at all",
    ],
    ids=["truncated", "flipped", "empty", "garbage"],
)
def test_a_damaged_entry_is_ignored_and_made_again(
    make_site: MakeSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, damage
) -> None:
    site = make_site(LINKED)
    build(site, tmp_path / "first", BuildOptions(jobs=1))
    for entry in entries(site):
        entry.write_bytes(damage(entry.read_bytes()))
    renders = count_renders(monkeypatch)
    build(site, tmp_path / "again", BuildOptions(jobs=1))
    assert sorted(renders) == ["beijing", "kharkiv", "summit"]
    assert read_tree(tmp_path / "again") == read_tree(tmp_path / "first")
    renders.clear()
    build(site, tmp_path / "healed", BuildOptions(jobs=1))
    assert renders == []  # the entries were written again


def forged(value: object, shapes: dict[str, tuple[str, ...]] | None = None) -> bytes:
    """An entry with a valid header around ``value``'s pickle, with the fields of its data
    classes as a writer had them (``shapes``; by default as this briefgen has them)."""
    shapes = diskcache._shapes(value) if shapes is None else shapes
    payload = zlib.compress(pickle.dumps((pickle.dumps(shapes), value)))
    check = hashlib.blake2b(payload, digest_size=diskcache.DIGEST).digest()
    no_rest = bytes(diskcache.PART)
    return MAGIC + len(payload).to_bytes(8, "big") + check + no_rest + payload


class Exploit:
    """Unpickling this would run a command."""

    def __reduce__(self):
        return (os.system, ("touch pwned",))


def test_an_entry_naming_anything_but_cached_types_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = DiskCache(tmp_path)
    cache.put("ab" * 32, ("kept", 1))
    assert cache.get("ab" * 32) == ("kept", 1)
    (tmp_path / FOLDER / "ab" / ("ab" * 31)).write_bytes(forged(Exploit()))
    monkeypatch.chdir(tmp_path)
    assert cache.get("ab" * 32) is None
    assert not (tmp_path / "pwned").exists()
    assert not (tmp_path / FOLDER / "ab" / ("ab" * 31)).exists()  # removed


def test_an_entry_of_data_classes_with_other_fields_is_foreign(tmp_path: Path) -> None:
    cache = DiskCache(tmp_path)
    note = SourceRef("UN vote", "https://example.org/un")
    cache.put("ef" * 32, (note, [note]))
    assert cache.get("ef" * 32) == (note, [note])
    entry = tmp_path / FOLDER / "ef" / ("ef" * 31)
    older = Address.__new__(Address)  # a class with a __dict__, to forge other shapes
    object.__setattr__(older, "path", "un/")  # as a briefgen without ``href``, ``url`` kept it
    entry.write_bytes(forged({"notes": (older,)}, {"briefgen.urls:Address": ("path",)}))
    assert cache.get("ef" * 32) is None
    assert not entry.exists()  # removed, to be made again
    newer = Address("un/", "/un/", "https://example.org/un/")
    object.__setattr__(newer, "pages", 3)
    shapes: dict[str, tuple[str, ...]] = {"briefgen.urls:Address": ("path", "href", "url", "pages")}
    entry.write_bytes(forged([newer], shapes))
    assert cache.get("ef" * 32) is None


class Unslotted:
    """Pickles as a ``SourceRef`` did when it had no slots: its fields as a dictionary."""

    @property  # type: ignore[misc]
    def __class__(self):
        return SourceRef

    def __reduce__(self):
        state = {"title": "UN vote", "url": "https://example.org/un"}
        return (copyreg.__newobj__, (SourceRef,), state)  # type: ignore[attr-defined]


def test_an_entry_of_a_class_that_had_no_slots_then_is_foreign(tmp_path: Path) -> None:
    cache = DiskCache(tmp_path)
    cache.put("ef" * 32, "value")
    entry = tmp_path / FOLDER / "ef" / ("ef" * 31)
    unslotted = pickle.loads(pickle.dumps(Unslotted(), protocol=5))
    assert unslotted == SourceRef("title", "url")  # read without failing, into the wrong fields
    shapes: dict[str, tuple[str, ...]] = {"briefgen.model:SourceRef": ("title", "url")}
    entry.write_bytes(forged([Unslotted()], shapes))
    assert cache.get("ef" * 32) is None
    assert not entry.exists()
    assert diskcache._shapes([SourceRef("UN vote")]) == {
        "briefgen.model:SourceRef": ("title", "url", "__slots__")
    }


def test_a_cache_folder_that_is_a_link_is_never_used(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    site = tmp_path / "site"
    site.mkdir()
    (site / FOLDER).symlink_to(elsewhere)
    cache = DiskCache(site)
    cache.put("cd" * 32, "value")
    assert list(elsewhere.iterdir()) == []
    assert cache.get("cd" * 32) is None


def test_an_entry_keeps_a_rest_that_is_read_only_when_asked(tmp_path: Path) -> None:
    cache = DiskCache(tmp_path)
    note = SourceRef("UN vote", "https://example.org/un")
    assert cache.put("ab" * 32, ("light", note), ("whole", note, "<p>" * 1000))
    assert cache.put("cd" * 32, "alone")
    assert cache.get("ab" * 32) == ("light", note)
    assert cache.rest("ab" * 32) == ("whole", note, "<p>" * 1000)
    assert (cache.get("cd" * 32), cache.rest("cd" * 32)) == ("alone", None)
    assert (tmp_path / FOLDER / "cd" / ("cd" * 31)).exists()  # no rest: not damaged
    entry = tmp_path / FOLDER / "ab" / ("ab" * 31)
    data = entry.read_bytes()
    entry.write_bytes(data[:-1] + bytes([data[-1] ^ 1]))  # a bit of the rest flipped
    assert cache.get("ab" * 32) == ("light", note)  # the light part is whole and checked
    assert cache.rest("ab" * 32) is None
    assert not entry.exists()  # removed, to be made again
    cache.put("ab" * 32, ("light", note), ("whole", note))
    entry.write_bytes(entry.read_bytes() + b"more")  # grown: neither part is trusted
    assert cache.get("ab" * 32) is None


def test_two_workers_making_the_cache_folder_at_once_both_keep_their_entry(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = DiskCache(tmp_path), DiskCache(tmp_path)
    assert first.put("a" * 64, "first")
    real_lexists = os.path.lexists  # the second saw no .gitignore just before the first made it
    monkeypatch.setattr(
        os.path, "lexists", lambda p: p != tmp_path / FOLDER / ".gitignore" and real_lexists(p)
    )
    assert second.put("b" * 64, "second")
    assert (DiskCache(tmp_path).get("a" * 64), DiskCache(tmp_path).get("b" * 64)) == (
        "first",
        "second",
    )


class Restored:
    """Pickles as a cache entry names a slotted data class: ``slotted.restore`` of its fields."""

    def __init__(self, kind: object, values: object) -> None:
        self.kind, self.values = kind, values

    def __reduce__(self):
        return (slotted.restore, (self.kind, self.values))


def test_slotted_data_classes_are_kept_by_their_fields_and_checked(tmp_path: Path) -> None:
    cache = DiskCache(tmp_path)
    note = SourceRef("UN vote", "https://example.org/un")
    address = Address("un/", "/un/", "https://example.org/un/")  # not slotted
    cache.put("ab" * 32, (note, [note, address], {"by": SourceRef("AP", "")}))
    entry = tmp_path / FOLDER / "ab" / ("ab" * 31)
    # by its field values, not dataclasses' per-object __setstate__ (slow to unpickle)
    assert b"restore" in zlib.decompress(entry.read_bytes()[diskcache.HEADER :])
    found = DiskCache(tmp_path).get("ab" * 32)
    assert found == (note, [note, address], {"by": SourceRef("AP", "")})
    assert type(found[0]) is SourceRef
    forgeries = [
        Restored(SourceRef, ("UN vote",)),  # a field short
        Restored(SourceRef, ["UN vote", "https://example.org/un"]),  # not a tuple
        Restored(Markup, ()),  # allowed, but not a data class
        Restored(Exploit, ()),  # not allowed at all
    ]
    for forgery in forgeries:
        entry.write_bytes(forged([forgery], {}))
        assert cache.get("ab" * 32) is None
        assert not entry.exists()  # removed, to be made again
