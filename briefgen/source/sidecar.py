"""Sidecars and glossaries: loaded YAML -> model objects, with located problems; pure.

Every value is checked for its type and every unknown key is an error with a
did-you-mean suggestion, so a typo never silently drops an annotation.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from briefgen.errors import Diagnostic, Location
from briefgen.model import Anchor, Note, PhraseLink, SourceRef, Term
from briefgen.source.config import did_you_mean
from briefgen.source.yamlio import Key, YamlDoc

SIDECAR_KEYS = (
    "title", "date", "source", "byline", "summary", "tags", "draft",
    "notes", "links", "related", "terms",
    # written by `briefgen import`: provenance, credits and suggestions for the editor
    "seed", "credits", "suggested_terms", "suggested_notes",
)  # fmt: skip
ANCHOR_KEYS = ("quote", "prefix", "suffix", "occurrence")
NOTE_KEYS = (*ANCHOR_KEYS, "text", "sources")
LINK_KEYS = (*ANCHOR_KEYS, "to")
TERM_KEYS = ("name", "aliases", "definition", "see")
SOURCE_KEYS = ("title", "name", "url")
SAFE_SCHEMES = ("http", "https", "mailto")
SLUG_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")


@functools.lru_cache(maxsize=65536)
def slugify(text: str) -> str:
    """ASCII, lowercase, hyphen-separated: "Belt and Road" -> "belt-and-road"."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


@dataclass
class Fields:
    """Typed access to one YAML mapping, collecting a diagnostic for each bad value."""

    doc: YamlDoc
    path: tuple[Key, ...]
    data: dict[str, Any]
    problems: list[Diagnostic] = field(default_factory=list)

    def loc(self, *keys: Key) -> Location:
        """Location of a value under this mapping."""
        return self.doc.loc(*self.path, *keys)

    def bad(self, key: str, what: str, fix: str, code: str = "SC002") -> None:
        """Record that ``key`` has a bad value."""
        self.problems.append(Diagnostic(self.loc(key), code, f"'{key}' {what}", fix))

    def known(self, keys: tuple[str, ...], what: str) -> None:
        """Report keys that are not in ``keys``."""
        for key in self.data:
            if key not in keys:
                self.problems.append(
                    Diagnostic(
                        self.doc.key_loc(*self.path, key),
                        "SC001",
                        f"unknown key '{key}' in {what}",
                        did_you_mean(str(key), list(keys)),
                    )
                )

    def text(self, key: str, *, required: bool = False, default: str = "") -> str:
        """A string value (numbers are accepted and turned into text)."""
        value = self.data.get(key)
        if value is None:
            if required:
                self.problems.append(
                    Diagnostic(self.loc(), "SC003", f"missing '{key}'", f"add '{key}: ...'")
                )
            return default
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.bad(key, "must be text", "write it as a quoted string")
            return default
        return str(value).strip()

    def texts(self, key: str) -> list[tuple[str, Location]]:
        """A list of strings (a single string counts as a list of one)."""
        value = self.data.get(key)
        if value is None:
            return []
        if isinstance(value, str):
            return [(value.strip(), self.loc(key))]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.bad(key, "must be a list of strings", f"write it as {key}: [a, b]")
            return []
        return [(v.strip(), self.loc(key, i)) for i, v in enumerate(value)]

    def flag(self, key: str) -> bool:
        """A true/false value."""
        value = self.data.get(key, False)
        if not isinstance(value, bool):
            self.bad(key, "must be true or false", f"write {key}: true or {key}: false")
            return False
        return value

    def items(self, key: str) -> list[Fields]:
        """A list of mappings, as ``Fields``."""
        value = self.data.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.bad(key, "must be a list", f"start each entry with '- ' under {key}:")
            return []
        out = []
        for index, item in enumerate(value):
            if not isinstance(item, dict):
                self.problems.append(
                    Diagnostic(
                        self.loc(key, index),
                        "SC002",
                        f"each entry of '{key}' must be a mapping",
                        "write entries as '- quote: ...' with their keys indented below",
                    )
                )
                continue
            out.append(Fields(self.doc, (*self.path, key, index), item, self.problems))
        return out

    def url(self, key: str) -> str | None:
        """A link target: http(s) or mailto only (never javascript: and the like)."""
        text = self.text(key)
        if not text:
            return None
        scheme = urlsplit(text).scheme.lower()
        if scheme not in SAFE_SCHEMES:
            self.problems.append(
                Diagnostic(
                    self.loc(key),
                    "URL001",
                    f"'{key}' is not a web address: {text!r}",
                    "use an absolute http:// or https:// URL",
                )
            )
            return None
        return text


