"""`briefgen import`: golden imports of raw articles, slugs, safe re-imports.

Golden files live in tests/fixtures/import/expected/: for each raw article the article
and sidecar import writes and what it prints. ``BRIEFGEN_REGENERATE=1 python -m pytest``
rewrites them, with every other golden (see tests/golden.py); review the diff.
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

import pytest

from briefgen.build.pipeline import BuildOptions, build
from briefgen.errors import BriefgenError
from briefgen.ingest.command import add_import_parser, run_import
from briefgen.ingest.plan import make_slug
from briefgen.source.yamlio import load_yaml
from briefgen.text.anchoring import Anchorer, Found
from tests.conftest import MakeSite, read_tree
from tests.golden import check_golden

REPO = Path(__file__).parent.parent
FIXTURES = Path(__file__).parent / "fixtures" / "import"
RAW = FIXTURES / "raw"
EXPECTED = FIXTURES / "expected"
REAL_SEED = REPO / "seeds" / "000_cbc27c83e3a63928.txt"


def parser() -> argparse.ArgumentParser:
    """A parser with just the import command, as briefgen's command line has it."""
    root = argparse.ArgumentParser(prog="briefgen")
    add_import_parser(root.add_subparsers(dest="command"))
    return root


def run(capsys: pytest.CaptureFixture[str], site: Path, *argv: str) -> tuple[int, str, str]:
    """Run `briefgen import --site SITE ARGV...`; return exit code, stdout and stderr."""
    code = run_import(parser().parse_args(["import", "--site", str(site), *argv]))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def site(make_site: MakeSite) -> Path:
    """A site with the test glossary, every raw sample and the real seed under seeds/."""
    root = make_site({})
    (root / "content").mkdir()
    shutil.copy(FIXTURES / "glossary.yaml", root / "content" / "glossary.yaml")
    shutil.copytree(RAW, root / "seeds")
    shutil.copy(REAL_SEED, root / "seeds" / REAL_SEED.name)
    return root


# -- golden imports ------------------------------------------------------------------------

SEED = f"seeds/{REAL_SEED.name}"
SAMPLES = [
    # (seed, flags, slug the headline gives, article suffix)
    (SEED, ["--slug", "putin-xi-samarkand", "--date", "2022-09-15"], "putin-xi-samarkand", "txt"),
    ("seeds/ad-breaks.txt", ["--date", "2023-03-01"],
     "norlands-parliament-votes-to-build-a-fence-on-its-eastern", "txt"),
    ("seeds/wire-crlf.txt",
     ["--date", "2023-03-03", "--source-name", "Wire", "--source-url", "https://example.org/wire/",
      "--tags", "ports,strikes"],
     "harbour-strike-halts-grain-exports-from-port-averne", "txt"),
    ("seeds/comment-form.txt", ["--date", "2023-04-02"],
     "kessel-opens-its-first-night-train-to-the-coast", "txt"),
    ("seeds/cp1252.txt", ["--date", "2023-05-07"], "avernes-mayor-wins-a-third-term", "txt"),
    ("seeds/bom.txt", ["--date", "2023-05-10", "--format", "md"],
     "kessel-bans-cars-from-its-old-town-on-sundays", "md"),
    ("seeds/clean.txt", [], "northern-council-agrees-on-a-joint-power-grid", "txt"),
    ("seeds/subheadings.txt", ["--date", "2023-10-02"],
     "how-norland-plans-to-keep-the-lights-on-this-winter", "txt"),
    ("seeds/single-breaks-cr.txt", ["--date", "2023-06-01", "--fix-punctuation"],
     "averne-library-reopens-after-a-two-year-renovation", "txt"),
]  # fmt: skip


@pytest.mark.parametrize(("seed", "flags", "slug", "suffix"), SAMPLES)
def test_import_matches_golden_files(
    capsys: pytest.CaptureFixture[str],
    site: Path,
    seed: str,
    flags: list[str],
    slug: str,
    suffix: str,
) -> None:
    before = read_tree(site)
    code, out, err = run(capsys, site, str(site / seed), *flags)
    assert code == 0
    after = read_tree(site)
    written = {f"content/{slug}.{suffix}", f"content/{slug}.yaml"}
    assert set(after) - set(before) == written
    assert {k: v for k, v in after.items() if k not in written} == before
    check_golden(EXPECTED / f"{slug}.{suffix}", (site / f"content/{slug}.{suffix}").read_text())
    check_golden(EXPECTED / f"{slug}.yaml", (site / f"content/{slug}.yaml").read_text())
    check_golden(EXPECTED / f"{slug}.out", out + (f"--- stderr\n{err}" if err else ""))


