"""The reader text of a token stream: what anchoring sees, and where each character is.

markdown-it parses an article into block tokens; each paragraph, heading, table cell
or footnote holds an ``inline`` token whose children are text and inline markup, and
each code block holds its code (as one child, see ``briefgen.markdown.code``). The
*reader text* is what a reader sees: the text of every such block (text and code;
line breaks as ``"\\n"``; image alt text and footnote marks left out), blocks
separated by ``"\\n\\n"``, in document order (footnotes last, as they are shown).

``TextMap`` keeps, for every leaf child, the range of reader text it holds, so that
plugins can anchor quotes in the reader text, tell where a block ends (a quote never
crosses one), wrap spans in new tokens (``briefgen.markdown.splice``) and turn a
reader-text offset into the line and column of the article's source. Positions are
exact: the inline parser's own offsets (``briefgen.markdown.positions``), then the
block's lines (``briefgen.markdown.lines``); no text is searched for.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from markdown_it.token import Token

from briefgen.markdown.lines import SourceLines, origins
from briefgen.markdown.positions import START, offsets

BLOCK_SEPARATOR = "\n\n"
BREAKS = frozenset({"softbreak", "hardbreak"})
TEXTUAL = frozenset({"text", "code_inline"})
CODE_BLOCKS = frozenset({"fence", "code_block"})


@dataclass
class Block:
    """One block's share of the reader text."""

    index: int  # position of the inline token (or code block) in the token stream
    start: int  # reader offset of its first character
    end: int  # reader offset just after its last character
    ranges: list[tuple[int, int] | None]  # per child: its reader range, None for markup
    origins: list[int] | None = field(default=None, repr=False)  # source offset per char

    def is_code(self, tokens: list[Token]) -> bool:
        """Whether this block is a code block."""
        return tokens[self.index].type in CODE_BLOCKS


def leaf_text(child: Token) -> str | None:
    """The reader text of one inline child, or None when it is markup."""
    if child.type in TEXTUAL:
        return child.content or None
    if child.type in BREAKS:
        return "\n"
    return None


def has_text(token: Token) -> bool:
    """Whether a block token holds reader text: an inline token, or a code block's code."""
    return token.children is not None and (token.type == "inline" or token.type in CODE_BLOCKS)


def child_ranges(children: list[Token], start: int) -> list[tuple[int, int] | None]:
    """The reader range of each of a block's children, the block starting at ``start``."""
    ranges: list[tuple[int, int] | None] = []
    pos = start
    for child in children:
        text = leaf_text(child)
        if text is None:
            ranges.append(None)
        else:
            ranges.append((pos, pos + len(text)))
            pos += len(text)
    return ranges


class TextMap:
    """The reader text of ``tokens`` with a map back to the tokens and the source."""

    def __init__(self, tokens: list[Token], src: str = "") -> None:
        """Collect the reader text of every block in ``tokens``."""
        self.tokens = tokens
        self.blocks: list[Block] = []
        self._src = src
        self._lines: SourceLines | None = None
        parts: list[str] = []
        pos = 0
        for index, token in enumerate(tokens):
            if not has_text(token):
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

    @property
    def boundaries(self) -> list[tuple[int, int]]:
        """The separators between blocks: (end of one block, start of the next)."""
        return [(a.end, b.start) for a, b in zip(self.blocks, self.blocks[1:], strict=False)]

    def block_at(self, offset: int) -> Block | None:
        """The block holding reader offset ``offset`` (the next one in a separator)."""
        if not self.blocks:
            return None
        i = max(bisect.bisect_right(self._starts, offset) - 1, 0)
        if offset > self.blocks[i].end and i + 1 < len(self.blocks):
            i += 1
        return self.blocks[i]

    def position(self, offset: int) -> tuple[int, int]:
        """The 1-based (line, col) of the source character that shows reader ``offset``."""
        block = self.block_at(offset)
        if block is None:
            return 1, 1
        if self._lines is None:
            self._lines = SourceLines(self._src)
        at = self._source_offset(block, max(offset, block.start))
        return self._lines.line_col(at)

    def _source_offset(self, block: Block, offset: int) -> int:
        """The source offset of the character at reader ``offset`` in ``block``."""
        token = self.tokens[block.index]
        inner = _child_offset(token.children or [], block.ranges, offset)
        found = self._origins(block)
        if inner < len(found):
            return found[inner]
        return found[-1] + 1 if found else 0

    def _origins(self, block: Block) -> list[int]:
        """The source offset of each character of the block's text (made on first use)."""
        if block.origins is None:
            assert self._lines is not None
            found = origins(self.tokens, block.index, self._lines)
            block.origins = found if found is not None else self._footnote_origins(block)
        return block.origins

    def _footnote_origins(self, block: Block) -> list[int]:
        """An inline footnote's text: it sits in the paragraph that holds its mark."""
        opener = next(
            (t for t in reversed(self.tokens[: block.index]) if t.type == "footnote_open"), None
        )
        ident = opener.meta.get("id") if opener is not None else None
        for parent in self.blocks:
            for child in self.tokens[parent.index].children or ():
                if child.type == "footnote_ref" and child.meta.get("id") == ident:
                    found = self._origins(parent)
                    begin = child.meta.get(START, 0) + 2  # after "^["
                    size = len(self.tokens[block.index].content)
                    return [found[min(begin + i, len(found) - 1)] for i in range(size)]
        return []


def _child_offset(children: list[Token], ranges: list[tuple[int, int] | None], offset: int) -> int:
    """The offset in the block's parsed text of the character at reader ``offset``."""
    last = 0
    for child, rng in zip(children, ranges, strict=True):
        if rng is None:
            continue
        known = offsets(child)
        if rng[0] <= offset < rng[1]:
            i = offset - rng[0]
            return known[i] if known is not None else last + i
        if known:
            last = known[-1] + 1
    return last
