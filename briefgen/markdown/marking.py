"""One reader-text pass and one splice, shared by the plugins that mark phrases.

Notes and phrase links (``briefgen.markdown.anchors``) and glossary terms
(``briefgen.markdown.terms``) both find phrases in the reader text and wrap them in
new tokens. The core rule ``briefgen_reader`` makes the document's ``TextMap`` once and
leaves a ``Marking`` in ``env[MARKING]``; each marking rule, between it and
``briefgen_splice``, reads that text map and adds its wraps as a layer; the core rule
``briefgen_splice`` then splices the layers in the order they were added
(``splice.splice_layers``) and drops the ``Marking``. A later layer finds its phrases
in what the earlier ones left (``Marking.cut``), and is spliced into the tokens as they
made them, so the tokens are the same as if each rule made its own text map and
spliced its own marks.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore

from briefgen.markdown.splice import Layer, splice_layers
from briefgen.markdown.textmap import TextMap

MARKING = "briefgen.marking"
READER = "briefgen_reader"  # the core rule that makes the text map
SPLICE = "briefgen_splice"  # the core rule that splices every layer
LINK_TAG = "a"  # a wrap whose open token has this tag is a link: nothing is marked in it


@dataclass
class Marking:
    """A document's reader text, and the layers of wraps the marking rules added to it."""

    textmap: TextMap
    layers: list[Layer] = field(default_factory=list)

    def cut(self, runs: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
        """``runs`` of plain text as the layers so far leave them.

        Each wrap's tokens end a run of text where they go, so a run is cut at every
        wrap's start and end; and what a link wrap holds is no longer plain text.
        """
        wraps = [w for layer in self.layers for w in layer.wraps if w.start < w.end]
        if not wraps:
            return list(runs)
        cuts = sorted({p for w in wraps for p in (w.start, w.end)})
        links = _union(sorted((w.start, w.end) for w in wraps if w.open.tag == LINK_TAG))
        link_starts = [start for start, _ in links]
        out: list[tuple[int, int]] = []
        for start, end in runs:
            lo, hi = bisect.bisect_right(cuts, start), bisect.bisect_left(cuts, end)
            points = [start, *cuts[lo:hi], end]
            for a, b in itertools.pairwise(points):
                k = bisect.bisect_right(link_starts, a) - 1
                if k < 0 or links[k][1] < b:  # not within a link
                    out.append((a, b))
        return out


def _union(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted spans made disjoint: those that overlap or nest become one."""
    out: list[tuple[int, int]] = []
    for start, end in spans:
        if out and start < out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def marking_plugin(md: MarkdownIt) -> None:
    """Add the core rules ``briefgen_reader`` and ``briefgen_splice`` (once) after
    ``text_join``; marking rules go between them."""
    if READER in md.core.ruler.get_all_rules():
        return
    md.core.ruler.after("text_join", READER, _read)
    md.core.ruler.after(READER, SPLICE, _splice)


def marking(state: StateCore) -> Marking:
    """The document's ``Marking``, for a marking rule."""
    found: Marking = state.env[MARKING]
    return found


def _read(state: StateCore) -> None:
    """Make the document's reader text, once for every marking rule."""
    state.env[MARKING] = Marking(TextMap(state.tokens, state.src))


def _splice(state: StateCore) -> None:
    """Splice every layer into the tokens, in the order the rules added them."""
    found: Marking = state.env.pop(MARKING)
    if found.layers:
        splice_layers(found.textmap, found.layers)
