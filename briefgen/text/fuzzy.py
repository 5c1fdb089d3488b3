"""Approximate string matching: the fewest edits from a pattern to a substring of a text.

An edit inserts, deletes or substitutes one character (Levenshtein distance).
Distances are computed with Myers' bit-vector algorithm (J. ACM 46(3), 1999), the
algorithm of the approx-string-match library Hypothesis uses, with one Python int
as a column of the edit-distance matrix however long the pattern is.

Every pattern must be non-empty. Positions are indexes into the text; an end is
exclusive. The functions are pure and know nothing of quotes or normalisation.
"""

from __future__ import annotations

from collections.abc import Iterator

__all__ = ["closest_ends", "distance", "lead_errors", "match_runs", "match_start", "tail_errors"]


def _pattern_masks(pattern: str) -> dict[str, int]:
    """Map each character of ``pattern`` to the bit set of its positions."""
    masks: dict[str, int] = {}
    for i, ch in enumerate(pattern):
        masks[ch] = masks.get(ch, 0) | (1 << i)
    return masks


def _last_row(pattern: str, text: str, *, anchored: bool) -> Iterator[int]:
    """Yield, for each character of ``text``, the last row of the matrix's column.

    ``pv``/``mv`` hold the rows where the vertical delta is +1/-1 and ``score`` the
    last row. Unanchored, a match may start anywhere: the top row stays 0, so
    nothing shifts in. Anchored at ``text[0]``, the top row grows by 1 per column.
    """
    get = _pattern_masks(pattern).get
    top = 1 if anchored else 0
    full = (1 << len(pattern)) - 1
    last = 1 << (len(pattern) - 1)
    pv, mv, score = full, 0, len(pattern)
    for ch in text:
        eq = get(ch, 0)
        xv = eq | mv
        xh = (((eq & pv) + pv) ^ pv) | eq
        ph = mv | ~(xh | pv)
        mh = pv & xh
        if ph & last:
            score += 1
        elif mh & last:
            score -= 1
        ph = (ph << 1) | top
        mh <<= 1
        pv = (mh | ~(xv | ph)) & full
        mv = ph & xv
        yield score


def closest_ends(pattern: str, text: str, max_errors: int) -> tuple[int, list[int]] | None:
    """Return the fewest edits from ``pattern`` to a substring of ``text``, and its ends.

    Adjacent ends with equally few edits are one match, read as long as it goes:
    only the last end of each run of adjacent ends is returned. Returns None when
    every substring needs more than ``max_errors`` edits.
    """
    best, ends = max_errors, []
    for end, score in enumerate(_last_row(pattern, text, anchored=False), 1):
        if score < best:
            best, ends = score, [end]
        elif score == best:
            ends.append(end)
    if not ends:
        return None
    return best, [e for k, e in enumerate(ends) if k + 1 == len(ends) or ends[k + 1] != e + 1]


def match_runs(pattern: str, text: str, max_errors: int) -> list[tuple[int, int]]:
    """Return each distinct match of ``pattern`` with at most ``max_errors`` edits.

    Ends within the bound that are adjacent form one match: each run of them gives its
    fewest edits and the last end with that many, as (errors, end), in text order.
    """
    runs: list[tuple[int, int]] = []
    inside = False
    for end, score in enumerate(_last_row(pattern, text, anchored=False), 1):
        if score > max_errors:
            inside = False
        elif not inside:
            runs.append((score, end))
            inside = True
        elif score <= runs[-1][0]:
            runs[-1] = (score, end)
    return runs


def distance(a: str, b: str) -> int:
    """Return the Levenshtein distance between ``a`` and ``b`` (either may be empty)."""
    if not a or not b:
        return len(a) + len(b)
    *_, last = _last_row(a, b, anchored=True)
    return last


def match_start(pattern: str, text: str, end: int, errors: int) -> int:
    """Return the earliest start of a match of ``pattern`` ending at ``end`` with ``errors``."""
    low = max(0, end - len(pattern) - errors)
    distances = _last_row(pattern[::-1], text[low:end][::-1], anchored=True)
    longest = max(j for j, d in enumerate(distances) if d <= errors)
    return end - longest - 1


def lead_errors(pattern: str, window: str) -> int:
    """Return the fewest edits between ``pattern`` and any prefix of ``window``."""
    return min([len(pattern), *_last_row(pattern, window, anchored=True)])


def tail_errors(pattern: str, window: str) -> int:
    """Return the fewest edits between ``pattern`` and any suffix of ``window``."""
    return lead_errors(pattern[::-1], window[::-1])
