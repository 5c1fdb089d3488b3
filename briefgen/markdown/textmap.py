"""The reader text of a token stream: what anchoring sees, and how to mark it up.

markdown-it parses an article into block tokens; each paragraph or heading holds an
``inline`` token whose children are text and inline markup. The *reader text* is
what a reader sees: the text of every inline token (text and code spans; line
breaks as ``"\\n"``; image alt text left out), blocks separated by ``"\\n\\n"``.

``TextMap`` keeps, for every leaf child, the range of reader text it holds, so that
plugins can (a) anchor quotes in the reader text, (b) turn a reader-text offset back
into a line and column of the article file, and (c) wrap reader-text spans in new
open/close tokens (``splice``), splitting text tokens where a span starts or ends and
splitting a span into segments where markup would otherwise cross it, so that the
HTML stays well-formed.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass, field

from markdown_it.token import Token

BLOCK_SEPARATOR = "\n\n"
BREAKS = frozenset({"softbreak", "hardbreak"})
TEXTUAL = frozenset({"text", "code_inline"})


@dataclass
class Block:
    """One inline token's share of the reader text."""

    index: int  # position of the inline token in the token stream
    start: int  # reader offset of its first character
    end: int  # reader offset just after its last character
    ranges: list[tuple[int, int] | None]  # per child: its reader range, None for markup
    raw: list[int | list[int]] | None = field(default=None, repr=False)  # see _raw_places


@dataclass(frozen=True)
class Wrap:
    """A reader-text span [start, end) to enclose in copies of ``open`` and ``close``."""

    start: int
    end: int
    open: Token
    close: Token


def leaf_text(child: Token) -> str | None:
    """The reader text of one inline child, or None when it is markup."""
    if child.type in TEXTUAL:
        return child.content or None
    if child.type in BREAKS:
        return "\n"
    return None


class TextMap:
    """The reader text of ``tokens`` with a map back to inline tokens and the source."""

    def __init__(self, tokens: list[Token], src: str = "") -> None:
        """Collect the reader text of every inline token in ``tokens``."""
        self.tokens = tokens
        self.blocks: list[Block] = []
        self._lines = src.split("\n")
        parts: list[str] = []
        pos = 0
        for index, token in enumerate(tokens):
            if token.type != "inline":
                continue
            if self.blocks:
                parts.append(BLOCK_SEPARATOR)
                pos += len(BLOCK_SEPARATOR)
            start = pos
            ranges: list[tuple[int, int] | None] = []
            for child in token.children or ():
                text = leaf_text(child)
                if text is None:
                    ranges.append(None)
                    continue
                ranges.append((pos, pos + len(text)))
                parts.append(text)
                pos += len(text)
            self.blocks.append(Block(index, start, pos, ranges))
        self.text = "".join(parts)
        self._starts = [b.start for b in self.blocks]

    def block_at(self, offset: int) -> Block | None:
        """The block holding reader offset ``offset`` (the next one in a separator)."""
        if not self.blocks:
            return None
        i = max(bisect.bisect_right(self._starts, offset) - 1, 0)
        if offset > self.blocks[i].end and i + 1 < len(self.blocks):
            i += 1
        return self.blocks[i]

    def position(self, offset: int) -> tuple[int, int]:
        """The 1-based (line, col) in the source of the reader text at ``offset``."""
        block = self.block_at(offset)
        if block is None:
            return 1, 1
        inline = self.tokens[block.index]
        raw = inline.content
        first_line = inline.map[0] if inline.map else 0
        raw_pos = self._raw_offset(block, max(offset, block.start))
        line_start = raw.rfind("\n", 0, raw_pos) + 1
        line_end = raw.find("\n", raw_pos)
        content_line = raw[line_start : line_end if line_end >= 0 else len(raw)]
        line = first_line + raw.count("\n", 0, raw_pos) + 1
        source = self._lines[line - 1] if 0 < line <= len(self._lines) else ""
        return line, _indent(source, content_line) + raw_pos - line_start + 1

    def _raw_offset(self, block: Block, offset: int) -> int:
        """The offset in the inline token's raw content that shows reader ``offset``."""
        where = self._raw_places(block)
        last = 0
        for k, rng in enumerate(block.ranges):
            if rng is None:
                continue
            place = where[k]
            if rng[0] <= offset < rng[1]:
                i = offset - rng[0]
                return place + i if isinstance(place, int) else place[i]
            last = place + rng[1] - rng[0] if isinstance(place, int) else place[-1] + 1
        return last

    def _raw_places(self, block: Block) -> list[int | list[int]]:
        """Where each child's text is in the raw content, found greedily left to right.

        A text found literally gets its start; one that is not (it holds an entity or
        an escape) gets the position of each of its characters.
        """
        if block.raw is not None:
            return block.raw
        inline = self.tokens[block.index]
        raw = inline.content
        cursor = 0
        places: list[int | list[int]] = []
        for child in inline.children or ():
            if child.type in TEXTUAL and child.content:
                at = raw.find(child.content, cursor)
                if at >= 0:
                    places.append(at)
                    cursor = at + len(child.content)
                else:
                    chars, cursor = _align(raw, child.content, cursor)
                    places.append(chars)
            elif child.type in BREAKS:
                at = raw.find("\n", cursor)
                places.append(at if at >= 0 else cursor)
                cursor = at + 1 if at >= 0 else cursor
            else:
                places.append(cursor)
        block.raw = places
        return places


