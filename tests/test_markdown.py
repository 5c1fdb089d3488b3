"""Markdown rendering: CommonMark and plain text, titles, notes, phrase links, anchor errors.

Fixture files in tests/fixtures/markdown/ hold the cases, in the style of markdown-it-py's
test fixtures: a title line, then sections each ended by a line holding only ".":

- body_md.fixture, body_txt.fixture: article body (.md or .txt), expected HTML;
- annotated.fixture: sidecar YAML, article body, expected HTML;
- anchor_errors.fixture: sidecar YAML, article body, expected diagnostic headlines.

The sidecar is content/x.yaml (its title defaults to "Some other title"; the test-only
key ``kind: txt`` makes the article content/x.txt instead of content/x.md).
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator, Mapping
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from markdown_it import MarkdownIt
from markdown_it.token import Token

from briefgen.errors import Location
from briefgen.markdown.positions import positions_plugin
from briefgen.markdown.renderer import Rendered, Renderer
from briefgen.markdown.sidenotes import fill_previews
from briefgen.markdown.splice import Wrap, splice
from briefgen.markdown.textmap import TextMap, leaf_text
from briefgen.model import Anchor, Article, Note, PhraseLink, Sidecar, SourceRef, Term, TermKey
from briefgen.source.config import MarkdownOptions
from briefgen.source.yamlio import YamlDoc, load_yaml
from briefgen.urls import UrlScheme

FIXTURES = Path(__file__).parent / "fixtures" / "markdown"
SIDECAR = "content/x.yaml"
DEFAULT_TITLE = "Some other title"


# --- articles from sidecar text, and an HTML check ---------------------------------


def read_cases(name: str, sections: int) -> list[Any]:
    """The cases of a fixture file as pytest params: (section, ...) with an id."""
    lines = (FIXTURES / name).read_text(encoding="utf-8").splitlines()
    cases = []
    i = 0
    while i < len(lines):
        if not lines[i].strip():
            i += 1
            continue
        title, number = lines[i], i + 1
        assert lines[i + 1] == ".", f"{name}:{i + 2}: expected '.' after the title"
        i += 2
        parts = []
        for _ in range(sections):
            block = []
            while lines[i] != ".":
                block.append(lines[i])
                i += 1
            parts.append("\n".join(block) + "\n")
            i += 1
        cases.append(pytest.param(*parts, id=f"{name}:{number}: {title}"))
    return cases


def make_term(key: str, value: Mapping[str, Any], location: Location, **extra: Any) -> Term:
    """A Term from a glossary-shaped mapping entry."""
    return Term(
        key=key,
        name=value.get("name", ""),
        definition=value.get("definition", ""),
        location=location,
        aliases=tuple(value.get("aliases", ())),
        **extra,
    )


def glossary(text: str) -> tuple[Term, ...]:
    """Terms from glossary YAML text."""
    doc, problems = load_yaml("content/glossary.yaml", text)
    assert doc is not None and not problems, problems
    return tuple(make_term(k, v or {}, doc.key_loc(k)) for k, v in doc.data.items())


def _anchor(doc: YamlDoc, path: tuple[str, int], data: Mapping[str, Any]) -> Anchor:
    """The Anchor of a note or link entry, located at its quote (YAML keeps numbers as text)."""
    occurrence = data.get("occurrence")
    return Anchor(
        quote=data["quote"],
        location=doc.loc(*path, "quote"),
        prefix=data.get("prefix"),
        suffix=data.get("suffix"),
        occurrence=None if occurrence is None else int(occurrence),
    )


def make_article(sidecar: str, body: str) -> Article:
    """An Article at content/x.md (or .txt) with the sidecar given as YAML text."""
    doc, problems = load_yaml(SIDECAR, sidecar)
    assert doc is not None and not problems, problems
    data = doc.data or {}
    kind = data.get("kind", "md")
    notes = tuple(
        Note(
            _anchor(doc, ("notes", i), n),
            n.get("text", ""),
            tuple(SourceRef(s["title"], s.get("url")) for s in n.get("sources", ())),
        )
        for i, n in enumerate(data.get("notes", ()))
    )
    links = tuple(
        PhraseLink(_anchor(doc, ("links", i), link), link["to"], doc.loc("links", i, "to"))
        for i, link in enumerate(data.get("links", ()))
    )
    terms = tuple(
        make_term(k, v, doc.key_loc("terms", k), local_to="x")
        for k, v in (data.get("terms") or {}).items()
    )
    sidecar_model = Sidecar(
        path=SIDECAR,
        title=data.get("title", DEFAULT_TITLE),
        title_location=doc.loc("title"),
        date=None,
        notes=notes,
        links=links,
        terms=terms,
    )
    return Article(slug="x", path=f"content/x.{kind}", kind=kind, body=body, sidecar=sidecar_model)


class SlugIds(Mapping[TermKey, str]):
    """Every glossary entry's id is its key's slug, whoever defines it: /glossary/#sco."""

    def __getitem__(self, key: TermKey) -> str:
        return re.sub(r"[^a-z0-9]+", "-", key[1].lower()).strip("-")

    def __iter__(self) -> Iterator[TermKey]:
        return iter(())

    def __len__(self) -> int:
        return 0


