"""Text normalisation with a map from each normalised character back to the original.

The rules (Unicode NFC; invisible characters removed; quotation marks, apostrophes
and dashes made plain; white space collapsed to one space) are part of briefgen's
content format. They are stated in full in ``briefgen.text.anchoring``, whose quotes,
prefixes, suffixes and texts all go through them, and which re-exports ``normalise``.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Callable

__all__ = ["normalise", "normalise_mapped", "normalise_with_origins", "normalised"]

_INVISIBLE = "\u00ad\u200b\u2060\ufeff"
_FOLD = str.maketrans(
    {
        **dict.fromkeys("\u2018\u2019\u201a\u201b\u2039\u203a\u2032\u02bc\u0060\u00b4", "'"),
        **dict.fromkeys("\u201c\u201d\u201e\u201f\u00ab\u00bb\u2033", '"'),
        **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-"),
    }
)
# The gaps that change anything: a lone " " between two visible characters stays as is,
# so only longer runs, other white space and invisible characters are visited.
_CHANGING_GAP = re.compile(rf"[\s{_INVISIBLE}]{{2,}}|[^\S ]|[{_INVISIBLE}]")
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")


def _compose(text: str) -> tuple[str, list[int], list[int]]:
    """Apply NFC; return the result and each character's original start and end."""
    parts: list[str] = []
    starts: list[int] = []
    ends: list[int] = []

    def emit(begin: int, end: int) -> None:
        """Append the NFC form of text[begin:end], each character mapped back."""
        chunk = text[begin:end]
        composed = unicodedata.normalize("NFC", chunk)
        parts.append(composed)
        if composed == chunk:
            starts.extend(range(begin, end))
            ends.extend(range(begin + 1, end + 1))
        else:  # every character of a changed chunk stands for the whole chunk
            starts.extend([begin] * len(composed))
            ends.extend([end] * len(composed))

    pos = 0
    for run in _NON_ASCII.finditer(text):
        # ASCII is stable under NFC: it never composes with or reorders around what
        # precedes it. Only the character before a non-ASCII run may combine with it.
        begin = max(pos, run.start() - 1)
        emit(pos, begin)
        for i in range(begin + 1, run.end()):
            if _is_boundary(text[begin:i], text[i]):
                emit(begin, i)
                begin = i
        emit(begin, run.end())
        pos = run.end()
    emit(pos, len(text))
    return "".join(parts), starts, ends


def _is_boundary(chunk: str, char: str) -> bool:
    """Tell whether NFC treats ``chunk`` and a following ``char`` independently."""
    nfc = unicodedata.normalize
    if unicodedata.combining(nfc("NFD", char)[0]):
        return False
    return nfc("NFC", chunk + char) == nfc("NFC", chunk) + nfc("NFC", char)


def _collapse(text: str) -> tuple[str, list[int]]:
    """Drop invisible characters and collapse white space; map each result char back."""
    parts: list[str] = []
    index: list[int] = []
    pos = 0
    for gap in _CHANGING_GAP.finditer(text):
        start, end = gap.span()
        parts.append(text[pos:start])
        index.extend(range(pos, start))
        run = gap.group()
        first_space = next((k for k, ch in enumerate(run) if ch not in _INVISIBLE), None)
        if first_space is not None:
            parts.append(" ")
            index.append(start + first_space)
        pos = end
    parts.append(text[pos:])
    index.extend(range(pos, len(text)))
    return "".join(parts), index


def normalise_mapped(text: str) -> tuple[str, list[int], list[int]]:
    """Normalise ``text``; return it with each character's original start and end."""
    if unicodedata.is_normalized("NFC", text):
        collapsed, index = _collapse(text.translate(_FOLD))
        return collapsed, index, [k + 1 for k in index]
    composed, starts, ends = _compose(text)
    collapsed, index = _collapse(composed.translate(_FOLD))
    return collapsed, [starts[k] for k in index], [ends[k] for k in index]


def normalise(text: str) -> tuple[str, list[int]]:
    """Return the normalised text and each character's index in `text`, then len(text)."""
    normalised, starts, _ = normalise_mapped(text)
    starts.append(len(text))
    return normalised, starts


def _gap(match: re.Match[str]) -> str:
    """A changing gap's replacement: one space, or nothing if it held only invisibles."""
    return "" if match.group().strip(_INVISIBLE) == "" else " "


def normalised(text: str) -> str:
    """The normalised text alone, without a map back (for quotes, prefixes, suffixes)."""
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return _CHANGING_GAP.sub(_gap, text.translate(_FOLD))


def normalise_with_origins(
    text: str,
) -> tuple[str, Callable[[int], int], Callable[[int], int]]:
    """Normalise ``text``; return it with functions giving each character's original span.

    For text already in NFC (nearly all text), every normalised character stands for
    one original character, shifted by the white space and invisible characters removed
    before it: the shifts are kept per gap and looked up by bisection, instead of one
    list entry per character.
    """
    if not unicodedata.is_normalized("NFC", text):
        collapsed, starts, ends = normalise_mapped(text)
        return collapsed, starts.__getitem__, ends.__getitem__
    folded = text.translate(_FOLD)
    parts: list[str] = []
    breaks: list[int] = [0]  # normalised positions where the shift changes
    shifts: list[int] = [0]  # original index minus normalised index, from that position on
    pos = removed = 0
    for gap in _CHANGING_GAP.finditer(folded):
        start, end = gap.span()
        parts.append(folded[pos:start])
        at = start - removed  # where the gap lands in the normalised text
        run = gap.group()
        first_space: int | None = 0  # nearly always: the gap starts with white space
        if run[0] in _INVISIBLE:
            first_space = next((k for k, ch in enumerate(run) if ch not in _INVISIBLE), None)
        if first_space is not None:
            parts.append(" ")
            breaks.append(at)
            shifts.append(removed + first_space)
            removed += end - start - 1
            breaks.append(at + 1)
        else:
            removed += end - start
            breaks.append(at)
        shifts.append(removed)
        pos = end
    parts.append(folded[pos:])

    def start_of(i: int) -> int:
        return i + shifts[bisect.bisect_right(breaks, i) - 1]

    def end_of(i: int) -> int:
        return start_of(i) + 1

    return "".join(parts), start_of, end_of
