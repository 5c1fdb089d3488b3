"""Sidecars: a loaded YAML sidecar -> ``Sidecar``, with located problems; pure.

Every value is checked for its type and every unknown key is an error with a
did-you-mean suggestion, so a typo never silently drops an annotation.
"""

from __future__ import annotations

import datetime as dt

from briefgen.errors import Diagnostic, Location
from briefgen.model import Anchor, Note, PhraseLink, Sidecar, SourceRef
from briefgen.source.fields import Fields
from briefgen.source.glossary import parse_terms
from briefgen.source.scalars import Unparsed, is_null, parse_date
from briefgen.source.yamlio import YamlDoc
from briefgen.urls import segment_problem

SIDECAR_KEYS = (
    "title", "date", "source", "byline", "summary", "tags", "draft",
    "notes", "links", "related", "terms",
    # written by `briefgen import`: provenance, credits and suggestions for the editor
    "seed", "credits", "suggested_terms", "suggested_notes",
)  # fmt: skip
ANCHOR_KEYS = ("quote", "prefix", "suffix", "occurrence")
NOTE_KEYS = (*ANCHOR_KEYS, "text", "sources")
LINK_KEYS = (*ANCHOR_KEYS, "to")
SOURCE_KEYS = ("title", "name", "url")


def sidecar_date(fields: Fields, required: bool) -> dt.date | None:
    """The sidecar's date, in YYYY-MM-DD form."""
    value = fields.data.get("date")
    if is_null(value):
        if required:
            fields.problems.append(
                Diagnostic(
                    fields.loc(),
                    "SC003",
                    "missing 'date'",
                    "add 'date: YYYY-MM-DD' (or 'draft: true' while it is unfinished)",
                )
            )
        return None
    try:
        return parse_date(value)
    except Unparsed as bad:
        fields.bad("date", bad.what, bad.fix, code="SC004")
        return None


def parse_sources(fields: Fields, key: str) -> tuple[SourceRef, ...]:
    """A list of sources: {title, url} mappings, or bare URLs."""
    value = fields.data.get(key)
    if value is None:
        return ()
    if not isinstance(value, list):
        fields.bad(key, "must be a list", "write each source as '- {title: ..., url: ...}'")
        return ()
    out = []
    for index, item in enumerate(value):
        if isinstance(item, str):
            item = {"url": item}
        if not isinstance(item, dict):
            fields.bad(key, "entries must be {title, url} mappings", "see the README")
            continue
        sub = Fields(fields.doc, (*fields.path, key, index), item, fields.problems)
        sub.known(SOURCE_KEYS, "a source")
        url = sub.url("url")
        title = sub.text("title") or sub.text("name") or (url or "")
        if title:
            out.append(SourceRef(title, url))
        elif all(is_null(item.get(k)) for k in SOURCE_KEYS):
            fields.problems.append(
                Diagnostic(
                    sub.loc(),
                    "SC007",
                    f"an entry of '{key}' is empty",
                    "give it a title and a url, or remove it",
                )
            )
    return tuple(out)


def parse_source(fields: Fields) -> SourceRef | None:
    """The article's source: a name, or {name, url}."""
    value = fields.data.get("source")
    if value is None:
        return None
    if isinstance(value, str):
        return SourceRef(value.strip())
    if not isinstance(value, dict):
        fields.bad("source", "must be a name or {name, url}", "write source: {name: ..., url: ...}")
        return None
    sub = Fields(fields.doc, ("source",), value, fields.problems)
    sub.known(SOURCE_KEYS, "source")
    name = sub.text("name") or sub.text("title")
    url = sub.url("url")
    return SourceRef(name or (url or ""), url) if (name or url) else None


def parse_anchor(item: Fields) -> Anchor | None:
    """The quote, prefix, suffix and occurrence of a note or link."""
    quote = item.text("quote", required=True, what="the phrase, as readers see it in the article")
    occurrence = item.count("occurrence", least=1)
    if not quote:
        return None
    return Anchor(
        quote=quote,
        location=item.loc("quote"),
        prefix=item.text("prefix") or None,
        suffix=item.text("suffix") or None,
        occurrence=occurrence,
    )


def parse_sidecar(doc: YamlDoc, slug: str) -> tuple[Sidecar | None, list[Diagnostic]]:
    """Check a loaded sidecar and turn it into a ``Sidecar``; pure."""
    problems: list[Diagnostic] = []
    data = doc.data if doc.data is not None else {}
    if not isinstance(data, dict):
        loc = Location(doc.path, 1, 1)
        return None, [Diagnostic(loc, "SC002", "a sidecar must be a mapping", "see the README")]
    top = Fields(doc, (), data, problems)
    top.known(SIDECAR_KEYS, "sidecar")
    draft = top.flag("draft")
    notes = []
    for item in top.items("notes"):
        item.known(NOTE_KEYS, "a note")
        anchor = parse_anchor(item)
        text = item.text("text", required=True, what="the note, in Markdown")
        sources = parse_sources(item, "sources")
        if anchor and text:
            notes.append(Note(anchor, text, sources))
    links = []
    for item in top.items("links"):
        item.known(LINK_KEYS, "a link")
        anchor = parse_anchor(item)
        to = item.text("to", required=True, what="the slug of the article it links to")
        if anchor and to:
            links.append(PhraseLink(anchor, to, item.loc("to")))
    tags = []
    for tag, loc in top.texts("tags"):
        problem = segment_problem(tag)
        if problem:
            problems.append(Diagnostic(loc, "SC002", *problem))
        elif tag not in tags:
            tags.append(tag)
    sidecar = Sidecar(
        path=doc.path,
        title=top.text("title"),
        title_location=doc.loc("title"),
        date=sidecar_date(top, required=not draft),
        summary=top.text("summary"),
        byline=top.text("byline"),
        source=parse_source(top),
        tags=tuple(tags),
        draft=draft,
        notes=tuple(notes),
        links=tuple(links),
        related=tuple(top.texts("related")),
        terms=tuple(parse_terms(doc, data.get("terms"), ("terms",), problems, slug)),
    )
    return sidecar, problems