# Every extension off: the fixtures that predate them show CommonMark as it always was.
PLAIN = MarkdownOptions(
    tables=False, strikethrough=False, footnotes=False, heading_anchors=False, typographer=False
)


def make_renderer(
    terms: tuple[Term, ...] = (), link: str = "first", markdown: MarkdownOptions = PLAIN
) -> Renderer:
    """A Renderer with simple URL schemes: /slug/ and /glossary/#id."""
    urls = UrlScheme("https://example.org/", SlugIds())
    return Renderer(terms, term_link=link, urls=urls, markdown=markdown)


VOID = frozenset({"br", "hr", "img", "input", "wbr"})
PHRASING_ONLY = frozenset(
    {"p", "h1", "h2", "h3", "h4", "h5", "h6", "span", "mark", "em", "strong", "a", "label"}
)
BLOCK = frozenset({"p", "div", "ul", "ol", "li", "blockquote", "pre", "table", "h1", "h2"})
INTERACTIVE = frozenset({"a", "label", "input", "button"})


class _Checker(HTMLParser):
    """Finds unbalanced tags, blocks in phrasing content, links in links, repeated ids."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.ids: set[str] = set()
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Check where an element opens."""
        if tag in BLOCK and PHRASING_ONLY.intersection(self.stack):
            self.problems.append(f"<{tag}> inside {self.stack}")
        if tag in INTERACTIVE and "a" in self.stack:
            self.problems.append(f"<{tag}> inside a link: {self.stack}")
        for name, value in attrs:
            if name == "id":
                if value in self.ids:
                    self.problems.append(f"id {value!r} repeated")
                self.ids.add(value or "")
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """A self-closing tag (``<img />``) must be a void element."""
        if tag not in VOID:
            self.problems.append(f"<{tag} /> is not a void element")
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        """Check that an element closes the one open last."""
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes {self.stack}")
        else:
            self.stack.pop()


def assert_well_formed(html: str) -> None:
    """Tags balance, blocks never sit in phrasing content, links never nest, ids are unique."""
    checker = _Checker()
    checker.feed(html)
    checker.close()
    assert not checker.problems, checker.problems
    assert not checker.stack, f"left open: {checker.stack}"


def render(sidecar: str, body: str, renderer: Renderer | None = None) -> Rendered:
    """Render an article given as sidecar YAML and body text; check its HTML."""
    rendered = (renderer or make_renderer()).render(make_article(sidecar, body))
    assert_well_formed(with_previews(rendered))
    assert_well_formed(rendered.feed_html)
    return rendered


def with_previews(rendered: Rendered) -> str:
    """The page HTML, each phrase link's preview card shown as "[preview N: slug]"."""
    return fill_previews(rendered.html, lambda n, slug: f"[preview {n}: {slug}]")


# --- fixtures -----------------------------------------------------------------------


@pytest.mark.parametrize(("body", "expected"), read_cases("body_md.fixture", 2))
def test_md_body(body: str, expected: str) -> None:
    rendered = render("kind: md\n", body)
    assert rendered.html == expected
    assert rendered.diagnostics == ()


@pytest.mark.parametrize(("body", "expected"), read_cases("body_txt.fixture", 2))
def test_txt_body(body: str, expected: str) -> None:
    rendered = render("kind: txt\n", body)
    assert rendered.html == expected
    assert rendered.diagnostics == ()


@pytest.mark.parametrize(("sidecar", "body", "expected"), read_cases("annotated.fixture", 3))
def test_annotated(sidecar: str, body: str, expected: str) -> None:
    rendered = render(sidecar, body)
    assert [d.headline() for d in rendered.diagnostics if d.code != "TRM006"] == []
    assert with_previews(rendered) == expected


