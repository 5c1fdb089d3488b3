"""`briefgen new SLUG`: an article and a sidecar skeleton that checks clean, or a located
error for a slug that is not one or is taken."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from briefgen.build.pipeline import BuildOptions
from briefgen.cli import main
from briefgen.commands.check import check_site
from briefgen.schemas.editor import SCHEMAS
from tests.conftest import SITE_YAML, MakeSite, read_tree

SIDECAR = """\
# yaml-language-server: $schema=../schemas/sidecar.schema.json
# The sidecar of content/sco-summit.md: its metadata and annotations (see the README).
title: "Leaders meet: the SCO summit"
date: 2022-09-15
tags: []
# summary: why it matters, in one or two sentences (inline Markdown)
# source: {name: The Paper, url: "https://example.org/the-article"}
# notes:                        # context notes, anchored to phrases of the article
#   - quote: a phrase, exactly as readers see it
#     text: the context, in Markdown
#     sources: [{title: A source, url: "https://example.org/source"}]
# links:                        # a phrase that links to another article
#   - {quote: a phrase, to: another-slug}
"""


def new(site: Path, *args: str) -> int:
    """Run `briefgen new` in ``site``."""
    return main(["new", "--site", str(site), *args])


def test_new_writes_an_article_and_a_sidecar_that_check_accepts(
    make_site: MakeSite, capsys: pytest.CaptureFixture[str]
) -> None:
    site = make_site({})
    title = "Leaders meet: the SCO summit"
    assert new(site, "sco-summit", "--title", title, "--date", "2022-09-15") == 0
    assert capsys.readouterr().out == (
        "wrote content/sco-summit.md\n"
        "wrote content/sco-summit.yaml\n"
        "wrote schemas/sidecar.schema.json\n"
    )
    files = read_tree(site)
    assert files["content/sco-summit.md"] == b""
    assert files["content/sco-summit.yaml"].decode("utf-8") == SIDECAR
    assert [d.headline() for d in check_site(site, BuildOptions()).diagnostics] == [
        "content/sco-summit.yaml:3:1: warning[SC006]: sco-summit has no summary; fix: add "
        "'summary: ...': the front page, feed and search show it"
    ]
    assert main(["check", "--site", str(site)]) == 0


def test_the_sidecar_is_valid_for_editors_and_its_schema_line_resolves(
    make_site: MakeSite, capsys: pytest.CaptureFixture[str]
) -> None:
    site = make_site({})
    assert new(site, "kharkiv", "--txt") == 0
    sidecar = site / "content/kharkiv.yaml"
    first = sidecar.read_text(encoding="utf-8").split("\n", 1)[0]
    schema_path = (sidecar.parent / first.split("$schema=", 1)[1]).resolve()
    assert schema_path == (site / "schemas/sidecar.schema.json").resolve()
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    assert schema == SCHEMAS["sidecar"].data()
    data = yaml.safe_load(sidecar.read_text(encoding="utf-8"))
    data["date"] = data["date"].isoformat()  # a YAML 1.2 reader, as editors use, keeps text
    jsonschema.validate(data, schema)


def test_defaults_title_from_the_slug_and_date_from_today(
    make_site: MakeSite, capsys: pytest.CaptureFixture[str]
) -> None:
    site = make_site({"schemas/sidecar.schema.json": "{}\n"})
    before = dt.date.today()
    assert new(site, "putin-xi-samarkand", "--txt") == 0
    after = dt.date.today()
    out = capsys.readouterr().out
    sidecar = (site / "content/putin-xi-samarkand.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(sidecar)
    assert data["title"] == "Putin xi samarkand"
    assert data["date"] in (before, after)
    assert out == (
        "wrote content/putin-xi-samarkand.txt\n"
        "wrote content/putin-xi-samarkand.yaml\n"
        f"date: {data['date'].isoformat()}, today (--date YYYY-MM-DD sets another)\n"
    )
    assert (site / "schemas/sidecar.schema.json").read_text(encoding="utf-8") == "{}\n"
    assert (site / "content/putin-xi-samarkand.txt").read_bytes() == b""
    assert main(["check", "--site", str(site)]) == 0


@pytest.mark.parametrize(
    ("existing", "slug", "expected"),
    [
        ("content/sco.md", "sco", "content/sco.md: error[NEW002]: the slug 'sco' is taken: "
         "content/sco.md exists; fix: choose another slug, such as sco-2"),
        ("content/world/sco.txt", "sco", "content/world/sco.txt: error[NEW002]: the slug 'sco' "
         "is taken: content/world/sco.txt exists; fix: choose another slug, such as sco-2"),
        ("content/sco.yml", "sco", "content/sco.yml: error[NEW002]: the slug 'sco' is taken: "
         "content/sco.yml exists; fix: choose another slug, such as sco-2"),
        ("content/sco-2.yaml", "sco-2", "content/sco-2.yaml: error[NEW002]: the slug 'sco-2' is "
         "taken: content/sco-2.yaml exists; fix: choose another slug, such as sco-2-2"),
    ],
)  # fmt: skip
def test_a_taken_slug_is_refused_writing_nothing(
    make_site: MakeSite,
    capsys: pytest.CaptureFixture[str],
    existing: str,
    slug: str,
    expected: str,
) -> None:
    site = make_site({existing: "x\n", "content/sco-3.md": "y\n"})
    before = read_tree(site)
    assert new(site, slug) == 1
    assert capsys.readouterr().err == expected + "\n"
    assert read_tree(site) == before


@pytest.mark.parametrize(
    ("slug", "what"),
    [
        ("tags", "the list of tags"),
        ("glossary", "the glossary page"),
        ("search", "the search page"),
        ("page", "the front page's later pages"),
        ("static", "the static files"),
        ("assets", "the stylesheets and scripts"),
        ("pagefind", "the search index"),
    ],
)
def test_a_slug_whose_page_is_a_folder_of_the_site_is_taken(
    make_site: MakeSite, capsys: pytest.CaptureFixture[str], slug: str, what: str
) -> None:
    site = make_site({})
    assert new(site, slug) == 1
    assert capsys.readouterr().err == (
        f"briefgen new: error[NEW002]: the slug {slug!r} is taken: {slug}/ holds {what}; "
        f"fix: choose another slug, such as {slug}-2\n"
    )
    assert sorted(read_tree(site)) == ["site.yaml"]


def test_the_glossary_file_takes_its_slug(
    make_site: MakeSite, capsys: pytest.CaptureFixture[str]
) -> None:
    site = make_site({"site.yaml": SITE_YAML + "glossary: terms.yaml\n"})
    assert new(site, "terms") == 1
    assert capsys.readouterr().err == (
        "content/terms.yaml: error[NEW002]: the slug 'terms' is taken: content/terms.yaml is "
        "the glossary's file; fix: choose another slug, such as terms-2\n"
    )


def test_the_suggested_slug_is_free(
    make_site: MakeSite, capsys: pytest.CaptureFixture[str]
) -> None:
    site = make_site({"content/sco.md": "", "content/sco.yaml": "", "content/sco-2.txt": ""})
    assert new(site, "sco") == 1
    assert capsys.readouterr().err == (
        "content/sco.md: error[NEW002]: the slug 'sco' is taken: content/sco.md exists (and "
        "content/sco.yaml); fix: choose another slug, such as sco-3\n"
    )


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["Putin Xi"], "briefgen new: error[NEW001]: not a slug: 'Putin Xi'; a slug is lowercase "
         "letters, digits and single hyphens; fix: write it as putin-xi"),
        (["--", "-sco-"], "briefgen new: error[NEW001]: not a slug: '-sco-'; a slug is lowercase "
         "letters, digits and single hyphens; fix: write it as sco"),
        (["Привет"], "briefgen new: error[NEW001]: not a slug: 'Привет'; a slug is lowercase "
         "letters, digits and single hyphens; fix: use letters or digits"),
        (["sco", "--date", "15/09/2022"], "briefgen new: error[NEW003]: --date is not a date in "
         "YYYY-MM-DD form: '15/09/2022'; fix: for example --date 2022-09-15"),
        (["sco", "--date", "2022-02-30"], "briefgen new: error[NEW003]: --date is not a date in "
         "YYYY-MM-DD form: '2022-02-30'; fix: for example --date 2022-09-15"),
        (["sco", "--title", "  "], "briefgen new: error[NEW004]: --title is empty; fix: write "
         "the title, or leave out --title"),
    ],
)  # fmt: skip
def test_a_mistake_on_the_command_line_is_a_usage_error(
    make_site: MakeSite, capsys: pytest.CaptureFixture[str], args: list[str], expected: str
) -> None:
    site = make_site({})
    assert new(site, *args) == 2
    assert capsys.readouterr().err == expected + "\n"
    assert sorted(read_tree(site)) == ["site.yaml"]


def test_every_mistake_is_told_at_once(
    make_site: MakeSite, capsys: pytest.CaptureFixture[str]
) -> None:
    assert new(make_site({}), "A B", "--date", "tomorrow") == 2
    assert capsys.readouterr().err.splitlines()[-1] == "Found 2 problems."


def test_outside_a_site_nothing_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert new(tmp_path, "sco") == 2
    assert capsys.readouterr().err.startswith("site.yaml: error[CFG004]: no site.yaml in ")
    assert list(tmp_path.iterdir()) == []
