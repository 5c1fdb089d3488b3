"""Warnings about what readers see: acronyms the glossary lacks, link phrases said twice.

- ``acronyms_plugin``: a capitalised acronym (two capitals or more, such as NSC) in the
  article's prose that no glossary term spells (TRM006), reported once per article at
  its first place in the article file. Code, Roman numerals (II, XIV) and blocks written
  in capitals (a shouted headline) are left alone.
- ``repeated_links``: a phrase link whose phrase occurs elsewhere in the article, not
  linked (LNK004): a reader may expect both to link.

Both are warnings: they fail a build or a check only with --strict.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import partial

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from briefgen.errors import Diagnostic, Location
from briefgen.model import Anchor, Term
from briefgen.text.anchoring import Ambiguous, Anchorer, Span

WORD = re.compile(r"\w+")
ROMAN = re.compile(r"[IVX]+")
PROSE = frozenset({"text", "softbreak", "hardbreak"})  # a line break parts two words
MIN_SHOUTED = 3  # a block of at least this many words, half of them in capitals, is shouted


def spelled_words(terms: Iterable[Term]) -> frozenset[str]:
    """Every word of every spelling of ``terms``: what an acronym may be."""
    return frozenset(w for t in terms for s in t.spellings for w in WORD.findall(s))


def is_acronym(word: str) -> bool:
    """Two capital letters or more, and nothing else; not a Roman numeral."""
    return len(word) > 1 and word.isalpha() and word.isupper() and not ROMAN.fullmatch(word)


def acronyms(blocks: Iterable[str]) -> list[str]:
    """The acronyms of the blocks' prose, each once, in order; shouted blocks left out."""
    found: dict[str, None] = {}
    for block in blocks:
        words = WORD.findall(block)
        capitals = [w for w in words if w.isupper() and is_acronym(w)]  # isupper: few calls
        if len(words) >= MIN_SHOUTED and 2 * len(capitals) >= len(words):
            continue
        found.update(dict.fromkeys(capitals))
    return list(found)


def prose(tokens: Iterable[Token]) -> Iterator[str]:
    """The plain text of each block (headings, paragraphs, cells, footnotes): no code, no
    image descriptions, no notes' texts."""
    for token in tokens:
        if token.type == "inline":
            yield "".join(
                child.content if child.type == "text" else "\n"
                for child in token.children or ()
                if child.type in PROSE
            )


def acronyms_plugin(md: MarkdownIt, *, known: frozenset[str], keys: tuple[str, str, str]) -> None:
    """Report acronyms no term spells (core rule ``briefgen_acronyms``, after anchoring).

    ``keys``: the env keys of the article's path, its own terms and the diagnostics.
    """
    rule = partial(_acronyms_rule, known=known, keys=keys)
    md.core.ruler.after("briefgen_anchors", "briefgen_acronyms", rule)


def _acronyms_rule(state: StateCore, *, known: frozenset[str], keys: tuple[str, str, str]) -> None:
    """Report the acronyms of the article that no term spells, at their first place."""
    path_key, local_key, diagnostics_key = keys
    env = state.env
    local = spelled_words(env.get(local_key, ()))
    missing = [w for w in acronyms(prose(state.tokens)) if w not in known and w not in local]
    path = str(env.get(path_key, ""))
    for word in missing:
        found = re.search(rf"(?<!\w){re.escape(word)}(?!\w)", state.src)
        at = found.start() if found else 0
        line = state.src.count("\n", 0, at) + 1
        col = at - (state.src.rfind("\n", 0, at) + 1) + 1
        message = f"'{word}' is not in the glossary"
        fix = "add it to the glossary (or to the sidecar's terms:) as a term or an alias"
        diagnostic = Diagnostic(Location(path, line, col), "TRM006", message, fix, "", "warning")
        env.setdefault(diagnostics_key, []).append(diagnostic)


def repeated_links(
    anchorer: Anchorer, links: Sequence[tuple[Anchor, Span]], where: Callable[[int], str]
) -> list[Diagnostic]:
    """LNK004 for each phrase link whose phrase also occurs where no link of it is.

    ``where``: the place in the article of a reader-text offset, for the message.
    """
    linked = {(span.start, span.end) for _, span in links}
    found = []
    for anchor, _ in links:
        result = anchorer.find(anchor.quote)
        if not isinstance(result, Ambiguous):
            continue
        others = [s for s in result.spans if (s.start, s.end) not in linked]
        if others:
            places = ", ".join(where(s.start) for s in others)
            message = f'the phrase "{anchor.quote}" also occurs at {places}, not linked'
            fix = "link it there too (a link with occurrence: N), or choose a phrase said once"
            found.append(Diagnostic(anchor.location, "LNK004", message, fix, "", "warning"))
    return found
