"""Context notes and phrase links: quotes anchored in the reader text, marked in place.

Input: ``env[ANCHORS] = (notes, links)`` from the article's sidecar and
``env[PATH]``, the article's site-relative path. The core rule anchors every quote
in the reader text (see ``textmap``, made once for every marking rule: ``marking``),
reports failures as diagnostics located at the quote in the sidecar, and adds the
found phrases as the first layer of marks: note marks with their sidenotes, and
phrase links (their HTML: ``sidenotes``).

Output: ``env[NOTES]`` (number, note, its HTML as phrasing content and as blocks, and
where its phrase starts and ends in the reader text) in number order, ``env[LINKS]``
(target slugs in document order), ``env[LANDINGS]`` (where every placed quote landed,
with its context: ``landings``), ``env[TEXT]`` (the reader text), ``env[GAPS]`` (the
separators between its blocks) and ``env[DIAGNOSTICS]``.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import cast

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from briefgen.errors import Diagnostic, Edit
from briefgen.markdown.landings import Landing, landing
from briefgen.markdown.lints import repeated_links
from briefgen.markdown.marking import READER, marking, marking_plugin
from briefgen.markdown.notelayout import NoteSpot, inline_notes
from briefgen.markdown.sidenotes import (
    NOTE_CLOSE,
    NOTE_OPEN,
    XREF_CLOSE,
    XREF_OPEN,
    add_render_rules,
    note_html,
    note_sources,
    place_sidenotes,
)
from briefgen.markdown.splice import Layer, Wrap
from briefgen.markdown.textmap import TextMap
from briefgen.model import Anchor, Note, PhraseLink
from briefgen.text.anchoring import (
    Ambiguous,
    Anchorer,
    Crossing,
    Found,
    NotFound,
    OutOfRange,
    Result,
    Span,
)
from briefgen.text.repair import Repair, repair

ANCHORS = "briefgen.anchors"
PATH = "briefgen.path"
NOTES = "briefgen.notes"
LINKS = "briefgen.links"
TEXT = "briefgen.text"
GAPS = "briefgen.gaps"
DIAGNOSTICS = "briefgen.diagnostics"
LANDINGS = "briefgen.landings"

MAX_LISTED = 5  # candidates a diagnostic names; it counts the others
NOTE, LINK = 0, 1  # kinds; a note encloses a phrase link on the very same phrase


@dataclass(frozen=True)
class _Placed:
    """A quote that anchored: its span in the reader text and what it belongs to."""

    start: int
    end: int
    kind: int
    order: int  # position in the sidecar list
    anchor: Anchor
    item: Note | PhraseLink


def anchors_plugin(
    md: MarkdownIt,
    *,
    article_href: Callable[[str], str],
    note_md: MarkdownIt | None = None,
) -> None:
    """Anchor notes and phrase links (core rule ``briefgen_anchors``) and render them.

    ``note_md`` parses note texts (CommonMark without raw HTML by default).
    """
    notes_md = note_md or MarkdownIt("commonmark", {"html": False})
    rule = partial(_anchor_rule, article_href=article_href, note_md=notes_md)
    marking_plugin(md)
    md.core.ruler.after(READER, "briefgen_anchors", rule)
    add_render_rules(md)


def _anchor_rule(
    state: StateCore, *, article_href: Callable[[str], str], note_md: MarkdownIt
) -> None:
    """Anchor the document's notes and links, report failures, mark the found phrases."""
    env = state.env
    found = marking(state)
    textmap = found.textmap
    env[TEXT] = textmap.text
    env[GAPS] = tuple(textmap.boundaries)
    env[NOTES] = []
    env[LINKS] = []
    diagnostics: list[Diagnostic] = env.setdefault(DIAGNOSTICS, [])
    notes, links = cast(tuple[Sequence[Note], Sequence[PhraseLink]], env.get(ANCHORS, ((), ())))
    if not notes and not links:
        return
    path = str(env.get(PATH, ""))
    anchorer = Anchorer(textmap.text, textmap.boundaries)
    placed: list[_Placed] = []
    items: list[tuple[int, Note | PhraseLink]] = [(NOTE, n) for n in notes]
    items += [(LINK, link) for link in links]
    for order, (kind, item) in enumerate(items):
        span = _anchor(anchorer, item.anchor, textmap, path, diagnostics)
        if span is not None:
            placed.append(_Placed(span.start, span.end, kind, order, item.anchor, item))
    placed.sort(key=lambda p: (p.start, -p.end, p.kind, p.order))
    accepted = _check(placed, textmap, path, diagnostics)
    links_placed = [(p.anchor, Span(p.start, p.end)) for p in accepted if p.kind == LINK]
    diagnostics += repeated_links(anchorer, links_placed, partial(_place, textmap, path))
    inline = inline_notes(
        [block.end - block.start for block in textmap.blocks],
        [_spot(textmap, p) for p in accepted if isinstance(p.item, Note)],
    )
    wraps: list[Wrap] = []
    number = linked = 0
    for p in accepted:
        if isinstance(p.item, Note):
            number += 1
            html, blocks = note_html(note_md, p.item.text)
            env[NOTES].append((number, p.item, html, blocks, p.start, p.end))
            meta = {
                "number": number,
                "html": html,
                "sources": note_sources(note_md, p.item),
                "inline": number - 1 in inline,
            }
            open_ = Token(NOTE_OPEN, "mark", 1, meta=meta)
            wraps.append(Wrap(p.start, p.end, open_, Token(NOTE_CLOSE, "mark", -1, meta=meta)))
        else:
            if p.item.to not in env[LINKS]:
                env[LINKS].append(p.item.to)
            linked += 1
            attrs: dict[str, str | int | float] = {"class": "xref", "href": article_href(p.item.to)}
            meta = {"number": linked, "slug": p.item.to}
            open_ = Token(XREF_OPEN, "a", 1, attrs=attrs, meta=meta)
            wraps.append(Wrap(p.start, p.end, open_, Token(XREF_CLOSE, "a", -1, meta=meta)))
    env[LANDINGS] = tuple(_landing(textmap, p) for p in accepted)
    found.layers.append(Layer(wraps, place_sidenotes if number else None))


