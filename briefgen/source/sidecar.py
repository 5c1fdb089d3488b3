"""Sidecars: a loaded YAML sidecar -> ``Sidecar``, with located problems; pure.

``SIDECAR`` is the spec of a sidecar's structure (``briefgen.source.specs``): every
value is checked for its type and every unknown key is an error with a did-you-mean
suggestion, so a typo never silently drops an annotation. Its JSON Schema is made
from the same spec.
"""

from __future__ import annotations

from briefgen.errors import Diagnostic, Location
from briefgen.model import Anchor, Note, PhraseLink, Sidecar, SourceRef
from briefgen.source.fieldtypes import Anything, Count, Date, Flag, Text, Texts
from briefgen.source.glossary import TERMS, make_terms
from briefgen.source.specs import CONTENT, Checked, read_spec
from briefgen.source.structures import Either, Items, Record
from briefgen.source.yamlio import YamlDoc
from briefgen.urlcheck import url_problem
from briefgen.urls import segment_problem

URL_HELP = (
    "An absolute http(s) or mailto address (briefgen refuses other schemes, user names, "
    "spaces and control characters)."
)
URL = Text(
    URL_HELP,
    check=lambda url: url_problem(url) if url.strip() else None,
    check_code="URL001",
    fix="use an absolute http:// or https:// URL",
)
EMPTY_SOURCE = ("an entry of 'sources' is empty", "give it a title and a url, or remove it")
SOURCE_FIELDS = {
    "title": Text("The source's title."),
    "name": Text("The source's name, such as CNN (the title when there is none)."),
    "url": URL,
}
SOURCES = Items(
    Either(
        Text(
            URL_HELP,
            nonblank=True,
            empty=EMPTY_SOURCE,
            check=url_problem,
            check_code="URL001",
            fix="use an absolute http:// or https:// URL",
        ),
        Record(SOURCE_FIELDS, what="a source", one_of=("title", "name", "url"), empty=EMPTY_SOURCE),
        problem="entries must be {title, url} mappings",
        fix="see the README",
    ),
    "Where the note's facts come from: {title, url} mappings, or addresses.",
    fix="write each source as '- {title: ..., url: ...}'",
)
ANCHOR_FIELDS = {
    "quote": Text(
        "The phrase, as readers see it in the article.",
        nonblank=True,
        what="the phrase, as readers see it in the article",
    ),
    "prefix": Text("Text right before the phrase, to choose among several occurrences."),
    "suffix": Text("Text right after the phrase, to choose among several occurrences."),
    "occurrence": Count("Take the N-th of the occurrences that remain (from 1).", least=1),
}
NOTE = Record(
    {
        **ANCHOR_FIELDS,
        "text": Text("The note, in Markdown.", nonblank=True, what="the note, in Markdown"),
        "sources": SOURCES,
    },
    what="a note",
    description="A context note anchored to an exact phrase of the article.",
    required=("quote", "text"),
)
LINK = Record(
    {
        **ANCHOR_FIELDS,
        "to": Text(
            "The slug of the article it links to.",
            nonblank=True,
            what="the slug of the article it links to",
        ),
    },
    what="a link",
    description="A phrase of the article that links to another article.",
    required=("quote", "to"),
)
SIDECAR = Record(
    {
        "title": Text("The title (default: the article's first heading or line)."),
        "date": Date("The date of publication, YYYY-MM-DD; required unless draft: true."),
        "source": Either(
            Text(),
            Record(SOURCE_FIELDS, what="source"),
            "Where the article comes from: a name, or {name, url}.",
            problem="must be a name or {name, url}",
            fix="write source: {name: ..., url: ...}",
        ),
        "byline": Text("Who wrote it."),
        "summary": Text("Why it matters, in one or two sentences (inline Markdown)."),
        "tags": Texts("Tags, in any script; each needs a letter or digit."),
        "draft": Flag("A draft is built only with --drafts.", default=False),
        "notes": Items(NOTE, "Context notes anchored to exact phrases."),
        "links": Items(LINK, "Phrases that link to other articles."),
        "related": Texts("Slugs of related articles."),
        "terms": TERMS,
        "seed": Text("The raw article it was imported from (written by briefgen import)."),
        "credits": Texts("Credits lines (written by briefgen import)."),
        "suggested_terms": Anything("Suggestions of briefgen import; the build ignores them."),
        "suggested_notes": Anything("Suggestions of briefgen import; the build ignores them."),
    },
    what="sidecar",
    description="The sidecar of a briefgen article: its metadata and annotations.",
    required=("date",),
    required_unless="draft",
    missing_fixes={"date": "add 'date: YYYY-MM-DD' (or 'draft: true' while it is unfinished)"},
)
SIDECAR_KEYS = tuple(SIDECAR.keys)
NOTE_KEYS = tuple(NOTE.keys)
LINK_KEYS = tuple(LINK.keys)


def make_source(value: str | Checked | None) -> SourceRef | None:
    """The article's source: a name, or {name, url}."""
    if isinstance(value, str):
        return SourceRef(value)
    if value is None:
        return None
    name = value.get("name") or value.get("title")
    url = value.get("url") or None
    return SourceRef(name or (url or ""), url) if (name or url) else None


def make_sources(values: list[str | Checked]) -> tuple[SourceRef, ...]:
    """A note's sources: {title, url} mappings, or bare URLs."""
    found = []
    for value in values:
        if isinstance(value, str):
            if value:
                found.append(SourceRef(value, value))
            continue
        url = value.get("url") or None
        title = value.get("title") or value.get("name") or (url or "")
        if title:
            found.append(SourceRef(title, url))
    return tuple(found)


def make_anchor(item: Checked) -> Anchor | None:
    """The quote, prefix, suffix and occurrence of a note or link."""
    quote = item.get("quote")
    if not quote:
        return None
    return Anchor(
        quote=quote,
        location=item.loc("quote"),
        prefix=item.get("prefix") or None,
        suffix=item.get("suffix") or None,
        occurrence=item.get("occurrence"),
    )


def parse_sidecar(doc: YamlDoc, slug: str) -> tuple[Sidecar | None, list[Diagnostic]]:
    """Check a loaded sidecar and turn it into a ``Sidecar``; pure."""
    if doc.data is not None and not isinstance(doc.data, dict):
        loc = Location(doc.path, 1, 1)
        return None, [Diagnostic(loc, "SC002", "a sidecar must be a mapping", "see the README")]
    top, problems = read_spec(SIDECAR, doc, CONTENT, empty={})
    notes = []
    for item in top.get("notes", []):
        anchor = make_anchor(item)
        if anchor and item.get("text"):
            notes.append(Note(anchor, item.get("text"), make_sources(item.get("sources", []))))
    links = []
    for item in top.get("links", []):
        anchor = make_anchor(item)
        if anchor and item.get("to"):
            links.append(PhraseLink(anchor, item.get("to"), item.loc("to")))
    tags: list[str] = []
    for tag, loc in top.get("tags", []):
        problem = segment_problem(tag)
        if problem:
            problems.append(Diagnostic(loc, "SC002", *problem))
        elif tag not in tags:
            tags.append(tag)
    sidecar = Sidecar(
        path=doc.path,
        title=top.get("title", ""),
        title_location=doc.loc("title"),
        date=top.get("date"),
        summary=top.get("summary", ""),
        byline=top.get("byline", ""),
        source=make_source(top.get("source")),
        tags=tuple(tags),
        draft=top.get("draft", False),
        notes=tuple(notes),
        links=tuple(links),
        related=tuple(top.get("related", [])),
        terms=tuple(make_terms(top.get("terms", []), slug)),
    )
    return sidecar, problems
