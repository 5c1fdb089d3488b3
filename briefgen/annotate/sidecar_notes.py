"""New notes written into a sidecar's text, every other line kept as it was; pure.

PyYAML does not keep comments, so a sidecar is never dumped again: the new note
entries are YAML text appended to the end of the ``notes:`` list (or a new ``notes:``
key, after the key it follows in a fresh sidecar), in the list's own indentation,
as ``briefgen import`` merges its keys (``briefgen.ingest.skeleton``). The result is
loaded again and must read as the old data plus the new notes, or nothing is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from briefgen.ingest.skeleton import KEY_ORDER, reads_back, scalar, top_blocks
from briefgen.model import SourceRef
from briefgen.source.yamlio import load_yaml


@dataclass(frozen=True)
class NewNote:
    """A note to add: its anchor (quote and what chooses it) and its text and sources."""

    quote: str
    text: str
    prefix: str | None = None
    suffix: str | None = None
    occurrence: int | None = None
    sources: tuple[SourceRef, ...] = ()

    def data(self) -> dict[str, Any]:
        """What the note's YAML entry loads as."""
        found: dict[str, Any] = {"quote": self.quote}
        for key in ("prefix", "suffix", "occurrence"):
            if getattr(self, key) is not None:
                found[key] = getattr(self, key)
        found["text"] = _block_text(self.text) if _as_block(self.text) else self.text
        if self.sources:
            found["sources"] = [_source(s) for s in self.sources]
        return found


def _source(source: SourceRef) -> dict[str, str]:
    """A source as its YAML mapping."""
    return {"title": source.title, "url": source.url} if source.url else {"title": source.title}


def _as_block(text: str) -> bool:
    """Whether a text is written as a literal block (``|``): several printable lines."""
    lines = text.split("\n")
    return (
        len(lines) > 1
        and not lines[0].startswith((" ", "\t"))
        and all(line.isprintable() and line == line.rstrip() for line in lines)
    )


def _block_text(text: str) -> str:
    """What a literal block scalar (``|``) holding ``text`` loads as."""
    return text.rstrip("\n") + "\n"


def note_lines(note: NewNote, indent: int) -> list[str]:
    """The YAML lines of one note entry, its ``-`` at column ``indent``."""
    pad = " " * indent
    inner = " " * (indent + 2)
    lines = [f"{pad}- quote: {scalar(note.quote)}"]
    for key in ("prefix", "suffix", "occurrence"):
        value = getattr(note, key)
        if value is not None:
            lines.append(f"{inner}{key}: {scalar(value)}")
    if _as_block(note.text):
        lines.append(f"{inner}text: |")
        lines += [f"{inner}  {line}" if line else "" for line in note.text.rstrip("\n").split("\n")]
    else:
        lines.append(f"{inner}text: {scalar(note.text)}")
    if note.sources:
        lines.append(f"{inner}sources:")
        for source in note.sources:
            entry = ", ".join(f"{k}: {scalar(v)}" for k, v in _source(source).items())
            lines.append(f"{inner}  - {{{entry}}}")
    return lines


def add_notes(path: str, text: str, notes: list[NewNote]) -> str | tuple[str]:
    """The sidecar ``text`` with ``notes`` appended to its notes; or (why it cannot,)."""
    doc, problems = load_yaml(path, text)
    if doc is None or problems or not isinstance(doc.data or {}, dict):
        return (f"{path} cannot be read as a mapping; fix it first",)
    old: dict[str, Any] = doc.data or {}
    existing = old.get("notes")
    if existing is not None and not isinstance(existing, list):
        return (f"'notes' in {path} is not a list; fix it first",)
    keys = {k: doc.keys[(k,)][0] for k in old if (k,) in doc.keys}
    lines = text.rstrip("\n").split("\n") if text.strip() else []
    blocks = top_blocks(text, keys)
    if existing:
        first = doc.loc("notes", 0)
        if first.line <= keys["notes"]:  # a flow list: notes: [{...}]
            return (f"'notes' in {path} is written as a flow list; write it as a block list",)
        indent = first.col - 3  # "- " precedes the first key of the first entry
        at = blocks["notes"][1]
        new = [line for note in notes for line in note_lines(note, indent)]
    else:
        new = ["notes:", *(line for note in notes for line in note_lines(note, 2))]
        if "notes" in blocks:  # notes: [] or notes: (nothing)
            start, at = blocks["notes"]
            del lines[start:at]
            at = start
        else:
            at = _after(blocks, len(lines))
    lines[at:at] = new
    result = "\n".join(lines) + "\n"
    expected = {**old, "notes": [*(existing or []), *(n.data() for n in notes)]}
    if not reads_back(path, result, expected):
        return (f"{path} cannot be extended safely; add the notes by hand",)
    return result


def _after(blocks: dict[str, tuple[int, int]], total: int) -> int:
    """Where a new ``notes:`` goes: after the nearest key before it in a fresh sidecar."""
    for earlier in reversed(KEY_ORDER[: KEY_ORDER.index("notes")]):
        if earlier in blocks:
            return blocks[earlier][1]
    return total
