"""Annotation files -> annotations to import, each located in its file; pure.

Two formats are read:

- the W3C Web Annotation model in JSON-LD: an ``AnnotationCollection`` (its embedded
  ``first`` page), an ``AnnotationPage``, one ``Annotation`` or a list of them;
- the Hypothesis API's JSON: a search result ``{"rows": [...]}`` or one annotation,
  with ``uri``, ``text`` (Markdown) and ``target[].selector``.

Of each annotation: the page it targets (``target.source``, Hypothesis' ``uri``), its
``TextQuoteSelector`` (required) and ``TextPositionSelector`` (a hint), its comment
(a ``TextualBody``, ``bodyValue`` or Hypothesis' ``text``; HTML is turned into
Markdown) and its sources (bodies with the purpose ``linking``). Every object keeps
the offset where it starts in the file, so that a problem names its line and column.
"""

from __future__ import annotations

import json
import json.decoder
import json.scanner
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from briefgen.annotate.htmltext import html_to_markdown
from briefgen.errors import Diagnostic, Location
from briefgen.markdown.lines import SourceLines
from briefgen.model import SourceRef

NOT_JSON = "ANN001"
NOT_ANNOTATIONS = "ANN002"
NO_SELECTOR = "ANN003"
NO_COMMENT = "ANN008"


@dataclass(frozen=True)
class Incoming:
    """One annotation to import: where it is, what it targets, its quote and its note."""

    location: Location  # the annotation in the file
    quote_location: Location  # its TextQuoteSelector
    targets: tuple[str, ...]  # the URLs of the pages it annotates
    exact: str
    prefix: str | None
    suffix: str | None
    start: int | None  # its TextPositionSelector's, a hint among several occurrences
    text: str  # Markdown
    sources: tuple[SourceRef, ...]


class Located(dict[str, Any]):
    """A JSON object that knows the offset of its ``{`` in the file."""

    offset = 0


def _decoder() -> json.JSONDecoder:
    """A JSON decoder whose objects are ``Located``, each with its offset.

    The standard library's pure-Python scanner calls the decoder's ``parse_object``,
    which is wrapped to note where each object starts (the C scanner would not).
    """
    decoder = json.JSONDecoder(object_pairs_hook=Located)
    state: Any = decoder  # parse_object and scan_once are set in __init__, untyped
    parse_object: Callable[..., tuple[Any, int]] = state.parse_object

    def located(s_and_end: tuple[str, int], *args: Any) -> tuple[Any, int]:
        found, end = parse_object(s_and_end, *args)
        if isinstance(found, Located):
            found.offset = s_and_end[1] - 1
        return found, end

    state.parse_object = located
    state.scan_once = getattr(json.scanner, "py_make_scanner")(decoder)  # noqa: B009
    return decoder


def read_annotations(path: str, text: str) -> tuple[list[Incoming], list[Diagnostic]]:
    """The annotations in the file at ``path`` (its ``text``), and its problems."""
    lines = SourceLines(text)
    try:
        data = _decoder().decode(text)
    except json.JSONDecodeError as exc:
        where = Location(path, exc.lineno, exc.colno)
        fix = "export the annotations again, as W3C JSON-LD or Hypothesis API JSON"
        return [], [Diagnostic(where, NOT_JSON, f"not JSON: {exc.msg}", fix)]
    objects = _annotation_objects(data)
    if objects is None:
        where = Location(path, 1, 1)
        message = "not an annotation file: no W3C annotations nor Hypothesis rows in it"
        fix = 'give an AnnotationCollection, AnnotationPage, Annotation or {"rows": [...]}'
        return [], [Diagnostic(where, NOT_ANNOTATIONS, message, fix)]
    found: list[Incoming] = []
    problems: list[Diagnostic] = []
    for item in objects:
        incoming = _incoming(item, path, lines)
        if isinstance(incoming, Diagnostic):
            problems.append(incoming)
        else:
            found.append(incoming)
    return found, problems


