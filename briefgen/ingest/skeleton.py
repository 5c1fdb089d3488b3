"""The sidecar skeleton import writes: its fields, as block-style YAML; pure.

The sidecar is written by hand, in a stable key order and block style, with comments
for the editor; the editor's keys are never touched on a re-import:

- fresh import (``sidecar_fields``, ``render_sidecar``): title, date (a ``TODO`` the
  build reports until it is set), source, byline, tags, ``seed`` (provenance, relative
  to the site), credits and the suggestions, which the build ignores:
  ``suggested_terms`` and ``suggested_notes``;
- re-import (``merge_sidecar``): only the keys import owns are replaced (seed, credits,
  suggestions; date, source and tags when given on the command line; title, byline
  and source when missing), each as a block of lines, so the editor's notes, links,
  comments and formatting stay as they are.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import yaml

from briefgen.ingest.cleaning import Cleaned
from briefgen.ingest.model import ImportOptions
from briefgen.ingest.suggestions import suggest_notes, suggest_terms
from briefgen.model import Term
from briefgen.schemas.editor import modeline
from briefgen.source.yamlio import load_yaml

TODO = "TODO"

# -- YAML emission -----------------------------------------------------------------------

_PLAIN = re.compile(r"[^\s\-?:,\[\]{}#&*!|>'\"%@`][^\n]*")


def reads_back(path: str, text: str, data: Any) -> bool:
    """Whether ``text`` loads as YAML, without problems, into exactly ``data``."""
    doc, problems = load_yaml(path, text)
    return doc is not None and not problems and doc.data == data


def scalar(value: object) -> str:
    """A YAML scalar: plain when it reads back as the same string, else double-quoted."""
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    plain = (
        _PLAIN.fullmatch(text)
        and ": " not in text
        and " #" not in text
        and not text.endswith((":", " "))
        and text.isprintable()
    )
    # Plain only when every YAML reader takes it as this text, YAML 1.1 ones too (1:30, 012).
    line = f"k: {text}\n"
    if plain and reads_back("-", line, {"k": text}) and yaml.safe_load(line) == {"k": text}:
        return text
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    escaped = "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in escaped)
    return f'"{escaped}"'


@dataclass(frozen=True)
class Commented:
    """A value with a comment for the editor: after its key, or above a list item."""

    value: Any
    comment: str


def plain(value: Any) -> Any:
    """The data of ``value`` without comments, as YAML loads it back."""
    if isinstance(value, Commented):
        return plain(value.value)
    if isinstance(value, dt.date):
        return value.isoformat()  # briefgen's YAML keeps it as text; the date field parses it
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def emit(key: str, value: Any, indent: int = 0) -> list[str]:
    """The lines of one mapping entry, block style."""
    pad = " " * indent
    comment = ""
    if isinstance(value, Commented):
        value, comment = value.value, f"  # {value.comment}"
    if isinstance(value, dict):
        lines = [f"{pad}{key}:{comment}"]
        for sub, item in value.items():
            lines += emit(sub, item, indent + 2)
        return lines
    if isinstance(value, list):
        if not value:
            return [f"{pad}{key}: []{comment}"]
        lines = [f"{pad}{key}:{comment}"]
        for item in value:
            lines += emit_item(item, indent + 2)
        return lines
    return [f"{pad}{key}: {scalar(value)}{comment}"]


def emit_item(item: Any, indent: int) -> list[str]:
    """The lines of one list item; a comment goes on a line of its own above it."""
    pad = " " * indent
    lines = []
    if isinstance(item, Commented):
        lines.append(f"{pad}# {item.comment}")
        item = item.value
    if isinstance(item, dict):
        entries = [line for k, v in item.items() for line in emit(k, v, indent + 2)]
        return [*lines, f"{pad}- {entries[0].lstrip()}", *entries[1:]]
    return [*lines, f"{pad}- {scalar(item)}"]


# -- the sidecar -------------------------------------------------------------------------

# Keys in the order a fresh sidecar has them. Import owns OWNED_KEYS; it fills
# FILLED_KEYS only when missing; GIVEN_KEYS only when given on the command line.
KEY_ORDER = (
    "title", "date", "source", "byline", "summary", "tags", "draft", "notes", "links",
    "related", "terms", "seed", "credits", "suggested_terms", "suggested_notes",
)  # fmt: skip
OWNED_KEYS = ("seed", "credits", "suggested_terms", "suggested_notes")
FILLED_KEYS = ("title", "byline", "source")
GIVEN_KEYS = ("date", "source", "tags")


def sidecar_fields(
    cleaned: Cleaned, seed: str, article: str, glossary: Sequence[Term], options: ImportOptions
) -> dict[str, Any]:
    """What import knows for the sidecar, with comments; keys in KEY_ORDER."""
    fields: dict[str, Any] = {"title": cleaned.title}
    fields["date"] = options.date or Commented(TODO, "TODO: the date of publication, YYYY-MM-DD")
    if options.source_name or options.source_url:
        source = {"name": options.source_name or "", "url": options.source_url or ""}
        fields["source"] = {k: v for k, v in source.items() if v}
    elif cleaned.source:
        fields["source"] = Commented({"name": cleaned.source}, "named in the credits; add url:")
    if cleaned.byline:
        fields["byline"] = cleaned.byline
    fields["tags"] = (
        list(options.tags) if options.tags else Commented([], "TODO: tags, e.g. [politics, europe]")
    )
    fields["seed"] = seed
    if cleaned.credits:
        fields["credits"] = list(cleaned.credits)
    new, known = suggest_terms(article.split("\n\n"), glossary)
    terms: dict[str, Any] = {}
    if new:
        terms["not_in_glossary"] = Commented(
            new, "define the useful ones in the glossary or terms:"
        )
    if known:
        terms["in_glossary"] = Commented(known, "defined in the glossary: marked automatically")
    if terms:
        fields["suggested_terms"] = Commented(terms, "names and acronyms; the build ignores them")
    notes = [
        Commented({**entry, "text": TODO}, f"said by {speaker}")
        for entry, speaker in suggest_notes(article)
    ]
    if notes:
        fields["suggested_notes"] = Commented(notes, "move an entry to notes: and write its text")
    return fields


def render_sidecar(fields: dict[str, Any], article_rel: str, seed: str) -> str:
    """A fresh sidecar: the line that points editors at its schema, a header for the
    editor, then every field, block style."""
    sidecar_rel = article_rel.rsplit(".", 1)[0] + ".yaml"
    lines = [
        modeline(sidecar_rel, "sidecar"),
        f"# {article_rel}: imported by `briefgen import` from {seed}.",
        "# Fill in the TODOs; move the suggestions you want to notes: and terms:.",
    ]
    for key, value in fields.items():
        if key == "tags":
            lines.append("# TODO: summary: why it matters, in one or two sentences")
        lines += emit(key, value)
    return "\n".join(lines) + "\n"


def check_round_trip(path: str, text: str, expected: dict[str, Any]) -> None:
    """Load ``text`` back and compare it with the data meant; a mismatch is a bug."""
    if not reads_back(path, text, plain(expected)):
        raise RuntimeError(f"{path}: the written YAML does not read back as meant")


def top_blocks(text: str, keys: dict[str, int]) -> dict[str, tuple[int, int]]:
    """Each top-level key's lines [start, end), 0-based, without trailing blanks and comments."""
    lines = text.split("\n")
    starts = sorted((line - 1, key) for key, line in keys.items())
    blocks = {}
    for index, (start, key) in enumerate(starts):
        end = starts[index + 1][0] if index + 1 < len(starts) else len(lines)
        while end > start + 1 and (not lines[end - 1].strip() or lines[end - 1].startswith("#")):
            end -= 1
        blocks[key] = (start, end)
    return blocks


