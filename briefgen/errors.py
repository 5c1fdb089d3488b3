"""Located diagnostics: every user mistake names its file, line and column.

A diagnostic prints as ``path:line:col: error[CODE]: what; fix: how``, followed by
the offending source line and a caret, the way compilers and Jinja report errors.
Stages never raise on the first problem: they return their diagnostics, and the
build fails once with all of them (see ``BuildFailed``).

File names and values in a message come from the site, so the printed form escapes
every character that could spoof a terminal or a CI log (``printable``): control
characters, line separators, and invisible or bidirectional formatting marks.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

# C0 and C1 controls and DEL (the tab is kept in quoted source lines only), the soft
# hyphen, zero-width and bidirectional marks, line and paragraph separators, the BOM,
# interlinear annotation marks. ZWNJ and ZWJ (U+200C, U+200D) are kept: scripts and
# emoji need them.
UNSAFE = re.compile(
    "[\x00-\x1f\x7f-\x9f\xad\u061c\u180e\u200b\u200e\u200f\u2028-\u202e"
    "\u2060-\u206f\ufeff\ufff9-\ufffb]"
)


def printable(text: str, *, tabs: bool = False) -> str:
    """``text`` with every character that could spoof a terminal escaped: ``\\u202e``."""

    def escape(found: re.Match[str]) -> str:
        ch = found.group()
        if tabs and ch == "\t":
            return ch
        return f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}"

    return UNSAFE.sub(escape, text)


def _caret_pad(prefix: str) -> str:
    """Blanks as wide on a terminal as ``prefix``: tabs kept, wide characters two columns."""
    pad = []
    for ch in prefix:
        if ch == "\t":
            pad.append(ch)
        elif unicodedata.combining(ch):
            continue
        else:
            pad.append("  " if unicodedata.east_asian_width(ch) in "WF" else " ")
    return "".join(pad)


@dataclass(frozen=True, order=True, slots=True)
class Location:
    """A place in a source file: a path relative to the site, 1-based line and column."""

    path: str
    line: int = 0
    col: int = 0

    def __str__(self) -> str:
        if self.line <= 0:
            return self.path
        return f"{self.path}:{self.line}:{max(self.col, 1)}"


@dataclass(frozen=True, slots=True)
class Edit:
    """A fix briefgen can make itself (``briefgen check --fix``): the new values of keys
    of the YAML mapping that holds the value a diagnostic is located at."""

    values: tuple[tuple[str, str | int], ...]


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem in the user's files."""

    location: Location
    code: str
    message: str
    fix: str = ""
    source_line: str = field(default="", compare=False)
    severity: str = "error"  # "error", "warning", or "info": what a command did, not a problem
    edit: Edit | None = field(default=None, compare=False)

    def sort_key(self) -> tuple[str, int, int, str]:
        """Order diagnostics by file, line, column, then code."""
        loc = self.location
        return (loc.path, loc.line, loc.col, self.code)

    def headline(self) -> str:
        """The one-line form: ``path:line:col: error[CODE]: what; fix: how``, escaped."""
        text = f"{self.location}: {self.severity}[{self.code}]: {self.message}"
        if self.fix:
            text += f"; fix: {self.fix}"
        return printable(text)

    def format(self) -> str:
        """The headline, then the source line with a caret under the column."""
        lines = [self.headline()]
        if self.source_line:
            number = str(self.location.line)
            gutter = " " * len(number)
            lines.append(f" {number} | {printable(self.source_line.rstrip(), tabs=True)}")
            before = self.source_line[: max(self.location.col, 1) - 1]
            caret = _caret_pad(printable(before, tabs=True)) + "^"
            lines.append(f" {gutter} | {caret}")
        return "\n".join(lines)


class BriefgenError(Exception):
    """The root of every error briefgen reports to a user (no traceback)."""

    exit_code = 1

    def __init__(
        self, diagnostics: Iterable[Diagnostic], warnings: Iterable[Diagnostic] = ()
    ) -> None:
        """``warnings``: those found with the errors, kept for `briefgen check`, not reported."""
        unique = dict.fromkeys(diagnostics)  # one problem met by two readers is told once
        self.diagnostics = sorted(unique, key=Diagnostic.sort_key)
        self.warnings = sorted(dict.fromkeys(warnings), key=Diagnostic.sort_key)
        super().__init__(self.report())

    def report(self) -> str:
        """All diagnostics, numbered when there are several."""
        if len(self.diagnostics) == 1:
            return self.diagnostics[0].format()
        parts = [d.format() for d in self.diagnostics]
        parts.append(f"Found {len(self.diagnostics)} problems.")
        return "\n".join(parts)


class ConfigError(BriefgenError):
    """site.yaml or the command line is wrong: exit code 2, as for usage errors."""

    exit_code = 2


