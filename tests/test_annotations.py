"""W3C Web Annotation export: annotations.jsonld beside every article page.

The structure is checked against the W3C Web Annotation Data Model (the keys it
requires, their types, the anno.jsonld context), and every exported selector is
re-anchored on the published page's text with Hypothesis' quote matching
(tests/hypothesis_match.py), as the Hypothesis client would.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from briefgen.annotate.w3c import dump
from briefgen.build.pipeline import BuildOptions, build
from tests.conftest import MakeSite
from tests.hypothesis_match import match_quote

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
BASE = "https://example.org/briefing/"

SITE = {
    "content/glossary.yaml": "SCO: {definition: The Shanghai Cooperation Organisation.}\n",
    "content/trade.md": """\
        # Trade with the SCO

        Exports to the SCO rose in 2022, as the table shows.[^1]

        | Year | Exports (tonnes) |
        |------|-----------------:|
        | 2021 | 1,200 |
        | 2022 | 1,450 |

        Run `trade --year 2022` for the figures; the SCO agreed.

        ```
        trade --year 2022 --by member
        ```

        [^1]: Customs data, revised in March.
        """,
    "content/trade.yaml": """\
        date: 2022-09-15
        summary: Trade figures.
        notes:
          - quote: rose in 2022
            text: "Up by a *fifth*."
            sources:
              - {title: Customs office, url: "https://example.org/customs?y=2022&x=1"}
              - {title: A yearbook}
          - quote: "1,450"
            text: Provisional.
          - quote: revised in March
            text: By 3%.
          - quote: "--by member"
            text: One row per member state.
          - quote: "2022"
            prefix: "trade --year"
            suffix: for the figures
            text: The year.
        """,
    "content/quiet.md": "# Quiet\n\nNothing noted here.\n",
    "content/quiet.yaml": "date: 2022-09-14\nsummary: Nothing.\n",
}

CHROME = frozenset(
    {"note-num", "note-toggle", "sidenote", "term-tip", "heading-anchor", "footnote-ref",
     "footnote-backref", "footnotes-sep"}
)  # fmt: skip
BLOCKS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "pre", "li"})


class _PageText(HTMLParser):
    """The text a reader reads in an article's body: blocks apart, annotation chrome left out."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[bool, bool]] = []  # per open element: (chrome, block)
        self.open: list[list[str]] = []  # the text of each open block
        self.blocks: list[tuple[str, list[str]]] = []  # (tag, text) in document order
        self.nested: set[int] = set()  # blocks that hold blocks, so are no block of text
        self.inside = False
        self.body_depth = -1

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = set((dict(attrs).get("class") or "").split())
        if tag in ("input", "br", "hr", "img"):
            return
        if "article-body" in classes:
            self.inside, self.body_depth = True, len(self.stack)
        chrome = bool(classes & CHROME) or (bool(self.stack) and self.stack[-1][0])
        block = self.inside and tag in BLOCKS and not chrome
        if block:
            if self.open:
                self.nested.add(id(self.open[-1]))
            self.open.append([])
            self.blocks.append((tag, self.open[-1]))
        self.stack.append((chrome, block))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """A void element (``<hr />``): no text, nothing to close."""

    def handle_endtag(self, tag: str) -> None:
        if tag in ("input", "br", "hr", "img"):
            return
        if self.stack:
            _, block = self.stack.pop()
            if block:
                self.open.pop()
            if len(self.stack) == self.body_depth:
                self.inside = False

    def handle_data(self, data: str) -> None:
        if self.open and not (self.stack and self.stack[-1][0]):
            self.open[-1].append(data)


def page_text(html: str) -> str:
    """The published page's reader text: its blocks' text, separated by blank lines."""
    parser = _PageText()
    parser.feed(html)
    texts = []
    for tag, parts in parser.blocks:
        if id(parts) not in parser.nested:
            text = "".join(parts)
            # A block's text never ends in white space (markdown-it trims it), but code's
            # last line break, and a space before a footnote's back link, are in the page.
            texts.append(text.removesuffix("\n") if tag == "pre" else text.rstrip(" "))
    return "\n\n".join(texts)


@pytest.fixture
def built(make_site: MakeSite, tmp_path: Path) -> Path:
    out = tmp_path / "out"
    build(make_site(SITE), out, BuildOptions())
    return out


