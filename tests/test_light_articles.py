"""Loading on every core: light articles in the main process, the same diagnostics."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from briefgen.build import pipeline
from briefgen.build.pipeline import BuildOptions, State, build, make_files
from briefgen.build.workers import fork_map
from briefgen.errors import BriefgenError, BuildFailed, Diagnostic, Location
from briefgen.memo import Memo
from briefgen.source import content
from briefgen.source.config import load_config
from briefgen.source.content import load_content, whole
from briefgen.source.files import Sources
from tests.conftest import MakeSite, read_tree, write_tree

REPO = Path(__file__).resolve().parent.parent
ARTICLES = 240  # enough for two loading processes (build.workers.MIN_ITEMS_PER_PROCESS)


def good_site(root: Path) -> Path:
    """A site of ``ARTICLES`` articles without a problem."""
    files = {"site.yaml": "title: T\nbase_url: https://example.org/\n"}
    files["content/glossary.yaml"] = "SCO: A Eurasian security organisation.\n"
    for n in range(ARTICLES):
        files[f"content/a-{n:03}.md"] = f"# Article {n}\n\nThe SCO met, for the {n}th time.\n"
        files[f"content/a-{n:03}.yaml"] = (
            f"date: 2022-01-{n % 28 + 1:02}\ntags: [t{n % 5}]\nsummary: S {n}.\n"
            "notes: [{quote: The SCO met, text: Note.}]\n"
        )
    return write_tree(root, files)


def problem_site(root: Path) -> Path:
    """``good_site`` with problems found while loading (in the first and the second half
    of the articles) and after it (cross-references, anchoring)."""
    site = good_site(root)
    files = {name: (site / name).read_text(encoding="utf-8") for name in PROBLEMS}
    files["content/a-005.yaml"] += "titel: A typo\n"
    files["content/a-130.yaml"] = "date: 2022-01-01\nnotes: [{quote: x\n"
    files["content/a-150.yaml"] += "related: [a-999]\n"  # found by the Index, after loading
    files["content/a-201.yaml"] = "date: 2022-01-01\nnotes:\n  - {quote: Not there, text: N.}\n"
    write_tree(site, files)
    (site / "content/a-220.yaml").unlink()
    (site / "content/a-160.md").write_bytes(b"# Caf\xe9\n")
    return site


PROBLEMS = [f"content/a-{n}.yaml" for n in ("005", "130", "150", "201")]


def report(site: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``briefgen build`` of ``site`` in a process of its own (so that it may fork)."""
    command = [sys.executable, "-m", "briefgen", "build", "--site", str(site), *args]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run(command, capture_output=True, text=True, env=env, check=False)


def test_problems_are_the_same_whatever_the_workers_and_whether_articles_are_light(
    tmp_path: Path,
) -> None:
    site = problem_site(tmp_path / "site")
    with pytest.raises(BuildFailed) as kept:  # whole articles, every text held (as serve)
        make_files(site, BuildOptions(), State())
    expected = kept.value.report()
    lines = {d.code: d.source_line for d in kept.value.diagnostics}
    assert lines["LNK002"] == "related: [a-999]"  # quoted by a diagnostic made after loading
    assert lines["ANC001"] == "  - {quote: Not there, text: N.}"
    assert {"CNT004", "CNT005", "SC001", "YAML001"} <= set(lines)
    for jobs in ("1", "2"):
        built = report(site, "-o", str(tmp_path / f"out-{jobs}"), "--no-cache", "--jobs", jobs)
        assert (built.returncode, built.stderr) == (1, expected + "\n")
    assert sorted(os.listdir(tmp_path)) == ["site"]