def _align(raw: str, text: str, cursor: int) -> tuple[list[int], int]:
    """The raw position of each character of ``text``, each searched after the last."""
    chars: list[int] = []
    for ch in text:
        at = raw.find(ch, cursor)
        if at >= 0:
            cursor = at + 1
        chars.append(at if at >= 0 else cursor)
    return chars, cursor


def _indent(source: str, content_line: str) -> int:
    """How many characters of a source line precede its inline content (quote markers...)."""
    body = content_line.rstrip()
    line = source.rstrip()
    if body and line.endswith(body):
        return len(line) - len(body)
    at = source.find(content_line) if content_line else -1
    return max(at, 0)


def splice(textmap: TextMap, wraps: Sequence[Wrap]) -> None:
    """Insert each wrap's open and close tokens around its span, in place.

    Wraps must be properly nested or disjoint. A wrap is split into segments at block
    boundaries and at any markup token whose partner lies outside it; each segment gets
    copies of the open and close tokens with ``meta["first"]`` and ``meta["last"]`` set.
    ``textmap`` is stale afterwards.
    """
    order = sorted(range(len(wraps)), key=lambda i: (wraps[i].start, -wraps[i].end, i))
    ends = [b.end for b in textmap.blocks]
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
    made: dict[int, list[tuple[Token, Token]]] = {}
    for b in sorted(per_block):
        block = textmap.blocks[b]
        _splice_block(textmap.tokens[block.index], block, per_block[b], wraps, made)
    for pairs in made.values():
        for n, (open_, close) in enumerate(pairs):
            for token in (open_, close):
                token.meta["first"] = n == 0
                token.meta["last"] = n == len(pairs) - 1


def _splice_block(
    inline: Token,
    block: Block,
    items: list[tuple[int, int, int]],
    wraps: Sequence[Wrap],
    made: dict[int, list[tuple[Token, Token]]],
) -> None:
    """Splice the (wrap index, start, end) items, in nesting order, into one inline token."""
    cuts = sorted({p for _, start, end in items for p in (start, end)})
    children: list[Token] = []
    ranges: list[tuple[int, int] | None] = []
    for child, rng in zip(inline.children or (), block.ranges, strict=True):
        if rng is None or child.type not in TEXTUAL:
            children.append(child)
            ranges.append(rng)
            continue
        lo = bisect.bisect_right(cuts, rng[0])
        hi = bisect.bisect_left(cuts, rng[1])
        prev = rng[0]
        for point in [*cuts[lo:hi], rng[1]]:
            if lo == hi:
                children.append(child)
            else:
                text = child.content[prev - rng[0] : point - rng[0]]
                children.append(_instance(child, text))
            ranges.append((prev, point))
            prev = point
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
