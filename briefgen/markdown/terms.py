"""Glossary terms: whole-word mentions, marked with a link and a definition tooltip.

Matching rules (the user's contract, see the content format):

- whole words only: no letter or digit right before or after, even across markup, so
  "NATOs" is not a mention of NATO (a plural is a different word) but "NATO's" is;
- a spelling with a capital beyond the first letter of one of its words (SCO,
  zero-COVID) matches exactly that spelling; any other spelling matches whatever its
  case ("Belt and Road" matches "belt and road");
- text and spellings are compared after the anchoring normalisation (quotes, dashes,
  white space), so "'no limits' partnership" also matches with curly quotes in the text;
- the leftmost match wins, then the longest ("Belt and Road Initiative" over
  "Belt and Road"); an article's own terms win over site terms with the same key;
- a match lies within one run of text: never across markup, note marks or phrase
  links, and never in headings, links, code or image alt text.

``TermMatcher`` indexes every spelling by its first word: one compiled word pattern and
a dict lookup per word of text, then the few candidates are tried with their own
precompiled patterns. For a 900-word article and 50 terms this takes about 0.25 ms,
where one ``re`` alternation of all spellings takes about 10 ms.

Input: ``env[LOCAL_TERMS]``, the article's own terms. Output: ``env[MARKED]`` (keys of
marked terms) and ``env[MENTIONS]`` (keys of every term mentioned), each in order of
first occurrence.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.renderer import RendererHTML
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

from briefgen.markdown.textmap import TextMap, Wrap, splice
from briefgen.model import Term
from briefgen.text.anchoring import normalise

LOCAL_TERMS = "briefgen.local_terms"
MARKED = "briefgen.marked"
MENTIONS = "briefgen.mentions"

TERM_OPEN = "briefgen_term_open"
TERM_CLOSE = "briefgen_term_close"
POLICIES = ("first", "all", "none")

WORD = re.compile(r"[^\W_]+")
RUN_TYPES = frozenset({"text", "softbreak"})


@dataclass(frozen=True)
class Spelling:
    """One way of writing a term, as matched: normalised, with its case rule."""

    text: str  # normalised
    exact: bool  # matched in this case only, else in any case
    lead: int  # characters before its first word, e.g. 1 for "'no limits' partnership"
    rest: re.Pattern[str]  # the spelling from its first word on (a space: any run of spaces)
    before: re.Pattern[str] | None  # the characters before its first word, to end a search
    term: Term
    tip: str  # the term's definition as plain text


@dataclass(frozen=True)
class Mention:
    """A spelling found in the matched text at [start, end)."""

    start: int
    end: int
    spelling: Spelling


def plain_text(md: MarkdownIt, markdown: str) -> str:
    """Markdown reduced to its words: no markup, no links, white space collapsed."""
    parts: list[str] = []
    for token in md.parse(markdown, {}):
        if token.type == "inline":
            for child in token.children or ():
                if child.type in ("text", "code_inline"):
                    parts.append(child.content)
                elif child.type in ("softbreak", "hardbreak"):
                    parts.append(" ")
        elif token.type in ("fence", "code_block"):
            parts.append(token.content)
        parts.append(" ")
    return " ".join("".join(parts).split())


def _pattern(text: str, exact: bool, suffix: str = "") -> re.Pattern[str]:
    """A literal pattern for normalised ``text`` in which a space matches a run of spaces."""
    flags = 0 if exact else re.IGNORECASE
    return re.compile(re.escape(text).replace(r"\ ", " +") + suffix, flags)


class TermMatcher:
    """The spellings of a set of terms, indexed by first word (lower-cased)."""

    def __init__(self, terms: Sequence[Term], describe: Callable[[str], str]) -> None:
        """Index every spelling of ``terms``; ``describe`` turns a definition into text."""
        self.terms = tuple(terms)
        self.keys = frozenset(term.key for term in terms)
        self.describe = describe
        self._folds: dict[str, str] = {}  # character -> its normalised form
        index: dict[str, list[Spelling]] = {}
        seen: set[tuple[str, bool]] = set()
        for term in self.terms:
            tip = describe(term.definition)
            for raw in term.spellings:
                text = normalise(raw.strip())[0].strip()
                word = WORD.search(text)
                exact = any(ch.isupper() for w in WORD.findall(text) for ch in w[1:])
                ident = (text if exact else text.lower(), exact)
                if word is None or ident in seen:
                    continue
                seen.add(ident)
                lead = word.start()
                rest = _pattern(text[lead:], exact)
                before = _pattern(text[:lead], exact, r"\Z") if lead else None
                spelling = Spelling(text, exact, lead, rest, before, term, tip)
                index.setdefault(word.group().lower(), []).append(spelling)
        self._index = {
            word: tuple(sorted(found, key=lambda s: -len(s.text))) for word, found in index.items()
        }

    def candidates(self, word: str) -> tuple[Spelling, ...]:
        """Spellings whose first word is ``word`` in any case, longest first."""
        return self._index.get(word.lower(), ())

    def fold(self, text: str) -> tuple[str, list[int] | None]:
        """``text`` as spellings are matched in it, and a map back when offsets moved.

        When ``text`` is NFC and every character normalises to one character (no
        invisible ones), normalising character by character gives the same words and
        keeps every offset (None: no map); runs of white space stay, and a space in a
        spelling matches a run. Otherwise the text is normalised as a whole and the map
        gives each character's offset in ``text``.
        """
        if unicodedata.is_normalized("NFC", text):
            chars = set(text)
            for ch in chars.difference(self._folds):
                self._folds[ch] = normalise(ch)[0]
            table = {ord(ch): self._folds[ch] for ch in chars if self._folds[ch] != ch}
            if all(len(folded) == 1 for folded in table.values()):
                return text.translate(table), None
        return normalise(text)


def find_mentions(
    text: str,
    runs: Sequence[tuple[int, int]],
    site: TermMatcher,
    local: TermMatcher | None = None,
) -> Iterator[Mention]:
    """Mentions in folded ``text``, each within one of ``runs``, leftmost then longest."""
    overridden = local.keys if local else frozenset()
    lowered = text.lower()
    if len(lowered) != len(text):  # a rare letter grows when lower-cased: look words up one by one
        lowered = text
    site_get = site._index.get
    local_get = local._index.get if local else None
    for start, end in runs:
        floor = start
        for word in WORD.finditer(lowered, start, end):
            key = word.group()
            if lowered is text:
                key = key.lower()
            found = site_get(key, ())
            own = local_get(key, ()) if local_get else ()
            if not found and not own:
                continue
            head = word.start()
            if head < floor:
                continue
            if overridden:
                found = tuple(s for s in found if s.term.key not in overridden)
            if own:
                found = tuple(sorted((*own, *found), key=lambda s: -len(s.text)))
            for spelling in found:
                mention = _match(text, head, floor, end, spelling)
                if mention is not None:
                    yield mention
                    floor = mention.end
                    break


def _match(text: str, head: int, floor: int, end: int, spelling: Spelling) -> Mention | None:
    """``spelling`` as whole words in text[floor:end], its first word at ``head``."""
    found = spelling.rest.match(text, head, end)
    if found is None:
        return None
    stop = found.end()
    if stop < len(text) and text[stop].isalnum():
        return None
    at = head
    if spelling.before is not None:
        lead = spelling.before.search(text, max(floor, head - 4 * spelling.lead - 16), head)
        if lead is None:
            return None
        at = lead.start()
    if at > 0 and text[at - 1].isalnum():
        return None
    return Mention(at, stop, spelling)


def terms_plugin(
    md: MarkdownIt,
    *,
    matcher: TermMatcher,
    link: str,
    term_href: Callable[[Term], str],
) -> None:
    """Mark glossary terms (core rule ``briefgen_terms``, after note marks and links).

    ``link`` is the policy: "first" marks each term's first mention, "all" every
    mention, "none" none; mentions are recorded whatever the policy.
    """
    if link not in POLICIES:
        raise ValueError(f"term link policy must be one of {', '.join(POLICIES)}: {link!r}")
    rule = partial(_terms_rule, matcher=matcher, link=link, term_href=term_href)
    rules = md.core.ruler.get_all_rules()
    after = "briefgen_anchors" if "briefgen_anchors" in rules else "text_join"
    md.core.ruler.after(after, "briefgen_terms", rule)
    md.add_render_rule(TERM_OPEN, _render_term_open)
    md.add_render_rule(TERM_CLOSE, _render_term_close)


def _terms_rule(
    state: StateCore, *, matcher: TermMatcher, link: str, term_href: Callable[[Term], str]
) -> None:
    """Find the document's mentions, record them, and splice marks per the policy."""
    env = state.env
    marked: list[str] = []
    mentioned: list[str] = []
    env[MARKED] = marked
    env[MENTIONS] = mentioned
    own: Sequence[Term] = env.get(LOCAL_TERMS, ())
    local = TermMatcher(own, matcher.describe) if own else None
    if not matcher.terms and local is None:
        return
    textmap = TextMap(state.tokens)
    runs = _runs(textmap)
    if not runs:
        return
    text, where = matcher.fold(textmap.text)
    found = runs
    if where is not None:  # offsets moved: find the runs in the normalised text
        found = [(bisect.bisect_left(where, s), bisect.bisect_left(where, e)) for s, e in runs]
    wraps: list[Wrap] = []
    for mention in find_mentions(text, found, matcher, local):
        key = mention.spelling.term.key
        first = key not in mentioned
        if first:
            mentioned.append(key)
        if link == "all" or (link == "first" and first):
            if key not in marked:
                marked.append(key)
            start, end = mention.start, mention.end
            if where is not None:  # back to the reader text, never beyond the run
                run_end = runs[bisect.bisect_right(found, (start, len(text))) - 1][1]
                start, end = where[start], min(where[end], run_end)
            open_, close = _term_tokens(mention.spelling, len(wraps) + 1, term_href)
            wraps.append(Wrap(start, end, open_, close))
    splice(textmap, wraps)


