"""The repairs diagnostics carry, made in the files' bytes and shown as a unified diff; pure.

A diagnostic with an ``edit`` (``errors.Edit``: an anchor that ``text.repair`` can
rewrite) names new values for keys of the YAML mapping that holds the value it is
located at. ``make_fixes`` makes every such edit of one file at once
(``source.yamledit``, comments and layout kept); a file that cannot be edited safely
keeps its bytes and its problems, with a warning (FIX001) that says why.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from briefgen.errors import Diagnostic, Location
from briefgen.source.yamledit import Change, set_values

LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")
NO_NEWLINE = "\\ No newline at end of file\n"


@dataclass(frozen=True)
class Fixed:
    """One file repaired: its bytes before and after, and the diagnostics it answers."""

    path: str  # relative to the site
    old: bytes
    new: bytes
    repaired: tuple[Diagnostic, ...]

    def summary(self) -> Diagnostic:
        """What was changed, as one line (FIX101)."""
        lines = sorted({d.location.line for d in self.repaired})
        places = ", ".join(map(str, lines[:-1])) + (" and " if len(lines) > 1 else "")
        what = "the quote" if len(self.repaired) == 1 else f"{len(self.repaired)} quotes"
        message = f"repaired {what} at line{'s' if len(lines) > 1 else ''} {places}{lines[-1]}"
        return Diagnostic(Location(self.path), "FIX101", message, severity="info")


@dataclass(frozen=True)
class Fixes:
    """The files repaired, and the warnings of files that could not be."""

    files: tuple[Fixed, ...]
    problems: tuple[Diagnostic, ...]

    @property
    def repaired(self) -> set[Diagnostic]:
        """Every diagnostic a repair answers."""
        return {d for f in self.files for d in f.repaired}


def repairable(diagnostics: Sequence[Diagnostic]) -> list[Diagnostic]:
    """The diagnostics whose problem briefgen can repair."""
    return [d for d in diagnostics if d.edit is not None and d.location.line > 0]


def make_fixes(diagnostics: Sequence[Diagnostic], read: Callable[[str], bytes]) -> Fixes:
    """The repairs of ``diagnostics``, each file's made at once in the bytes ``read`` gives."""
    by_path: dict[str, list[Diagnostic]] = {}
    for d in sorted(repairable(diagnostics), key=Diagnostic.sort_key):
        by_path.setdefault(d.location.path, []).append(d)
    files: list[Fixed] = []
    problems: list[Diagnostic] = []
    for path, found in by_path.items():
        old = read(path)
        changes = [Change(d.location.line, d.location.col, d.edit.values) for d in found if d.edit]
        new = set_values(path, old, changes)
        if isinstance(new, str):
            message = f"the quotes of this sidecar cannot be repaired: {new}"
            fix = "update them by hand, as their errors say"
            problems.append(Diagnostic(Location(path), "FIX001", message, fix, severity="warning"))
        elif new != old:
            files.append(Fixed(path, old, new, tuple(found)))
    return Fixes(tuple(files), tuple(problems))


def unified_diff(fixed: Sequence[Fixed]) -> str:
    """The repairs as one unified diff, ``a/`` and ``b/`` paths relative to the site."""
    out: list[str] = []
    for f in fixed:
        before, after = _lines(f.old), _lines(f.new)
        hunks = difflib.unified_diff(before, after, f"a/{f.path}", f"b/{f.path}")
        out += [line if line.endswith(("\n", "\r")) else line + "\n" + NO_NEWLINE for line in hunks]
    return "".join(out)


def _lines(data: bytes) -> list[str]:
    """A file's text as lines with their own line breaks (a byte order mark dropped)."""
    text = data.decode("utf-8-sig")
    return LINE.findall(text)
