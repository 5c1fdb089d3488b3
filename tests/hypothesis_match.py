"""Hypothesis' quote matching, ported for the tests: how its client re-anchors a selector.

A port of ``matchQuote`` from the Hypothesis client (src/annotator/anchoring/
match-quote.ts, BSD 2-Clause): every exact occurrence of the quote, or else the
approximate ones with the fewest errors, scored by the quote (weight 50), the prefix
and suffix (20 each, by edit distance) and the distance to the position hint (2).
Approximate matching uses briefgen's Myers implementation, which finds the fewest
errors as approx-string-match does. The tests check the port against the Hypothesis
cases in tests/fixtures/conformance/ before relying on it.
"""

from __future__ import annotations

from dataclasses import dataclass

from briefgen.text.fuzzy import closest_ends, match_start

QUOTE_WEIGHT = 50.0
PREFIX_WEIGHT = 20.0
SUFFIX_WEIGHT = 20.0
POSITION_WEIGHT = 2.0


@dataclass(frozen=True)
class Match:
    """A candidate: [start, end) of the text, its errors and its score."""

    start: int
    end: int
    errors: int
    score: float = 0.0


def search(text: str, quote: str, max_errors: int) -> list[Match]:
    """Exact occurrences, else the approximate matches with the fewest errors."""
    exact = []
    at = text.find(quote)
    while at != -1:
        exact.append(Match(at, at + len(quote), 0))
        at = text.find(quote, at + 1)
    if exact:
        return exact
    found = closest_ends(quote, text, max_errors)
    if found is None:
        return []
    errors, ends = found
    return [Match(match_start(quote, text, end, errors), end, errors) for end in ends]


def text_match_score(text: str, part: str) -> float:
    """1 - errors / length of the best match of ``part`` in ``text`` (0 when either is empty)."""
    if not part or not text:
        return 0.0
    matches = search(text, part, len(part))
    return 1.0 - matches[0].errors / len(part) if matches else 0.0


def match_quote(
    text: str,
    quote: str,
    prefix: str | None = None,
    suffix: str | None = None,
    hint: int | None = None,
) -> Match | None:
    """The best match of ``quote`` in ``text``, as Hypothesis' ``matchQuote`` picks it."""
    if not quote:
        return None
    matches = search(text, quote, min(256, len(quote) // 2))
    if not matches:
        return None

    def score(match: Match) -> float:
        quote_score = 1.0 - match.errors / len(quote)
        prefix_score = 1.0
        if prefix:
            prefix_score = text_match_score(
                text[max(0, match.start - len(prefix)) : match.start], prefix
            )
        suffix_score = 1.0
        if suffix:
            suffix_score = text_match_score(text[match.end : match.end + len(suffix)], suffix)
        position_score = 1.0
        if hint is not None:
            position_score = 1.0 - abs(match.start - hint) / len(text)
        raw = (
            QUOTE_WEIGHT * quote_score
            + PREFIX_WEIGHT * prefix_score
            + SUFFIX_WEIGHT * suffix_score
            + POSITION_WEIGHT * position_score
        )
        return raw / (QUOTE_WEIGHT + PREFIX_WEIGHT + SUFFIX_WEIGHT + POSITION_WEIGHT)

    scored = [Match(m.start, m.end, m.errors, score(m)) for m in matches]
    return max(scored, key=lambda m: m.score)  # the first of equals, as a stable sort
