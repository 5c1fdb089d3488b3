"""briefgen.lock: where each note and phrase link landed, kept with the site to notice drift.

`briefgen lock` writes it (``lock_text``); every build, check and rebuild reads it
(``read_lock``) and compares it with where the quotes land now (``site.drift``). It is
JSON, one anchor a line, articles and anchors in a fixed order, so the same anchors
give the same bytes and a diff shows one line for each anchor that changed::

    {
      "version": 1,
      "articles": {
        "putin-sco": [
          {"kind": "note", "quote": "questions and concerns", "line": 5, "col": 31,
           "before": "...", "after": "..."}
        ]
      }
    }

An anchor is known by what its sidecar entry says (kind, quote, prefix, suffix,
occurrence, a link's target): a note whose quote was edited is a new note.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from briefgen.errors import Diagnostic, Location, Reporter
from briefgen.memo import Memo
from briefgen.source.files import Sources
from briefgen.source.safefs import Refused

LOCK_FILE = "briefgen.lock"
VERSION = 1
FIX = "run `briefgen lock` to write it again (after resolving any merge conflict in it)"

AnchorKey = tuple[str, str, str | None, str | None, int | None, str | None]


@dataclass(frozen=True)
class Locked:
    """One anchor as the lock recorded it."""

    key: AnchorKey  # (kind, quote, prefix, suffix, occurrence, to), as ``Landing.key``
    before: str
    after: str
    line: int
    col: int


Lock = Mapping[str, tuple[Locked, ...]]  # by article slug


def lock_text(lock: Lock) -> str:
    """The lock file: articles by slug, anchors by place, one anchor a line."""
    articles = []
    for slug in sorted(lock):
        entries = sorted(lock[slug], key=lambda x: (x.line, x.col, _order(x.key)))
        if entries:
            lines = ",\n".join(f"      {_entry(e)}" for e in entries)
            articles.append(f"    {json.dumps(slug)}: [\n{lines}\n    ]")
    body = ",\n".join(articles)
    inner = f"{{\n{body}\n  }}" if articles else "{}"
    return f'{{\n  "version": {VERSION},\n  "articles": {inner}\n}}\n'


def _order(key: AnchorKey) -> tuple[str, ...]:
    """A total order of keys that may hold None."""
    return tuple("" if part is None else str(part) for part in key)


def _entry(locked: Locked) -> str:
    """One anchor as a line of JSON, its fields in a fixed order."""
    kind, quote, prefix, suffix, occurrence, to = locked.key
    entry: dict[str, Any] = {"kind": kind, "quote": quote}
    optional = {"prefix": prefix, "suffix": suffix, "occurrence": occurrence, "to": to}
    entry.update({name: value for name, value in optional.items() if value is not None})
    entry.update(line=locked.line, col=locked.col, before=locked.before, after=locked.after)
    return json.dumps(entry, ensure_ascii=False)


def read_lock(site_dir: Path, sources: Sources, memo: Memo) -> tuple[Lock, Reporter]:
    """The site's lock (empty when it has none) and its problems."""
    try:
        data = sources.read(site_dir, site_dir / LOCK_FILE)
    except Refused as refused:
        reporter = Reporter()
        if not refused.missing:
            reporter.extend([refused.diagnostic])
        return {}, reporter
    return memo.get(("lock",), data, lambda: parse_lock(data))


def parse_lock(data: bytes) -> tuple[Lock, Reporter]:
    """The lock in ``data``; a lock that cannot be read is a warning, and is left aside."""
    reporter = Reporter()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        reporter.extend([_problem(Location(LOCK_FILE, 1, 1), "it is not UTF-8")])
        return {}, reporter
    reporter.remember(LOCK_FILE, text)
    try:
        found = json.loads(text)
    except json.JSONDecodeError as exc:
        where = Location(LOCK_FILE, exc.lineno, exc.colno)
        reporter.extend([_problem(where, f"it is not JSON ({exc.msg})")])
        return {}, reporter
    lock = _lock(found)
    if lock is None:
        reporter.extend([_problem(Location(LOCK_FILE), "it is not a lock this briefgen writes")])
        return {}, reporter
    return lock, reporter


def _problem(where: Location, why: str) -> Diagnostic:
    """LCK002: the lock cannot be read, so drift is not checked."""
    message = f"{LOCK_FILE} cannot be read: {why}; no drift is checked"
    return Diagnostic(where, "LCK002", message, FIX, severity="warning")


def _lock(found: Any) -> dict[str, tuple[Locked, ...]] | None:
    """The lock in loaded JSON, or None when it has another shape."""
    if not isinstance(found, dict) or found.get("version") != VERSION:
        return None
    articles = found.get("articles")
    if not isinstance(articles, dict):
        return None
    lock = {}
    for slug, entries in articles.items():
        if not isinstance(entries, list):
            return None
        locked = [_locked(entry) for entry in entries]
        if any(entry is None for entry in locked):
            return None
        lock[slug] = tuple(entry for entry in locked if entry is not None)
    return lock


def _locked(entry: Any) -> Locked | None:
    """One anchor of the lock, or None when it has another shape."""
    texts = ("kind", "quote", "before", "after")
    if not isinstance(entry, dict) or not all(isinstance(entry.get(k), str) for k in texts):
        return None
    numbers = [entry.get(k) for k in ("line", "col", "occurrence")]
    if not all(n is None or (isinstance(n, int) and not isinstance(n, bool)) for n in numbers):
        return None
    optional = [entry.get(k) for k in ("prefix", "suffix", "to")]
    if not all(text is None or isinstance(text, str) for text in optional):
        return None
    prefix, suffix, to = optional
    line, col, occurrence = numbers
    key = (entry["kind"], entry["quote"], prefix, suffix, occurrence, to)
    return Locked(key, entry["before"], entry["after"], line or 0, col or 0)
