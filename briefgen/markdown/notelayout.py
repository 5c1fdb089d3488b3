"""Which sidenotes fit in the margin: the placement the page has without JavaScript; pure.

On wide screens a sidenote floats in the margin beside its line, below the note
before it when they crowd. A note that would sit more than ``LIMIT`` below its line, or
run past the end of the text, is shown in the text instead (``is-inline``).

The build cannot measure the page, so it estimates, in CSS pixels of the default
theme's wide layout (a 38rem measure of 19px serif text, 16rem notes of 13.8px text):
the height of the text before each note's line, and the height of each note. The
estimates lean one way only: text is taken as shorter and notes as taller than they
are, so a note the build leaves in the margin sits no further from its line than
estimated. briefgen.js measures the real page and places the notes again.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

# Text column: characters per line (more than the ~64 a 608px line holds, so that the
# text is estimated shorter than it is), line height and paragraph gap in px.
TEXT_CHARS_PER_LINE = 72
TEXT_LINE = 31.35
PARAGRAPH_GAP = 21.85
# Margin notes: characters per line (fewer than the ~40 a 256px line holds, so that notes
# are estimated taller), line height, and margins, padding and rule around each note.
NOTE_CHARS_PER_LINE = 34
NOTE_LINE = 20.6
NOTE_EXTRA = 30.0
# Notes shown in the text: characters per line, and their margins and padding.
INLINE_CHARS_PER_LINE = 80
INLINE_EXTRA = 30.0
# How far below its line a margin note may sit: well under one screen.
LIMIT = 360.0


@dataclass(frozen=True)
class NoteSpot:
    """A note for placement: where its number is in the reader text, how long it is."""

    block: int  # the index of its paragraph (or other block)
    offset: int  # characters of reader text before its number, within the block
    length: int  # characters of the note's text and sources


def _lines(chars: int, per_line: int) -> int:
    """How many lines ``chars`` characters fill (at least one)."""
    return max(1, math.ceil(chars / per_line))


def inline_notes(blocks: Sequence[int], notes: Sequence[NoteSpot]) -> frozenset[int]:
    """The indexes of the notes to show in the text; ``blocks`` are the blocks' lengths."""
    tops = [0.0]
    for length in blocks:
        tops.append(tops[-1] + _lines(length, TEXT_CHARS_PER_LINE) * TEXT_LINE + PARAGRAPH_GAP)
    end = tops[-1] - PARAGRAPH_GAP
    inline: set[int] = set()
    margin: list[tuple[int, float, float]] = []  # (index, top, bottom), in order
    shift = 0.0  # height added to the text by the notes shown in it so far
    for i, note in enumerate(notes):
        line = tops[note.block] + (note.offset // TEXT_CHARS_PER_LINE) * TEXT_LINE + shift
        top = max(line, margin[-1][2] if margin else 0.0)
        if top - line > LIMIT:
            inline.add(i)
            shift += _lines(note.length, INLINE_CHARS_PER_LINE) * NOTE_LINE + INLINE_EXTRA
        else:
            margin.append(
                (i, top, top + _lines(note.length, NOTE_CHARS_PER_LINE) * NOTE_LINE + NOTE_EXTRA)
            )
    # The last notes may not run past the end of the text, which every inline note lengthens.
    end += shift
    while margin and margin[-1][2] > end:
        i = margin.pop()[0]
        inline.add(i)
        end += _lines(notes[i].length, INLINE_CHARS_PER_LINE) * NOTE_LINE + INLINE_EXTRA
    return frozenset(inline)
