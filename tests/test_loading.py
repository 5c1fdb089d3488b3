"""Loading site.yaml, articles, sidecars and the glossary: values, positions, problems."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from briefgen.errors import ConfigError, Diagnostic, Location
from briefgen.model import Anchor, Note, SourceRef
from briefgen.source.config import MarkdownOptions, load_config
from briefgen.source.content import load_content
from briefgen.source.yamlio import load_yaml
from briefgen.urls import UrlScheme, make_url_scheme
from tests.conftest import SITE_YAML, MakeSite


def headlines(diagnostics: list[Diagnostic]) -> list[str]:
    return [d.headline() for d in diagnostics]


def test_yaml_positions_of_values_and_keys() -> None:
    doc, problems = load_yaml("x.yaml", "a: 1\nnotes:\n  - quote: here\n    text: t\n")
    assert problems == []
    assert doc is not None
    assert doc.loc("notes", 0, "quote") == Location("x.yaml", 3, 12)
    assert doc.key_loc("notes", 0, "text") == Location("x.yaml", 4, 5)
    assert doc.loc("notes", 0, "missing") == Location("x.yaml", 3, 5)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a: [1\n", "x.yaml:1:4: error[YAML001]: invalid YAML: the '[' opened here is never "
         "closed (the parser gave up at 2:1: did not find expected ',' or ']')"),
        ("a: 1\nb: 2\ntags: [a, b\nc: 3\n", "x.yaml:3:7: error[YAML001]: invalid YAML: the '[' "
         "opened here is never closed (the parser gave up at 4:2: did not find expected ',' or "
         "']'); fix: close it with ']'"),
        ("a: {x: 1\n\nb: 2\n", "x.yaml:1:4: error[YAML001]: invalid YAML: the '{' opened here "
         "is never closed (the parser gave up at 3:2: did not find expected ',' or '}'); "
         "fix: close it with '}'"),
        ("a: 'it\n\nb: c\n", "x.yaml:1:4: error[YAML001]: invalid YAML: the quote opened here is "
         "never closed (the parser gave up at 4:1: found unexpected end of stream)"),
        ("a: [x, y: z: w]\n", "x.yaml:1:12: error[YAML001]: invalid YAML: did not find expected "
         "',' or ']', in the '[' opened at 1:4; fix: put an item that holds ': ', ',' or a "
         "bracket in quotes"),
        ("a: b: c\n", "x.yaml:1:5: error[YAML001]: invalid YAML: mapping values are not allowed"),
        ("a: 1\na: 2\n", "x.yaml:2:1: error[YAML002]: duplicate key 'a' (first at line 1)"),
    ],
)  # fmt: skip
def test_yaml_problems_are_located(text: str, expected: str) -> None:
    _, problems = load_yaml("x.yaml", text)
    assert problems[0].headline().startswith(expected)


def test_yaml_is_loaded_safely() -> None:
    doc, problems = load_yaml("x.yaml", "a: !!python/object/apply:os.system ['true']\n")
    assert doc is None
    assert problems[0].code == "YAML001"


def test_config_defaults(make_site: MakeSite) -> None:
    config = load_config(make_site({}))
    assert config.title == "Test Briefing"
    urls = UrlScheme(config.base_url)
    assert urls.prefix == "/briefing/"
    assert urls.href("kharkiv/") == "/briefing/kharkiv/"
    assert urls.abs_url("feed.xml") == "https://example.org/briefing/feed.xml"
    assert (config.language, config.theme, config.term_link) == ("en", "default", "first")


def test_config_reports_every_problem_at_once(make_site: MakeSite) -> None:
    site = make_site(
        {"site.yaml": "title: ''\nbase_url: ftp://x\nlangauge: en\nterms: {link: most}\n"}
    )
    with pytest.raises(ConfigError) as info:
        load_config(site)
    assert info.value.exit_code == 2
    assert headlines(info.value.diagnostics) == [
        "site.yaml:1:8: error[CFG003]: 'title' must be a non-empty string; "
        "fix: for example title: World Briefing",
        "site.yaml:2:11: error[CFG003]: 'base_url' must be an absolute http(s) URL such as "
        "https://example.org/briefing/; fix: for example base_url: https://example.org/briefing/",
        "site.yaml:3:1: error[CFG001]: unknown key 'langauge'; fix: did you mean 'language'?",
        "site.yaml:4:15: error[CFG003]: 'terms.link' must be one of: first, all, none; "
        "fix: for example link: first",
    ]


def test_config_markdown_switches(make_site: MakeSite) -> None:
    assert load_config(make_site({})).markdown == MarkdownOptions(
        tables=True, strikethrough=True, footnotes=True, heading_anchors=True, typographer=False
    )
    yaml = SITE_YAML + "markdown:\n  footnotes: false\n  typographer: true\n"
    config = load_config(make_site({"site.yaml": yaml}))
    assert (config.markdown.footnotes, config.markdown.typographer) == (False, True)
    assert config.markdown.tables


def test_config_markdown_problems_are_located(make_site: MakeSite) -> None:
    yaml = SITE_YAML + "markdown:\n  footnote: true\n  tables: yes please\n  typographer: 1\n"
    with pytest.raises(ConfigError) as info:
        load_config(make_site({"site.yaml": yaml}))
    assert headlines(info.value.diagnostics) == [
        "site.yaml:4:3: error[CFG001]: unknown key 'markdown.footnote'; "
        "fix: did you mean 'footnotes'?",
        "site.yaml:5:11: error[CFG003]: 'markdown.tables' must be true or false; "
        "fix: for example tables: true",
        "site.yaml:6:16: error[CFG003]: 'markdown.typographer' must be true or false; "
        "fix: for example typographer: false",
    ]
    with pytest.raises(ConfigError) as info:
        load_config(make_site({"site.yaml": SITE_YAML + "markdown: [tables]\n"}))
    assert headlines(info.value.diagnostics) == [
        "site.yaml:3:11: error[CFG003]: 'markdown' must be a mapping; "
        "fix: for example markdown: {footnotes: true}"
    ]


def test_config_missing_required_and_missing_file(make_site: MakeSite, tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as info:
        load_config(make_site({"site.yaml": "title: X\n"}))
    assert headlines(info.value.diagnostics) == [
        "site.yaml:1:1: error[CFG002]: missing required key 'base_url'; "
        "fix: add a line 'base_url: https://example.org/briefing/'"
    ]
    with pytest.raises(ConfigError) as info:
        load_config(tmp_path / "nowhere")
    assert info.value.diagnostics[0].code == "CFG004"


ARTICLE_SITE = {
    "content/world/putin-xi.txt": "Putin met Xi.\n\nThey talked.\n",
    "content/world/putin-xi.yaml": """\
        title: Putin meets Xi
        date: 2022-09-15
        source: {name: CNN, url: https://edition.cnn.com/}
        tags: [russia, China]
        notes:
          - quote: They talked
            text: At the SCO summit.
            sources:
              - {title: SCO, url: https://en.wikipedia.org/wiki/SCO}
        related: [other]
        """,
    "content/glossary.yaml": """\
        SCO:
          name: Shanghai Cooperation Organisation
          aliases: [Shanghai Cooperation Organization]
          definition: A Eurasian security organisation.
        Kremlin: The seat of the Russian government.
        """,
    "content/draft-piece.md": "# Draft\n",
    "content/draft-piece.yaml": "draft: true\n",
}


def test_articles_sidecars_and_glossary_load(make_site: MakeSite) -> None:
    site = make_site(ARTICLE_SITE)
    content, reporter = load_content(site, load_config(site), drafts=False)
    assert reporter.diagnostics == []
    [article] = content.articles
    assert (article.slug, article.path, article.kind) == (
        "putin-xi",
        "content/world/putin-xi.txt",
        "txt",
    )
    assert article.body == "Putin met Xi.\n\nThey talked.\n"
    assert article.sidecar.date == dt.date(2022, 9, 15)
    assert article.sidecar.source == SourceRef("CNN", "https://edition.cnn.com/")
    assert article.sidecar.tags == ("russia", "China")
    assert article.sidecar.notes == (
        Note(
            Anchor("They talked", Location("content/world/putin-xi.yaml", 6, 12)),
            "At the SCO summit.",
            (SourceRef("SCO", "https://en.wikipedia.org/wiki/SCO"),),
        ),
    )
    assert article.sidecar.related == (("other", Location("content/world/putin-xi.yaml", 10, 11)),)
    urls = make_url_scheme(load_config(site).base_url, content)
    assert [(t.key, urls.term_id(t.ident), t.name) for t in content.glossary] == [
        ("SCO", "sco", "Shanghai Cooperation Organisation"),
        ("Kremlin", "kremlin", "Kremlin"),
    ]
    assert content.glossary[0].spellings == (
        "SCO",
        "Shanghai Cooperation Organisation",
        "Shanghai Cooperation Organization",
    )
    drafts, _ = load_content(site, load_config(site), drafts=True)
    assert [a.slug for a in drafts.articles] == ["draft-piece", "putin-xi"]


def test_content_problems_are_all_reported(make_site: MakeSite) -> None:
    site = make_site(
        {
            "content/Bad_Name.md": "x\n",
            "content/a/dup.md": "x\n",
            "content/a/dup.yaml": "date: 2022-01-01\n",
            "content/b/dup.txt": "x\n",
            "content/orphan.yaml": "date: 2022-01-01\n",
            "content/nodate.md": "x\n",
            "content/nodate.yaml": (
                "titel: X\ntags: {a: 1}\nnotes:\n  - quote: x\n    occurrence: 0\n"
            ),
            "content/nosidecar.md": "x\n",
            "content/glossary.yaml": "SCO:\n  definition: x\n  see: [Kremln]\nKremlin: y\n",
        }
    )
    _, reporter = load_content(site, load_config(site), drafts=False)
    assert sorted(headlines(reporter.diagnostics)) == [
        "content/Bad_Name.md: error[CNT002]: 'Bad_Name.md' does not give a valid slug; "
        "fix: rename it to bad-name.md: lowercase letters, digits and hyphens",
        "content/b/dup.txt: error[CNT001]: slug 'dup' is used by both content/a/dup.md and "
        "content/b/dup.txt; fix: rename one of the two files; slugs are unique across content/",
        "content/glossary.yaml:3:9: error[TRM002]: see-also names an unknown term 'Kremln'; "
        "fix: did you mean 'Kremlin'?",
        "content/nodate.yaml:1:1: error[SC001]: unknown key 'titel' in sidecar; "
        "fix: did you mean 'title'?",
        "content/nodate.yaml:1:1: error[SC003]: missing 'date'; "
        "fix: add 'date: YYYY-MM-DD' (or 'draft: true' while it is unfinished)",
        "content/nodate.yaml:2:7: error[SC002]: 'tags' must be a list of strings; "
        "fix: write it as tags: [a, b]",
        "content/nodate.yaml:4:5: error[SC003]: missing 'text'; fix: add 'text: ...'",
        "content/nodate.yaml:5:17: error[SC002]: 'occurrence' must be a whole number from 1; "
        "fix: write occurrence: 2",
        "content/nosidecar.md: error[CNT005]: content/nosidecar.md has no sidecar; "
        "fix: create content/nosidecar.yaml with at least 'date: YYYY-MM-DD'",
        "content/orphan.yaml: error[CNT003]: sidecar content/orphan.yaml has no article; "
        "fix: add orphan.md or orphan.txt beside it, or remove it",
    ]


def test_invalid_utf8_is_located(make_site: MakeSite) -> None:
    site = make_site({"content/a.yaml": "date: 2022-01-01\n"})
    (site / "content/a.txt").write_bytes(b"ok\nbad \x93quote\x94\n")
    _, reporter = load_content(site, load_config(site), drafts=False)
    assert headlines(reporter.diagnostics) == [
        "content/a.txt:2:5: error[CNT004]: content/a.txt is not valid UTF-8 (byte 0x93); "
        "fix: save the file as UTF-8"
    ]


def test_unsafe_urls_are_refused(make_site: MakeSite) -> None:
    site = make_site(
        {
            "content/a.txt": "x\n",
            "content/a.yaml": "date: 2022-01-01\nsource: {name: X, url: 'javascript:alert(1)'}\n",
        }
    )
    content, reporter = load_content(site, load_config(site), drafts=False)
    assert headlines(reporter.diagnostics) == [
        "content/a.yaml:2:24: error[URL001]: 'url' is not a web address: 'javascript:alert(1)'; "
        "fix: use an absolute http:// or https:// URL"
    ]
    assert content.articles[0].sidecar.source == SourceRef("X", None)


def test_impossible_dates_are_reported_not_crashed_on(make_site: MakeSite) -> None:
    site = make_site({"content/a.txt": "x\n", "content/a.yaml": "date: 2022-13-45\n"})
    _, reporter = load_content(site, load_config(site), drafts=False)
    assert headlines(reporter.diagnostics) == [
        "content/a.yaml:1:7: error[SC004]: 'date' is not a date: '2022-13-45'; "
        "fix: write it as YYYY-MM-DD"
    ]


def test_the_json_schema_of_site_yaml_gives_the_defaults_of_the_settings() -> None:
    from dataclasses import asdict

    from briefgen.schemas.editor import SCHEMAS
    from briefgen.source import config

    schema = SCHEMAS["site"].data()
    properties = schema["properties"]
    assert list(properties) == list(config.SITE.keys)
    markdown = properties["markdown"]["anyOf"][1]["properties"]
    assert {k: v["default"] for k, v in markdown.items()} == asdict(config.MarkdownOptions())
    defaults = config.SiteConfig(title="x", base_url="https://x/")
    for key in ("language", "description", "author", "theme", "glossary", "paginate"):
        assert properties[key]["default"] == getattr(defaults, key), key
    link = properties["terms"]["anyOf"][1]["properties"]["link"]
    assert link["anyOf"][1]["enum"] == list(config.TERM_LINK_POLICIES)
    assert schema["additionalProperties"] is False


def test_no_annotation_disappears_silently(make_site: MakeSite) -> None:
    site = make_site(
        {
            "content/a.txt": "Headline\n\nXi and Putin met at the summit.\n",
            "content/a.yaml": """\
                date: 2022-09-15
                notes:
                  - {quote: '', text: Empty quote.}
                  - {quote: '  ', text: Blank quote.}
                  - {quote: the summit, text: '', sources: [{}]}
                links:
                  - {quote: Xi, to: ''}
                """,
            "content/a.yml": "date: 2022-09-16\n",
            "content/glossary.yaml": "SCO:\n  aliases: ['']\n  definition: ''\n",
        }
    )
    _, reporter = load_content(site, load_config(site), drafts=False)
    assert sorted(headlines(reporter.diagnostics)) == [
        "content/a.yaml:3:13: error[SC007]: 'quote' is empty; "
        "fix: write the phrase, as readers see it in the article, or remove the entry",
        "content/a.yaml:4:13: error[SC007]: 'quote' is empty; "
        "fix: write the phrase, as readers see it in the article, or remove the entry",
        "content/a.yaml:5:31: error[SC007]: 'text' is empty; "
        "fix: write the note, in Markdown, or remove the entry",
        "content/a.yaml:5:45: error[SC007]: an entry of 'sources' is empty; "
        "fix: give it a title and a url, or remove it",
        "content/a.yaml:7:21: error[SC007]: 'to' is empty; "
        "fix: write the slug of the article it links to, or remove the entry",
        "content/a.yml: error[CNT012]: content/a.yaml and content/a.yml are both sidecars of a; "
        "fix: merge them into content/a.yaml and remove content/a.yml",
        "content/glossary.yaml:2:13: error[SC007]: an alias is empty; "
        "fix: write the alias, or remove it",
        "content/glossary.yaml:3:15: error[SC007]: 'definition' is empty; "
        "fix: write the definition, or remove the entry",
    ]
