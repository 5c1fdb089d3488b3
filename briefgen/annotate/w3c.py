"""Notes as W3C Web Annotations: one ``AnnotationCollection`` per article, or per site; pure.

The W3C Web Annotation Data Model (https://www.w3.org/TR/annotation-model/), in its
JSON-LD serialisation with the context ``http://www.w3.org/ns/anno.jsonld``:

- the collection (``AnnotationCollection``) has an ``id``, a ``label``, the ``total``
  and, when it holds any, its annotations embedded in its ``first`` page
  (``AnnotationPage``, ``startIndex`` 0, ``items``);
- each note is an ``Annotation`` (``motivation: commenting``) whose ``target`` is the
  article's published URL with two selectors over the article's *reader text* (what
  anchoring sees, see ``briefgen.markdown.textmap``): a ``TextQuoteSelector`` (the
  phrase, ``exact``, with up to 32 characters before and after it, ``prefix`` and
  ``suffix``, as Hypothesis records them) and a ``TextPositionSelector`` (``start``
  and ``end``, in characters, Unicode code points);
- its ``body`` is the note's text (a ``TextualBody``, HTML) and, for each source, a
  body with the purpose ``linking``: the source's URL as ``id`` with its title as
  ``label``, or a ``TextualBody`` holding the title when the source has no URL.

Output is deterministic: keys in a fixed order, notes in their number order.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import orjson

from briefgen.model import SourceRef

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
CONTEXT_CHARS = 32  # of prefix and suffix, as Hypothesis records them
MEDIA_TYPE = "application/ld+json"


@dataclass(frozen=True)
class Selected:
    """A note as W3C selectors see it: its phrase in the reader text, its body."""

    number: int
    start: int
    end: int
    html: str  # the note's text as HTML blocks
    sources: tuple[SourceRef, ...]


def quote_selector(text: str, start: int, end: int) -> dict[str, Any]:
    """The ``TextQuoteSelector`` of reader text [start, end)."""
    return {
        "type": "TextQuoteSelector",
        "exact": text[start:end],
        "prefix": text[max(0, start - CONTEXT_CHARS) : start],
        "suffix": text[end : end + CONTEXT_CHARS],
    }


def annotation(
    ident: str, page_url: str, text: str, note: Selected, language: str
) -> dict[str, Any]:
    """One note as an ``Annotation`` of the page at ``page_url``."""
    body: list[dict[str, Any]] = [
        {
            "type": "TextualBody",
            "value": note.html,
            "format": "text/html",
            "language": language,
            "purpose": "commenting",
        }
    ]
    for source in note.sources:
        if source.url:
            body.append(
                {"id": source.url, "type": "Text", "purpose": "linking", "label": source.title}
            )
        else:
            body.append({"type": "TextualBody", "value": source.title, "purpose": "linking"})
    return {
        "id": ident,
        "type": "Annotation",
        "motivation": "commenting",
        "body": body,
        "target": {
            "source": page_url,
            "selector": [
                quote_selector(text, note.start, note.end),
                {"type": "TextPositionSelector", "start": note.start, "end": note.end},
            ],
        },
    }


def collection(ident: str, label: str, items: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """An ``AnnotationCollection`` with its annotations in one embedded page."""
    found: dict[str, Any] = {
        "@context": CONTEXT,
        "id": ident,
        "type": "AnnotationCollection",
        "label": label,
        "total": len(items),
    }
    if items:
        found["first"] = {
            "id": f"{ident}#page-1",
            "type": "AnnotationPage",
            "partOf": ident,
            "startIndex": 0,
            "items": list(items),
        }
    return found


def article_annotations(
    collection_url: str,
    page_url: str,
    title: str,
    text: str,
    notes: Sequence[Selected],
    language: str,
) -> list[dict[str, Any]]:
    """An article's notes as annotations, each identified in its collection (``#note-N``)."""
    return [
        annotation(f"{collection_url}#note-{n.number}", page_url, text, n, language) for n in notes
    ]


# Escaped so that the document is also safe inside an HTML <script> element.
_HTML_SAFE = ((b"<", b"\\u003c"), (b">", b"\\u003e"), (b"&", b"\\u0026"))


def dump(data: dict[str, Any]) -> bytes:
    """The JSON-LD document: deterministic, readable, with ``<``, ``>`` and ``&`` escaped.

    The bytes are ``json.dumps(data, ensure_ascii=False, indent=2)``'s, in UTF-8: orjson
    writes them in C (the standard library's encoder is pure Python once indented),
    with the same escapes, separators and key order for what annotations hold (text,
    whole numbers, lists and mappings, no floats); whatever orjson refuses (a number
    beyond 64 bits) goes through ``json``. The three characters are escaped in the
    bytes: in UTF-8 no other character's bytes contain theirs.
    """
    try:
        found = orjson.dumps(data, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE)
    except orjson.JSONEncodeError:
        found = (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    for character, escaped in _HTML_SAFE:
        found = found.replace(character, escaped)
    return found
