"""Anchor repair: the new quote, prefix, suffix or occurrence of a quote that drifted.

An article changes after it was annotated; a quote then no longer matches
(``briefgen.text.anchoring`` reports the closest passages), or it still occurs but its
prefix or suffix no longer fits. A repair rewrites the anchor so that it lands on the
closest passage, and is made only when that passage is unambiguous (it is the only
candidate: no other passage is nearly as close, or the anchor's ``occurrence`` picks it
among passages exactly as close) and similar enough to the quote
(``REPAIR_SIMILARITY``). A quote whose context no longer fits is the same quote, so
only the first condition applies to it.

The repaired anchor changes as little as it can, tried in this order, and is kept only
when it anchors exactly on the passage:

1. the new quote with the same prefix, suffix and occurrence;
2. with the occurrence renumbered (when the anchor has one);
3. with the prefix and suffix it has taken from the text around the passage (the same
   number of words, or up to ``MAX_CONTEXT_WORDS``), the occurrence renumbered.

No key is added: an anchor without context needs none, since a passage that another
one as close rivals is not repaired.

Pure: text in, values out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from briefgen.model import Anchor
from briefgen.text.anchoring import Ambiguous, Anchorer, Candidate, Found, NotFound, Span

__all__ = ["MAX_CONTEXT_WORDS", "REPAIR_SIMILARITY", "Repair", "Unrepaired", "repair"]

# A closest passage replaces a quote only when it is at least this similar to it (one
# less the edits per character of the quote): at most one character in five differs.
REPAIR_SIMILARITY = 0.8
# A prefix or suffix that is written anew takes at most this many words of the text.
MAX_CONTEXT_WORDS = 6

WORDS = re.compile(r"\S+")

Fields = dict[str, str | int | None]  # an anchor's quote, prefix, suffix and occurrence


@dataclass(frozen=True)
class Repair:
    """The new values of an anchor's fields (only those that change) and where it lands."""

    values: tuple[tuple[str, str | int], ...]
    span: Span


@dataclass(frozen=True)
class Unrepaired:
    """Why a quote is not repaired."""

    reason: str


def repair(anchorer: Anchorer, anchor: Anchor, result: NotFound) -> Repair | Unrepaired:
    """The repair of ``anchor``, which ``result`` says did not anchor; or why there is none."""
    if result.best is None or not result.candidates:
        return Unrepaired("nothing in the article is close to it")
    candidates = result.candidates
    if len(candidates) > 1 and anchor.occurrence is not None:
        # Equally close passages are told apart by the occurrence, in text order, as
        # the matches of an exact quote are.
        tied = sorted((c for c in candidates if c.score == result.score), key=_start)
        if len(tied) == len(candidates) and anchor.occurrence <= len(tied):
            candidates = (tied[anchor.occurrence - 1],)
    if len(candidates) > 1:
        if result.context_mismatch:
            return Unrepaired(f"{len(candidates)} occurrences have about as close a context")
        return Unrepaired(f"{len(candidates)} passages are about as close")
    if not result.context_mismatch and result.score < REPAIR_SIMILARITY:
        return Unrepaired(f"its similarity is below {REPAIR_SIMILARITY:.2f}")
    target = candidates[0].span
    quote = anchor.quote
    if not result.context_mismatch:
        quote = " ".join(anchorer.text[target.start : target.end].split())
    for fields in _attempts(anchorer, anchor, quote, target):
        if _lands(anchorer, fields, target):
            old: Fields = {"quote": anchor.quote, "prefix": anchor.prefix}
            old |= {"suffix": anchor.suffix, "occurrence": anchor.occurrence}
            changed = tuple((k, v) for k, v in fields.items() if v is not None and v != old[k])
            return Repair(changed, target)
    return Unrepaired("no prefix or suffix of the text picks the passage out alone")


def _start(candidate: Candidate) -> int:
    """Where a candidate starts."""
    return candidate.span.start


def _attempts(anchorer: Anchorer, anchor: Anchor, quote: str, target: Span) -> list[Fields]:
    """The anchors to try, changing as little as possible first."""
    same: Fields = {
        "quote": quote,
        "prefix": anchor.prefix,
        "suffix": anchor.suffix,
        "occurrence": anchor.occurrence,
    }
    attempts = [same]
    if anchor.occurrence is not None:
        attempts.append(_renumbered(anchorer, same, target))
    if anchor.prefix or anchor.suffix:
        least = len(WORDS.findall(anchor.prefix or "") or WORDS.findall(anchor.suffix or ""))
        for words in range(max(1, least), MAX_CONTEXT_WORDS + 1):
            fields = dict(same)
            if anchor.prefix:
                fields["prefix"] = _before(anchorer.text, target, words)
            if anchor.suffix:
                fields["suffix"] = _after(anchorer.text, target, words)
            attempts.append(fields)
            if anchor.occurrence is not None:
                attempts.append(_renumbered(anchorer, fields, target))
    return attempts


def _renumbered(anchorer: Anchorer, fields: Fields, target: Span) -> Fields:
    """``fields`` with the occurrence that picks ``target`` among the matches (if any)."""
    found = _find(anchorer, {**fields, "occurrence": None})
    if isinstance(found, Ambiguous) and target in found.spans:
        return {**fields, "occurrence": found.spans.index(target) + 1}
    if isinstance(found, Found) and found.span == target:
        return {**fields, "occurrence": 1}
    return fields


def _lands(anchorer: Anchorer, fields: Fields, target: Span) -> bool:
    """Whether an anchor of these fields is found exactly at ``target``."""
    if fields["prefix"] == "" or fields["suffix"] == "":
        return False  # no text on that side: nothing to write
    return _find(anchorer, fields) == Found(target)


def _find(anchorer: Anchorer, fields: Fields) -> object:
    """Anchor the fields."""
    occurrence = fields["occurrence"]
    return anchorer.find(
        str(fields["quote"]),
        _text(fields["prefix"]),
        _text(fields["suffix"]),
        occurrence if isinstance(occurrence, int) else None,
    )


def _text(value: str | int | None) -> str | None:
    """A prefix or suffix as anchoring takes it."""
    return None if value is None else str(value)


def _before(text: str, span: Span, words: int) -> str:
    """The last ``words`` words before ``span``, white space made single spaces."""
    return " ".join(WORDS.findall(text[max(0, span.start - 80 * words) : span.start])[-words:])


def _after(text: str, span: Span, words: int) -> str:
    """The first ``words`` words after ``span``, white space made single spaces."""
    return " ".join(WORDS.findall(text[span.end : span.end + 80 * words])[:words])