def _annotation_objects(data: Any) -> list[Any] | None:
    """The annotation objects of a file, whatever holds them; None when none can."""
    if isinstance(data, list):
        return data
    if not isinstance(data, dict):
        return None
    if isinstance(data.get("rows"), list):  # a Hypothesis search result
        return list(data["rows"])
    kind = data.get("type")
    if kind == "AnnotationCollection":
        first = data.get("first")
        return _annotation_objects(first) if isinstance(first, dict) else []
    if kind == "AnnotationPage":
        items = data.get("items")
        return list(items) if isinstance(items, list) else None
    if kind == "Annotation" or "target" in data:
        return [data]
    return None


def _location(path: str, lines: SourceLines, item: Any) -> Location:
    """Where a JSON object starts in the file."""
    line, col = lines.line_col(item.offset if isinstance(item, Located) else 0)
    return Location(path, line, col)


def _incoming(item: Any, path: str, lines: SourceLines) -> Incoming | Diagnostic:
    """One annotation object, or the located reason it cannot be imported."""
    where = _location(path, lines, item)
    if not isinstance(item, dict):
        return Diagnostic(where, NOT_ANNOTATIONS, "an annotation must be a JSON object")
    targets: list[str] = []
    quote: dict[str, Any] | None = None
    start: int | None = None
    if isinstance(item.get("uri"), str):
        targets.append(item["uri"])
    for target in _as_list(item.get("target")):
        if isinstance(target, str):
            targets.append(target)
            continue
        if not isinstance(target, dict):
            continue
        if isinstance(target.get("source"), str):
            targets.append(target["source"])
        for selector in _as_list(target.get("selector")):
            if not isinstance(selector, dict):
                continue
            if selector.get("type") == "TextQuoteSelector" and quote is None:
                quote = selector
            elif selector.get("type") == "TextPositionSelector":
                start = selector.get("start") if isinstance(selector.get("start"), int) else None
    if quote is None or not isinstance(quote.get("exact"), str) or not quote["exact"].strip():
        message = "annotation has no TextQuoteSelector with the exact text it annotates"
        fix = "export it with its selectors; a page note without a quote cannot be placed"
        return Diagnostic(where, NO_SELECTOR, message, fix)
    text, sources = _body(item)
    if not text:
        message = "annotation has no comment: a highlight is not a note"
        fix = "write its comment in the annotation tool, or leave it out of the file"
        return Diagnostic(where, NO_COMMENT, message, fix)
    return Incoming(
        location=where,
        quote_location=_location(path, lines, quote),
        targets=tuple(dict.fromkeys(targets)),
        exact=quote["exact"],
        prefix=_text_or_none(quote.get("prefix")),
        suffix=_text_or_none(quote.get("suffix")),
        start=start,
        text=text,
        sources=sources,
    )


def _body(item: dict[str, Any]) -> tuple[str, tuple[SourceRef, ...]]:
    """An annotation's comment (Markdown) and its sources."""
    comments: list[str] = []
    sources: list[SourceRef] = []
    if isinstance(item.get("text"), str):  # Hypothesis: Markdown
        comments.append(item["text"])
    if isinstance(item.get("bodyValue"), str):
        comments.append(item["bodyValue"])
    for body in _as_list(item.get("body")):
        if isinstance(body, str):  # a body given by its IRI
            sources.append(SourceRef(body, body))
        elif not isinstance(body, dict):
            continue
        elif body.get("purpose") == "linking":
            url = body.get("id") or body.get("source")
            title = body.get("label") or body.get("value") or url
            if isinstance(title, str):
                sources.append(SourceRef(title, url if isinstance(url, str) else None))
        elif (
            body.get("type") == "TextualBody"
            and isinstance(body.get("value"), str)
            and body.get("purpose") in (None, "commenting", "describing")
        ):
            html = body.get("format") == "text/html"
            comments.append(html_to_markdown(body["value"]) if html else body["value"])
    return "\n\n".join(c.strip() for c in comments if c.strip()), tuple(sources)


def _as_list(value: Any) -> list[Any]:
    """A JSON-LD value that may be one item or a list of them, as a list."""
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _text_or_none(value: Any) -> str | None:
    """A string, or None for anything else or an empty one."""
    return value if isinstance(value, str) and value else None
