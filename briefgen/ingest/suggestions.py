"""Suggestions for the editor, from an article's text; pure.

A fresh sidecar lists them for the editor to keep or drop; the build ignores them:

- ``suggest_terms``: names and acronyms the glossary lacks, and glossary terms the
  text mentions;
- ``suggest_notes``: quoted statements whose speaker can be told, each as a note
  entry that anchors exactly once.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from briefgen.ingest.linerules import wordset
from briefgen.model import Term
from briefgen.text.anchoring import Ambiguous, Anchorer, Found
from briefgen.text.glossary import Mention, TermMatcher, find_mentions
from briefgen.text.normalise import normalise

# -- suggested terms ---------------------------------------------------------------------

_ACRONYM = re.compile(r"(?<![\w-])[A-Z][A-Z0-9]{1,5}(?![\w-])")
_NAME_WORD = re.compile(r"[^\W\d_][\w-]*(?:['’]s\b)?")
# Small words a proper name may contain ("Ministry of Foreign Affairs", "Belt and Road").
NAME_JOINERS = wordset("of and de del la al bin van von der")
# Capitalised words that start a sentence, or that are times, rather than names.
NAME_STOPWORDS = wordset(
    """a an the in on at for during but and as by from with while when this that these those
    his her its their our we i it he she they after before beginning speaking meanwhile however
    although if despite since under over between among according last next there here what
    monday tuesday wednesday thursday friday saturday sunday january february march april may
    june july august september october november december"""
)
# Titles and roles: a name is split around them ("Kazakh President Kassym-Jomart Tokayev").
NAME_TITLES = wordset(
    """president speaker coordinator minister secretary chancellor premier mr mrs ms dr leader
    chairman chairwoman spokesperson spokesman spokeswoman senator governor mayor king queen
    prince general admiral ambassador envoy director chief"""
)


def name_candidates(text: str) -> list[str]:
    """Acronyms and multi-word proper names in ``text``, in order of first appearance."""
    found: dict[str, int] = {}
    for match in _ACRONYM.finditer(text):
        word = match.group()
        if not re.search(rf"\b{word.capitalize()}\b", text):  # "AVERNE, March 3" is no acronym
            found.setdefault(word, match.start())
    run: list[tuple[str, int]] = []  # words of a name and where each starts
    end = -1
    for match in _NAME_WORD.finditer(text):
        word = match.group()
        contiguous = match.start() == end + 1 and text[end] == " "
        if not contiguous or not (word[0].isupper() or word in NAME_JOINERS):
            _add_name(run, found)
            run = []
        if word[0].isupper() or (run and word in NAME_JOINERS):
            run.append((word, match.start()))
        end = match.end()
        if run and run[-1][0] == word and re.search(r"['’]s$", word):  # a possessive ends it
            run[-1] = (word[:-2], match.start())
            _add_name(run, found)
            run, end = [], -1
    _add_name(run, found)
    return sorted(found, key=found.__getitem__)


def _add_name(run: list[tuple[str, int]], found: dict[str, int]) -> None:
    """Add the names in a run of capitalised words, split at titles and lists, trimmed."""
    parts: list[list[tuple[str, int]]] = [[]]
    for word, at in run:
        if word.lower() in NAME_TITLES:
            parts.append([])
        else:
            parts[-1].append((word, at))
    for words in (piece for part in parts for piece in _split_lists(part)):
        while words and _filler(words[0][0]):
            words.pop(0)
        while words and _filler(words[-1][0]):
            words.pop()
        if sum(1 for w, _ in words if w[0].isupper()) >= 2:
            found.setdefault(" ".join(w for w, _ in words), words[0][1])


def _filler(word: str) -> bool:
    """A word a name neither starts nor ends with: "The", "Monday", "of"."""
    return word.lower() in NAME_STOPWORDS or word in NAME_JOINERS


def _split_lists(words: list[tuple[str, int]]) -> list[list[tuple[str, int]]]:
    """Split at "and" ("Xi Jinping and Vladimir Putin"), except in "Belt and Road Initiative"."""
    for index, (word, _) in enumerate(words):
        after = words[index + 1 :]
        if word == "and" and not (index == 1 and sum(w[0].isupper() for w, _ in after) >= 2):
            return [words[:index], *_split_lists(after)]
    return [words]


def looks_like_heading(paragraph: str) -> bool:
    """One short line without final punctuation: a subheading, in Title Case or not."""
    text = paragraph.strip()
    return "\n" not in text and len(text.split()) <= 10 and text[-1:].isalnum()


def suggest_terms(
    paragraphs: Sequence[str], glossary: Sequence[Term]
) -> tuple[list[str], list[str]]:
    """(names not in the glossary, glossary terms the text mentions), in order of appearance."""
    matcher = TermMatcher(glossary)
    known = dict.fromkeys(m.spelling.term.key for p in paragraphs for m in _mentions(p, matcher))
    prose = [p for p in paragraphs if not looks_like_heading(p)]  # "By Land And Sea"
    new = [name for name in name_candidates("\n\n".join(prose)) if not _defined(name, matcher)]
    return new, list(known)


def _mentions(text: str, matcher: TermMatcher) -> list[Mention]:
    """The glossary terms mentioned anywhere in ``text``."""
    folded = normalise(text)
    return list(find_mentions(folded, [(0, len(folded))], matcher))


def _defined(name: str, matcher: TermMatcher) -> bool:
    """Whether ``name`` as a whole is a spelling of a glossary term."""
    whole = (0, len(normalise(name)))
    return whole in [(m.start, m.end) for m in _mentions(name, matcher)]


# -- suggested notes ---------------------------------------------------------------------

OPENING, CLOSING = '“"', '”"'
QUOTE_MIN_WORDS = 3  # shorter quotations are scare quotes ("provocations"), not statements
SPEECH_VERBS = (
    r"(?:said|says|told|added|asked|wrote|warned|insisted|stressed|explained|declared|noted"
    r"|reported|replied|argued|acknowledged|admitted|claimed)"
)
_NAMED = r"[A-Z][\w’'-]*(?: [A-Z][\w’'-]*){0,3}"
_PRONOUN = r"(?:he|she|they|He|She|They)"
# Who said a quotation (Q) in a sentence: patterns over the sentence with every
# quotation replaced by Q, each with a group "who".
ATTRIBUTION_RULES: tuple[str, ...] = (
    # “...,” Putin said / “...,” Chinese state media reported / “...,” he said
    rf"Q,? (?P<who>{_PRONOUN}|[A-Z][\w’'-]*(?: [\w’'-]+){{0,3}}?) (?:also )?{SPEECH_VERBS}\b",
    # “...,” said John Kirby
    rf"Q,? {SPEECH_VERBS} (?P<who>{_NAMED})",
    # Kirby said Putin was “...” / ..., Xi also told Tokayev that “...”
    rf"(?:^|, )(?P<who>{_NAMED}|{_PRONOUN}) (?:also |then |later )?{SPEECH_VERBS}\b.*Q",
    # Those efforts, he said, “...”
    rf", (?P<who>{_NAMED}|{_PRONOUN}) {SPEECH_VERBS}, Q",
)
_ATTRIBUTIONS = tuple(re.compile(p) for p in ATTRIBUTION_RULES)
# The subject of a sentence, for "he" and "she": "Beginning the meeting, Putin highlighted".
_SUBJECT = re.compile(
    r"(?:^|, )(?P<who>[A-Z][\w’'-]+(?: [A-Z][\w’'-]+)*) (?:also )?[a-z]+(?:ed|s)\b"
)


@dataclass(frozen=True)
class Quotation:
    """A quoted statement: its words, who said it, and where it starts in the article."""

    quote: str
    speaker: str
    start: int  # offset in the article text


def quotations(text: str) -> list[tuple[int, int]]:
    """The inner spans of every “double” or "straight" quotation in ``text``."""
    spans = []
    start = -1
    for index, char in enumerate(text):
        if start < 0 and char in OPENING:
            start = index + 1
        elif start >= 0 and char in CLOSING:
            spans.append((start, index))
            start = -1
    return spans


def sentences(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sentence ranges of ``text``: a break inside a quotation counts only at its end."""
    inside: set[int] = set()
    for start, end in spans:
        inside.update(range(start, end))
    out = []
    begin = 0
    for match in re.finditer(r"[.!?](?P<close>[”\"]?)\s+(?=[“\"A-Z])", text):
        if match.start() not in inside or match.group("close"):
            out.append((begin, match.end("close")))
            begin = match.end()
    out.append((begin, len(text)))
    return out


