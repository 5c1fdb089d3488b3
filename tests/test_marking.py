"""One reader-text pass and one splice for notes, phrase links and terms.

The marking rules share the document's text map and add their marks as layers, spliced
at once: the tokens must be those that splicing each layer on its own, after a fresh
text map of what the one before made, would give (as each plugin once did), and a later
layer must see the runs of plain text that such a fresh text map would show it.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import Any

import pytest
from markdown_it import MarkdownIt
from markdown_it.token import Token

from briefgen.markdown import marking, splice
from briefgen.markdown.marking import Marking
from briefgen.markdown.splice import Layer, Wrap, splice_layers
from briefgen.markdown.terms import plain_runs
from briefgen.markdown.textmap import TextMap, has_text
from tests.test_markdown import assert_well_formed, nested_spans, random_inline
from tests.test_terms import marked


def wraps_of(
    rng: random.Random, spans: list[tuple[int, int]], kind: str, tags: Sequence[str]
) -> list[Wrap]:
    """A wrap of ``kind`` for each span, its tag chosen from ``tags``."""
    wraps = []
    for i, (start, end) in enumerate(spans):
        tag = rng.choice(tags)
        meta = {"kind": kind, "i": i}
        wraps.append(
            Wrap(
                start,
                end,
                Token(f"{kind}_open", tag, 1, meta=meta),
                Token(f"{kind}_close", tag, -1, meta=meta),
            )
        )
    return wraps


def after_last_close(children: list[Token]) -> list[Token]:
    """A settle step like the sidenotes': a token after each wrap's last segment."""
    out = []
    for child in children:
        out.append(child)
        if child.type == "outer_close" and child.meta.get("last"):
            out.append(Token("side", "", 0, meta={"i": child.meta["i"]}))
    return out


def shape(tokens: list[Token]) -> list[Any]:
    """The token stream as comparable values: every child's kind, text and numbering."""
    return [
        [
            (
                c.type,
                c.tag,
                c.nesting,
                c.content,
                c.meta.get("i"),
                c.meta.get("first"),
                c.meta.get("last"),
            )
            for c in token.children or ()
        ]
        for token in tokens
    ]


def document(seed: int) -> tuple[MarkdownIt, str, random.Random]:
    """Random inline Markdown in a few paragraphs, and the random source that made it."""
    rng = random.Random(seed)
    src = "\n\n".join(random_inline(rng) for _ in range(rng.randint(1, 3)))
    return MarkdownIt("commonmark"), src, rng


@pytest.mark.parametrize("seed", range(150))
def test_layers_splice_as_if_each_were_spliced_after_a_fresh_text_map(seed: int) -> None:
    md, src, rng = document(seed)
    size = len(TextMap(md.parse(src), src).text)
    first = wraps_of(rng, nested_spans(rng, 0, size, 4), "outer", ("mark", "s"))
    second = wraps_of(rng, nested_spans(rng, 0, size, 4), "inner", ("span",))

    one_by_one = md.parse(src)
    splice.splice(TextMap(one_by_one, src), first)
    for token in one_by_one:
        if has_text(token):
            token.children = after_last_close(token.children or [])
    splice.splice(TextMap(one_by_one, src), second)

    layered = md.parse(src)
    splice_layers(TextMap(layered, src), [Layer(first, after_last_close), Layer(second)])

    assert shape(layered) == shape(one_by_one)
    assert_well_formed(md.renderer.render(layered, md.options, {}))


@pytest.mark.parametrize("seed", range(150))
def test_runs_cut_by_earlier_layers_are_the_runs_of_the_spliced_tokens(seed: int) -> None:
    md, src, rng = document(seed)
    tokens = md.parse(src)
    textmap = TextMap(tokens, src)
    wraps = wraps_of(rng, nested_spans(rng, 0, len(textmap.text), 4), "outer", ("mark", "a"))
    cut = Marking(textmap, [Layer(wraps)]).cut(plain_runs(textmap))
    splice.splice(textmap, wraps)
    assert cut == plain_runs(TextMap(tokens, src))


def test_marks_cut_runs_and_links_take_theirs() -> None:
    tokens = MarkdownIt("commonmark").parse("one two three four five six\n")
    textmap = TextMap(tokens)
    [a, b, c] = wraps_of(random.Random(0), [(4, 13), (8, 13), (19, 27)], "outer", ("mark",))
    link = Wrap(14, 18, Token("x_open", "a", 1), Token("x_close", "a", -1))
    inner = Wrap(15, 16, Token("x_open", "a", 1), Token("x_close", "a", -1))
    found = Marking(textmap, [Layer([a, b, c]), Layer([link, inner])])
    assert found.cut([(0, 27)]) == [(0, 4), (4, 8), (8, 13), (13, 14), (18, 19), (19, 27)]
    assert Marking(textmap).cut([(0, 27)]) == [(0, 27)]


def test_an_article_is_read_once_and_spliced_once(monkeypatch: pytest.MonkeyPatch) -> None:
    made: list[TextMap] = []
    spliced: list[int] = []

    def counted_textmap(tokens: list[Token], src: str = "") -> TextMap:
        made.append(TextMap(tokens, src))
        return made[-1]

    def counted_splice(textmap: TextMap, layers: Sequence[Layer]) -> None:
        spliced.append(len(layers))
        splice_layers(textmap, layers)

    monkeypatch.setattr(marking, "TextMap", counted_textmap)
    monkeypatch.setattr(marking, "splice_layers", counted_splice)
    sidecar = (
        "notes:\n  - {quote: the SCO summit, text: Note.}\nlinks:\n  - {quote: NATO, to: nato}\n"
    )
    rendered = marked("At the SCO summit, NATO and the BRI.\n\nThe SCO again.\n", "all", sidecar)
    assert rendered.terms == ("SCO", "Belt and Road")
    assert rendered.links == ("nato",)
    assert len(made) == 1
    assert spliced == [2]  # the notes and links, then the terms
