"""Which notes imported annotations become, in which article; pure.

Each annotation goes to an article: the one named on the command line, or the one
whose published URL or sidecar ``source.url`` its target names. Its quote is anchored
in the article's reader text as a note's would be, with its prefix and suffix (as
Hypothesis records them) and its position to choose among several occurrences; an
annotation that does not anchor is reported as the build reports a note, located at
its quote in the annotation file, with the closest passage of the article. The note
written to the sidecar gets only the context its quote needs there. A note whose
phrase and text an existing (or earlier imported) note already has is skipped.
"""

from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit, urlunsplit

from briefgen.annotate.reading import Incoming
from briefgen.annotate.sidecar_notes import NewNote
from briefgen.errors import Diagnostic
from briefgen.markdown.renderer import Rendered, Renderer
from briefgen.model import Anchor, Article, Content, Note
from briefgen.text.anchoring import Ambiguous, Anchorer, Found, Span
from briefgen.text.normalise import normalise
from briefgen.urls import UrlScheme

NO_ARTICLE = "ANN004"
ADDED = "ANN101"
DUPLICATE = "ANN102"
CONTEXT_WORDS = 8  # at most this many words of context to tell one occurrence from others


@dataclass
class Plan:
    """The notes to add to each article, what was done, and what failed."""

    notes: dict[str, list[NewNote]] = field(default_factory=dict)  # by slug
    done: list[Diagnostic] = field(default_factory=list)  # "info" diagnostics
    errors: list[Diagnostic] = field(default_factory=list)


def page_key(url: str) -> str:
    """A URL as pages compare: no fragment, lowercase scheme and host, no final slash."""
    parts = urlsplit(url.strip())
    path = parts.path.removesuffix("index.html").rstrip("/")
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, parts.query, ""))


def article_urls(urls: UrlScheme, articles: Sequence[Article]) -> dict[str, str]:
    """Each article by the keys of its published URL and its source's URL."""
    found: dict[str, str] = {}
    for article in articles:
        found.setdefault(page_key(urls.article(article.slug).url), article.slug)
        source = article.sidecar.source
        if source is not None and source.url:
            found.setdefault(page_key(source.url), article.slug)
    return found


def plan_import(
    content: Content,
    renderer: Renderer,
    urls: UrlScheme,
    incoming: Sequence[Incoming],
    article: str | None,
) -> Plan:
    """The notes ``incoming`` annotations make, article by article."""
    plan = Plan()
    articles = {a.slug: a for a in content.articles}
    by_url = article_urls(urls, content.articles)
    chosen: dict[str, list[tuple[Incoming, Span]]] = {}
    rendered: dict[str, Rendered] = {}
    for item in incoming:
        slug = article or next(
            (by_url[k] for k in map(page_key, item.targets) if k in by_url), None
        )
        if slug is None:
            plan.errors.append(_no_article(item, by_url))
            continue
        if slug not in rendered:
            rendered[slug] = renderer.render(articles[slug])
        span = _anchor(item, rendered[slug])
        if span is None:  # the build's own diagnostics say why, at the annotation's quote
            plan.errors.extend(_problems(renderer, articles[slug], [_note(item)]))
        elif not _duplicate(item, span, rendered[slug], chosen.get(slug, []), plan):
            chosen.setdefault(slug, []).append((item, span))
    for slug, items in chosen.items():
        result = rendered[slug]
        anchorer = Anchorer(result.text, result.gaps)
        placed = [(item, _new_note(item, span, result.text, anchorer)) for item, span in items]
        for item, note in _placeable(renderer, articles[slug], placed, plan):
            plan.notes.setdefault(slug, []).append(note)
            message = f'note on "{note.quote}" for {articles[slug].sidecar.path}'
            plan.done.append(Diagnostic(item.location, ADDED, message, severity="info"))
    return plan


def _no_article(item: Incoming, by_url: Mapping[str, str]) -> Diagnostic:
    """ANN004: the annotation's target is no article of this site."""
    target = item.targets[0] if item.targets else "no page"
    fix = "name the article with --article SLUG, or set its sidecar's source.url to this URL"
    close = difflib.get_close_matches(page_key(target), list(by_url), n=1, cutoff=0.8)
    if close:
        fix = f"did you mean {close[0]}/ (article {by_url[close[0]]})? or {fix}"
    message = f"annotation targets {target}, which is no article of this site"
    return Diagnostic(item.location, NO_ARTICLE, message, fix)


