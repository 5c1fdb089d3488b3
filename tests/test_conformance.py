"""Public conformance material: the CommonMark spec examples and Hypothesis' quote matching.

tests/fixtures/conformance/ holds both, with their sources and licences (its README):

- every CommonMark example renders, with every extension off and nothing annotated,
  exactly as markdown-it renders CommonMark without raw HTML; where the example has no
  raw HTML and markdown-it follows the spec, that is the spec's HTML;
- annotating an example (notes, phrase links and glossary terms on its words) changes
  nothing of it but the annotation's own elements, with every extension on or off;
- every character of every example's reader text has an exact source position, and
  the positions that anchoring errors report name the quote's first character;
- Hypothesis' matchQuote cases: what briefgen's anchoring makes of each, and that the
  port of matchQuote in tests/hypothesis_match.py agrees with Hypothesis.
"""

from __future__ import annotations

import html
import json
import re
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from markdown_it import MarkdownIt

from briefgen.markdown.code import code_plugin
from briefgen.markdown.extensions import with_extensions
from briefgen.markdown.positions import positions_plugin
from briefgen.markdown.sidenotes import fill_previews
from briefgen.markdown.textmap import TextMap
from briefgen.source.config import MarkdownOptions
from briefgen.text.anchoring import Anchorer, Found, NotFound
from tests.hypothesis_match import match_quote
from tests.test_markdown import PLAIN, assert_well_formed, glossary, make_article, make_renderer

CONFORMANCE = Path(__file__).parent / "fixtures" / "conformance"
SPEC = json.loads((CONFORMANCE / "commonmark-spec.json").read_text(encoding="utf-8"))
EXAMPLES = SPEC["examples"]
HYPOTHESIS = json.loads((CONFORMANCE / "hypothesis-match-quote.json").read_text(encoding="utf-8"))
ALL_ON = MarkdownOptions(tables=True, strikethrough=True, footnotes=True, heading_anchors=True)
SETTINGS = {"plain": PLAIN, "extensions": ALL_ON}
COMMONMARK = MarkdownIt("commonmark", {"html": False})
COMMONMARK_HTML = MarkdownIt("commonmark", {"html": True})


def example_id(example: dict[str, Any]) -> str:
    """A test id naming the example and its section."""
    return f"{example['example']}-{example['section']}"


EXAMPLE_PARAMS = [pytest.param(e, id=example_id(e)) for e in EXAMPLES]
SECTIONS = list(dict.fromkeys(e["section"] for e in EXAMPLES))


# -- a plain render is CommonMark ------------------------------------------------------------


@pytest.mark.parametrize("example", EXAMPLE_PARAMS)
def test_plain_render_is_commonmark_without_raw_html(example: dict[str, Any]) -> None:
    rendered = make_renderer().render(make_article("kind: md\n", example["markdown"]))
    assert rendered.html == COMMONMARK.render(example["markdown"])
    assert [d for d in rendered.diagnostics if d.severity == "error"] == []


def test_plain_render_matches_the_spec_wherever_markdown_it_does_without_raw_html() -> None:
    renderer = make_renderer()
    matched = deviations = raw_html = 0
    for example in EXAMPLES:
        source, spec = example["markdown"], example["html"]
        if COMMONMARK_HTML.render(source) != COMMONMARK.render(source):
            raw_html += 1  # raw HTML is shown as text, by design
        elif COMMONMARK_HTML.render(source) != spec:
            deviations += 1  # markdown-it's own
        else:
            assert renderer.render(make_article("kind: md\n", source)).html == spec, example
            matched += 1
    assert (matched, raw_html, deviations) == (577, 72, 3)


# -- annotation leaves the text as it was ------------------------------------------------------

CHROME = frozenset({"note-num", "note-toggle", "sidenote", "term-tip"})  # removed with content
WRAPPERS = frozenset({"noted", "xref", "term", "term-link", "preview"})  # removed, content kept


