"""`briefgen import`: golden imports of raw articles, slugs, safe re-imports.

Golden files live in tests/fixtures/import/expected/: for each raw article the article
and sidecar import writes and what it prints. ``BRIEFGEN_REGENERATE=1 python -m pytest``
rewrites them, with every other golden (see tests/golden.py); review the diff.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from briefgen.build.pipeline import BuildOptions, build
from briefgen.cli import main
from briefgen.errors import BriefgenError
from briefgen.ingest.plan import make_slug
from briefgen.schemas.editor import SCHEMAS
from briefgen.source.yamlio import load_yaml
from briefgen.text.anchoring import Anchorer, Found
from tests.conftest import MakeSite, read_tree
from tests.golden import check_golden

REPO = Path(__file__).parent.parent
FIXTURES = Path(__file__).parent / "fixtures" / "import"
RAW = FIXTURES / "raw"
EXPECTED = FIXTURES / "expected"
SCHEMA = "schemas/sidecar.schema.json"
REAL_SEED = REPO / "seeds" / "000_cbc27c83e3a63928.txt"


def run(capsys: pytest.CaptureFixture[str], site: Path, *argv: str) -> tuple[int, str, str]:
    """Run `briefgen import --site SITE ARGV...`; return exit code, stdout and stderr."""
    code = main(["import", "--site", str(site), *argv])
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
    written = {f"content/{slug}.{suffix}", f"content/{slug}.yaml", SCHEMA}
    assert set(after) - set(before) == written
    assert {k: v for k, v in after.items() if k not in written} == before
    check_golden(EXPECTED / f"{slug}.{suffix}", (site / f"content/{slug}.{suffix}").read_text())
    check_golden(EXPECTED / f"{slug}.yaml", (site / f"content/{slug}.yaml").read_text())
    check_golden(EXPECTED / f"{slug}.out", out + (f"--- stderr\n{err}" if err else ""))
    assert after[SCHEMA] == SCHEMAS["sidecar"].text().encode("utf-8")


def test_the_sidecar_points_at_its_schema_from_where_it_lives(
    capsys: pytest.CaptureFixture[str], site: Path
) -> None:
    (site / "schemas").mkdir()
    (site / SCHEMA).write_text("{}\n", encoding="utf-8")  # the site's own: left alone
    code, out, _ = run(capsys, site, str(site / SEED), "--slug", "sub", "--date", "2022-09-15")
    assert code == 0 and SCHEMA not in out
    first = (site / "content/sub.yaml").read_text(encoding="utf-8").split("\n")[0]
    assert first == "# yaml-language-server: $schema=../schemas/sidecar.schema.json"
    target = (site / "content" / first.split("=", 1)[1]).resolve()
    assert target == (site / SCHEMA).resolve() and target.read_text(encoding="utf-8") == "{}\n"


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
    assert out.count("would write schemas/sidecar.schema.json (for editors)") == 1
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
        f"{SEED}: error[IMP010]: content/putin-xi-samarkand.yaml is not in block style; "
        "fix: merge the new fields by hand\n"
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
        f"{SEED}: error[IMP007]: slug 'putin-xi-samarkand' is already used by "
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
        f"seeds/clean-2.txt: error[IMP007]: slug '{slug}' is already used by content/{slug}.txt; "
        "fix: pass --slug to choose another slug",
        f"seeds/clean-3.txt: error[IMP008]: content/{slug}.txt already has this text, imported "
        "from seeds/clean.txt; fix: skip this seed",
        "Found 2 problems.",
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
        f"{SEED}: error[IMP008]: content/putin-xi-samarkand.txt already has this text, but its "
        f"sidecar does not name {SEED}; fix: add 'seed: {SEED}' to its sidecar to adopt it, then "
        "use --force\n"
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
    before = read_tree(site)
    assert run(capsys, site, str(site / "seeds"), "--slug", "x") == (
        2, "", "briefgen import: error[IMP002]: --slug needs exactly one seed file; "
        "fix: import one seed with --slug, or leave --slug out\n"
    )  # fmt: skip
    assert run(capsys, site, str(site / "nowhere.txt")) == (
        2, "", f"briefgen import: error[IMP001]: no such file or folder: {site / 'nowhere.txt'}; "
        "fix: name seed files or folders of seeds that exist\n"
    )  # fmt: skip
    for flags in (["--date", "15/09/2022"], ["--slug", "Not A Slug"], ["--source-url", "x"]):
        with pytest.raises(SystemExit) as exc:
            main(["import", "seed.txt", *flags])
        assert exc.value.code == 2
    assert read_tree(site) == before
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
        "content/putin-xi-samarkand.yaml:5:7: error[SC004]: 'date' is not a date: 'TODO'; "
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


# -- diagnostics -------------------------------------------------------------------------------


def write_seed(site: Path, name: str, data: bytes) -> str:
    """Write a seed into the site's seeds/; return its path for the command line."""
    (site / "seeds" / name).write_bytes(data)
    return str(site / "seeds" / name)