def _runs(textmap: TextMap) -> list[tuple[int, int]]:
    """Reader-text ranges where a term may be marked: runs of plain text outside links."""
    runs: list[tuple[int, int]] = []
    tokens = textmap.tokens
    for block in textmap.blocks:
        if block.index and tokens[block.index - 1].type == "heading_open":
            continue
        depth = 0
        start = end = -1
        for child, rng in zip(tokens[block.index].children or (), block.ranges, strict=True):
            if rng is not None and child.type in RUN_TYPES and depth == 0:
                start = rng[0] if start < 0 else start
                end = rng[1]
                continue
            if start >= 0:
                runs.append((start, end))
                start = -1
            if child.tag == "a" and child.nesting:
                depth += child.nesting
        if start >= 0:
            runs.append((start, end))
    return runs


def _term_tokens(
    spelling: Spelling, number: int, term_href: Callable[[Term], str]
) -> tuple[Token, Token]:
    """The open and close tokens of the ``number``-th marked term."""
    term = spelling.term
    meta = {"number": number, "name": term.name or term.key, "tip": spelling.tip}
    attrs: dict[str, str | int | float] = {"href": term_href(term)}
    return Token(TERM_OPEN, "span", 1, attrs=attrs, meta=meta), Token(
        TERM_CLOSE, "span", -1, meta=meta
    )


def _render_term_open(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    """``<span class="term">`` and the link to the glossary entry."""
    token = tokens[idx]
    href = escapeHtml(str(token.attrs["href"]))
    number = token.meta["number"]
    return f'<span class="term"><a class="term-link" href="{href}" aria-describedby="tip-{number}">'


def _render_term_close(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    """The end of the link, then the tooltip: the term's name and plain definition."""
    meta = tokens[idx].meta
    tip = escapeHtml(meta["tip"])
    body = f"<strong>{escapeHtml(meta['name'])}</strong>" + (f" {tip}" if tip else "")
    return (
        f'</a><span class="term-tip" role="tooltip" id="tip-{meta["number"]}">{body}</span></span>'
    )