class _Unannotate(HTMLParser):
    """HTML with briefgen's annotation elements taken out, the rest byte for byte."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.out: list[str] = []
        self.stack: list[str] = []  # per open element: "keep", "unwrap" or "drop"

    def _dropping(self) -> bool:
        return "drop" in self.stack

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = set((dict(attrs).get("class") or "").split())
        action = "drop" if classes & CHROME else "unwrap" if classes & WRAPPERS else "keep"
        if tag == "input":  # a void element: nothing to close
            if action == "keep" and not self._dropping():
                self.out.append(self.get_starttag_text() or "")
            return
        if action == "keep" and not self._dropping():
            self.out.append(self.get_starttag_text() or "")
        self.stack.append(action)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if not self._dropping():
            self.out.append(self.get_starttag_text() or "")

    def handle_endtag(self, tag: str) -> None:
        action = self.stack.pop() if self.stack else "keep"
        if action == "keep" and not self._dropping():
            self.out.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        if not self._dropping():
            self.out.append(data)

    def handle_entityref(self, name: str) -> None:
        self.handle_data(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self.handle_data(f"&#{name};")


def unannotate(text: str) -> str:
    """``text`` without note marks, sidenotes, phrase links, their previews and glossary marks."""
    parser = _Unannotate()
    parser.feed(fill_previews(text, lambda number, slug: ""))
    parser.close()
    return "".join(parser.out)


def annotations_for(reader_text: str) -> str:
    """A sidecar noting each word that occurs once, linking every third, marking terms."""
    words = re.findall(r"[A-Za-z][\w-]*", reader_text)
    unique = [w for w, n in Counter(words).items() if reader_text.count(w) == 1]
    notes = [f"  - {{quote: {json.dumps(w)}, text: Note.}}" for w in unique[::3]]
    links = [f"  - {{quote: {json.dumps(w)}, to: other}}" for w in unique[1::3]]
    lines = (
        ["kind: md"] + (["notes:", *notes] if notes else []) + (["links:", *links] if links else [])
    )
    return "\n".join(lines) + "\n"


TERMS = glossary("foo: {definition: A term.}\nbar: {definition: Another.}\n")


def annotation_problems(example: dict[str, Any], options: MarkdownOptions) -> list[str]:
    """What annotating an example changed besides adding annotation elements."""
    renderer = make_renderer(TERMS, link="all", markdown=options)
    source = example["markdown"]
    plain = make_renderer(markdown=options).render(make_article("kind: md\n", source))
    annotated = renderer.render(make_article(annotations_for(plain.text), source))
    # Phrase links never go inside a Markdown link (ANC006); nothing else may fail.
    errors = [d for d in annotated.diagnostics if d.severity == "error"]
    problems = [d.headline() for d in errors if d.code != "ANC006"]
    if annotated.text != plain.text:
        problems.append(f"reader text {annotated.text!r} != {plain.text!r}")
    if unannotate(annotated.html) != plain.html:
        problems.append(f"HTML {unannotate(annotated.html)!r} != {plain.html!r}")
    try:
        assert_well_formed(plain.html)
    except AssertionError:
        return problems  # CommonMark's own output is not (an example's odd nesting)
    try:
        assert_well_formed(annotated.html)
    except AssertionError as error:
        problems.append(str(error))
    return problems


@pytest.mark.parametrize("section", SECTIONS)
def test_annotation_changes_nothing_but_its_own_elements(section: str) -> None:
    problems = {
        f"{example['example']} ({setting})": found
        for example in EXAMPLES
        if example["section"] == section
        for setting, options in SETTINGS.items()
        if (found := annotation_problems(example, options))
    }
    assert problems == {}


# -- positions name the source character ---------------------------------------------------------

ENTITY = re.compile(r"&(?:#[xX][0-9a-fA-F]{1,6}|#[0-9]{1,7}|[A-Za-z][A-Za-z0-9]{1,31});")


def names(src: str, at: int, char: str) -> bool:
    """Whether the source at ``at`` is what shows ``char`` to readers."""
    here = src[at:]
    if here.startswith(("\\" + char, char)):  # the character itself, or escaped
        return True
    entity = ENTITY.match(here)
    if entity:  # the reader's character is (part of) what the entity stands for
        return char in html.unescape(entity.group()) or char == "\ufffd"
    if char == "\n":  # a line break: the line's end, its trailing spaces or a backslash
        return here[:1] in ("\n", " ", "\\", "")
    if char == " ":  # a code span's line break, or a tab that indentation split
        return here[:1] in ("\n", "\t")
    return char == "\ufffd" and here[:1] == "\x00"


def parser(options: MarkdownOptions) -> MarkdownIt:
    """A parser as the renderer's, with positions and code, without annotation."""
    return with_extensions(options).use(positions_plugin).use(code_plugin)


PARSERS = {name: parser(options) for name, options in SETTINGS.items()}


def misplaced(source: str, md: MarkdownIt) -> list[tuple[int, str, int, int, str]]:
    """The reader characters whose reported position does not name their source."""
    textmap = TextMap(md.parse(source, {}), source)
    starts = [0] + [m.end() for m in re.finditer("\n", source)]
    wrong = []
    for offset, char in enumerate(textmap.text):
        block = textmap.block_at(offset)
        if block is None or not block.start <= offset < block.end:
            continue  # a separator between blocks
        line, col = textmap.position(offset)
        at = starts[line - 1] + col - 1
        if not names(source, at, char):
            wrong.append((offset, char, line, col, source[at : at + 6]))
    return wrong


@pytest.mark.parametrize("section", SECTIONS)
def test_every_reader_character_has_its_source_position(section: str) -> None:
    wrong = {
        f"{example['example']} ({setting})": found
        for example in EXAMPLES
        if example["section"] == section
        for setting, md in PARSERS.items()
        if (found := misplaced(example["markdown"], md))
    }
    assert wrong == {}


