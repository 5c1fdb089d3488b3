"""The whole pipeline on real files: pages, links, backlinks, prefixes, safety, atomicity."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from briefgen.build.pipeline import BuildOptions, build
from briefgen.errors import BuildFailed
from tests.conftest import MakeSite, read_tree, write_tree
from tests.golden import check_golden

REPO = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).parent / "golden" / "demo"
GOLDEN_PAGES = (
    "index.html",
    "putin-xi-samarkand/index.html",
    "kharkiv-counteroffensive/index.html",
    "kharkiv-counteroffensive/annotations.jsonld",
    "no-limits-partnership/index.html",
    "sco-expansion-iran/index.html",
    "glossary/index.html",
    "tags/sco/index.html",
    "feed.xml",
    "sitemap.xml",
    "robots.txt",
    "404.html",
)

LINKED = {
    "content/glossary.yaml": """\
        SCO:
          name: Shanghai Cooperation Organisation
          definition: A Eurasian security organisation.
        Belt and Road:
          aliases: [Belt and Road Initiative]
          definition: China's infrastructure programme.
          see: [SCO]
        """,
    "content/summit.md": """\
        # Leaders meet at the SCO summit

        Xi spoke of the *Belt and Road Initiative* and the
        counteroffensive in Kharkiv, then left Moscow's delegation.
        """,
    "content/summit.yaml": """\
        date: 2022-09-15
        tags: [China, sco]
        summary: Xi and Putin *meet*.
        links:
          - {quote: counteroffensive in Kharkiv, to: kharkiv}
        related: [beijing]
        """,
    "content/kharkiv.txt": "Ukraine's counteroffensive\n\nUkraine retook Izium.\n",
    "content/kharkiv.yaml": "date: 2022-09-12\ntags: [ukraine]\n",
    "content/beijing.md": "# The Beijing statement\n\nNo limits, said the SCO partners.\n",
    "content/beijing.yaml": "date: 2022-02-04\ntags: [china]\n",
}


def page(out: Path, path: str) -> str:
    return (out / path).read_text(encoding="utf-8")


@pytest.fixture
def linked(make_site: MakeSite, tmp_path: Path) -> Path:
    """The linked mini-site, built; returns the output folder."""
    out = tmp_path / "out"
    build(make_site(LINKED), out, BuildOptions())
    return out


def test_every_page_is_written(linked: Path) -> None:
    files = sorted(read_tree(linked))
    assert [f for f in files if not f.startswith(("pagefind/", "static/", "assets/"))] == [
        ".briefgen-build",
        "404.html",
        "beijing/annotations.jsonld",
        "beijing/index.html",
        "feed.json",
        "feed.xml",
        "glossary/belt-and-road/feed.xml",
        "glossary/index.html",
        "glossary/sco/feed.xml",
        "index.html",
        "kharkiv/annotations.jsonld",
        "kharkiv/index.html",
        "robots.txt",
        "search/index.html",
        "sitemap.xml",
        "summit/annotations.jsonld",
        "summit/index.html",
        "tags/china/feed.xml",
        "tags/china/index.html",
        "tags/index.html",
        "tags/sco/feed.xml",
        "tags/sco/index.html",
        "tags/ukraine/feed.xml",
        "tags/ukraine/index.html",
    ]
    # stylesheets and scripts under content-hashed names, other static files as they are
    static = [re.sub(r"\.[0-9a-f]{10}\.", ".<hash>.", f) for f in files if "/" in f]
    assert [f for f in static if f.startswith(("static/", "assets/"))] == [
        "assets/briefgen.<hash>.js",
        "assets/search.<hash>.js",
        "assets/style.<hash>.css",
        "static/favicon.svg",
    ]
    # the search index: Pagefind's entry point and scripts, the index and its fragments
    assert {"pagefind/pagefind-entry.json", "pagefind/pagefind.js"} <= set(files)
    assert any(f.startswith("pagefind/fragment/") for f in files)


def test_phrase_links_related_and_backlinks(linked: Path) -> None:
    summit = page(linked, "summit/index.html")
    assert (
        '<a class="xref" href="/briefing/kharkiv/" aria-describedby="preview-1">'
        "counteroffensive in Kharkiv</a>"
    ) in summit
    assert '<a class="ref-title" href="/briefing/beijing/">The Beijing statement</a>' in summit
    kharkiv = page(linked, "kharkiv/index.html")
    listed = kharkiv.split('id="related-heading"')[1]
    assert (
        '<a class="ref-title" href="/briefing/summit/">Leaders meet at the SCO summit</a>' in listed
    )
    assert '<span class="ref-label">Refers to this briefing</span>' in listed
    beijing = page(linked, "beijing/index.html")
    assert (
        '<a class="ref-title" href="/briefing/summit/">' in beijing.split('id="related-heading"')[1]
    )
    assert "Refers to this briefing" not in page(linked, "summit/index.html")
    assert '<span class="ref-label">Related</span>' in summit


def test_titles_come_from_the_first_heading_or_line(linked: Path) -> None:
    kharkiv = page(linked, "kharkiv/index.html")
    assert "<title>Ukraine&#39;s counteroffensive · Test Briefing</title>" in kharkiv
    body = kharkiv.split('class="article-body"')[1]
    assert "Ukraine's counteroffensive" not in body
    assert "<p>Ukraine retook Izium.</p>" in body


def test_terms_marked_once_with_longest_match_and_glossary_usage(linked: Path) -> None:
    summit = page(linked, "summit/index.html").split('class="article-body"')[1]
    assert summit.count('class="term-link"') == 1  # SCO is only in the title
    assert 'href="/briefing/glossary/#belt-and-road"' in summit
    assert "><em>Belt and Road Initiative</em></a>" in summit
    assert "Moscow" in summit and "#sco" not in summit
    glossary = page(linked, "glossary/index.html")
    sco = glossary.split('id="sco"')[1].split("</section>")[0]
    assert "The Beijing statement" in sco  # mentioned there
    assert "Leaders meet at the SCO summit" not in sco  # only its title says SCO


def test_base_url_prefix_is_honoured_everywhere(linked: Path) -> None:
    for path, text in read_tree(linked).items():
        if not path.endswith((".html", ".xml")):
            continue
        html = text.decode()
        for url in re.findall(r'(?:href|src)="([^"]+)"', html):
            assert url.startswith(("/briefing/", "https://", "#", "mailto:")), (path, url)
    feed = page(linked, "feed.xml")
    assert "<id>https://example.org/briefing/summit/</id>" in feed
    assert "<loc>https://example.org/briefing/kharkiv/</loc>" in page(linked, "sitemap.xml")


def test_a_site_without_search_has_no_search_page_field_or_index(
    make_site: MakeSite, tmp_path: Path
) -> None:
    site = make_site(LINKED)
    config = site / "site.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "search: false\n", encoding="utf-8")
    build(site, tmp_path / "out", BuildOptions())
    files = read_tree(tmp_path / "out")
    assert not [p for p in files if p.startswith(("pagefind/", "search/"))]
    assert "site-search" not in page(tmp_path / "out", "summit/index.html")
    build(make_site(LINKED), tmp_path / "with", BuildOptions())
    assert "site-search" in page(tmp_path / "with", "summit/index.html")


def test_base_url_override_moves_every_link(make_site: MakeSite, tmp_path: Path) -> None:
    out = tmp_path / "root"
    build(make_site(LINKED), out, BuildOptions(base_url="http://127.0.0.1:8000/"))
    assert '<a class="xref" href="/kharkiv/"' in page(out, "summit/index.html")
    texts = [t.decode() for p, t in read_tree(out).items() if not p.startswith("pagefind/")]
    assert "/briefing/" not in "".join(texts)


def test_two_builds_are_byte_identical(make_site: MakeSite, tmp_path: Path) -> None:
    site = make_site(LINKED)
    build(site, tmp_path / "a", BuildOptions())
    build(site, tmp_path / "b", BuildOptions())
    assert read_tree(tmp_path / "a") == read_tree(tmp_path / "b")


HOSTILE = {
    "content/glossary.yaml": """\
        SCO:
          name: "<b>Shanghai</b>"
          definition: "<script>alert('def')</script> and <img src=x onerror=alert(1)>"
        """,
    "content/evil.md": """\
        # <script>alert('h1')</script>

        Raw <script>alert('body')</script> and <b>bold</b> in the SCO text.

        [click](javascript:alert(1)) and <a href="javascript:alert(2)">a</a>
        """,
    "content/evil.yaml": """\
        date: 2022-01-01
        title: "<script>alert('title')</script>"
        summary: "<img src=x onerror=alert('summary')>"
        notes:
          - quote: bold
            text: "<script>alert('note')</script> [x](javascript:alert(3))"
        """,
    "content/plain.txt": "Plain <script>alert('txt')</script> &amp; *stars*\n",
    "content/plain.yaml": "date: 2022-01-02\ntitle: Plain\n",
}


def test_raw_html_is_never_passed_through(make_site: MakeSite, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(make_site(HOSTILE), out, BuildOptions())
    for path, data in read_tree(out).items():
        text = data.decode(errors="replace")
        if path.startswith("static/"):
            continue
        assert "<script>alert" not in text, path
        assert "<img src=x" not in text, path
        assert "<b>Shanghai" not in text and "<b>bold" not in text, path
        assert 'href="javascript:' not in text.lower(), path
    evil = page(out, "evil/index.html")
    assert "&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt;" in evil
    assert "Raw &lt;script&gt;alert('body')&lt;/script&gt; and" in evil
    assert "&lt;script&gt;alert('note')&lt;/script&gt;" in evil
    plain = page(out, "plain/index.html")
    assert "<p>Plain &lt;script&gt;alert('txt')&lt;/script&gt; &amp;amp; *stars*</p>" in plain


def test_failed_build_leaves_previous_output_identical(make_site: MakeSite, tmp_path: Path) -> None:
    site = make_site(LINKED)
    out = tmp_path / "out"
    build(site, out, BuildOptions())
    before = read_tree(out)
    stamps = {p: p.stat().st_mtime_ns for p in out.rglob("*")}
    (site / "content/summit.yaml").write_text("date: 2022-09-15\nrelated: [nowhere]\n")
    with pytest.raises(BuildFailed):
        build(site, out, BuildOptions())
    assert read_tree(out) == before
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*")} == stamps
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "site"]


def test_layout_override_and_block_extension(make_site: MakeSite, tmp_path: Path) -> None:
    files = dict(LINKED)
    files["layouts/tags.html"] = "<p>{{ tags | length }} tags</p>\n"
    files["layouts/article.html"] = """\
        {% extends "default/article.html" %}
        {% block headline %}<h1 class="mine">{{ article.title | upper }}</h1>{% endblock %}
        """
    out = tmp_path / "out"
    build(make_site(files), out, BuildOptions())
    assert page(out, "tags/index.html") == "<p>3 tags</p>\n"
    kharkiv = page(out, "kharkiv/index.html")
    assert '<h1 class="mine">UKRAINE&#39;S COUNTEROFFENSIVE</h1>' in kharkiv
    assert "<p>Ukraine retook Izium.</p>" in kharkiv  # the rest of the default is kept


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "briefgen", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        check=False,
    )


def test_cli_reports_all_problems_located_without_traceback(make_site: MakeSite) -> None:
    files = dict(LINKED)
    files["content/summit.yaml"] = """\
        date: 2022-09-15
        notes:
          - quote: Belt and Road Initiatives
            text: Launched in 2013.
        links:
          - {quote: counteroffensive in Kharkiv, to: kharkov}
        related: [beijng]
        """
    files["layouts/tags.html"] = "{% for t in tags %}\n"
    site = make_site(files)
    result = run_cli("build", "--site", str(site))
    assert result.returncode == 1
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [
        "content/summit.yaml:3:12: error[ANC001]: quote not found in content/summit.md: "
        '"Belt and Road Initiatives"; fix: closest text is "Belt and Road Initiative" at '
        "content/summit.md:3:18 (similarity 0.96); update the quote",
        " 3 |   - quote: Belt and Road Initiatives",
        "   |            ^",
        "content/summit.yaml:6:46: error[LNK001]: link to unknown article 'kharkov'; "
        "fix: did you mean 'kharkiv'?",
        " 6 |   - {quote: counteroffensive in Kharkiv, to: kharkov}",
        "   | " + " " * 45 + "^",
        "content/summit.yaml:7:11: error[LNK002]: related to unknown article 'beijng'; "
        "fix: did you mean 'beijing'?",
        " 7 | related: [beijng]",
        "   |           ^",
        "layouts/tags.html:1:1: error[TPL001]: template syntax error: Unexpected end of "
        "template. Jinja was looking for the following tags: 'endfor' or 'else'. The innermost "
        "block that needs to be closed is 'for'.; fix: check the {% %} and {{ }} tags on this line",
        "Found 4 problems.",
    ]
    assert not (site / "build").exists()


def test_cli_template_errors_are_located(make_site: MakeSite) -> None:
    files = dict(LINKED)
    files["layouts/tags.html"] = "<ul>\n{% for t in tags %}\n<li>{{ t.name }</li>\n"
    files["layouts/tag.html"] = "<p>\n{{ tag.nmae }}\n</p>\n"
    result = run_cli("build", "--site", str(make_site(files)))
    assert result.returncode == 1
    assert [line for line in result.stderr.splitlines() if "error[" in line] == [
        "layouts/tag.html:2:1: error[TPL002]: undefined variable: "
        "'briefgen.site.views.TagView object' has no attribute 'nmae'; "
        "fix: check the name, or guard it with {% if ... is defined %}",
        "layouts/tags.html:3:1: error[TPL001]: template syntax error: unexpected '}'; "
        "fix: check the {% %} and {{ }} tags on this line",
    ]


def test_cli_config_errors_exit_2_and_do_not_hide_the_others(
    make_site: MakeSite, tmp_path: Path
) -> None:
    files = {**LINKED, "site.yaml": "title: X\nbase_url: 1\n"}
    files["content/summit.yaml"] = "date: 2022-09-15\nrelated: [beijng]\n"
    files["layouts/tags.html"] = "{% for t in tags %}\n"
    result = run_cli("build", "--site", str(make_site(files)))
    assert result.returncode == 2
    assert [line for line in result.stderr.splitlines() if "error[" in line] == [
        "content/summit.yaml:2:11: error[LNK002]: related to unknown article 'beijng'; "
        "fix: did you mean 'beijing'?",
        "layouts/tags.html:1:1: error[TPL001]: template syntax error: Unexpected end of "
        "template. Jinja was looking for the following tags: 'endfor' or 'else'. The innermost "
        "block that needs to be closed is 'for'.; fix: check the {% %} and {{ }} tags on this line",
        "site.yaml:2:11: error[CFG003]: 'base_url' must be a URL such as "
        "https://example.org/briefing/; fix: for example base_url: https://example.org/briefing/",
    ]
    broken_yaml = {"site.yaml": "title: [X\nbase_url: https://x/\n", "content/a.txt": "A\n"}
    result = run_cli("build", "--site", str(write_tree(tmp_path / "other", broken_yaml)))
    assert result.returncode == 2
    assert [line for line in result.stderr.splitlines() if "error[" in line] == [
        "content/a.txt: error[CNT005]: content/a.txt has no sidecar; "
        "fix: create content/a.yaml with at least 'date: YYYY-MM-DD'",
        "site.yaml:1:8: error[YAML001]: invalid YAML: the '[' opened here is never closed "
        "(the parser gave up at 2:9: did not find expected ',' or ']'); fix: close it with ']'",
    ]


def test_a_sidecar_that_fails_to_load_makes_no_cascade(make_site: MakeSite, tmp_path: Path) -> None:
    files = {**LINKED, "content/kharkiv.yaml": "date: 2022-09-12\ntags: [ukraine\n"}
    files["content/beijing.yaml"] = "date: 2022-02-04\ndraft: true\n"
    with pytest.raises(BuildFailed) as caught:
        build(make_site(files), tmp_path / "out", BuildOptions())
    assert [d.headline() for d in caught.value.diagnostics] == [
        "content/kharkiv.yaml:2:7: error[YAML001]: invalid YAML: the '[' opened here is never "
        "closed (the parser gave up at 3:1: did not find expected ',' or ']'); "
        "fix: close it with ']'",
        "content/summit.yaml:6:11: error[LNK003]: related to 'beijing', a draft: drafts are "
        "built only with --drafts; fix: build with --drafts, or remove it from related until "
        "'beijing' is published",
    ]
    files["content/kharkiv.yaml"] = "date: 2022-09-12\ndraft: true\n"
    with pytest.raises(BuildFailed) as caught:
        build(make_site(files), tmp_path / "out", BuildOptions())
    assert caught.value.diagnostics[0].headline() == (
        "content/summit.yaml:5:46: error[LNK003]: link to 'kharkiv', a draft: drafts are built "
        "only with --drafts; fix: build with --drafts, or remove the link until 'kharkiv' is "
        "published"
    )
    build(make_site(files), tmp_path / "out", BuildOptions(drafts=True))


def test_cli_summary_line_and_version(make_site: MakeSite, tmp_path: Path) -> None:
    result = run_cli("build", "--site", str(make_site(LINKED)), "-o", str(tmp_path / "o"))
    assert result.returncode == 0, result.stderr
    assert re.fullmatch(
        r"built 20 pages \(3 articles, 0 notes, 2 terms marked, 1 phrase links\) in \d+ ms; "
        r"output in .*/o\n",
        result.stdout,
    )
    assert run_cli("--version").stdout == "briefgen 0.1.0\n"


def test_demo_site_golden_pages(tmp_path: Path) -> None:
    out = tmp_path / "demo"
    build(REPO, out, BuildOptions())
    for rel in GOLDEN_PAGES:
        check_golden(GOLDEN / rel, page(out, rel))


def test_warnings_print_and_fail_only_with_strict(make_site: MakeSite, tmp_path: Path) -> None:
    files = dict(LINKED)
    files["content/glossary.yaml"] += "Kremlin: The seat of the Russian presidency.\n"
    files["content/kharkiv.yaml"] = "date: 2022-09-12\nsummary: Ukraine retakes Izium.\n"
    site = make_site(files)
    result = run_cli("build", "--site", str(site), "-q")
    assert result.returncode == 0
    assert result.stdout == ""
    warnings = [line for line in result.stderr.splitlines() if "warning[" in line]
    assert warnings == [
        "content/beijing.yaml:1:1: warning[SC006]: beijing has no summary; "
        "fix: add 'summary: ...': the front page, feed and search show it",
        "content/glossary.yaml:8:1: warning[TRM005]: term 'Kremlin' is not mentioned in any "
        "article; fix: remove it, or add an alias that the articles use",
    ]
    strict = run_cli("build", "--site", str(site), "--strict")
    assert strict.returncode == 1
    assert strict.stderr.splitlines()[-1] == "Found 2 problems."


def test_verbose_lists_every_file(make_site: MakeSite, tmp_path: Path) -> None:
    result = run_cli("build", "--site", str(make_site(LINKED)), "-o", str(tmp_path / "o"), "-v")
    assert result.stdout.splitlines()[:3] == [
        "wrote index.html",
        "wrote summit/index.html",
        "wrote kharkiv/index.html",
    ]


def test_front_page_and_tags_are_paginated(make_site: MakeSite, tmp_path: Path) -> None:
    files = {"site.yaml": "title: T\nbase_url: https://example.org/b/\npaginate: 2\n"}
    for day in range(1, 6):
        files[f"content/day-{day}.md"] = f"# Day {day}\n\nText.\n"
        files[f"content/day-{day}.yaml"] = f"date: 2022-09-0{day}\ntags: [war]\n"
    out = tmp_path / "out"
    build(make_site(files), out, BuildOptions())
    pages = sorted(p for p in read_tree(out) if "index.html" in p and "day-" not in p)
    assert pages == [
        "glossary/index.html", "index.html", "page/2/index.html", "page/3/index.html",
        "search/index.html", "tags/index.html", "tags/war/index.html", "tags/war/page/2/index.html",
        "tags/war/page/3/index.html",
    ]  # fmt: skip
    second = page(out, "page/2/index.html")
    assert re.findall(r'brief-title"><a href="/b/(day-\d)/', second) == ["day-3", "day-2"]
    assert '<a class="pager-prev" href="/b/" rel="prev">Newer</a>' in second
    assert '<a class="pager-next" href="/b/page/3/" rel="next">Older</a>' in second
    assert "<title>T, page 2</title>" in second
    assert '<p class="page-intro">5 briefings · <a class="feed-link"' in page(
        out, "tags/war/page/3/index.html"
    )


def test_cli_import_on_the_demo_finds_its_seed_already_imported() -> None:
    result = run_cli("import", "--site", str(REPO), str(REPO / "seeds"), "--dry-run")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == (
        "dry run, nothing written: 0 seeds imported, 1 already imported"
    )


def test_root_files_are_published_at_the_top(make_site: MakeSite, tmp_path: Path) -> None:
    site = make_site(
        {
            **LINKED,
            "root/CNAME": "briefing.example.org\n",
            "root/.nojekyll": "",
            "root/.well-known/security.txt": "Contact: mailto:desk@example.org\n",
            "root/.DS_Store": "an editor's leftover\n",
        }
    )
    out = tmp_path / "out"
    build(site, out, BuildOptions())
    files = read_tree(out)
    assert files["CNAME"] == b"briefing.example.org\n"
    assert files[".nojekyll"] == b""
    assert files[".well-known/security.txt"] == b"Contact: mailto:desk@example.org\n"
    assert ".DS_Store" not in files
    (site / "root" / "index.html").write_text("<p>mine</p>\n")
    with pytest.raises(BuildFailed) as caught:
        build(site, out, BuildOptions())
    assert [d.headline() for d in caught.value.diagnostics] == [
        "root/index.html: error[OUT001]: output path 'index.html' is written twice, by "
        "index.html and by root/index.html; fix: give one of them another slug or output path"
    ]