def test_a_seed_that_is_not_text_fails(capsys: pytest.CaptureFixture[str], site: Path) -> None:
    seed = write_seed(site, "bad.txt", b"Headline\r\n\r\nText \x81.\r\n")
    before = read_tree(site)
    code, out, err = run(capsys, site, seed)
    assert (code, out) == (1, "0 seeds imported, 1 failed\n")
    assert err == (
        "seeds/bad.txt:3:6: error[IMP003]: neither UTF-8 nor Windows-1252 (byte 0x81); "
        "fix: save it as UTF-8\n"
    )
    assert read_tree(site) == before


def test_a_seed_that_is_a_pipe_is_refused_unopened(
    capsys: pytest.CaptureFixture[str], site: Path
) -> None:
    os.mkfifo(site / "seeds" / "pipe.txt")
    code, out, err = run(capsys, site, str(site / "seeds" / "pipe.txt"))
    assert (code, out) == (1, "0 seeds imported, 1 failed\n")
    assert err == (
        "seeds/pipe.txt: error[CNT009]: seeds/pipe.txt is a named pipe, not a file; briefgen "
        "does not open it; fix: replace it with a file, or remove it\n"
    )


def test_a_seed_without_article_text_fails(capsys: pytest.CaptureFixture[str], site: Path) -> None:
    seed = write_seed(site, "furniture.txt", b"Advertisement\nShare this article\n")
    code, _, err = run(capsys, site, seed)
    assert (code, err) == (
        1,
        "seeds/furniture.txt: error[IMP005]: no article text found; "
        "fix: check that the file is the raw article\n",
    )


def test_a_headline_without_a_slug_fails_at_its_line(
    capsys: pytest.CaptureFixture[str], site: Path
) -> None:
    seed = write_seed(site, "ru.txt", "Advertisement\nПутин и Си\n\nТекст.\n".encode())
    code, _, err = run(capsys, site, seed)
    assert code == 1
    assert err == (
        'seeds/ru.txt:2:1: error[IMP006]: cannot make a slug from the headline "Путин и Си"; '
        "fix: pass --slug\n"
        " 2 | Путин и Си\n"
        "   | ^\n"
    )
    code, out, err = run(capsys, site, seed, "--slug", "putin-xi")
    assert (code, err) == (0, "")
    assert out.splitlines()[0] == "seeds/ru.txt -> content/putin-xi.txt"


def test_force_refuses_another_slug_or_format(
    capsys: pytest.CaptureFixture[str], site: Path
) -> None:
    run(capsys, site, str(site / SEED), "--slug", "putin-xi-samarkand")
    before = read_tree(site)
    code, _, err = run(capsys, site, str(site / SEED), "--force", "--slug", "other")
    assert (code, err) == (
        1,
        f"{SEED}: error[IMP009]: already imported as content/putin-xi-samarkand.yaml, not as "
        "'other'; fix: import it again without --slug, or remove the old article first\n",
    )
    code, _, err = run(capsys, site, str(site / SEED), "--force", "--format", "md")
    assert (code, err) == (
        1,
        f"{SEED}: error[IMP009]: already imported as content/putin-xi-samarkand.txt; "
        "fix: drop --format\n",
    )
    assert read_tree(site) == before


def test_force_reads_the_existing_files_as_the_build_does(
    capsys: pytest.CaptureFixture[str], site: Path
) -> None:
    run(capsys, site, str(site / SEED), "--slug", "putin-xi-samarkand")
    article = site / "content/putin-xi-samarkand.txt"
    text = article.read_bytes()
    article.write_bytes(b"\xef\xbb\xbf" + text.replace(b"\n", b"\r\n"))
    code, out, err = run(capsys, site, str(site / SEED), "--force")
    assert (code, err) == (0, "")
    assert "content/putin-xi-samarkand.txt unchanged" in out.splitlines()
    article.write_bytes(b"Caf\xe9\n" + text)
    before = read_tree(site)
    code, out, err = run(capsys, site, str(site / SEED), "--force")
    assert (code, out) == (1, "0 seeds imported, 1 failed\n")
    assert err == (
        "content/putin-xi-samarkand.txt:1:4: error[CNT004]: content/putin-xi-samarkand.txt is "
        "not valid UTF-8 (byte 0xe9); fix: save the file as UTF-8\n"
    )
    assert read_tree(site) == before


MARKDOWN_FIX = "put a backslash before it in the article, or import it as plain text"