def _place(textmap: TextMap, path: str, offset: int) -> str:
    """``path:line:col`` of a reader-text offset."""
    line, col = textmap.position(offset)
    return f"{path}:{line}:{col}"


def _landing(textmap: TextMap, p: _Placed) -> Landing:
    """Where ``p`` landed, for the lock and the drift check."""
    if isinstance(p.item, Note):
        return landing(textmap, "note", p.anchor, None, p.start, p.end)
    return landing(textmap, "link", p.anchor, p.item.to, p.start, p.end)


def _spot(textmap: TextMap, p: _Placed) -> NoteSpot:
    """Where a note's number goes (after its phrase), and how long the note is."""
    ends = [block.end for block in textmap.blocks]
    b = min(bisect.bisect_left(ends, p.end), len(ends) - 1)
    note = cast(Note, p.item)
    length = len(note.text) + sum(len(s.title) + 2 for s in note.sources)
    return NoteSpot(b, p.end - textmap.blocks[b].start, length)


def _anchor(
    anchorer: Anchorer, anchor: Anchor, textmap: TextMap, path: str, out: list[Diagnostic]
) -> Span | None:
    """The span of ``anchor`` in the reader text, or None after recording why not."""
    quote = anchor.quote
    result = _find(anchorer, anchor)

    def at(span: Span) -> str:
        line, col = textmap.position(span.start)
        return f"{line}:{col}"

    if isinstance(result, Found):
        return result.span
    if isinstance(result, NotFound):
        out.append(_not_found(anchorer, anchor, result, path, at))
    elif isinstance(result, Ambiguous):
        places = ", ".join(at(span) for span in result.spans)
        message = f'quote "{quote}" occurs {len(result.spans)} times in {path}: at {places}'
        fix = "add prefix, suffix or occurrence: N to choose one"
        out.append(Diagnostic(anchor.location, "ANC002", message, fix))
    elif isinstance(result, Crossing):
        places = ", ".join(at(span) for span in result.spans)
        message = f'quote "{quote}" spans two blocks of {path} (at {places})'
        fix = (
            "a quote lies within one paragraph, list item, table cell, code block or "
            "footnote: shorten it, or write a note for each part"
        )
        out.append(Diagnostic(anchor.location, "ANC007", message, fix))
    elif isinstance(result, OutOfRange):
        times = "1 time" if result.count == 1 else f"{result.count} times"
        message = (
            f'occurrence {anchor.occurrence} of "{quote}" requested but it occurs {times} in {path}'
        )
        fix = "use occurrence 1" if result.count == 1 else f"use occurrence 1 to {result.count}"
        out.append(Diagnostic(anchor.location, "ANC003", message, fix))
    return None