def repeated_words(example: dict[str, Any]) -> list[str]:
    """The words of three letters or more that occur more than once in the reader text."""
    text = make_renderer().render(make_article("kind: md\n", example["markdown"])).text
    return [w for w, n in Counter(re.findall(r"[A-Za-z]{3,}", text)).items() if n > 1]


@pytest.mark.parametrize(
    ("example", "words"),
    [pytest.param(e, w, id=example_id(e)) for e in EXAMPLES if (w := repeated_words(e))],
)
def test_anchoring_errors_name_each_occurrence(example: dict[str, Any], words: list[str]) -> None:
    source = example["markdown"]
    sidecar = "notes:\n" + "".join(f"  - {{quote: {w}, text: N.}}\n" for w in words)
    rendered = make_renderer().render(make_article(sidecar, source))
    starts = [0] + [m.end() for m in re.finditer("\n", source)]
    errors = [d for d in rendered.diagnostics if d.severity == "error"]
    for word, diagnostic in zip(words, errors, strict=True):
        assert diagnostic.code == "ANC002"
        places = diagnostic.message.rsplit(": at ", 1)[1].split(", ")
        for place in places:
            line, col = map(int, place.split(":"))
            assert names(source, starts[line - 1] + col - 1, word[0]), (word, place)


# -- Hypothesis' quote matching -------------------------------------------------------------------

CASES = [pytest.param(case, id=case["id"]) for case in HYPOTHESIS["cases"]]


def case_text(case: dict[str, Any]) -> str:
    """The fixture text a case matches in."""
    text: str = HYPOTHESIS["fixtures"][case["fixture"]]
    return text


@pytest.mark.parametrize("case", CASES)
def test_briefgen_anchoring_keeps_the_documented_contract(case: dict[str, Any]) -> None:
    text, expect = case_text(case), case["expect"]
    anchorer = Anchorer(text)
    prefix, suffix = case.get("prefix"), case.get("suffix")
    if "quotes" in case:  # similarity falls as the quote strays further
        results = [anchorer.find(q) for q in case["quotes"]]
        assert isinstance(results[0], Found)
        scores = [r.score for r in results[1:] if isinstance(r, NotFound)]
        assert len(scores) == len(results) - 1 and scores == sorted(scores, reverse=True)
        assert len(set(scores)) == len(scores)
        return
    contexts = case.get("prefixes") or case.get("suffixes")
    if contexts:
        key = "prefix" if "prefixes" in case else "suffix"
        results = [anchorer.find(case["quote"], **{key: c}) for c in contexts]
        assert isinstance(results[0], Found)
        mismatches = [r for r in results[1:] if isinstance(r, NotFound) and r.context_mismatch]
        assert len(mismatches) == len(results) - 1
        assert {r.best for r in mismatches} == {results[0].span}
        scores = [r.score for r in mismatches]
        assert scores == sorted(scores, reverse=True) and len(set(scores)) == len(scores)
        return
    if expect.get("error") == "located":  # an empty quote is a sidecar error, not a search
        assert isinstance(anchorer.find(case["quote"]), NotFound)
        return
    result = anchorer.find(case["quote"], prefix, suffix)
    if "anchor" in expect:
        assert isinstance(result, Found)
        assert text[result.span.start : result.span.end] == expect["anchor"]
    elif "anchor_at" in expect:
        assert isinstance(result, Found) and result.span.start == expect["anchor_at"]
    elif expect["error"] == "ANC004":
        assert isinstance(result, NotFound) and result.context_mismatch
        assert result.best is not None and result.best.start == expect["names_occurrence_at"]
    else:
        assert expect["error"] == "ANC001"
        assert isinstance(result, NotFound) and not result.context_mismatch
        best = result.best and text[result.best.start : result.best.end]
        assert best == expect["suggest"]
        if "suggest_at" in expect:
            assert result.best is not None and result.best.start == expect["suggest_at"]


@pytest.mark.parametrize(
    "case", [pytest.param(c, id=c["id"]) for c in HYPOTHESIS["cases"] if "anchor_at" in c["expect"]]
)
def test_the_matchquote_port_agrees_with_hypothesis(case: dict[str, Any]) -> None:
    text, expect = case_text(case), case["expect"]
    found = match_quote(text, case["quote"], case.get("prefix"), case.get("suffix"))
    assert found is not None and found.start == expect["anchor_at"]


def test_the_matchquote_port_prefers_context_and_position_as_hypothesis_does() -> None:
    text = HYPOTHESIS["fixtures"]["twoCities"]
    for prefix, start in (("we had every-thing", 305), ("we had nout", 331)):
        found = match_quote(text, "before us", prefix=prefix)
        assert found is not None and found.start == start
    assert match_quote(text, "befor us") is not None
    found = match_quote(text, "befor us", hint=331)
    assert found is not None and found.start == 331
    assert match_quote(HYPOTHESIS["fixtures"]["solitude"], "") is None