@pytest.mark.parametrize(("sidecar", "body", "expected"), read_cases("anchor_errors.fixture", 3))
def test_anchor_errors(sidecar: str, body: str, expected: str) -> None:
    rendered = render(sidecar, body)
    assert [
        d.headline() for d in rendered.diagnostics if d.code != "TRM006"
    ] == expected.splitlines()


EXTENSIONS = make_renderer(
    glossary("SCO: {definition: The Shanghai Cooperation Organisation.}\n"),
    markdown=MarkdownOptions(),
)


@pytest.mark.parametrize(("sidecar", "body", "expected"), read_cases("extensions.fixture", 3))
def test_extensions(sidecar: str, body: str, expected: str) -> None:
    rendered = render(sidecar, body, EXTENSIONS)
    assert [d.headline() for d in rendered.diagnostics if d.code != "TRM006"] == []
    assert rendered.html == expected


@pytest.mark.parametrize(("sidecar", "body", "expected"), read_cases("extension_errors.fixture", 3))
def test_extension_anchor_errors(sidecar: str, body: str, expected: str) -> None:
    rendered = render(sidecar, body, EXTENSIONS)
    assert [
        d.headline() for d in rendered.diagnostics if d.code != "TRM006"
    ] == expected.splitlines()


def test_typographer_changes_what_readers_see_and_positions_follow() -> None:
    renderer = make_renderer(markdown=MarkdownOptions(typographer=True))
    body = 'He said "wait"... (c) 1990--1995 and "wait".\n'
    rendered = render("notes:\n  - {quote: '\u201cwait\u201d', text: N.}\n", body, renderer)
    assert (
        rendered.text
        == "He said \u201cwait\u201d\u2026 \u00a9 1990\u20131995 and \u201cwait\u201d."
    )
    assert [d.headline() for d in rendered.diagnostics] == [
        'content/x.yaml:2:13: error[ANC002]: quote "\u201cwait\u201d" occurs 2 times in '
        "content/x.md: at 1:9, 1:38; fix: add prefix, suffix or occurrence: N to choose one"
    ]


def test_every_switch_off_renders_as_commonmark_did() -> None:
    body = "| a | b |\n|---|---|\n| 1 | 2 |\n\n~~no~~ [^1]\n\n[^1]: x\n\n## Head\n"
    rendered = render("kind: md\n", body)
    assert rendered.html == MarkdownIt("commonmark", {"html": False}).render(body)


# --- titles -------------------------------------------------------------------------


def test_md_title_from_first_heading_when_the_sidecar_has_none() -> None:
    rendered = render('title: ""\n', "# Putin meets *Xi*\n\nThey talked.\n")
    assert rendered.heading == "Putin meets Xi"
    assert rendered.html == "<p>They talked.</p>\n"


def test_md_heading_equal_to_the_sidecar_title_is_removed() -> None:
    sidecar = "title: \"Putin admits China's 'questions' - and more\"\n"
    body = "# Putin admits China\u2019s \u2018questions\u2019 \u2014  and more\n\nText.\n"
    rendered = render(sidecar, body)
    assert rendered.heading == "Putin admits China\u2019s \u2018questions\u2019 \u2014 and more"
    assert rendered.html == "<p>Text.</p>\n"


def test_md_heading_that_differs_stays() -> None:
    rendered = render("title: Another\n", "# Putin meets Xi\n\nText.\n")
    assert rendered.heading is None
    assert rendered.html == "<h1>Putin meets Xi</h1>\n<p>Text.</p>\n"


def test_md_only_the_first_h1_is_considered() -> None:
    rendered = render('title: ""\n', "## Dateline\n\n# First\n\n# Second\n")
    assert rendered.heading == "First"
    assert rendered.html == "<h2>Dateline</h2>\n<h1>Second</h1>\n"


def test_txt_title_from_first_non_empty_line() -> None:
    rendered = render('title: ""\nkind: txt\n', "\n  Putin meets Xi  \nThey talked.\n\nMore.\n")
    assert rendered.heading == "Putin meets Xi"
    assert rendered.html == "<p>They talked.</p>\n<p>More.</p>\n"


