"""Splicing: new tokens wrapped around spans of the reader text, keeping the HTML well-formed.

``splice`` encloses reader-text spans (``Wrap``) in copies of open and close tokens,
splitting text tokens where a span starts or ends, and splitting a span into segments
where markup would otherwise cross it. A code span that a span starts or ends inside
becomes ``<code>`` around its pieces (``briefgen.markdown.code``), so that a noted
phrase in code reads ``<code>a <mark>b</mark></code>``, one code span as before.

``splice_layers`` splices several plugins' wraps in one pass over the text map: each
``Layer`` goes into the tokens as the layers before it left them (a later layer's
wrap may enclose an earlier one's tokens), exactly as if each had been spliced on its
own after the one before, with a fresh text map in between.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from markdown_it.token import Token

from briefgen.markdown.code import code_pieces
from briefgen.markdown.positions import OFFSETS, offsets
from briefgen.markdown.textmap import TEXTUAL, TextMap, child_ranges

Ranges = list[tuple[int, int] | None]  # per child of a block: its reader range, None for markup


@dataclass(frozen=True)
class Wrap:
    """A reader-text span [start, end) to enclose in copies of ``open`` and ``close``."""

    start: int
    end: int
    open: Token
    close: Token


@dataclass(frozen=True)
class Layer:
    """One plugin's wraps, and what it does to each block once they are in (``settle``)."""

    wraps: Sequence[Wrap]
    settle: Callable[[list[Token]], list[Token]] | None = None  # a block's new children


def splice(textmap: TextMap, wraps: Sequence[Wrap]) -> None:
    """Insert each wrap's open and close tokens around its span, in place.

    Wraps must be properly nested or disjoint. A wrap is split into segments at block
    boundaries and at any markup token whose partner lies outside it; each segment gets
    copies of the open and close tokens with ``meta["first"]`` and ``meta["last"]`` set.
    ``textmap`` is stale afterwards.
    """
    splice_layers(textmap, [Layer(wraps)])


def splice_layers(textmap: TextMap, layers: Sequence[Layer]) -> None:
    """Splice each layer in turn (as ``splice``), each into what the ones before made.

    A layer's ``settle`` runs on the children of each block the layer spliced, once its
    segments are numbered. Only a block that an earlier layer changed has its reader
    ranges walked again; ``textmap`` is stale afterwards.
    """
    ends = [b.end for b in textmap.blocks]
    changed: set[int] = set()
    for layer in layers:
        per_block = _per_block(textmap, ends, layer.wraps)
        made: dict[int, list[tuple[Token, Token]]] = {}
        for b in sorted(per_block):
            block = textmap.blocks[b]
            inline = textmap.tokens[block.index]
            ranges = block.ranges
            if b in changed:  # the children an earlier layer made
                ranges = child_ranges(inline.children or [], block.start)
            _splice_block(inline, ranges, per_block[b], layer.wraps, made)
        for pairs in made.values():
            for n, (open_, close) in enumerate(pairs):
                for token in (open_, close):
                    token.meta["first"] = n == 0
                    token.meta["last"] = n == len(pairs) - 1
        for b in per_block:
            if layer.settle is not None:
                inline = textmap.tokens[textmap.blocks[b].index]
                inline.children = layer.settle(inline.children or [])
            changed.add(b)


def _per_block(
    textmap: TextMap, ends: list[int], wraps: Sequence[Wrap]
) -> dict[int, list[tuple[int, int, int]]]:
    """Each block's share of the wraps: (wrap index, start, end), in nesting order."""
    order = sorted(range(len(wraps)), key=lambda i: (wraps[i].start, -wraps[i].end, i))
    per_block: dict[int, list[tuple[int, int, int]]] = {}
    for i in order:
        wrap = wraps[i]
        if wrap.end <= wrap.start:
            continue
        b = bisect.bisect_right(ends, wrap.start)
        while b < len(textmap.blocks) and textmap.blocks[b].start < wrap.end:
            block = textmap.blocks[b]
            start, end = max(wrap.start, block.start), min(wrap.end, block.end)
            if start < end:
                per_block.setdefault(b, []).append((i, start, end))
            b += 1
    return per_block


