"""The closest passages to a quote that does not occur: approximate matches, whole words.

An approximate match (``briefgen.text.fuzzy``) ends wherever the fewest edits end, which
may be inside a word: "questions and worries" is closest to "questions and concer" of
"questions and concerns". A passage shown to an editor, or written into a sidecar by
``briefgen check --fix``, is whole words, so each match is snapped to word boundaries:
an end inside a word moves to the word's start or end, whichever leaves the passage
closer to the quote (the longer one on a tie), so "questions and concer" becomes
"questions and concerns". Words are those of glossary terms (``briefgen.text.words``:
in Chinese or Thai, every character is one); a word longer than ``MAX_SNAP`` characters
on either side of the end (a URL, a run of digits) is cut where the match ends.

Works on normalised text (``briefgen.text.normalise``); positions index into it. Pure.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from briefgen.text.fuzzy import distance, match_runs, match_start
from briefgen.text.words import joins

__all__ = ["Passage", "closest_passages", "snap"]

MAX_SNAP = 20  # an end moves at most this many characters to reach a word boundary


@dataclass(frozen=True, slots=True)
class Passage:
    """A half-open range [start, end) of the normalised text, and its edits from the quote."""

    start: int
    end: int
    errors: int


def closest_passages(needle: str, text: str, max_errors: int, spread: int) -> list[Passage]:
    """Every distinct passage at most ``spread`` edits worse than the closest one, whole words.

    Passages are in text order; none needs more than ``max_errors`` edits before snapping.
    """
    runs = match_runs(needle, text, max_errors)
    if not runs:
        return []
    limit = min(errors for errors, _ in runs) + spread
    found: dict[tuple[int, int], Passage] = {}
    for errors, end in runs:
        if errors > limit:
            continue
        start = match_start(needle, text, end, errors)
        matched = text[start:end]
        if matched.strip(" "):  # trim surrounding space unless nothing else is left
            start += len(matched) - len(matched.lstrip(" "))
            end -= len(matched) - len(matched.rstrip(" "))
        passage = snap(needle, text, start, end)
        found.setdefault((passage.start, passage.end), passage)
    return list(found.values())


def snap(needle: str, text: str, start: int, end: int) -> Passage:
    """The range [start, end) with each end inside a word moved to a word boundary."""
    starts = _near(text, start, (_word_start, _next_word_start))
    ends = _near(text, end, (_word_end, _previous_word_end))
    options = [(s, e) for s in starts for e in ends if s < e] or [(start, end)]
    best = min(options, key=lambda o: (distance(needle, text[o[0] : o[1]]), o[0] - o[1], o[0]))
    return Passage(best[0], best[1], distance(needle, text[best[0] : best[1]]))


def _near(text: str, i: int, moves: tuple[Callable[[str, int], int], ...]) -> set[int]:
    """Where position ``i`` may snap to: itself outside a word, else the boundaries near it."""
    if not _inside_word(text, i):
        return {i}
    return {j for j in (move(text, i) for move in moves) if abs(j - i) <= MAX_SNAP} or {i}


def _inside_word(text: str, i: int) -> bool:
    """Whether position ``i`` (between two characters) falls inside a word."""
    return 0 < i < len(text) and joins(text[i - 1], text[i])


def _word_start(text: str, i: int) -> int:
    """The start of the word that position ``i`` falls inside."""
    while _inside_word(text, i):
        i -= 1
    return i


def _word_end(text: str, i: int) -> int:
    """The end of the word that position ``i`` falls inside."""
    while _inside_word(text, i):
        i += 1
    return i


def _next_word_start(text: str, i: int) -> int:
    """The start of the next word after the one position ``i`` falls inside (or the end)."""
    i = _word_end(text, i)
    while i < len(text) and not text[i].isalnum():
        i += 1
    return i


def _previous_word_end(text: str, i: int) -> int:
    """The end of the word before the one position ``i`` falls inside (or the start)."""
    i = _word_start(text, i)
    while i > 0 and not text[i - 1].isalnum():
        i -= 1
    return i