def test_an_article_without_boilerplate_comes_out_unchanged(
    capsys: pytest.CaptureFixture[str], site: Path
) -> None:
    raw = (RAW / "clean.txt").read_text(encoding="utf-8")
    body = raw.split("\n\n", 1)[1]
    code, out, _ = run(capsys, site, str(site / "seeds/clean.txt"))
    assert code == 0
    slug = "northern-council-agrees-on-a-joint-power-grid"
    assert (site / f"content/{slug}.txt").read_text(encoding="utf-8") == body
    assert "removed" not in out and "moved" not in out


def test_demo_article_is_what_import_writes() -> None:
    demo = (REPO / "content" / "putin-xi-samarkand.txt").read_text(encoding="utf-8")
    assert demo == (EXPECTED / "putin-xi-samarkand.txt").read_text(encoding="utf-8")


def test_demo_site_knows_its_seed(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    demo = tmp_path / "demo"
    shutil.copytree(REPO / "content", demo / "content")
    shutil.copytree(REPO / "seeds", demo / "seeds")
    shutil.copy(REPO / "site.yaml", demo / "site.yaml")
    code, out, _ = run(capsys, demo, str(demo / "seeds"), "--force", "--dry-run")
    assert code == 0
    assert "content/putin-xi-samarkand.txt unchanged" in out.splitlines()


# -- slugs ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("headline", "slug"),
    [
        ("Putin admits China has ‘questions and concerns’ over Russia’s faltering invasion of "
         "Ukraine", "putin-admits-china-has-questions-and-concerns-over-russias"),
        ("Xi’s visit: a test for the SCO", "xis-visit-a-test-for-the-sco"),
        ("Éléonore wins in Zürich", "eleonore-wins-in-zurich"),
        ("Norland’s parliament votes to build a fence on its eastern border",
         "norlands-parliament-votes-to-build-a-fence-on-its-eastern"),
        ("A very long headline that goes on and on about the state of the world and of the",
         "a-very-long-headline-that-goes-on-and-on-about-the-state"),
        ("Путин и Си", ""),
    ],
)  # fmt: skip
def test_make_slug(headline: str, slug: str) -> None:
    assert make_slug(headline) == slug
    assert len(slug) <= 60


# -- the command ------------------------------------------------------------------------------


def test_dry_run_writes_nothing(capsys: pytest.CaptureFixture[str], site: Path) -> None:
    before = read_tree(site)
    code, out, _ = run(capsys, site, str(site / "seeds"), "--dry-run")
    assert code == 0
    assert read_tree(site) == before
    assert (
        "would write content/putin-admits-china-has-questions-and-concerns-over-russias.txt" in out
    )
    assert out.splitlines()[-1].startswith("dry run, nothing written: 9 seeds imported;")
    run(capsys, site, str(site / SEED), "--slug", "putin-xi-samarkand")
    before = read_tree(site)
    code, out, _ = run(capsys, site, str(site / SEED), "--force", "--dry-run", "--fix-punctuation")
    assert code == 0
    assert read_tree(site) == before
    assert "would rewrite content/putin-xi-samarkand.txt: its text changed" in out


def test_reimport_without_force_does_nothing(
    capsys: pytest.CaptureFixture[str], site: Path
) -> None:
    run(capsys, site, str(site / SEED), "--slug", "putin-xi-samarkand")
    before = read_tree(site)
    code, out, err = run(capsys, site, str(site / SEED), "--date", "2022-09-16")
    assert (code, err) == (0, "")
    assert out == (
        f"{SEED}: already imported as content/putin-xi-samarkand.txt; nothing to do "
        "(--force imports it again)\n"
        "0 seeds imported, 1 already imported\n"
    )
    assert read_tree(site) == before


def test_a_folder_imports_every_seed_not_yet_imported(
    capsys: pytest.CaptureFixture[str], site: Path
) -> None:
    run(capsys, site, str(site / SEED), "--slug", "putin-xi-samarkand")
    code, out, _ = run(capsys, site, str(site / "seeds"))
    assert code == 0
    assert SEED not in out
    assert out.splitlines()[-1].startswith("8 seeds imported, 1 already imported;")
    sidecars = sorted((site / "content").glob("*.yaml"))
    assert len(sidecars) == 1 + 9


