"""Where each note and phrase link landed in its article, with the words around it; pure.

The anchoring rule (``markdown.anchors``) makes a ``Landing`` for every quote it
placed; the ``Rendered`` result carries them, so the lock (``source.lockfile``) can
record them and the drift check (``site.drift``) can compare them, in a build, a check
or the dev server's rebuild, whether the rendering was cached or not.

The context is the words of the phrase's own block (a paragraph, a list item, a table
cell) right before and after it: an edit to another paragraph never changes it.
"""

from __future__ import annotations

from dataclasses import dataclass

from briefgen.markdown.textmap import TextMap
from briefgen.model import Anchor

CONTEXT_WORDS = 6  # words of context kept on each side of a phrase


@dataclass(frozen=True, slots=True)
class Landing:
    """A quote that anchored: what it is, the words around its phrase, and where it is."""

    kind: str  # "note" or "link"
    anchor: Anchor
    to: str | None  # a phrase link's target slug
    before: str  # up to CONTEXT_WORDS words before the phrase (see ``context``)
    after: str  # and after it
    line: int  # where the phrase starts in the article's source, 1-based
    col: int

    @property
    def key(self) -> tuple[str, str, str | None, str | None, int | None, str | None]:
        """What the sidecar says of it: the same key in the lock means the same anchor."""
        a = self.anchor
        return (self.kind, a.quote, a.prefix, a.suffix, a.occurrence, self.to)


def context(text: str, start: int, end: int, block_start: int, block_end: int) -> tuple[str, str]:
    """The words before and after ``text[start:end]`` within ``[block_start, block_end)``.

    White space is collapsed; a space next to the phrase is kept, so that the phrase
    and its context read as the article does ("Kupiansk, " before, ", and" after).
    """
    head, tail = text[block_start:start], text[end:block_end]
    before = " ".join(head.split()[-CONTEXT_WORDS:])
    after = " ".join(tail.split()[:CONTEXT_WORDS])
    if before and head[-1].isspace():
        before += " "
    if after and tail[0].isspace():
        after = " " + after
    return before, after


def landing(
    textmap: TextMap, kind: str, anchor: Anchor, to: str | None, start: int, end: int
) -> Landing:
    """The landing of a quote placed at ``[start, end)`` of the reader text."""
    block = textmap.block_at(start)
    first, last = (block.start, block.end) if block is not None else (0, len(textmap.text))
    before, after = context(textmap.text, start, end, first, last)
    line, col = textmap.position(start)
    return Landing(kind, anchor, to, before, after, line, col)
