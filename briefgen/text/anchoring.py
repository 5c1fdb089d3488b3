"""Quote anchoring: resolve a note's quote to a span of an article's text.

A quote is matched against the article's text as readers see it, after the
normalisation of the content format (``briefgen.text.normalise``, where the rules
are stated): the text, the quote, the prefix and the suffix all go through it.

Matching is otherwise exact and case-sensitive. The quote, prefix and suffix are
also stripped of leading and trailing space. Spans are half-open and in the
original text's coordinates: they cover exactly the original characters matched,
never leading or trailing white space.

Resolution goes from precise to forgiving, as in Hypothesis's ``matchQuote``:

1. every exact occurrence of the quote (overlapping ones count) that lies within one
   block: a text may be cut into blocks (paragraphs, cells, code blocks), and a quote
   never spans two (``Crossing`` when it occurs only so);
2. those whose text just before ends with the prefix and whose text just after
   starts with the suffix (one space between is ignored);
3. the N-th of those when ``occurrence`` is given;
4. if the quote occurs but the context rules out every occurrence, the occurrence
   whose context is most similar is reported as the closest text;
5. if the quote does not occur at all, the closest approximate substring, found
   with Myers' bit-parallel algorithm for approximate string matching (the
   algorithm of the approx-string-match library Hypothesis uses; see
   ``briefgen.text.fuzzy``), snapped to whole words (``briefgen.text.passages``).

Both kinds of failure list the candidates nearly as close as the closest one, so
that a repair (``briefgen.text.repair``) is made only when there is one.

Failure is a return value, never an exception; this module does no I/O.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeAlias

from briefgen.text.fuzzy import distance, lead_errors, tail_errors
from briefgen.text.normalise import normalise, normalise_mapped
from briefgen.text.passages import closest_passages

__all__ = [
    "Ambiguous",
    "Anchorer",
    "Candidate",
    "Crossing",
    "Found",
    "NotFound",
    "OutOfRange",
    "Result",
    "Span",
    "anchor",
]


@dataclass(frozen=True, slots=True)
class Span:
    """A half-open range [start, end) of the original text."""

    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Found:
    """The quote resolved to exactly one span."""

    span: Span


@dataclass(frozen=True, slots=True)
class Candidate:
    """A passage that may be what a quote meant, and how similar it is (0..1)."""

    span: Span
    score: float


@dataclass(frozen=True, slots=True)
class NotFound:
    """Nothing matched; ``best`` is the closest text, for an editor to fix the note.

    ``candidates`` are the passages nearly as close as the closest, ``best`` first: a
    quote with a single candidate is unambiguous. With ``context_mismatch``, they are
    occurrences of the quote and each score is the similarity of its context.
    """

    best: Span | None
    score: float
    context_mismatch: bool = False
    candidates: tuple[Candidate, ...] = ()


@dataclass(frozen=True, slots=True)
class Ambiguous:
    """Several occurrences remain and nothing chooses between them."""

    spans: tuple[Span, ...]


@dataclass(frozen=True, slots=True)
class OutOfRange:
    """Occurrence N was asked for but only ``count`` occurrences remain."""

    count: int
    spans: tuple[Span, ...]


@dataclass(frozen=True, slots=True)
class Crossing:
    """The quote occurs only across a boundary between two blocks of the text."""

    spans: tuple[Span, ...]


Result: TypeAlias = Found | NotFound | Ambiguous | OutOfRange | Crossing

# Weights of the context when ranking occurrences or approximate matches that are
# equally close to the quote. Hypothesis's matchQuote gives prefix and suffix
# equal weight (20 each); only their ratio matters here.
PREFIX_WEIGHT = 20.0  # similarity of the text just before a candidate to the prefix
SUFFIX_WEIGHT = 20.0  # similarity of the text just after a candidate to the suffix

# The fuzzy search gives up beyond this many edits per character of the quote:
# a text that needs more edits than half the quote is not "the same quote".
MAX_ERROR_RATIO = 0.5

# Passages within this much similarity of the closest (for a fuzzy match, in edits per
# character of the quote; for a context, in context similarity) are candidates too: a
# quote is unambiguous only when no other passage comes this close.
CANDIDATE_SPREAD = 0.1


def _normalise_part(part: str | None) -> str:
    """Normalise and strip a quote, prefix or suffix; None becomes empty."""
    if not part:
        return ""
    return normalise(part).strip(" ")


class Anchorer:
    """Normalises one text once and anchors many quotes in it.

    ``gaps`` are the ranges of ``text`` that separate its blocks, in order.
    """

    def __init__(self, text: str, gaps: Sequence[tuple[int, int]] = ()) -> None:
        self.text = text
        mapped = normalise_mapped(text)
        self._text, self._start_of, self._end_of = mapped.text, mapped.start_of, mapped.end_of
        self._gaps = list(gaps)
        self._gap_ends = [end for _, end in self._gaps]

    def find(
        self,
        quote: str,
        prefix: str | None = None,
        suffix: str | None = None,
        occurrence: int | None = None,
    ) -> Result:
        """Resolve ``quote`` (1-based ``occurrence``; ValueError if below 1) to a span."""
        if occurrence is not None and occurrence < 1:
            raise ValueError(f"occurrence must be 1 or more, not {occurrence}")
        needle = _normalise_part(quote)
        if not needle:
            return NotFound(None, 0.0)
        before, after = _normalise_part(prefix), _normalise_part(suffix)
        size = len(needle)
        found = self._occurrences(needle)
        hits = [h for h in found if not self._crosses(self._span(h, h + size))]
        if found and not hits:
            return Crossing(tuple(self._span(h, h + size) for h in found))
        if not hits:
            return self._closest(needle, before, after)
        kept = [h for h in hits if self._fits(h, h + size, before, after)]
        if not kept:
            return self._closest_context(hits, size, before, after)
        spans = tuple(self._span(h, h + size) for h in kept)
        if occurrence is not None:
            if occurrence > len(spans):
                return OutOfRange(len(spans), spans)
            return Found(spans[occurrence - 1])
        if len(spans) == 1:
            return Found(spans[0])
        return Ambiguous(spans)

    def _span(self, start: int, end: int) -> Span:
        """Map a non-empty normalised range to the original text."""
        return Span(self._start_of(start), self._end_of(end - 1))

    def _crosses(self, span: Span) -> bool:
        """Whether ``span`` takes in a gap between two blocks."""
        i = bisect.bisect_right(self._gap_ends, span.start)
        return i < len(self._gaps) and self._gaps[i][0] < span.end

    def _within_block(self, span: Span) -> Span:
        """The longest part of ``span`` that lies within one block."""
        parts: list[Span] = []
        start = span.start
        i = bisect.bisect_right(self._gap_ends, span.start)
        while i < len(self._gaps) and self._gaps[i][0] < span.end:
            parts.append(Span(start, self._gaps[i][0]))
            start = self._gaps[i][1]
            i += 1
        parts.append(Span(start, span.end))
        return max(parts, key=lambda p: p.end - p.start)

    def _occurrences(self, needle: str) -> list[int]:
        """Return the start of every exact occurrence, overlapping ones included."""
        hits: list[int] = []
        pos = self._text.find(needle)
        while pos != -1:
            hits.append(pos)
            pos = self._text.find(needle, pos + 1)
        return hits

    def _before(self, start: int, size: int) -> str:
        """Return up to ``size`` characters before ``start``, one space between ignored."""
        if start > 0 and self._text[start - 1] == " ":
            start -= 1
        return self._text[max(0, start - size) : start]

    def _after(self, end: int, size: int) -> str:
        """Return up to ``size`` characters from ``end``, one space between ignored."""
        if self._text.startswith(" ", end):
            end += 1
        return self._text[end : end + size]

    def _fits(self, start: int, end: int, before: str, after: str) -> bool:
        """Tell whether the context around [start, end) matches the prefix and suffix."""
        if before and not self._before(start, len(before)).endswith(before):
            return False
        return not after or self._after(end, len(after)).startswith(after)

    def _context_score(self, start: int, end: int, before: str, after: str) -> float:
        """Score 0..1 how closely the text around [start, end) matches prefix and suffix."""
        total = weight = 0.0
        if before:
            # Twice the prefix's length holds every alignment with at most len(prefix) edits.
            errors = tail_errors(before, self._before(start, 2 * len(before)))
            total += PREFIX_WEIGHT * (1.0 - errors / len(before))
            weight += PREFIX_WEIGHT
        if after:
            errors = lead_errors(after, self._after(end, 2 * len(after)))
            total += SUFFIX_WEIGHT * (1.0 - errors / len(after))
            weight += SUFFIX_WEIGHT
        return total / weight if weight else 1.0

    def _closest_context(self, hits: list[int], size: int, before: str, after: str) -> NotFound:
        """Report the occurrence whose context is most like the prefix and suffix."""
        scores = [round(self._context_score(h, h + size, before, after), 2) for h in hits]
        order = sorted(range(len(hits)), key=lambda k: -scores[k])  # earliest on ties
        near = [k for k in order if scores[k] >= scores[order[0]] - CANDIDATE_SPREAD]
        candidates = tuple(Candidate(self._span(hits[k], hits[k] + size), scores[k]) for k in near)
        return NotFound(candidates[0].span, candidates[0].score, True, candidates)

    def _closest(self, needle: str, before: str, after: str) -> NotFound:
        """Report the closest passages, whole words (fewest edits first, then context).

        A passage that takes in a gap between blocks is cut to its longest part within
        one, and scored as cut.
        """
        max_errors = int(len(needle) * MAX_ERROR_RATIO)
        spread = max(1, round(len(needle) * CANDIDATE_SPREAD))
        passages = closest_passages(needle, self._text, max_errors, spread)
        if not passages:
            return NotFound(None, 0.0)
        ranked: dict[Span, tuple[int, float]] = {}
        for p in passages:
            span = self._within_block(self._span(p.start, p.end))
            errors = distance(needle, _normalise_part(self.text[span.start : span.end]))
            ranked.setdefault(span, (errors, self._context_score(p.start, p.end, before, after)))
        order = sorted(ranked, key=lambda s: (ranked[s][0], -ranked[s][1]))  # stable: earliest
        fewest, context = ranked[order[0]]
        near = [
            s
            for s in order
            if ranked[s][0] <= fewest + spread and ranked[s][1] >= context - CANDIDATE_SPREAD
        ]
        candidates = tuple(Candidate(s, _similarity(ranked[s][0], needle)) for s in near)
        return NotFound(candidates[0].span, candidates[0].score, False, candidates)


def _similarity(errors: int, needle: str) -> float:
    """How similar a passage is to the quote, 0..1: one less its edits per character."""
    return round(max(0.0, 1.0 - errors / len(needle)), 2)


def anchor(
    text: str,
    quote: str,
    prefix: str | None = None,
    suffix: str | None = None,
    occurrence: int | None = None,
    gaps: Sequence[tuple[int, int]] = (),
) -> Result:
    """One-shot form of Anchorer(text, gaps).find(...)."""
    return Anchorer(text, gaps).find(quote, prefix, suffix, occurrence)