def _note(item: Incoming, anchor: Anchor | None = None) -> Note:
    """The annotation as a note, located at its quote in the annotation file."""
    anchor = anchor or Anchor(item.exact, item.quote_location, item.prefix, item.suffix)
    return Note(anchor, item.text, item.sources)


def _anchor(item: Incoming, result: Rendered) -> Span | None:
    """Where the annotation's quote is: alone, or chosen by its context or position."""
    anchorer = Anchorer(result.text, result.gaps)
    alone = anchorer.find(item.exact)
    if isinstance(alone, Found):
        return alone.span
    if not isinstance(alone, Ambiguous):
        return None
    chosen = anchorer.find(item.exact, item.prefix, item.suffix)
    if isinstance(chosen, Found):
        return chosen.span
    return next((s for s in alone.spans if s.start == item.start), None)


def _problems(renderer: Renderer, article: Article, notes: list[Note]) -> list[Diagnostic]:
    """What the build says of ``notes`` in ``article`` (diagnostics at the notes' places)."""
    sidecar = dataclasses.replace(article.sidecar, notes=(*article.sidecar.notes, *notes))
    result = renderer.render(dataclasses.replace(article, sidecar=sidecar))
    places = {note.anchor.location for note in notes}
    return [d for d in result.diagnostics if d.location in places]


def _duplicate(
    item: Incoming, span: Span, result: Rendered, chosen: list[tuple[Incoming, Span]], plan: Plan
) -> bool:
    """Whether a note with this phrase and text exists already; reported when it does."""
    text = normalise(item.text).strip()
    for note in result.notes:
        same = (note.start, note.end) == (span.start, span.end)
        if same and normalise(note.note.text).strip() == text:
            message = f"duplicate of the note at {note.note.anchor.location}; skipped"
            plan.done.append(Diagnostic(item.location, DUPLICATE, message, severity="info"))
            return True
    for other, other_span in chosen:
        if other_span == span and normalise(other.text).strip() == text:
            message = f"duplicate of the annotation at {other.location}; skipped"
            plan.done.append(Diagnostic(item.location, DUPLICATE, message, severity="info"))
            return True
    return False


def _placeable(
    renderer: Renderer, article: Article, placed: list[tuple[Incoming, NewNote]], plan: Plan
) -> list[tuple[Incoming, NewNote]]:
    """The new notes that sit with the article's notes (no partial overlaps)."""
    kept = list(placed)
    while kept:
        notes = [_note(item, _as_anchor(item, note)) for item, note in kept]
        problems = _problems(renderer, article, notes)
        if not problems:
            return kept
        failed = {d.location for d in problems}
        plan.errors.extend(problems)
        kept = [(item, note) for item, note in kept if item.quote_location not in failed]
    return kept


def _as_anchor(item: Incoming, note: NewNote) -> Anchor:
    """A new note's anchor, located at the annotation's quote."""
    return Anchor(note.quote, item.quote_location, note.prefix, note.suffix, note.occurrence)


def _new_note(item: Incoming, span: Span, text: str, anchorer: Anchorer) -> NewNote:
    """The sidecar note for an annotation at ``span``: its quote and the context it needs."""
    quote = " ".join(text[span.start : span.end].split())
    base = NewNote(quote, item.text.strip(), sources=item.sources)
    found = anchorer.find(quote)
    if isinstance(found, Found):
        return base
    before = text[: span.start].split()
    after = text[span.end :].split()
    for size in range(1, CONTEXT_WORDS + 1):
        prefix = " ".join(before[-size:]) if before else None
        if prefix and anchorer.find(quote, prefix=prefix) == Found(span):
            return dataclasses.replace(base, prefix=prefix)
        suffix = " ".join(after[:size]) if after else None
        if suffix and anchorer.find(quote, suffix=suffix) == Found(span):
            return dataclasses.replace(base, suffix=suffix)
    spans = found.spans if isinstance(found, Ambiguous) else (span,)
    return dataclasses.replace(base, occurrence=spans.index(span) + 1)