def _not_found(
    anchorer: Anchorer, anchor: Anchor, result: NotFound, path: str, at: Callable[[Span], str]
) -> Diagnostic:
    """ANC001 (the quote does not occur) or ANC004 (its context does not fit), with the
    candidates, and the edit that repairs the anchor when there is one."""
    fixed = repair(anchorer, anchor, result)
    edit = Edit(fixed.values) if isinstance(fixed, Repair) else None
    tail = "" if isinstance(fixed, Repair) else f"; not repaired automatically: {fixed.reason}"
    if result.context_mismatch:
        message = f'prefix/suffix do not match any occurrence of "{anchor.quote}"'
        places = [
            f"{path}:{at(c.span)} (context similarity {c.score:.2f})"
            for c in result.candidates[:MAX_LISTED]
        ]
        closest = (
            "the closest occurrence is at" if len(places) == 1 else "the closest occurrences are at"
        )
        fix = f"{closest} {_listed(places, len(result.candidates))}; correct prefix or suffix{tail}"
        return Diagnostic(anchor.location, "ANC004", message, fix, edit=edit)
    message = f'quote not found in {path}: "{anchor.quote}"'
    if result.best is None:
        return Diagnostic(
            anchor.location, "ANC001", message, "copy the phrase exactly from the article"
        )
    texts = [
        f'"{_passage(anchorer.text, c.span)}" at {path}:{at(c.span)} (similarity {c.score:.2f})'
        for c in result.candidates[:MAX_LISTED]
    ]
    closest = "closest text is" if len(texts) == 1 else "closest texts are"
    fix = f"{closest} {_listed(texts, len(result.candidates))}; update the quote{tail}"
    return Diagnostic(anchor.location, "ANC001", message, fix, edit=edit)


def _passage(text: str, span: Span) -> str:
    """The text of ``span``, its white space made single spaces."""
    return " ".join(text[span.start : span.end].split())


def _listed(items: list[str], total: int) -> str:
    """The first items of ``total`` in words: "a", "a and b", "a, b and 3 more"."""
    if total > len(items):
        return f"{', '.join(items)} and {total - len(items)} more"
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def _find(anchorer: Anchorer, anchor: Anchor) -> Result:
    """Anchor a quote; an occurrence below 1 is out of range, like one beyond the last."""
    if anchor.occurrence is None or anchor.occurrence >= 1:
        return anchorer.find(anchor.quote, anchor.prefix, anchor.suffix, anchor.occurrence)
    result = anchorer.find(anchor.quote, anchor.prefix, anchor.suffix)
    if isinstance(result, Found):
        return OutOfRange(1, (result.span,))
    if isinstance(result, Ambiguous):
        return OutOfRange(len(result.spans), result.spans)
    return result


def _check(
    placed: list[_Placed], textmap: TextMap, path: str, out: list[Diagnostic]
) -> list[_Placed]:
    """Keep the spans that nest; report partial overlaps and links inside links."""
    link_texts = _link_texts(textmap)
    accepted: list[_Placed] = []
    for p in placed:
        problem = _overlap(p, accepted)
        if problem is None and p.kind == LINK:
            problem = _inside_link(p, accepted, link_texts, textmap, path)
        if problem is None:
            accepted.append(p)
        else:
            out.append(Diagnostic(p.anchor.location, problem[0], problem[1], problem[2]))
    return accepted


def _overlap(p: _Placed, accepted: list[_Placed]) -> tuple[str, str, str] | None:
    """ANC005 when ``p`` partially overlaps an accepted span (which starts no later)."""
    for a in accepted:
        if a.start < p.start < a.end < p.end:
            return (
                "ANC005",
                f'quote "{p.anchor.quote}" overlaps the quote at {a.anchor.location}',
                "choose phrases that do not overlap, or one inside the other",
            )
    return None


def _inside_link(
    p: _Placed,
    accepted: list[_Placed],
    link_texts: list[tuple[int, int]],
    textmap: TextMap,
    path: str,
) -> tuple[str, str, str] | None:
    """ANC006 when phrase link ``p`` meets a Markdown link or lies in another phrase link."""
    for a in accepted:
        if a.kind == LINK and a.start <= p.start and p.end <= a.end:
            fix = f"choose a phrase outside the phrase link at {a.anchor.location}"
            return "ANC006", "phrase link inside a link", fix
    for start, end in link_texts:
        meets = p.start < end and p.end > start if start < end else p.start < start < p.end
        if meets:
            line, col = textmap.position(start)
            fix = f"choose a phrase outside the link at {path}:{line}:{col}"
            inside = start <= p.start and p.end <= end
            message = "phrase link inside a link" if inside else "phrase link overlaps a link"
            return "ANC006", message, fix
    return None


def _link_texts(textmap: TextMap) -> list[tuple[int, int]]:
    """The reader-text range of every Markdown link's text (outermost links only)."""
    found: list[tuple[int, int]] = []
    for block in textmap.blocks:
        children = textmap.tokens[block.index].children or []
        pos = block.start
        depth = 0
        start = pos
        for child, rng in zip(children, block.ranges, strict=True):
            if rng is not None:
                pos = rng[1]
            elif child.type == "link_open":
                depth += 1
                if depth == 1:
                    start = pos
            elif child.type == "link_close" and depth:
                depth -= 1
                if depth == 0:
                    found.append((start, pos))
    return found