def parse_date(fields: Fields, required: bool) -> dt.date | None:
    """The sidecar's date: a YAML date, or text in YYYY-MM-DD form."""
    value = fields.data.get("date")
    if value is None:
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
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        fields.bad("date", f"is not a date: {value!r}", "write it as YYYY-MM-DD", code="SC004")
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
    quote = item.text("quote", required=True)
    occurrence = item.data.get("occurrence")
    if occurrence is not None and (
        isinstance(occurrence, bool) or not isinstance(occurrence, int) or occurrence < 1
    ):
        item.bad("occurrence", "must be a whole number from 1", "write occurrence: 2")
        occurrence = None
    if not quote:
        return None
    return Anchor(
        quote=quote,
        location=item.loc("quote"),
        prefix=item.text("prefix") or None,
        suffix=item.text("suffix") or None,
        occurrence=occurrence,
    )


def parse_terms(
    doc: YamlDoc, data: Any, path: tuple[Key, ...], problems: list[Diagnostic], local_to: str | None
) -> list[Term]:
    """Glossary entries: a mapping of headword -> {name, aliases, definition, see} or text."""
    if data is None:
        return []
    if not isinstance(data, dict):
        problems.append(
            Diagnostic(
                doc.loc(*path),
                "TRM001",
                "a glossary must be a mapping of terms",
                "write each term as 'SCO:' with name, definition and aliases below",
            )
        )
        return []
    terms = []
    for key, entry in data.items():
        where = (*path, key)
        if isinstance(entry, str):
            entry = {"definition": entry}
        if not isinstance(key, str) or not isinstance(entry, dict):
            problems.append(
                Diagnostic(
                    doc.loc(*where),
                    "TRM001",
                    f"term {key!r} must have a definition",
                    "write 'definition: ...' under the term",
                )
            )
            continue
        fields = Fields(doc, where, entry, problems)
        fields.known(TERM_KEYS, f"term '{key}'")
        definition = fields.text("definition", required=True)
        see = tuple(fields.texts("see"))
        aliases = tuple(a for a, _ in fields.texts("aliases") if a)
        terms.append(
            Term(
                key=key.strip(),
                id=slugify(key) or "term",
                name=fields.text("name") or key.strip(),
                definition=definition,
                location=doc.key_loc(*where),
                aliases=aliases,
                see=see,
                local_to=local_to,
            )
        )
    return terms


@dataclass(frozen=True)
class Sidecar:
    """What a sidecar says about its article."""

    title: str
    title_location: Location
    date: dt.date | None
    summary: str
    byline: str
    source: SourceRef | None
    tags: tuple[str, ...]
    draft: bool
    notes: tuple[Note, ...]
    links: tuple[PhraseLink, ...]
    related: tuple[tuple[str, Location], ...]
    terms: tuple[Term, ...]


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
        text = item.text("text", required=True)
        sources = parse_sources(item, "sources")
        if anchor and text:
            notes.append(Note(anchor, text, sources))
    links = []
    for item in top.items("links"):
        item.known(LINK_KEYS, "a link")
        anchor = parse_anchor(item)
        to = item.text("to", required=True)
        if anchor and to:
            links.append(PhraseLink(anchor, to, item.loc("to")))
    tags = []
    for tag, loc in top.texts("tags"):
        if not slugify(tag):
            problems.append(Diagnostic(loc, "SC002", f"tag {tag!r} has no letters or digits"))
        elif tag not in tags:
            tags.append(tag)
    sidecar = Sidecar(
        title=top.text("title"),
        title_location=doc.loc("title"),
        date=parse_date(top, required=not draft),
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
