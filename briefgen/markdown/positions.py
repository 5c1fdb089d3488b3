"""Where each character of an inline token's children comes from in its source text.

markdown-it gives block tokens a ``map`` (their lines) but gives inline tokens no
positions: a text token's content may hold decoded entities (``&amp;`` -> ``&``),
escapes (``\\*`` -> ``*``), and follow link text whose address was skipped. The
``positions_plugin`` records the inline parser's own positions instead of searching
for the text afterwards: it wraps every inline rule and notes, for each token a rule
pushes, the source offsets of its characters, as the parser consumed them. The
result is ``token.meta[OFFSETS]``: one offset per character of ``token.content``,
relative to the text the inline parser read (the inline token's ``content``).

What the parser does, and how offsets follow it:

- literal text goes into the parser's *pending* buffer, which always holds the
  source text just before the current position; a token made from it (when a rule
  pushes a token, or at the end of the text or of a link's text) covers that
  stretch, less the spaces a line break trims;
- a rule's own tokens cover what it consumed: an escape or an entity maps every
  character it produces to its first source character, a code span maps its content
  into the backticks, emphasis and strikethrough delimiters are literal;
- text tokens merged later (``fragments_join``, ``text_join``) merge their offsets;
  rules that rewrite text (the typographer's) realign them.

``OFFSETS`` is missing only where the parser gave up on structure (nesting deeper
than ``maxNesting``); ``TextMap.position`` then estimates from the neighbours.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Sequence
from typing import overload

from markdown_it import MarkdownIt
from markdown_it.helpers import parseLinkLabel
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

OFFSETS = "briefgen.offsets"  # token.meta: source offset of each character of its content
START = "briefgen.start"  # token.meta: source offset where a markup token starts
TEXTUAL = frozenset({"text", "text_special", "code_inline"})
BREAKS = frozenset({"softbreak", "hardbreak"})

InlineRule = Callable[[StateInline, bool], bool]


def positions_plugin(md: MarkdownIt) -> None:
    """Record source offsets in every inline token ``md`` parses (install it last).

    The inline rules enabled now are tried in order by one rule that notes the offsets
    of what each pushes: one call per step of the parser, not one per rule.
    """
    inline = md.inline.ruler
    rules = [(rule.name, rule.fn) for rule in inline.__rules__ if rule.enabled]
    if rules:
        inline.disable([name for name, _ in rules])
        inline.push("briefgen_positions", _recording(rules))
    ruler2 = md.inline.ruler2
    ruler2.before(ruler2.__rules__[0].name, "briefgen_positions", _finish)
    if "fragments_join" in ruler2.get_all_rules():
        join = ruler2.__rules__[ruler2.__find__("fragments_join")].fn
        ruler2.at("fragments_join", _merging_inline(join))
    core = md.core.ruler
    names = core.get_all_rules()
    if "text_join" in names:
        core.at("text_join", _merging_core(core.__rules__[core.__find__("text_join")].fn))
    for name in ("replacements", "smartquotes"):
        if name in names:
            core.at(name, _realigning(core.__rules__[core.__find__(name)].fn))


def offsets(token: Token) -> Sequence[int] | None:
    """The source offset of each character of ``token.content`` (of a break's "\\n")."""
    found: Sequence[int] | None = token.meta.get(OFFSETS)
    size = 1 if token.type in BREAKS else len(token.content)
    if found is None or len(found) != size:
        return None
    return found


# -- recording ----------------------------------------------------------------------------


def _recording(rules: list[tuple[str, InlineRule]]) -> InlineRule:
    """One rule that tries ``rules`` in order, as the parser does, noting what they push."""

    def run(state: StateInline, silent: bool) -> bool:
        if silent:
            return any(rule(state, True) for _, rule in rules)
        start, count, pending = state.pos, len(state.tokens), len(state.pending)
        for name, rule in rules:
            if rule(state, False):
                if len(state.tokens) > count:
                    _place(name, state, start, pending, state.tokens[count:])
                return True
        return False

    return run


def _place(name: str, state: StateInline, start: int, pending: int, new: list[Token]) -> None:
    """Give the tokens a rule pushed their offsets; nested rules gave theirs already."""
    src = state.src
    cursor = start
    for k, token in enumerate(new):
        if token.nesting or token.type not in TEXTUAL | BREAKS:
            token.meta.setdefault(START, cursor)
            continue
        if OFFSETS in token.meta:
            continue
        if k == 0 and pending and token.type == "text":  # the pending text, flushed
            first = start - pending
            token.meta[OFFSETS] = range(first, first + len(token.content))
        elif token.type == "text" and name == "link":  # the label's text, left pending
            end = _label_end(state, start)
            token.meta[OFFSETS] = range(end - len(token.content), end)
        elif token.type in BREAKS or (
            name in ("escape", "entity") and token.content != token.markup
        ):
            token.meta[OFFSETS] = [start] * len(token.content or "\n")
        elif token.type == "code_inline":
            token.meta[OFFSETS] = _code_offsets(src, start, state.pos, token)
        elif name == "autolink":
            token.meta[OFFSETS] = align(token.content, src[start + 1 : state.pos - 1], start + 1)
        elif src.startswith(token.content, cursor):
            token.meta[OFFSETS] = range(cursor, cursor + len(token.content))
            cursor += len(token.content)
        else:
            token.meta[OFFSETS] = align(token.content, src[cursor : state.pos], cursor)


def _label_end(state: StateInline, start: int) -> int:
    """Where the text of the link that starts at ``start`` ends (its ``]``)."""
    pos, top = state.pos, state.posMax
    try:
        return parseLinkLabel(state, start, True)
    finally:
        state.pos, state.posMax = pos, top


def _code_offsets(src: str, start: int, end: int, token: Token) -> Sequence[int]:
    """A code span's content lies inside its backticks, less one space each side maybe."""
    inner = start + len(token.markup)
    raw = src[inner : end - len(token.markup)]
    if len(raw) == len(token.content) + 2:
        inner += 1
    return range(inner, inner + len(token.content))


def _finish(state: StateInline) -> None:
    """Place the text left pending when the parser reached the end (ruler2, first rule)."""
    if state.tokens:
        last = state.tokens[-1]
        if last.type == "text" and OFFSETS not in last.meta and last.content:
            end = len(state.src)
            last.meta[OFFSETS] = range(end - len(last.content), end)


# -- merging and rewriting ---------------------------------------------------------------


class Joined(Sequence[int]):
    """The offsets of text tokens merged into one, joined when first read (rarely)."""

    def __init__(self, parts: list[tuple[Sequence[int] | None, int]]) -> None:
        self._parts = parts  # each merged token's offsets and its content's length
        self._flat: list[int] | None = None

    def _joined(self) -> list[int]:
        if self._flat is None:
            flat: list[int] = []
            for found, size in self._parts:
                if not size:  # an emptied delimiter (of strong emphasis)
                    continue
                if found is None or len(found) != size:
                    flat = []  # a part is unknown: so is the whole
                    break
                flat.extend(found)
            self._flat = flat
        return self._flat

    def __len__(self) -> int:
        return len(self._joined())

    @overload
    def __getitem__(self, index: int) -> int: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[int]: ...
    def __getitem__(self, index: int | slice) -> int | Sequence[int]:
        return self._joined()[index]


def merge_runs(tokens: Sequence[Token], kinds: frozenset[str]) -> None:
    """Give every token of a run of adjacent ``kinds`` tokens the run's joint offsets.

    markdown-it then merges the run into one of its tokens, whichever it keeps.
    """
    k, count = 0, len(tokens)
    while k < count:
        if tokens[k].type not in kinds or k + 1 == count or tokens[k + 1].type not in kinds:
            k += 1
            continue
        end = k + 1
        while end + 1 < count and tokens[end + 1].type in kinds:
            end += 1
        run = tokens[k : end + 1]
        joint = Joined([(t.meta.get(OFFSETS), len(t.content)) for t in run])
        for token in run:
            token.meta[OFFSETS] = joint
        k = end + 1


def _merging_inline(join: Callable[[StateInline], None]) -> Callable[[StateInline], None]:
    """``fragments_join``, keeping the offsets of the text tokens it merges."""

    def run(state: StateInline) -> None:
        merge_runs(state.tokens, frozenset({"text"}))
        join(state)

    return run


def _merging_core(join: Callable[[StateCore], None]) -> Callable[[StateCore], None]:
    """``text_join``, keeping the offsets of the text and escape tokens it merges."""

    def run(state: StateCore) -> None:
        for token in state.tokens:
            if token.type == "inline" and token.children:
                merge_runs(token.children, frozenset({"text", "text_special"}))
        join(state)

    return run


def _realigning(rule: Callable[[StateCore], None]) -> Callable[[StateCore], None]:
    """A core rule that rewrites text (the typographer's), realigning the offsets."""

    def run(state: StateCore) -> None:
        before: list[tuple[Token, str]] = [
            (child, child.content)
            for token in state.tokens
            if token.type == "inline"
            for child in token.children or ()
            if child.type == "text"
        ]
        rule(state)
        for child, old in before:
            found = child.meta.get(OFFSETS)
            if child.content != old and found is not None and len(found) == len(old):
                child.meta[OFFSETS] = realign(old, child.content, found)

    return run


def realign(old: str, new: str, places: Sequence[int]) -> list[int]:
    """Offsets for ``new``, a rewrite of ``old`` whose characters were at ``places``."""
    out: list[int] = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal" or (op == "replace" and i2 - i1 == j2 - j1):
            out.extend(places[i1:i2])
        elif j2 > j1:  # rewritten or inserted: where the rewritten source starts
            at = places[i1] if i1 < len(places) else (places[-1] + 1 if places else 0)
            out.extend([at] * (j2 - j1))
    return out


def align(text: str, source: str, base: int) -> list[int]:
    """Offsets of ``text``, produced from ``source`` (at ``base``) with some changes."""
    return realign(source, text, range(base, base + len(source)))