class UsageError(BriefgenError):
    """The command line asks for something impossible: exit code 2, as argparse's errors."""

    exit_code = 2


class BuildFailed(BriefgenError):
    """Content or layouts are wrong: exit code 1."""

    exit_code = 1


class ImportFailed(BriefgenError):
    """Seeds could not be imported (the others were): exit code 1."""

    exit_code = 1


def did_you_mean(word: str, choices: Iterable[str], otherwise: str, cutoff: float = 0.6) -> str:
    """A fix naming the closest of ``choices`` to a mistyped ``word``, else ``otherwise``."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=cutoff)
    return f"did you mean '{close[0]}'?" if close else otherwise


def source_line(text: str, line: int) -> str:
    """Return line ``line`` (1-based) of ``text``, or '' when out of range."""
    if line <= 0:
        return ""
    lines = text.splitlines()
    return lines[line - 1] if line <= len(lines) else ""


@dataclass
class Reporter:
    """Collects diagnostics for one stage; attaches source lines from the files it knows.

    A file's text is known as it is (``remember``) or by a function that reads it
    again (``remember_later``), so that a build of thousands of articles need not hold
    every text for the diagnostics made after loading: the lines of such a file are
    kept only while diagnostics keep quoting that file.
    """

    diagnostics: list[Diagnostic] = field(default_factory=list)
    _texts: dict[str, str] = field(default_factory=dict)
    _lines: dict[str, list[str]] = field(default_factory=dict)  # each text split once
    _later: dict[str, Callable[[str], str | None]] = field(default_factory=dict)
    _last: tuple[str, list[str]] = ("", [])  # the file read again last, split

    def remember(self, path: str, text: str) -> None:
        """Keep a file's text so that diagnostics can quote its lines."""
        self._texts[path] = text
        self._lines.pop(path, None)
        self._later.pop(path, None)

    def remember_later(self, path: str, read: Callable[[str], str | None]) -> None:
        """Quote the file's lines from ``read(path)`` when a diagnostic needs them: its
        text as it was when loaded, or None (then nothing is quoted)."""
        self._later[path] = read
        self._texts.pop(path, None)
        self._lines.pop(path, None)

    def _knows(self, path: str) -> bool:
        """Whether a text for ``path`` is known, or can be read again."""
        return path in self._texts or path in self._later

    def _lines_of(self, path: str) -> list[str]:
        """The lines of a file known (split once), or read again (the last one kept)."""
        if path in self._texts:
            if path not in self._lines:
                self._lines[path] = self._texts[path].splitlines()
            return self._lines[path]
        if self._last[0] != path:
            text = self._later[path](path)
            self._last = (path, text.splitlines() if text is not None else [])
        return self._last[1]

    def _source_line(self, location: Location) -> str:
        """Line ``location.line`` of the file's text, '' when unknown (``source_line``)."""
        if location.line <= 0 or not self._knows(location.path):
            return ""
        lines = self._lines_of(location.path)
        return lines[location.line - 1] if location.line <= len(lines) else ""

    def error(self, location: Location, code: str, message: str, fix: str = "") -> None:
        """Record an error at ``location``."""
        line = self._source_line(location)
        self.diagnostics.append(Diagnostic(location, code, message, fix, line))

    def text(self, path: str) -> str | None:
        """The text of ``path`` that diagnostics quote, None when unknown."""
        return self._texts.get(path)

    def quote(self, diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
        """``diagnostics`` with their source lines quoted where the file is known."""
        quoted = []
        for d in diagnostics:
            if not d.source_line and self._knows(d.location.path):
                d = dataclasses.replace(d, source_line=self._source_line(d.location))
            quoted.append(d)
        return quoted

    def extend(self, diagnostics: Iterable[Diagnostic]) -> None:
        """Add diagnostics made elsewhere, quoting source lines where known."""
        self.diagnostics.extend(self.quote(diagnostics))

    def extend_quoted(self, diagnostics: Iterable[Diagnostic]) -> None:
        """Add diagnostics already quoted by ``quote`` (with this reporter's texts)."""
        self.diagnostics.extend(diagnostics)

    def merge(self, other: Reporter) -> None:
        """Take over another reporter's diagnostics and the file texts it knows."""
        for path, text in other._texts.items():
            self.remember(path, text)
        for path, read in other._later.items():
            self.remember_later(path, read)
        self.diagnostics.extend(other.diagnostics)

    @property
    def errors(self) -> list[Diagnostic]:
        """The diagnostics that fail a build."""
        return [d for d in self.diagnostics if d.severity == "error"]

    @property
    def warnings(self) -> list[Diagnostic]:
        """The diagnostics that fail a build only with --strict."""
        return [d for d in self.diagnostics if d.severity == "warning"]