def test_txt_first_line_equal_to_the_sidecar_title_is_removed() -> None:
    rendered = render("title: Putin meets Xi\nkind: txt\n", "Putin  meets Xi\n\nText.\n")
    assert rendered.heading == "Putin meets Xi"
    assert rendered.html == "<p>Text.</p>\n"


def test_txt_first_line_that_differs_stays() -> None:
    rendered = render("title: Another\nkind: txt\n", "Putin meets Xi\n\nText.\n")
    assert rendered.heading is None
    assert rendered.html == "<p>Putin meets Xi</p>\n<p>Text.</p>\n"


# --- normalisation cases that a fixture file would hide -------------------------------


NOTE_1 = (
    '<label class="note-num" for="note-toggle-1">1</label>'
    '<input type="checkbox" id="note-toggle-1" class="note-toggle" aria-label="Show note 1">'
    '<span class="sidenote is-inline" id="note-1" role="note"><span class="note-n">1.</span> '
    '<span class="note-p">Note.</span></span>'
)


def test_note_quote_with_spaces_matches_no_break_space() -> None:
    rendered = render(
        "notes:\n  - {quote: 10 km from Kharkiv, text: Note.}\n", "About 10\u00a0km from Kharkiv.\n"
    )
    assert rendered.html == (
        f'<p>About <mark class="noted" id="ref-1">10\u00a0km from Kharkiv</mark>{NOTE_1}.</p>\n'
    )


def test_note_quote_composed_matches_decomposed_text() -> None:
    rendered = render(
        "notes:\n  - {quote: Caf\u00e9 Pushkin, text: Note.}\n", "At Cafe\u0301 Pushkin.\n"
    )
    assert rendered.html == (
        f'<p>At <mark class="noted" id="ref-1">Cafe\u0301 Pushkin</mark>{NOTE_1}.</p>\n'
    )


# --- what the renderer reports ----------------------------------------------------------


def test_rendered_records_notes_links_and_reader_text() -> None:
    sidecar = """\
title: ""
notes:
  - {quote: the summit, text: "Held *yearly*.", sources: [{title: SCO}]}
  - {quote: Putin, text: Note.}
links:
  - {quote: Samarkand, to: samarkand}
  - {quote: Xi, to: xi-jinping}
  - {quote: Uzbekistan, to: samarkand}
"""
    body = (
        "# Putin meets Xi\n\nPutin met Xi at the summit in Samarkand, ![a photo](p.jpg)\n"
        "Uzbekistan.\n"
    )
    rendered = render(sidecar, body)
    assert [(n.number, n.note.anchor.quote) for n in rendered.notes] == [
        (1, "Putin"),
        (2, "the summit"),
    ]
    assert rendered.notes[1].html == '<span class="note-p">Held <em>yearly</em>.</span>'
    assert rendered.links == ("xi-jinping", "samarkand")
    assert rendered.heading == "Putin meets Xi"
    assert rendered.text == "Putin met Xi at the summit in Samarkand, \nUzbekistan."
    assert rendered.diagnostics == ()


def test_prefix_suffix_and_occurrence_choose_one() -> None:
    sidecar = """\
notes:
  - {quote: the summit, prefix: after, text: Note.}
  - {quote: the summit, occurrence: 1, text: Note.}
"""
    rendered = render(sidecar, "Before the summit, after the summit.\n")
    assert rendered.diagnostics == ()
    assert rendered.html.count('<mark class="noted"') == 2
    assert [n.note.anchor.prefix for n in rendered.notes] == [None, "after"]


def test_occurrence_below_one_is_out_of_range() -> None:
    sidecar = "notes:\n  - {quote: the summit, occurrence: 0, text: Note.}\n"
    rendered = render(sidecar, "Before the summit, after the summit.\n")
    assert [d.headline() for d in rendered.diagnostics] == [
        'content/x.yaml:2:13: error[ANC003]: occurrence 0 of "the summit" requested'
        " but it occurs 2 times in content/x.md; fix: use occurrence 1 to 2"
    ]


def test_same_input_gives_identical_output() -> None:
    sidecar = "notes:\n  - {quote: brown fox, text: Note.}\nlinks:\n  - {quote: lazy, to: dog}\n"
    body = "The *quick brown* fox jumps over the lazy dog.\n"
    terms = glossary("Fox: {definition: An animal.}\n")
    first = make_renderer(terms).render(make_article(sidecar, body))
    again = make_renderer(terms).render(make_article(sidecar, body))
    assert first == again
    assert first.html == make_renderer(terms).render(make_article(sidecar, body)).html


