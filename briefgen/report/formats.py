"""The formats of `briefgen check`: text for people; JSON, GitHub workflow commands and
SARIF 2.1.0 for tools; pure.

Every format carries the same diagnostics, in file order, with the same text (escaped
as ``errors.printable`` escapes it, so nothing from the site can spoof a terminal or a
CI log). Lines and columns are 1-based; a problem of a whole file is at its line 1,
column 1 (the text format names the file alone). JSON names paths relative to the
site; GitHub annotations and SARIF relative to the folder the command runs in (the
repository's root in CI), so that a pull request shows each problem on its line.
"""

from __future__ import annotations

import json
import posixpath
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from briefgen import __version__
from briefgen.errors import Diagnostic, printable
from briefgen.report.codes import CODES, level

JSON_VERSION = 1
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
FIX_HINT = "briefgen check --fix shows the edits, --fix --write makes them"
GITHUB_COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}


@dataclass(frozen=True)
class Report:
    """What `briefgen check` found, and where the site is from where it runs."""

    diagnostics: tuple[Diagnostic, ...]
    prefix: str = ""  # the site folder, relative to the working folder ("" when it is that)

    @property
    def ordered(self) -> list[Diagnostic]:
        """The diagnostics in file order."""
        return sorted(self.diagnostics, key=Diagnostic.sort_key)

    def counts(self) -> dict[str, int]:
        """How many errors and warnings."""
        return {
            severity: sum(1 for d in self.diagnostics if d.severity == severity)
            for severity in ("error", "warning")
        }

    def artifact(self, path: str) -> str:
        """A diagnostic's path from the working folder (a site path, or a theme's file)."""
        if not self.prefix or path.startswith(("theme:", "/")):
            return path
        return posixpath.normpath(posixpath.join(self.prefix, path))


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")


def summary(report: Report) -> str:
    """One line: ``2 errors, 1 warning``."""
    counts = report.counts()
    return f"{_plural(counts['error'], 'error')}, {_plural(counts['warning'], 'warning')}"


def _position(d: Diagnostic) -> tuple[int, int]:
    return max(d.location.line, 1), max(d.location.col, 1)


def as_text(report: Report) -> str:
    """The build's format: each problem with its source line and a caret, then the counts,
    and how many problems `check --fix` repairs."""
    text = "".join(d.format() + "\n" for d in report.ordered) + summary(report) + "\n"
    repairable = sum(1 for d in report.diagnostics if d.edit is not None)
    if repairable:
        text += f"{_plural(repairable, 'problem')} can be repaired: {FIX_HINT}\n"
    return text


def as_json(report: Report) -> str:
    """One JSON object: version, diagnostics and counts."""
    diagnostics = []
    for d in report.ordered:
        line, col = _position(d)
        diagnostics.append(
            {
                "path": printable(d.location.path),
                "line": line,
                "col": col,
                "severity": d.severity,
                "code": d.code,
                "message": printable(d.message),
                "fix": printable(d.fix),
            }
        )
    data = {"version": JSON_VERSION, "diagnostics": diagnostics, "counts": report.counts()}
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _command_data(text: str) -> str:
    """A workflow command's message, escaped as the Actions toolkit escapes it."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _command_property(text: str) -> str:
    """A workflow command's property value, escaped as the Actions toolkit escapes it."""
    return _command_data(text).replace(":", "%3A").replace(",", "%2C")


def as_github(report: Report) -> str:
    """GitHub Actions workflow commands: an annotation on each problem's line, then the counts."""
    lines = []
    for d in report.ordered:
        line, col = _position(d)
        where = printable(report.artifact(d.location.path))
        properties = f"file={_command_property(where)},line={line},col={col},title={d.code}"
        message = printable(d.message + (f"; fix: {d.fix}" if d.fix else ""))
        lines.append(f"::{GITHUB_COMMANDS[d.severity]} {properties}::{_command_data(message)}")
    return "".join(line + "\n" for line in lines) + f"briefgen check: {summary(report)}\n"


def _rule(code: str) -> dict[str, Any]:
    meaning = CODES.get(code, "")
    text = meaning.split(": ", 1)[1] if meaning.startswith(("warning:", "info:")) else meaning
    text = text.replace("`", "")
    rule: dict[str, Any] = {"id": code, "shortDescription": {"text": text or code}}
    rule["defaultConfiguration"] = {"level": level(code)}
    return rule


def as_sarif(report: Report) -> str:
    """SARIF 2.1.0: one run of the tool briefgen, one rule per code, a region for each result."""
    codes = sorted({d.code for d in report.diagnostics})
    index = {code: n for n, code in enumerate(codes)}
    results = []
    for d in report.ordered:
        line, col = _position(d)
        location = {
            "physicalLocation": {
                "artifactLocation": {
                    "uri": printable(report.artifact(d.location.path)),
                    "uriBaseId": "%SRCROOT%",
                },
                "region": {"startLine": line, "startColumn": col},
            }
        }
        text = printable(d.message + (f"; fix: {d.fix}" if d.fix else ""))
        results.append(
            {
                "ruleId": d.code,
                "ruleIndex": index[d.code],
                "level": {"info": "note"}.get(d.severity, d.severity),
                "message": {"text": text},
                "locations": [location],
            }
        )
    driver = {
        "name": "briefgen",
        "version": __version__,
        "rules": [_rule(code) for code in codes],
    }
    run = {"tool": {"driver": driver}, "columnKind": "unicodeCodePoints", "results": results}
    data = {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


FORMATS: dict[str, Callable[[Report], str]] = {
    "text": as_text,
    "json": as_json,
    "github": as_github,
    "sarif": as_sarif,
}


def render(report: Report, name: str) -> str:
    """The report in format ``name``."""
    return FORMATS[name](report)


def exit_code(diagnostics: Sequence[Diagnostic], configuration: bool, strict: bool) -> int:
    """0 clean (warnings allowed unless ``strict``), 1 content or layout errors, 2 configuration."""
    errors = any(d.severity == "error" for d in diagnostics)
    if configuration:
        return 2
    if errors or (strict and any(d.severity == "warning" for d in diagnostics)):
        return 1
    return 0
