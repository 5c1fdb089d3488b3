"""Glossary terms in the token stream: each mention marked with a link and a definition tooltip.

The matching rules are the glossary matcher's (``briefgen.text.glossary``); this plugin
only gives it the reader text where terms may be marked (runs of plain text: never
headings, links, code or image alt text, never across markup, note marks or phrase
links) and adds the marks as a layer after the notes and phrase links (``marking``).

Input: ``env[LOCAL_TERMS]``, the article's own terms. Output: ``env[MARKED]`` (keys of
marked terms) and ``env[MENTIONS]`` (keys of every term mentioned), each in order of
first occurrence.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence
from functools import partial

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.renderer import RendererHTML
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

from briefgen.markdown.marking import READER, marking, marking_plugin
from briefgen.markdown.sidenotes import FEED
from briefgen.markdown.splice import Layer, Wrap
from briefgen.markdown.textmap import TextMap
from briefgen.model import Term
from briefgen.text.glossary import Spelling, TermMatcher, find_mentions

LOCAL_TERMS = "briefgen.local_terms"
MARKED = "briefgen.marked"
MENTIONS = "briefgen.mentions"

TERM_OPEN = "briefgen_term_open"
TERM_CLOSE = "briefgen_term_close"
POLICIES = ("first", "all", "none")

RUN_TYPES = frozenset({"text", "softbreak"})
Describe = Callable[[str], str]  # a definition (Markdown) as the plain text of its tooltip


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


class Tips:
    """The tooltip text of each site term, made on first use and kept."""

    def __init__(self, describe: Describe) -> None:
        """Describe definitions with ``describe``."""
        self._describe = describe
        self._made: dict[str, str] = {}

    def of(self, term: Term) -> str:
        """The plain text of ``term``'s definition."""
        tip = self._made.get(term.key)
        if tip is None:
            tip = self._made[term.key] = self._describe(term.definition)
        return tip


def terms_plugin(
    md: MarkdownIt,
    *,
    matcher: TermMatcher,
    link: str,
    term_href: Callable[[Term], str],
    describe: Describe,
) -> None:
    """Mark glossary terms (core rule ``briefgen_terms``, after note marks and links).

    ``link`` is the policy: "first" marks each term's first mention, "all" every
    mention, "none" none; mentions are recorded whatever the policy. ``describe``
    gives a definition's tooltip text; a site term's tooltip is made when the term is
    first marked, and kept (a glossary of thousands of terms costs nothing up front).
    """
    if link not in POLICIES:
        raise ValueError(f"term link policy must be one of {', '.join(POLICIES)}: {link!r}")
    tips = Tips(describe)
    rule = partial(
        _terms_rule, matcher=matcher, link=link, term_href=term_href, tips=tips, describe=describe
    )
    marking_plugin(md)
    rules = md.core.ruler.get_all_rules()
    after = "briefgen_anchors" if "briefgen_anchors" in rules else READER
    md.core.ruler.after(after, "briefgen_terms", rule)
    md.add_render_rule(TERM_OPEN, _render_term_open)
    md.add_render_rule(TERM_CLOSE, _render_term_close)


def _terms_rule(
    state: StateCore,
    *,
    matcher: TermMatcher,
    link: str,
    term_href: Callable[[Term], str],
    tips: Tips,
    describe: Describe,
) -> None:
    """Find the document's mentions, record them, and mark them per the policy."""
    env = state.env
    marked: list[str] = []
    mentioned: list[str] = []
    env[MARKED] = marked
    env[MENTIONS] = mentioned
    own: Sequence[Term] = env.get(LOCAL_TERMS, ())
    local = TermMatcher(own) if own else None
    own_tips = {term.key: describe(term.definition) for term in own}
    if not matcher.terms and local is None:
        return
    marks = marking(state)
    runs = marks.cut(plain_runs(marks.textmap))
    if not runs:
        return
    textmap = marks.textmap
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
            spelling = mention.spelling
            tip = own_tips[key] if key in own_tips else tips.of(spelling.term)  # own terms win
            open_, close = _term_tokens(spelling, len(wraps) + 1, term_href, tip)
            wraps.append(Wrap(start, end, open_, close))
    marks.layers.append(Layer(wraps))


def plain_runs(textmap: TextMap) -> list[tuple[int, int]]:
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
    spelling: Spelling, number: int, term_href: Callable[[Term], str], tip: str
) -> tuple[Token, Token]:
    """The open and close tokens of the ``number``-th marked term."""
    term = spelling.term
    meta = {"number": number, "name": term.name or term.key, "tip": tip}
    attrs: dict[str, str | int | float] = {"href": term_href(term)}
    return Token(TERM_OPEN, "span", 1, attrs=attrs, meta=meta), Token(
        TERM_CLOSE, "span", -1, meta=meta
    )


def _render_term_open(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    """``<span class="term">`` and the link to the glossary entry (feeds: nothing)."""
    if env.get(FEED):
        return ""
    token = tokens[idx]
    href = escapeHtml(str(token.attrs["href"]))
    number = token.meta["number"]
    return f'<span class="term"><a class="term-link" href="{href}" aria-describedby="tip-{number}">'


def _render_term_close(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    """The end of the link, then the tooltip: the term's name and plain definition.

    The search index leaves the tooltip out: the definition belongs to the glossary.
    """
    if env.get(FEED):
        return ""
    meta = tokens[idx].meta
    tip = escapeHtml(meta["tip"])
    body = f"<strong>{escapeHtml(meta['name'])}</strong>" + (f" {tip}" if tip else "")
    return (
        f'</a><span class="term-tip" role="tooltip" id="tip-{meta["number"]}" '
        f"data-pagefind-ignore>{body}</span></span>"
    )