FORCED = [
    f'{SEED}:1: headline "Putin admits China has ‘questions and concerns’ over Russia’s '
    'faltering invasion of Ukraine" -> title',
    "rewrote content/putin-xi-samarkand.txt: its text changed",
    "content/putin-xi-samarkand.yaml: kept its 2 notes and 1 link; the article text changed "
    'under them: 1 no longer anchor (the build reports them): "provided. by the Chinese"',
    "updated date in content/putin-xi-samarkand.yaml",
    "kept the editor's title, source, byline, summary, notes, links, related, terms, tags in "
    "content/putin-xi-samarkand.yaml",
]


def test_force_keeps_what_the_editor_wrote(capsys: pytest.CaptureFixture[str], site: Path) -> None:
    run(capsys, site, str(site / SEED), "--slug", "putin-xi-samarkand")
    sidecar = site / "content/putin-xi-samarkand.yaml"
    editor = (
        "summary: Why it matters.\n"
        "notes:  # the editor's notes\n"
        "  - quote: questions and concerns\n"
        "    text: |\n"
        "      China abstained.\n"
        "  - quote: provided. by the Chinese\n"
        "    text: Fixed below.\n"
        "links:\n"
        "  - quote: Pelosi’s visit to Taipei\n"
        "    to: putin-xi-samarkand\n"
        "related: [putin-xi-samarkand]\n"
        "terms:\n"
        "  SCO summit: {definition: The yearly meeting.}\n"
    )
    text = sidecar.read_text(encoding="utf-8")
    text = text.replace("title: Putin admits", "title: Edited, Putin admits")
    text = text.replace("# TODO: summary: why it matters, in one or two sentences\n", editor)
    sidecar.write_text(text, encoding="utf-8")
    code, out, err = run(
        capsys, site, str(site / SEED), "--force", "--fix-punctuation", "--date", "2022-09-15"
    )
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert [lines[1], *lines[-5:-1]] == FORCED
    assert sidecar.read_text(encoding="utf-8") == text.replace(
        "date: TODO  # TODO: the date of publication, YYYY-MM-DD\n", "date: 2022-09-15\n"
    )
    article = (site / "content/putin-xi-samarkand.txt").read_text(encoding="utf-8")
    assert "provided by the Chinese" in article


def test_force_refuses_to_merge_a_sidecar_it_cannot_read(
    capsys: pytest.CaptureFixture[str], site: Path
) -> None:
    run(capsys, site, str(site / SEED), "--slug", "putin-xi-samarkand")
    sidecar = site / "content/putin-xi-samarkand.yaml"
    sidecar.write_text(f"{{seed: {SEED}, notes: []}}\n", encoding="utf-8")
    before = read_tree(site)
    code, _, err = run(capsys, site, str(site / SEED), "--force")
    assert code == 1
    assert err == (
        f"{SEED}: error: content/putin-xi-samarkand.yaml is not in block style; "
        "merge the new fields by hand\n"
    )
    assert read_tree(site) == before


def test_a_slug_clash_is_reported_not_overwritten(
    capsys: pytest.CaptureFixture[str], site: Path
) -> None:
    (site / "content/putin-xi-samarkand.txt").write_text("Another article.\n", encoding="utf-8")
    before = read_tree(site)
    code, out, err = run(capsys, site, str(site / SEED), "--slug", "putin-xi-samarkand")
    assert code == 1
    assert err == (
        f"{SEED}: error: slug 'putin-xi-samarkand' is already used by "
        "content/putin-xi-samarkand.txt; fix: choose another --slug\n"
    )
    assert out.splitlines()[-1] == "0 seeds imported, 1 failed"
    assert read_tree(site) == before


def test_two_seeds_with_one_headline_clash(capsys: pytest.CaptureFixture[str], site: Path) -> None:
    raw = (site / "seeds/clean.txt").read_text(encoding="utf-8")
    (site / "seeds/clean-2.txt").write_text(raw.replace("Thursday", "Friday"), encoding="utf-8")
    (site / "seeds/clean-3.txt").write_text(raw, encoding="utf-8")
    seeds = [str(site / f"seeds/{name}") for name in ("clean.txt", "clean-2.txt", "clean-3.txt")]
    code, _, err = run(capsys, site, *seeds)
    assert code == 1
    slug = "northern-council-agrees-on-a-joint-power-grid"
    assert err.splitlines() == [
        f"seeds/clean-2.txt: error: slug '{slug}' is already used by content/{slug}.txt; "
        "fix: pass --slug to choose another slug",
        f"seeds/clean-3.txt: error: content/{slug}.txt already has this text, imported from "
        "seeds/clean.txt; fix: skip this seed",
    ]