def test_markdown_hazards_are_warnings_with_their_line(
    capsys: pytest.CaptureFixture[str], site: Path
) -> None:
    seed = write_seed(site, "md.txt", b"Headline here\n\n# Not a heading, with *stars*.\n")
    code, out, err = run(capsys, site, seed, "--format", "md", "--date", "2023-01-02")
    assert code == 0
    assert err.splitlines() == [
        f'seeds/md.txt:3:1: warning[IMP011]: Markdown reads "#" here as a heading; '
        f"fix: {MARKDOWN_FIX}",
        " 3 | # Not a heading, with *stars*.",
        "   | ^",
        f'seeds/md.txt:3:23: warning[IMP011]: Markdown reads "*" here as emphasis or code; '
        f"fix: {MARKDOWN_FIX}",
        " 3 | # Not a heading, with *stars*.",
        "   |                       ^",
    ]
    assert out.splitlines()[-1] == "1 seed imported"
    code, out, err = run(capsys, site, seed, "--force", "-q")
    assert (code, out, err) == (0, "", "")


def test_a_broken_glossary_is_a_warning(capsys: pytest.CaptureFixture[str], site: Path) -> None:
    (site / "content/glossary.yaml").write_text("SCO: [\n", encoding="utf-8")
    code, out, err = run(capsys, site, str(site / "seeds/clean.txt"))
    assert code == 0
    assert err == (
        "content/glossary.yaml: warning[IMP012]: the glossary has problems; suggested terms may "
        "miss some of its entries; fix: run `briefgen build` to list them\n"
    )
    assert out.splitlines()[-1] == "1 seed imported"


# -- exit codes, through briefgen's command line --------------------------------------------


def test_quiet_prints_only_errors(capsys: pytest.CaptureFixture[str], site: Path) -> None:
    (site / "content/putin-xi-samarkand.txt").write_text("Another article.\n", encoding="utf-8")
    code, out, err = run(capsys, site, str(site / SEED), "--slug", "putin-xi-samarkand", "-q")
    assert (code, out) == (1, "")
    assert err.startswith(f"{SEED}: error[IMP007]: slug 'putin-xi-samarkand' is already used")
    code, out, err = run(capsys, site, str(site / "seeds/cp1252.txt"), "-q")
    assert (code, out, err) == (0, "", "")


def test_verbose_lists_skipped_seeds_and_suggestions(
    capsys: pytest.CaptureFixture[str], site: Path
) -> None:
    run(capsys, site, str(site / "seeds/clean.txt"))
    code, out, _ = run(capsys, site, str(site / "seeds"), "-v", "--dry-run")
    assert code == 0
    assert (
        "seeds/clean.txt: already imported as content/northern-council-agrees-on-a-joint-power-"
        "grid.txt; nothing to do (--force imports it again)" in out.splitlines()
    )
    assert "  glossary term: SCO" in out.splitlines()
    _, quiet, _ = run(capsys, site, str(site / "seeds"), "--dry-run")
    assert "seeds/clean.txt" not in quiet and "glossary term" not in quiet


def test_a_missing_site_yaml_is_a_configuration_error(
    capsys: pytest.CaptureFixture[str], site: Path
) -> None:
    (site / "site.yaml").unlink()
    code, out, err = run(capsys, site, str(site / SEED))
    assert (code, out) == (2, "")
    assert err == (
        f"site.yaml: error[CFG004]: no site.yaml in {site}; "
        "fix: run briefgen in a site folder or pass --site DIR\n"
    )


def test_an_internal_error_is_exit_code_3_with_a_traceback_under_debug(
    capsys: pytest.CaptureFixture[str], site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr("briefgen.ingest.command.plan_import", broken)
    code, _, err = run(capsys, site, str(site / SEED))
    assert (code, err) == (
        3, "internal error: RuntimeError: a bug (rerun with --debug for details)\n"
    )  # fmt: skip
    code, _, err = run(capsys, site, str(site / SEED), "--debug")
    assert code == 3
    assert err.startswith("Traceback (most recent call last):")
    assert err.splitlines()[-1] == "RuntimeError: a bug"


def test_import_shares_the_site_flags_of_build(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["import", "--help"])
    assert exc.value.code == 0
    help_text = " ".join(capsys.readouterr().out.split())
    assert "--site DIR the site folder, holding site.yaml" in help_text
    assert "--debug show tracebacks of internal errors" in help_text
    assert "-q, --quiet print only errors" in help_text
    assert "-v, --verbose also list skipped seeds and suggestions" in help_text
    with pytest.raises(SystemExit) as exc:
        main(["import", "seed.txt", "-q", "-v"])
    assert exc.value.code == 2
    assert "argument -v/--verbose: not allowed with argument -q/--quiet" in capsys.readouterr().err