def test_a_one_off_load_holds_no_body_and_quotes_lines_read_again(make_site: MakeSite) -> None:
    site = make_site(
        {
            "content/a.md": "# A\n\nThe SCO met.\n",
            "content/a.yaml": "date: 2022-01-01\nrelated: [b]\n",
        }
    )
    config = load_config(site)
    kept, _ = load_content(site, config, drafts=False)
    content, reporter = load_content(
        site, config, drafts=False, sources=Sources(keep=False), memo=Memo(keep=False)
    )
    [article], [held] = content.articles, kept.articles
    assert (article.body, held.body) == (None, "# A\n\nThe SCO met.\n")
    assert article.sidecar == held.sidecar
    assert whole(site, article).body == held.body
    later = Diagnostic(Location("content/a.yaml", 2, 10), "LNK002", "unknown")
    reporter.extend([later])
    assert reporter.diagnostics[-1].source_line == "related: [b]"
    (site / "content/a.md").write_text("# A\n\nThe SCO met again.\n", encoding="utf-8")
    with pytest.raises(BuildFailed) as changed:
        whole(site, article)
    assert changed.value.report() == (
        "content/a.md: error[CNT013]: content/a.md changed while the site was being built; "
        "fix: build again"
    )
    content, reporter = load_content(
        site, config, drafts=False, sources=Sources(keep=False), memo=Memo(keep=False)
    )
    (site / "content/a.yaml").write_text("date: 2022-01-02\nrelated: [b]\n", encoding="utf-8")
    reporter.extend([later])  # the file is not the one loaded: its line is not quoted
    assert reporter.diagnostics[-1].source_line == ""


def test_an_article_changed_before_it_is_rendered_fails_the_build_and_is_not_cached(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = good_site(tmp_path / "site")
    real = load_content

    def edit_after_loading(*args: object, **kwargs: object) -> object:
        loaded = real(*args, **kwargs)  # type: ignore[arg-type]
        (site / "content/a-200.md").write_text(
            "# Article 200\n\nThe SCO met. Edited.\n", encoding="utf-8"
        )
        return loaded

    monkeypatch.setattr(pipeline, "load_content", edit_after_loading)
    (tmp_path / "out").mkdir()
    (tmp_path / "out/old.html").write_text("old", encoding="utf-8")
    with pytest.raises(BuildFailed) as failed:
        build(site, tmp_path / "out", BuildOptions(jobs=2))
    assert [d.headline() for d in failed.value.diagnostics] == [
        "content/a-200.md: error[CNT013]: content/a-200.md changed while the site was being "
        "built; fix: build again"
    ]
    assert read_tree(tmp_path / "out") == {"old.html": b"old"}
    monkeypatch.undo()
    build(site, tmp_path / "warm", BuildOptions(jobs=2))  # the cache kept no rendering of it
    build(site, tmp_path / "cold", BuildOptions(jobs=1, cache=False))
    assert read_tree(tmp_path / "warm") == read_tree(tmp_path / "cold")
    assert b"Edited." in read_tree(tmp_path / "cold")["a-200/index.html"]


def refuse(n: int) -> int:
    if n == 17:
        raise BuildFailed([Diagnostic(Location("content/x.md", 1, 1), "CNT013", "changed")])
    return n


def test_a_mistake_raised_in_a_worker_is_raised_again_as_it_is() -> None:
    for processes in (1, 2):
        with pytest.raises(BriefgenError) as raised:
            fork_map(refuse, list(range(20)), processes=processes)
        assert type(raised.value) is BuildFailed
        assert raised.value.report() == "content/x.md:1:1: error[CNT013]: changed"


def test_a_kept_state_loads_whole_articles_and_an_edit_reloads_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = good_site(tmp_path / "site")
    loaded: list[str] = []
    real = content.article_of

    def spy(slug: str, *args: Any) -> Any:
        loaded.append(slug)
        return real(slug, *args)

    monkeypatch.setattr(content, "article_of", spy)
    state = State()  # as the dev server keeps it: in this process, whole articles
    make_files(site, BuildOptions(), state)
    assert len(loaded) == ARTICLES
    edited = site / "content/a-007.md"
    edited.write_text("# Article 7\n\nThe SCO met again.\n", encoding="utf-8")
    state.sources.forget([edited])
    loaded.clear()
    result = make_files(site, BuildOptions(), state)
    assert loaded == ["a-007"]
    page = dict((f.path, f.data) for f in result.files)["a-007/index.html"]
    assert b"again." in page and b"for the 7th time" not in page
