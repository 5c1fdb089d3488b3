"""The normalisation of briefgen's content format: how quotes, terms and titles compare.

A quote is matched against an article's text as readers see it after one
normalisation; glossary spellings and titles are compared the same way. The text,
the quote, the prefix and the suffix all go through it:

1. Unicode NFC, so a composed "é" (U+00E9) equals "e" + U+0301.
2. Invisible characters are removed: soft hyphen U+00AD, zero-width space U+200B,
   word joiner U+2060 and zero-width no-break space U+FEFF.
3. Quotation marks and apostrophes become straight ones. ``'`` replaces the
   single quotation marks U+2018, U+2019, U+201A, U+201B, the single guillemets
   U+2039, U+203A, the prime U+2032, the modifier letter apostrophe U+02BC, the
   grave accent U+0060 and the acute accent U+00B4. ``"`` replaces the double
   quotation marks U+201C, U+201D, U+201E, U+201F, the guillemets U+00AB, U+00BB
   and the double prime U+2033.
4. Dashes become ``-``: hyphen U+2010, non-breaking hyphen U+2011, figure dash
   U+2012, en dash U+2013, em dash U+2014, horizontal bar U+2015, minus sign U+2212.
5. Every run of white space (every character for which ``str.isspace()`` is true:
   spaces, tabs, line breaks, no-break spaces U+00A0 and U+202F, thin space U+2009
   and the like), with any invisible characters inside it, becomes one space.

Two operations: ``normalise`` gives the normalised text alone (for quotes, spellings,
titles); ``normalise_mapped`` also maps each normalised character back to the
original text (for anchoring, where a span must land on the original characters).
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

__all__ = ["Normalised", "normalise", "normalise_mapped"]

_INVISIBLE = "\u00ad\u200b\u2060\ufeff"
_FOLD = str.maketrans(
    {
        **dict.fromkeys("\u2018\u2019\u201a\u201b\u2039\u203a\u2032\u02bc\u0060\u00b4", "'"),
        **dict.fromkeys("\u201c\u201d\u201e\u201f\u00ab\u00bb\u2033", '"'),
        **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-"),
    }
)
# The gaps that change anything: a lone " " between two visible characters stays as is,
# so only longer runs, other white space and invisible characters are visited: every
# run of white space and invisible characters but a lone space. Written to start with
# one character class, which lets the regular expression engine skip to the next
# white space or invisible character instead of trying the pattern at every character.
_GAP = rf"[\s{_INVISIBLE}]"
_CHANGING_GAP = re.compile(rf"{_GAP}(?:(?<= ){_GAP}+|(?<! ){_GAP}*)")
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


def _map_by_character(text: str) -> tuple[str, list[int], list[int]]:
    """Normalise ``text`` with one list entry per character: each one's original start and end.

    The general form, for text that NFC changes; ``normalise_mapped`` uses shifts per
    gap instead for text already in NFC (nearly all text).
    """
    if unicodedata.is_normalized("NFC", text):
        collapsed, index = _collapse(text.translate(_FOLD))
        return collapsed, index, [k + 1 for k in index]
    composed, starts, ends = _compose(text)
    collapsed, index = _collapse(composed.translate(_FOLD))
    return collapsed, [starts[k] for k in index], [ends[k] for k in index]


def _gap(match: re.Match[str]) -> str:
    """A changing gap's replacement: one space, or nothing if it held only invisibles."""
    return "" if match.group().strip(_INVISIBLE) == "" else " "


def normalise(text: str) -> str:
    """The normalised text alone, without a map back."""
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return _CHANGING_GAP.sub(_gap, text.translate(_FOLD))


@dataclass(frozen=True)
class Normalised:
    """A normalised text and where each of its characters came from in the original."""

    text: str
    original_length: int
    start_of: Callable[[int], int]  # the original offset of normalised character i
    end_of: Callable[[int], int]  # the original offset just after normalised character i
    _origins: list[int] = field(default_factory=list, repr=False, compare=False)

    @property
    def origins(self) -> list[int]:
        """Every character's original offset, then the original length (made on first use)."""
        if not self._origins:
            self._origins.extend(self.start_of(i) for i in range(len(self.text)))
            self._origins.append(self.original_length)
        return self._origins

    def index_of(self, offset: int) -> int:
        """The first normalised character that starts at or after original ``offset``."""
        return bisect.bisect_left(self.origins, offset)


def normalise_mapped(text: str) -> Normalised:
    """Normalise ``text`` and keep, for each normalised character, its original span.

    For text already in NFC (nearly all text), every normalised character stands for
    one original character, shifted by the white space and invisible characters removed
    before it: the shifts are kept per gap and looked up by bisection, instead of one
    list entry per character.
    """
    if not unicodedata.is_normalized("NFC", text):
        collapsed, starts, ends = _map_by_character(text)
        return Normalised(collapsed, len(text), starts.__getitem__, ends.__getitem__)
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

    return Normalised("".join(parts), len(text), start_of, end_of)
