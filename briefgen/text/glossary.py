"""The glossary matcher: whole-word mentions of glossary terms in a text; pure.

Matching rules (the user's contract, see the content format):

- whole words only: no letter or digit right before or after, even across markup, so
  "NATOs" is not a mention of NATO (a plural is a different word) but "NATO's" is; in
  scripts written without spaces between words (Chinese, Japanese, Thai, Lao, Khmer,
  Burmese) every character is a word of its own, so "上海合作组织" is found in
  "上海合作组织峰会";
- a spelling with a capital beyond the first letter of one of its words (SCO,
  zero-COVID) matches exactly that spelling; any other spelling matches whatever its
  case ("Belt and Road" matches "belt and road");
- text and spellings are compared after the content format's normalisation (quotes,
  dashes, white space), so "'no limits' partnership" also matches with curly quotes;
- the leftmost match wins, then the longest ("Belt and Road Initiative" over
  "Belt and Road"); an article's own terms win over site terms with the same key;
- a match lies within one of the runs it is given (the Markdown stage passes runs of
  plain text: never headings, links, code or image alt text).

``TermMatcher`` compiles every spelling, lower-cased, into one Aho-Corasick automaton
(the ``ahocorasick_rs`` library): one pass over a text finds every occurrence of every
spelling, whatever the size of the glossary, and only those few occurrences are
checked against the rules above in Python. For a 900-word article this takes about
0.05 ms with 50 terms and stays near that with 100,000.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from ahocorasick_rs import AhoCorasick

from briefgen.model import Term
from briefgen.text.normalise import normalise, normalise_mapped
from briefgen.text.words import UNSPACED, joins

WORD = re.compile(f"[{UNSPACED}]|[^\\W_{UNSPACED}]+")
_SPACES = re.compile(" {2,}")


def _lower(text: str) -> str:
    """``text`` lower-cased character by character, keeping its length.

    A rare letter whose lower case is longer (U+0130) stays as it is, so that offsets
    in the lowered text are offsets in the text.
    """
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(ch.lower() if len(ch.lower()) == 1 else ch for ch in text)


@dataclass(frozen=True)
class Spelling:
    """One way of writing a term, as matched: normalised, with its case rule."""

    text: str  # normalised
    exact: bool  # matched in this case only, else in any case
    lead: int  # characters before its first word, e.g. 1 for "'no limits' partnership"
    rank: int  # its place among the matcher's spellings: the first wins a tie
    term: Term


@dataclass(frozen=True)
class Mention:
    """A spelling found in the matched text at [start, end)."""

    start: int
    end: int
    spelling: Spelling


class TermMatcher:
    """The spellings of a set of terms, compiled into one automaton."""

    def __init__(self, terms: Sequence[Term]) -> None:
        """Compile every spelling of ``terms``."""
        self.terms = tuple(terms)
        self.keys = frozenset(term.key for term in terms)
        self._folds: dict[str, str] = {}  # character -> its normalised form
        self._ascii = str.maketrans(  # the ASCII characters normalisation changes
            {ch: folded for ch in map(chr, range(128)) if (folded := normalise(ch)) != ch}
        )
        groups: dict[str, list[Spelling]] = {}  # lower-cased spelling -> its spellings
        seen: set[tuple[str, bool]] = set()
        for term in self.terms:
            for raw in term.spellings:
                text = normalise(raw.strip()).strip()
                word = WORD.search(text)
                exact = any(ch.isupper() for w in WORD.findall(text) for ch in w[1:])
                ident = (text if exact else text.lower(), exact)
                if word is None or ident in seen:
                    continue
                seen.add(ident)
                spelling = Spelling(text, exact, word.start(), len(seen), term)
                groups.setdefault(_lower(text), []).append(spelling)
        self._patterns = tuple(groups)
        self._spellings = tuple(tuple(groups[p]) for p in self._patterns)
        self._automaton = AhoCorasick(list(self._patterns)) if self._patterns else None

    def fold(self, text: str) -> tuple[str, list[int] | None]:
        """``text`` as spellings are matched in it, and a map back when offsets moved.

        When ``text`` is NFC and every character normalises to one character (no
        invisible ones), normalising character by character gives the same words and
        keeps every offset (None: no map); runs of white space stay, and a space in a
        spelling matches a run. Otherwise the text is normalised as a whole and the map
        gives each character's offset in ``text``.
        """
        if text.isascii():  # NFC, and each character normalises to one: a fixed table
            return text.translate(self._ascii), None
        if unicodedata.is_normalized("NFC", text):
            chars = set(text)
            for ch in chars.difference(self._folds):
                self._folds[ch] = normalise(ch)
            table = {ord(ch): self._folds[ch] for ch in chars if self._folds[ch] != ch}
            if all(len(folded) == 1 for folded in table.values()):
                return text.translate(table), None
        mapped = normalise_mapped(text)
        return mapped.text, mapped.origins

    def occurrences(self, lowered: str) -> list[tuple[int, int, tuple[Spelling, ...]]]:
        """Every occurrence (start, end, spellings) of a lower-cased spelling in ``lowered``."""
        if self._automaton is None:
            return []
        found = self._automaton.find_matches_as_indexes(lowered, overlapping=True)
        return [(start, end, self._spellings[index]) for index, start, end in found]


def _squeeze(text: str) -> tuple[str, list[int], list[int]]:
    """``text`` with each run of spaces made one space, and the shifts back to ``text``.

    Character ``i`` of the result is character ``i + shifts[k]`` of ``text``, where
    ``breaks[k]`` is the last break at or before ``i``.
    """
    if "  " not in text:
        return text, [0], [0]
    parts: list[str] = []
    breaks, shifts = [0], [0]
    pos = removed = 0
    for run in _SPACES.finditer(text):
        start, end = run.span()
        parts.append(text[pos : start + 1])
        breaks.append(start - removed + 1)
        removed += end - start - 1
        shifts.append(removed)
        pos = end
    parts.append(text[pos:])
    return "".join(parts), breaks, shifts


def find_mentions(
    text: str,
    runs: Sequence[tuple[int, int]],
    site: TermMatcher,
    local: TermMatcher | None = None,
    work: Counter[str] | None = None,
) -> Iterator[Mention]:
    """Mentions in folded ``text``, each within one of ``runs``, leftmost then longest.

    ``work``, when given, counts the occurrences that the automaton found (and that
    were then checked one by one).
    """
    overridden = local.keys if local else frozenset()
    squeezed, breaks, shifts = _squeeze(text)
    lowered = _lower(squeezed)
    starts = [start for start, _ in runs]

    def back(i: int) -> int:
        return i + shifts[bisect.bisect_right(breaks, i) - 1]

    found: list[tuple[int, int, int, int, Mention]] = []
    for matcher, order in ((local, 0), (site, 1)):  # an article's own terms first
        occurrences = matcher.occurrences(lowered) if matcher is not None else []
        if work is not None:
            work["occurrences"] += len(occurrences)
        for start, end, spellings in occurrences:
            at, stop = back(start), back(end - 1) + 1
            run = bisect.bisect_right(starts, at) - 1
            if run < 0 or stop > runs[run][1]:
                continue  # not within one run
            if at > 0 and joins(text[at - 1], text[at]):
                continue  # a word goes on before it
            if stop < len(text) and joins(text[stop - 1], text[stop]):
                continue  # or after it
            for spelling in spellings:
                if order and spelling.term.key in overridden:
                    continue  # the article's own term of that name replaces it
                if spelling.exact and squeezed[start:end] != spelling.text:
                    continue  # capitals beyond the first letter: this case only
                head = back(start + spelling.lead)
                rank = (head, -len(spelling.text), order, spelling.rank)
                found.append((*rank, Mention(at, stop, spelling)))
    floor = 0
    for *_, mention in sorted(found, key=lambda f: f[:4]):
        if mention.start >= floor:
            yield mention
            floor = mention.end
