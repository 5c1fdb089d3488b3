"""The one cache: results reused while inputs are equal, forgotten once no build asks for them."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from briefgen.build.pipeline import BuildOptions, State, make_files
from briefgen.memo import Memo
from tests.conftest import write_tree


def test_get_reuses_a_result_while_its_inputs_are_equal() -> None:
    memo = Memo()
    calls: list[str] = []

    def compute(value: str) -> str:
        calls.append(value)
        return value.upper()

    assert memo.get("slot", ("a", 1), lambda: compute("a")) == "A"
    assert memo.get("slot", ("a", 1), lambda: compute("again")) == "A"
    assert memo.get("slot", ("b", 1), lambda: compute("b")) == "B"
    assert calls == ["a", "b"]
    assert len(memo) == 1


def test_map_computes_only_the_misses_together_and_keeps_the_order() -> None:
    memo = Memo()
    batches: list[list[str]] = []

    def compute(keys: Sequence[str]) -> list[int]:
        batches.append(list(keys))
        return [len(key) for key in keys]

    assert memo.map("len", {"a": 1, "bb": 1, "ccc": 1}, compute) == {"a": 1, "bb": 2, "ccc": 3}
    assert memo.map("len", {"ccc": 1, "a": 2, "bb": 1}, compute) == {"ccc": 3, "a": 1, "bb": 2}
    assert batches == [["a", "bb", "ccc"], ["a"]]


def test_sweep_forgets_the_slots_a_generation_did_not_use() -> None:
    memo = Memo()
    memo.get("kept", 1, lambda: "k")
    memo.get("dropped", 1, lambda: "d")
    assert memo.sweep() == 0
    memo.get("kept", 1, lambda: "never computed")
    assert memo.sweep() == 1
    assert len(memo) == 1
    assert memo.get("kept", 1, lambda: "never computed") == "k"
    assert memo.get("dropped", 1, lambda: "again") == "again"


TINY_LAYOUTS = {
    f"layouts/{name}": "{{ page.title }}\n"
    for name in (
        "index.html", "article.html", "glossary.html", "tags.html", "tag.html",
        "404.html", "feed.xml", "sitemap.xml",
    )
}  # fmt: skip


def test_renaming_a_thousand_articles_in_a_serve_session_does_not_grow_the_cache(
    tmp_path: Path,
) -> None:
    site = write_tree(
        tmp_path / "site",
        {
            "site.yaml": "title: T\nbase_url: https://example.org/\n",
            "content/glossary.yaml": "SCO: A security bloc.\n",
            "content/other.md": "# Other\n\nThe SCO met.\n",
            "content/other.yaml": "date: 2022-09-14\nsummary: S.\ntags: [sco]\n",
            "content/a-0.md": "# Renamed\n\nThe SCO met again.\n",
            "content/a-0.yaml": "date: 2022-09-15\nsummary: S.\ntags: [sco]\nrelated: [other]\n",
            **TINY_LAYOUTS,
        },
    )
    state = State()
    make_files(site, BuildOptions(), state)
    sizes = set()
    for n in range(1, 1001):  # each rebuild sees one article renamed, as the watcher reports it
        moved = []
        for suffix in (".md", ".yaml"):
            old, new = site / f"content/a-{n - 1}{suffix}", site / f"content/a-{n}{suffix}"
            old.rename(new)
            moved += [old, new]
        state.sources.forget(moved)
        result = make_files(site, BuildOptions(), state)
        assert f"a-{n}/index.html" in {f.path for f in result.files}
        sizes.add(len(state.memo))
    assert len(sizes) == 1, sorted(sizes)