def test_render_inline_and_block_are_safe() -> None:
    renderer = make_renderer()
    assert renderer.render_inline("Why *it* <b>matters</b> [x](javascript:alert(1))") == (
        "Why <em>it</em> &lt;b&gt;matters&lt;/b&gt; [x](javascript:alert(1))"
    )
    assert renderer.render_block("A <div>term</div>.\n\nSee [BRI](https://example.org).") == (
        '<p>A &lt;div&gt;term&lt;/div&gt;.</p>\n<p>See <a href="https://example.org">BRI</a>.</p>\n'
    )


# --- the reader text and source positions -----------------------------------------------


def test_reader_text_and_positions() -> None:
    src = "# Title\n\n> Some *quoted* `code` ![alt](x.png)\n> here &amp; there\n\n- item one\n"
    tokens = MarkdownIt("commonmark").use(positions_plugin).parse(src)
    textmap = TextMap(tokens, src)
    assert textmap.text == "Title\n\nSome quoted code \nhere & there\n\nitem one"
    positions = {
        word: textmap.position(textmap.text.index(word))
        for word in ("Title", "quoted", "code", "here", "there", "one")
    }
    assert positions == {
        "Title": (1, 3),
        "quoted": (3, 9),
        "code": (3, 18),
        "here": (4, 3),
        "there": (4, 14),
        "one": (6, 8),
    }


# --- splicing keeps any nested spans well-formed ------------------------------------------

WORDS = ("alpha", "beta", "gamma", "delta")


def random_inline(rng: random.Random, depth: int = 0) -> str:
    """Random inline Markdown: words, emphasis, strong, links, code spans, line breaks."""
    parts = []
    for _ in range(rng.randint(1, 6)):
        pick = rng.random()
        if pick < 0.5 or depth > 2:
            parts.append(rng.choice(WORDS))
        elif pick < 0.6:
            parts.append(f"*{random_inline(rng, depth + 1)}*")
        elif pick < 0.7:
            parts.append(f"**{random_inline(rng, depth + 1)}**")
        elif pick < 0.8 and depth == 0:
            parts.append(f"[{random_inline(rng, depth + 1)}](https://example.org)")
        elif pick < 0.9:
            parts.append("`co de`")
        else:
            parts.append("\n")
    return " ".join(parts).replace(" \n ", "\n")


def nested_spans(rng: random.Random, lo: int, hi: int, depth: int) -> list[tuple[int, int]]:
    """Random spans within [lo, hi), each pair nested or disjoint."""
    if depth <= 0 or hi - lo < 1:
        return []
    start = rng.randint(lo, hi - 1)
    end = rng.randint(start + 1, hi)
    spans = [(start, end), *nested_spans(rng, start, end, depth - 1)]
    if rng.random() < 0.5:
        spans += nested_spans(rng, end, hi, depth - 1)
    if rng.random() < 0.5:
        spans += nested_spans(rng, lo, start, depth - 1)
    return spans


@pytest.mark.parametrize("seed", range(200))
def test_splice_keeps_html_well_formed_and_spans_exact(seed: int) -> None:
    rng = random.Random(seed)
    src = "\n\n".join(random_inline(rng) for _ in range(rng.randint(1, 3)))
    md = MarkdownIt("commonmark")
    tokens = md.parse(src)
    textmap = TextMap(tokens, src)
    spans = nested_spans(rng, 0, len(textmap.text), 4)
    wraps = [
        Wrap(a, b, Token("m_open", "mark", 1, meta={"i": i}), Token("m_close", "mark", -1))
        for i, (a, b) in enumerate(spans)
    ]
    splice(textmap, wraps)
    assert_well_formed(md.renderer.render(tokens, md.options, {}))
    assert TextMap(tokens).text == textmap.text
    covered: dict[int, list[str]] = {i: [] for i in range(len(spans))}
    for token in tokens:
        inside: list[int] = []
        for child in token.children or ():
            if child.type == "m_open":
                inside.append(child.meta["i"])
            elif child.type == "m_close":
                inside.pop()
            elif (text := leaf_text(child)) is not None:
                for i in inside:
                    covered[i].append(text)
    for i, (a, b) in enumerate(spans):  # block separators are in no segment
        assert "".join(covered[i]).replace("\n", "") == textmap.text[a:b].replace("\n", "")