def find_quotations(paragraph: str, offset: int) -> list[Quotation]:
    """The quoted statements of one paragraph whose speaker can be told."""
    spans = quotations(paragraph)
    found = []
    last_speaker = ""
    for begin, end in sentences(paragraph, spans):
        inner = [(s, e) for s, e in spans if begin <= s and e <= end]
        sentence = _frame(paragraph, begin, end, inner)
        speaker = _attribution(sentence)
        if speaker.lower() in ("he", "she", "they"):
            speaker = last_speaker
        elif not speaker and sentence.rstrip(".") == "Q":
            speaker = last_speaker  # a quotation on its own continues the last speaker's
        subject = _SUBJECT.search(sentence)
        if speaker:
            last_speaker = speaker
        elif subject and subject.group("who").split()[0].lower() not in NAME_STOPWORDS:
            last_speaker = subject.group("who")
        for s, e in inner if speaker else ():
            raw = paragraph[s:e]
            quote = raw.strip().rstrip(",;:.").strip()
            if len(quote.split()) >= QUOTE_MIN_WORDS:
                start = offset + s + len(raw) - len(raw.lstrip())
                found.append(Quotation(quote, speaker, start))
    return found


def _frame(paragraph: str, begin: int, end: int, inner: list[tuple[int, int]]) -> str:
    """The sentence [begin, end) of ``paragraph`` with each quotation in it replaced by Q."""
    frame, pos = [], begin
    for start, stop in inner:
        frame.append(paragraph[pos : start - 1] + "Q")
        pos = stop + 1
    frame.append(paragraph[pos:end])
    return "".join(frame).strip()