def test_an_article_with_the_same_text_can_be_adopted(
    capsys: pytest.CaptureFixture[str], site: Path
) -> None:
    run(capsys, site, str(site / SEED), "--slug", "putin-xi-samarkand")
    sidecar = site / "content/putin-xi-samarkand.yaml"
    sidecar.write_text("date: 2022-09-15\nnotes: []\n", encoding="utf-8")  # no provenance
    code, _, err = run(capsys, site, str(site / SEED), "--dry-run")
    assert code == 1
    assert err == (
        f"{SEED}: error: content/putin-xi-samarkand.txt already has this text, but its sidecar "
        f"does not name {SEED}; fix: add 'seed: {SEED}' to its sidecar to adopt it, then use "
        "--force\n"
    )
    sidecar.write_text(f"date: 2022-09-15\nnotes: []\nseed: {SEED}\n", encoding="utf-8")
    code, out, err = run(capsys, site, str(site / SEED), "--force")
    assert (code, err) == (0, "")
    assert out.splitlines()[-4:] == [
        "content/putin-xi-samarkand.txt unchanged",
        "updated title, source, byline, credits, suggested_terms, suggested_notes in "
        "content/putin-xi-samarkand.yaml",
        "kept the editor's date, notes in content/putin-xi-samarkand.yaml",
        "0 seeds imported, 1 updated; removed 3 boilerplate lines and 1 teaser; moved 1 credits "
        "line to the sidecar; left 2 punctuation problems in place (--fix-punctuation fixes them)",
    ]
    assert sidecar.read_text(encoding="utf-8").startswith(
        "title: Putin admits China has ‘questions and concerns’ over Russia’s faltering invasion "
        "of Ukraine\ndate: 2022-09-15\nsource:  # named in the credits; add url:\n  name: CNN\n"
        "byline: Anna Chernova, Betsy Klein and Ivana Kottasová, CNN\nnotes: []\n"
        f"seed: {SEED}\ncredits:\n"
    )


def test_usage_errors(capsys: pytest.CaptureFixture[str], site: Path) -> None:
    assert run(capsys, site, str(site / "seeds"), "--slug", "x") == (
        2, "", "briefgen import: error: --slug needs exactly one seed file\n"
    )  # fmt: skip
    assert run(capsys, site, str(site / "nowhere.txt")) == (
        2, "", f"briefgen import: error: no such file or folder: {site / 'nowhere.txt'}\n"
    )  # fmt: skip
    for flags in (["--date", "15/09/2022"], ["--slug", "Not A Slug"], ["--source-url", "x"]):
        with pytest.raises(SystemExit) as exc:
            parser().parse_args(["import", "seed.txt", *flags])
        assert exc.value.code == 2
    capsys.readouterr()


def test_an_article_imported_with_a_date_builds(
    capsys: pytest.CaptureFixture[str], site: Path, tmp_path: Path
) -> None:
    run(capsys, site, str(site / SEED), "--date", "2022-09-15")
    build(site, tmp_path / "out", BuildOptions())
    slug = "putin-admits-china-has-questions-and-concerns-over-russias"
    assert (tmp_path / "out" / slug / "index.html").is_file()


def test_an_article_imported_without_a_date_fails_to_build_at_its_date(
    capsys: pytest.CaptureFixture[str], site: Path, tmp_path: Path
) -> None:
    run(capsys, site, str(site / SEED), "--slug", "putin-xi-samarkand")
    with pytest.raises(BriefgenError) as exc:
        build(site, tmp_path / "out", BuildOptions())
    assert [d.headline() for d in exc.value.diagnostics] == [
        "content/putin-xi-samarkand.yaml:4:7: error[SC004]: 'date' is not a date: 'TODO'; "
        "fix: write it as YYYY-MM-DD"
    ]


def test_suggested_notes_anchor_once_moved_to_notes(
    capsys: pytest.CaptureFixture[str], site: Path, tmp_path: Path
) -> None:
    run(capsys, site, str(site / SEED), "--slug", "putin-xi-samarkand", "--date", "2022-09-15")
    sidecar = site / "content/putin-xi-samarkand.yaml"
    text = sidecar.read_text(encoding="utf-8").replace("suggested_notes:", "notes:")
    sidecar.write_text(text.replace("text: TODO", "text: Context."), encoding="utf-8")
    doc, _ = load_yaml("x", text)
    assert doc is not None and len(doc.data["notes"]) == 11
    article = Anchorer((site / "content/putin-xi-samarkand.txt").read_text(encoding="utf-8"))
    for note in doc.data["notes"]:
        assert isinstance(article.find(note["quote"], note.get("prefix")), Found)
    build(site, tmp_path / "out", BuildOptions())
