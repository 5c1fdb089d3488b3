"""YAML text stays text: what editors typed is what is published; typed fields parse theirs."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from briefgen.build.pipeline import BuildOptions, build
from briefgen.source.config import load_config
from briefgen.source.content import load_content
from briefgen.source.scalars import Unparsed, parse_count, parse_date, parse_flag
from briefgen.source.yamlio import MAX_ALIASED, load_yaml
from tests.conftest import MakeSite


@pytest.mark.parametrize(
    "text",
    ["1:30", "012", "0x1F", ".nan", "-.inf", "1_000", "2022-09-15", "ON", "yes", "no", "off",
     "~~", "nil", "none", "true", "1e3", "0o17", "+12", "190:20:30", "=", "<<"],
)  # fmt: skip
def test_every_plain_scalar_is_the_text_as_written(text: str) -> None:
    doc, problems = load_yaml("x.yaml", f"value: {text}\n{text}: key\nlist: [{text}]\n")
    assert problems == []
    assert doc is not None
    assert doc.data == {"value": text, text: "key", "list": [text]}


def test_an_empty_value_is_null_and_quotes_keep_their_text() -> None:
    doc, _ = load_yaml("x.yaml", "a:\nb: ''\nc: \"012\"\nd: !!int 12\ne: !!timestamp 2022-09-15\n")
    assert doc is not None
    assert doc.data == {"a": None, "b": "", "c": "012", "d": 12, "e": dt.date(2022, 9, 15)}


def test_null_is_null_as_in_yaml_1_2_and_quoted_it_is_text() -> None:
    text = "a: ~\nb: null\nc: Null\nd: NULL\ne: '~'\nf: \"null\"\ng: [~, nULL]\n"
    doc, _ = load_yaml("x.yaml", text)
    assert doc is not None
    assert doc.data == dict(a=None, b=None, c=None, d=None, e="~", f="null", g=[None, "nULL"])


def test_aliases_below_the_bound_are_expanded() -> None:
    text = "common: &c {title: UN, url: https://un.org/}\nsources: [*c, *c]\n"
    doc, problems = load_yaml("x.yaml", text)
    assert problems == []
    assert doc is not None
    assert doc.data["sources"] == [{"title": "UN", "url": "https://un.org/"}] * 2
    assert doc.loc("sources", 1, "url").line == 1  # where the anchored value is written


def test_an_alias_bomb_of_a_billion_values_is_refused_without_expanding_it() -> None:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for level in "bcdefghij":  # 10**10 values once expanded
        previous = chr(ord(level) - 1)
        lines.append(f"{level}: &{level} [{', '.join([f'*{previous}'] * 10)}]")
    doc, problems = load_yaml("x.yaml", "\n".join(lines) + "\n")
    assert doc is None
    assert [p.headline() for p in problems] == [
        f"x.yaml:3:4: error[YAML003]: the document is refused: aliases expand it to more "
        f"than {MAX_ALIASED} values (an alias bomb); "
        "fix: write the values out instead of repeating aliases of aliases"
    ]


@pytest.mark.parametrize(
    ("value", "expected"),
    [("true", True), ("False", False), ("TRUE", True), (True, True)],
)
def test_flags_in_yaml_1_2_forms(value: object, expected: bool) -> None:
    assert parse_flag(value, "draft") is expected


@pytest.mark.parametrize(
    ("value", "what", "fix"),
    [
        ("yes", "is 'yes', which YAML 1.1 reads as a flag and YAML 1.2 as text",
         "write draft: true or draft: false"),
        ("On", "is 'On', which YAML 1.1 reads as a flag and YAML 1.2 as text",
         "write draft: true or draft: false"),
        ("maybe", "must be true or false", "write draft: true or draft: false"),
    ],
)  # fmt: skip
def test_ambiguous_flags_say_how_to_write_them(value: str, what: str, fix: str) -> None:
    with pytest.raises(Unparsed) as caught:
        parse_flag(value, "draft")
    assert (caught.value.what, caught.value.fix) == (what, fix)


@pytest.mark.parametrize(
    ("value", "what", "fix"),
    [
        ("012", "is '012', which YAML 1.1 reads as the octal number 10", "write paginate: 12"),
        ("09", "is '09', a number with a leading zero", "write paginate: 9"),
        ("0x10", "is '0x10', which YAML 1.1 reads as 16 and YAML 1.2 as text",
         "write paginate: 16, in plain digits"),
        ("1_000", "is '1_000', which YAML 1.1 reads as 1000 and YAML 1.2 as text",
         "write paginate: 1000, in plain digits"),
        ("1:30", "is '1:30', which YAML 1.1 reads as 90 and YAML 1.2 as text",
         "write paginate: 90, in plain digits"),
        ("ten", "must be a whole number from 0", "write paginate: 2"),
        ("-3", "must be a whole number from 0", "write paginate: 2"),
    ],
)  # fmt: skip
def test_ambiguous_numbers_say_how_to_write_them(value: str, what: str, fix: str) -> None:
    with pytest.raises(Unparsed) as caught:
        parse_count(value, "paginate")
    assert (caught.value.what, caught.value.fix) == (what, fix)


def test_numbers_and_dates_in_plain_forms() -> None:
    assert parse_count("30", "paginate") == 30
    assert parse_count("0", "paginate") == 0
    assert parse_date("2022-09-15") == dt.date(2022, 9, 15)
    assert parse_date("2022-09-15 10:30:00+02:00") == dt.date(2022, 9, 15)
    assert parse_date("2022-09-15T23:59:59Z") == dt.date(2022, 9, 15)
    with pytest.raises(Unparsed, match="is not a date: '2022-02-30'"):
        parse_date("2022-02-30")


TEXT_SITE = {
    "site.yaml": "title: 1:30 Briefing\nbase_url: https://example.org/\nlanguage: no\n"
    "paginate: 1\n",
    "content/a.txt": "Headline\n\nThe train left at 012 and came back at 1:30.\n",
    "content/a.yaml": """\
        title: 1:30
        date: 2022-09-15
        byline: 012
        summary: .nan
        draft: false
        tags: [yes, 2022]
        notes:
          - quote: 012
            text: ON
        """,
    "content/glossary.yaml": "ON: Ontario, a province of Canada.\nOn: A word.\n",
}


def test_text_is_published_as_written(make_site: MakeSite, tmp_path: Path) -> None:
    site = make_site(TEXT_SITE)
    config = load_config(site)
    assert (config.title, config.language, config.paginate) == ("1:30 Briefing", "no", 1)
    content, reporter = load_content(site, config, drafts=False)
    assert reporter.errors == []
    [article] = content.articles
    sidecar = article.sidecar
    assert (sidecar.title, sidecar.byline, sidecar.summary) == ("1:30", "012", ".nan")
    assert sidecar.tags == ("yes", "2022")
    assert (sidecar.notes[0].anchor.quote, sidecar.notes[0].text) == ("012", "ON")
    assert sidecar.date == dt.date(2022, 9, 15)
    assert [term.key for term in content.glossary] == ["ON", "On"]
    out = tmp_path / "out"
    build(site, out, BuildOptions())
    page = (out / "a" / "index.html").read_text()
    assert "<title>1:30 · 1:30 Briefing</title>" in page
    assert '<mark class="noted" id="ref-1">012</mark>' in page
    assert (out / "tags" / "yes" / "index.html").is_file()