def _attribution(sentence: str) -> str:
    """Who the first matching ATTRIBUTION_RULES pattern says spoke, or ""."""
    for pattern in _ATTRIBUTIONS:
        match = pattern.search(sentence)
        if match:
            return match.group("who")
    return ""


def suggest_notes(article: str) -> list[tuple[dict[str, Any], str]]:
    """Note entries for quoted statements, each anchoring exactly once, with the speaker."""
    anchorer = Anchorer(article)
    offset = 0
    entries = []
    for para in article.split("\n\n"):
        for quotation in find_quotations(para, offset):
            entry = anchored_entry(anchorer, article, quotation)
            if entry is not None:
                entries.append((entry, quotation.speaker))
        offset += len(para) + 2
    return entries


PREFIX_MAX_WORDS = 8  # words of context tried before falling back to occurrence: N


def anchored_entry(anchorer: Anchorer, article: str, q: Quotation) -> dict[str, Any] | None:
    """quote (and prefix, or occurrence, when the quote alone occurs more than once)."""
    before = article[: q.start].split()
    for words in range(min(len(before), PREFIX_MAX_WORDS) + 1):
        prefix = " ".join(before[len(before) - words :]) or None
        result = anchorer.find(q.quote, prefix=prefix)
        if isinstance(result, Found) and result.span.start == q.start:
            return {"quote": q.quote, "prefix": prefix} if prefix else {"quote": q.quote}
    result = anchorer.find(q.quote)
    starts = [span.start for span in result.spans] if isinstance(result, Ambiguous) else []
    if q.start in starts:
        return {"quote": q.quote, "occurrence": starts.index(q.start) + 1}
    return None
