"""Drift: quotes that still anchor, but whose surroundings changed since the lock; pure.

``briefgen.lock`` (``source.lockfile``) records, for each note and phrase link, the
words around its phrase. When a quote still matches but those words are no longer the
same (after the anchoring normalisation), the note may no longer say what the article
says: a warning (LCK001) at the quote in the sidecar, with the old and the new words.
An anchor the lock does not know (a new note, or one whose quote was edited) is not
compared; neither is one the lock knows but the sidecar no longer has.
"""

from __future__ import annotations

from collections.abc import Mapping, Set

from briefgen.errors import Diagnostic
from briefgen.markdown.landings import Landing
from briefgen.markdown.renderer import Rendered
from briefgen.memo import Memo
from briefgen.source.lockfile import LOCK_FILE, AnchorKey, Lock, Locked
from briefgen.text.normalise import normalise


def lock_of(rendered: Mapping[str, Rendered], lock: Lock, drafts: Set[str]) -> Lock:
    """The lock of the articles as rendered: every landing, by article slug; and what
    ``lock`` recorded of the ``drafts`` this build left out, kept as it was."""
    kept = {slug: entries for slug, entries in lock.items() if slug in drafts}
    return kept | {slug: tuple(locked(x) for x in r.landings) for slug, r in rendered.items()}


def locked(landing: Landing) -> Locked:
    """What the lock records of a landing."""
    return Locked(landing.key, landing.before, landing.after, landing.line, landing.col)


def drift_warnings(lock: Lock, rendered: Mapping[str, Rendered]) -> list[Diagnostic]:
    """LCK001 for each anchor whose surrounding words differ from the lock's."""
    return [w for slug, result in rendered.items() for w in _drifted(lock.get(slug, ()), result)]


def _drifted(recorded_entries: tuple[Locked, ...], result: Rendered) -> list[Diagnostic]:
    """LCK001 for each anchor of one article whose words differ from its lock entries."""
    found = []
    recorded: dict[AnchorKey, list[Locked]] = {}
    for entry in recorded_entries:
        recorded.setdefault(entry.key, []).append(entry)
    for landing in result.landings:
        same_key = recorded.get(landing.key)
        if not same_key:
            continue
        was = same_key.pop(0)  # anchors with one key pair up in text order
        if not _same(was.before, landing.before) or not _same(was.after, landing.after):
            found.append(_warning(landing, was))
    return found


def check_drift(
    lock: Lock, rendered: Mapping[str, Rendered], drafts: Set[str], memo: Memo
) -> tuple[list[Diagnostic], Lock]:
    """``drift_warnings`` and ``lock_of``, each article's part made again only when its
    rendering or its lock entries changed (a rebuild after one edit compares 10,000
    articles' in a few milliseconds instead of making 40,000 lock entries again)."""
    parts = memo.map(
        "drift",
        {slug: (lock.get(slug, ()), result) for slug, result in rendered.items()},
        lambda slugs: [
            (_drifted(lock.get(slug, ()), rendered[slug]),
             tuple(locked(x) for x in rendered[slug].landings))
            for slug in slugs
        ],
    )  # fmt: skip
    kept = {slug: entries for slug, entries in lock.items() if slug in drafts}
    warnings = [warning for found, _ in parts.values() for warning in found]
    return warnings, kept | {slug: entries for slug, (_, entries) in parts.items()}


def _same(a: str, b: str) -> bool:
    """Whether two runs of words read the same after the anchoring normalisation."""
    return normalise(a).strip() == normalise(b).strip()


def _warning(landing: Landing, was: Locked) -> Diagnostic:
    """LCK001 at the quote in the sidecar: the words around it then and now."""
    quote = landing.anchor.quote
    then = _around(was.before, quote, was.after)
    now = _around(landing.before, quote, landing.after)
    message = f'context changed around "{quote}" since {LOCK_FILE}: was "{then}", now "{now}"'
    what = "note" if landing.kind == "note" else "phrase link"
    fix = f"check that the {what} still fits the new text, edit it if needed, then run "
    fix += "briefgen lock"
    return Diagnostic(landing.anchor.location, "LCK001", message, fix, severity="warning")


def _around(before: str, quote: str, after: str) -> str:
    """The phrase in brackets between the words around it."""
    return f"{before}[{quote}]{after}"