def load(out: Path, slug: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((out / slug / "annotations.jsonld").read_text("utf-8"))
    return data


def test_every_article_page_links_its_annotations(built: Path) -> None:
    for slug in ("trade", "quiet"):
        html = (built / slug / "index.html").read_text("utf-8")
        assert (
            f'<link rel="alternate" type="application/ld+json" href="/briefing/{slug}/'
            'annotations.jsonld" title="Notes (W3C Web Annotations)">'
        ) in html


def test_the_collection_follows_the_w3c_model(built: Path) -> None:
    data = load(built, "trade")
    collection_id = f"{BASE}trade/annotations.jsonld"
    assert data["@context"] == CONTEXT
    assert (data["id"], data["type"]) == (collection_id, "AnnotationCollection")
    assert data["label"] == "Notes on Trade with the SCO"
    assert data["total"] == 5 == len(data["first"]["items"])
    page = data["first"]
    assert (page["type"], page["partOf"], page["startIndex"]) == (
        "AnnotationPage",
        collection_id,
        0,
    )
    for number, item in enumerate(page["items"], 1):
        assert list(item) == ["id", "type", "motivation", "body", "target"]
        assert item["id"] == f"{collection_id}#note-{number}"
        assert (item["type"], item["motivation"]) == ("Annotation", "commenting")
        comment = item["body"][0]
        assert comment["type"] == "TextualBody" and comment["format"] == "text/html"
        assert (comment["language"], comment["purpose"]) == ("en", "commenting")
        target = item["target"]
        assert target["source"] == f"{BASE}trade/"
        quote, position = target["selector"]
        assert list(quote) == ["type", "exact", "prefix", "suffix"]
        assert quote["type"] == "TextQuoteSelector"
        assert all(isinstance(quote[k], str) for k in ("exact", "prefix", "suffix"))
        assert len(quote["prefix"]) <= 32 and len(quote["suffix"]) <= 32
        assert position["type"] == "TextPositionSelector"
        assert 0 <= position["start"] < position["end"]
        assert position["end"] - position["start"] == len(quote["exact"])
    first = page["items"][0]
    assert first["body"] == [
        {
            "type": "TextualBody",
            "value": "<p>Up by a <em>fifth</em>.</p>\n",
            "format": "text/html",
            "language": "en",
            "purpose": "commenting",
        },
        {
            "id": "https://example.org/customs?y=2022&x=1",
            "type": "Text",
            "purpose": "linking",
            "label": "Customs office",
        },
        {"type": "TextualBody", "value": "A yearbook", "purpose": "linking"},
    ]
    raw = (built / "trade" / "annotations.jsonld").read_text("utf-8")
    assert "<" not in raw and "&" not in raw  # safe inside an HTML script element too


def test_an_article_without_notes_has_an_empty_collection(built: Path) -> None:
    assert load(built, "quiet") == {
        "@context": CONTEXT,
        "id": f"{BASE}quiet/annotations.jsonld",
        "type": "AnnotationCollection",
        "label": "Notes on Quiet",
        "total": 0,
    }


def test_hypothesis_reanchors_every_selector_on_the_published_text(built: Path) -> None:
    text = page_text((built / "trade" / "index.html").read_text("utf-8"))
    items = load(built, "trade")["first"]["items"]
    exacts = []
    for item in items:
        quote, position = item["target"]["selector"]
        start, end = position["start"], position["end"]
        assert text[start:end] == quote["exact"]
        assert text[max(0, start - 32) : start] == quote["prefix"]
        assert text[end : end + 32] == quote["suffix"]
        found = match_quote(text, quote["exact"], quote["prefix"], quote["suffix"], start)
        assert found is not None and (found.start, found.end) == (start, end)
        found = match_quote(text, quote["exact"], quote["prefix"], quote["suffix"])  # no hint
        assert found is not None and (found.start, found.end) == (start, end)
        exacts.append(quote["exact"])
    assert exacts == ["rose in 2022", "1,450", "2022", "--by member", "revised in March"]
    assert re.search(r"\n\nYear\n\nExports \(tonnes\)\n\n2021\n\n1,200\n\n", text)


def test_the_json_is_the_standard_librarys_indented_json() -> None:
    """``w3c.dump`` writes in C exactly what ``json.dumps(indent=2)`` writes, escapes and
    empty containers included, and falls back to it for what orjson refuses."""
    text = "".join(chr(c) for c in range(0x2100)) + "\u2028\u2029\U0001f600 <&>"
    data = {
        "@context": CONTEXT,
        "total": 0,
        "label": text,
        text: [{}, [], [[{"a": None, "b": True, "c": False}]], -1, 2**63 - 1],
        "items": ({"exact": "x"}, "y"),
    }
    expected = json.dumps(data, ensure_ascii=False, indent=2)
    expected = expected.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    assert dump(data) == (expected + "\n").encode("utf-8")
    assert dump({"total": 2**64}) == b'{\n  "total": 18446744073709551616\n}\n'