def _splice_block(
    inline: Token,
    block_ranges: Ranges,
    items: list[tuple[int, int, int]],
    wraps: Sequence[Wrap],
    made: dict[int, list[tuple[Token, Token]]],
) -> None:
    """Splice the (wrap index, start, end) items, in nesting order, into one inline token."""
    cuts = sorted({p for _, start, end in items for p in (start, end)})
    children: list[Token] = []
    ranges: Ranges = []
    for child, rng in zip(inline.children or (), block_ranges, strict=True):
        if rng is None or child.type not in TEXTUAL:
            children.append(child)
            ranges.append(rng)
            continue
        lo = bisect.bisect_right(cuts, rng[0])
        hi = bisect.bisect_left(cuts, rng[1])
        if lo == hi:
            children.append(child)
            ranges.append(rng)
            continue
        points = [rng[0], *cuts[lo:hi], rng[1]]
        pieces = [_piece(child, a - rng[0], b - rng[0]) for a, b in itertools.pairwise(points)]
        code = code_pieces(child, pieces)
        children.extend(code)
        ranges.extend(None if piece.nesting else (a, b) for piece, (a, b) in _ranged(code, points))
    partner = _partners(children)
    leaves = [k for k, rng in enumerate(ranges) if rng is not None]
    leaf_starts = [ranges[k][0] for k in leaves]  # type: ignore[index]
    leaf_ends = [ranges[k][1] for k in leaves]  # type: ignore[index]
    opens: dict[int, list[Token]] = {}
    closes: dict[int, list[Token]] = {}
    for i, start, end in items:
        first = bisect.bisect_left(leaf_starts, start)
        last = bisect.bisect_right(leaf_ends, end) - 1
        if first > last:
            continue
        lo, hi = _widen(children, partner, leaves[first], leaves[last])
        for p, q in _segments(children, partner, lo, hi):
            open_ = _instance(wraps[i].open)
            close = _instance(wraps[i].close)
            opens.setdefault(p, []).append(open_)
            closes.setdefault(q, []).insert(0, close)
            made.setdefault(i, []).append((open_, close))
    out: list[Token] = []
    for k, child in enumerate(children):
        out.extend(opens.get(k, ()))
        out.append(child)
        out.extend(closes.get(k, ()))
    inline.children = out


def _piece(child: Token, start: int, end: int) -> Token:
    """Characters [start, end) of a text or code token, with their source offsets."""
    piece = _instance(child, child.content[start:end])
    known = offsets(child)
    if known is not None:
        piece.meta[OFFSETS] = known[start:end]
    return piece


def _ranged(tokens: list[Token], points: list[int]) -> Iterator[tuple[Token, tuple[int, int]]]:
    """Each token with the reader range of its piece (markup gets an empty one)."""
    spans = iter(itertools.pairwise(points))
    for token in tokens:
        yield token, ((0, 0) if token.nesting else next(spans))


def _instance(template: Token, content: str | None = None) -> Token:
    """A fresh copy of a token (with ``content`` if given), with its own attrs and meta."""
    return Token(
        template.type,
        template.tag,
        template.nesting,
        attrs=dict(template.attrs),
        map=template.map,
        level=template.level,
        content=template.content if content is None else content,
        markup=template.markup,
        info=template.info,
        meta=dict(template.meta),
        block=template.block,
        hidden=template.hidden,
    )


def _partners(children: list[Token]) -> list[int]:
    """For each open or close token, the index of its partner (-1 when unmatched)."""
    partner = [-1] * len(children)
    stack: list[int] = []
    for k, child in enumerate(children):
        if child.nesting == 1:
            stack.append(k)
        elif child.nesting == -1 and stack:
            j = stack.pop()
            partner[j], partner[k] = k, j
    return partner


def _widen(children: list[Token], partner: list[int], lo: int, hi: int) -> tuple[int, int]:
    """Take in markup that encloses exactly children[lo..hi]: ``<mark><em>x</em></mark>``."""
    # A span covering a whole emphasis or link text then wraps it rather than being
    # wrapped by it, so that a sidenote after the span lands outside the link.
    while True:
        after = hi + 1 < len(children) and children[hi + 1].nesting == -1
        before = lo > 0 and children[lo - 1].nesting == 1
        if after and partner[hi + 1] >= lo:
            hi += 1
        elif before and lo <= partner[lo - 1] <= hi:
            lo -= 1
        elif after and before and partner[lo - 1] == hi + 1:
            lo, hi = lo - 1, hi + 1
        else:
            return lo, hi


def _segments(
    children: list[Token], partner: list[int], first: int, last: int
) -> list[tuple[int, int]]:
    """Split children[first..last] into runs that contain only balanced markup."""
    segments: list[tuple[int, int]] = []
    start = end = -1
    k = first
    while k <= last:
        child = children[k]
        stop = k
        if child.nesting != 0:
            j = partner[k]
            if j < k or j > last:  # crosses the span's edge: close the segment here
                if start >= 0:
                    segments.append((start, end))
                start = -1
                k += 1
                continue
            stop = j  # a balanced pair: take it whole
        if start < 0:
            start = k
        end = stop
        k = stop + 1
    if start >= 0:
        segments.append((start, end))
    return segments