def merge_sidecar(
    path: str, old_text: str, fields: dict[str, Any], options: ImportOptions
) -> tuple[str, list[str], list[str]] | str:
    """Replace the keys import owns in an editor's sidecar, keep every other line.

    Returns (new text, keys updated, keys kept), or the reason it cannot merge safely.
    """
    doc, problems = load_yaml(path, old_text)
    if doc is None or problems or not isinstance(doc.data, dict):
        return f"{path} cannot be read as a mapping; fix it first"
    old: dict[str, Any] = doc.data
    keys = {k: doc.keys[(k,)] for k in old if (k,) in doc.keys}
    if len(keys) != len(old) or any(col != 1 for _, col in keys.values()):
        return f"{path} is not in block style; merge the new fields by hand"
    wanted: dict[str, Any] = {}
    for key in KEY_ORDER:
        given = key in GIVEN_KEYS and _given(key, options)
        if key in OWNED_KEYS or given or (key in FILLED_KEYS and key not in old):
            wanted[key] = fields.get(key)
    lines = old_text.rstrip("\n").split("\n")
    blocks = top_blocks(old_text, {k: line for k, (line, _) in keys.items()})
    edits = []  # (start, end, lines, key); applied bottom up
    for key, value in wanted.items():
        if key in blocks and old[key] != plain(value):
            edits.append((*blocks[key], emit(key, value) if value is not None else [], key))
        elif key not in blocks and value is not None:
            at = _insert_at(key, blocks, len(lines))
            edits.append((at, at, emit(key, value), key))
    # Bottom up; at one line, a replaced block before an insertion, later keys first.
    edits.sort(key=lambda e: (e[0], e[1] > e[0], KEY_ORDER.index(e[3])), reverse=True)
    for start, end, new_lines, _ in edits:
        lines[start:end] = new_lines
    updated = [e[3] for e in edits]
    text = "\n".join(lines) + "\n"
    expected = {k: v for k, v in old.items() if k not in wanted}
    expected.update({k: plain(v) for k, v in wanted.items() if v is not None})
    if not reads_back(path, text, expected):
        return f"{path} cannot be merged safely; merge the new fields by hand"
    kept = [k for k in old if k not in wanted]
    return text, sorted(updated, key=KEY_ORDER.index), kept


def _given(key: str, options: ImportOptions) -> bool:
    """Whether the command line sets ``key``."""
    if key == "date":
        return options.date is not None
    if key == "tags":
        return options.tags is not None
    return bool(options.source_name or options.source_url)


def _insert_at(key: str, blocks: dict[str, tuple[int, int]], total: int) -> int:
    """The line where a missing key goes: after the nearest key before it in KEY_ORDER."""
    for earlier in reversed(KEY_ORDER[: KEY_ORDER.index(key)]):
        if earlier in blocks:
            return blocks[earlier][1]
    return min((start for start, _ in blocks.values()), default=total)
