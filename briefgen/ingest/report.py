"""What `briefgen import` reports: the codes of its diagnostics, its report, its summary.

Import reports with ``briefgen.errors.Diagnostic``, as the build does. Errors and
warnings print on stderr as ``path:line:col: error[CODE]: what; fix: how`` with the
seed's line; an error fails the seed (exit code 1), a usage error the command (2):

| code   | severity | meaning                                                         |
| ------ | -------- | --------------------------------------------------------------- |
| IMP001 | usage    | a seed file or folder named on the command line does not exist  |
| IMP002 | usage    | --slug with more than one seed file                             |
| IMP003 | error    | the seed is neither UTF-8 nor Windows-1252                      |
| IMP004 | warning  | the seed is not UTF-8: it was decoded as Windows-1252           |
| IMP005 | error    | no article text is left once the seed is cleaned                |
| IMP006 | error    | the headline gives no slug                                      |
| IMP007 | error    | the slug is already used by another article                     |
| IMP008 | error    | an article with the same text is already in content/            |
| IMP009 | error    | --slug or --format differs from the seed's earlier import       |
| IMP010 | error    | the sidecar of the earlier import cannot be merged safely       |
| IMP011 | warning  | Markdown would read the article's plain text as markup          |
| IMP012 | warning  | the glossary has problems (``briefgen build`` lists them)       |

What import did is "info" (see ``Diagnostic.severity``); it prints on stdout as
``seed:line:col: what`` (``report_line``), followed by the summary line:

| code   | what import did                                                         |
| ------ | ----------------------------------------------------------------------- |
| IMP101 | decoding: removed the byte order mark, converted line endings           |
| IMP102 | took the headline as the title                                          |
| IMP103 | took each line as a paragraph (no blank lines between them)             |
| IMP104 | removed a line of boilerplate                                           |
| IMP105 | moved a credits line to the sidecar                                     |
| IMP106 | removed a teaser headline                                               |
| IMP107 | found (or, with --fix-punctuation, fixed) a punctuation artefact        |
| IMP108 | wrote, rewrote or updated a file ("would ..." in a dry run), or not     |
| IMP109 | kept the editor's fields, notes and links on a re-import                |
| IMP110 | left the date for the editor to fill in                                 |
| IMP111 | skipped a seed imported before                                          |
"""

from __future__ import annotations

from collections.abc import Sequence

from briefgen.errors import Diagnostic, Location
from briefgen.ingest.model import ImportOptions, Outcome

NO_SUCH_PATH = "IMP001"
SLUG_FOR_MANY = "IMP002"
NOT_TEXT = "IMP003"
NOT_UTF8 = "IMP004"
NO_TEXT = "IMP005"
NO_SLUG = "IMP006"
SLUG_TAKEN = "IMP007"
SAME_TEXT = "IMP008"
NOT_AS_BEFORE = "IMP009"
CANNOT_MERGE = "IMP010"
MARKDOWN = "IMP011"
GLOSSARY = "IMP012"

DECODED = "IMP101"
HEADLINE = "IMP102"
LAYOUT = "IMP103"
BOILERPLATE = "IMP104"
CREDITS = "IMP105"
TEASER = "IMP106"
PUNCTUATION = "IMP107"
WROTE = "IMP108"
KEPT = "IMP109"
TODO_DATE = "IMP110"
SKIPPED = "IMP111"


def info(code: str, message: str, path: str = "", line: int = 0, col: int = 0) -> Diagnostic:
    """What import did, at a place in a file; without a path when the message names it."""
    return Diagnostic(Location(path, line, col), code, message, severity="info")


def report_line(diagnostic: Diagnostic) -> str:
    """The report's form of a diagnostic: ``path:line:col: message``, col and line if known."""
    loc = diagnostic.location
    if not loc.path:
        return diagnostic.message
    where = loc.path + (f":{loc.line}" if loc.line else "")
    where += f":{loc.col}" if loc.line and loc.col else ""
    return f"{where}: {diagnostic.message}"


def plural(number: int, one: str, many: str | None = None) -> str:
    """ "1 teaser", "2 teasers"."""
    return f"{number} {one if number == 1 else (many or one + 's')}"


def summary(outcomes: Sequence[Outcome], options: ImportOptions) -> str:
    """One line: seeds imported, updated, skipped and failed, and what the rules did."""
    statuses = [o.status for o in outcomes]
    counts = [plural(statuses.count("imported"), "seed imported", "seeds imported")]
    for status, label in (("updated", "updated"), ("unchanged", "unchanged"),
                          ("skipped", "already imported"), ("failed", "failed")):  # fmt: skip
        if statuses.count(status):
            counts.append(f"{statuses.count(status)} {label}")
    codes = [d.code for o in outcomes if o.status != "failed" for d in o.diagnostics]
    removed = [
        plural(codes.count(code), what)
        for code, what in ((BOILERPLATE, "boilerplate line"), (TEASER, "teaser"))
        if codes.count(code)
    ]
    done = [f"removed {' and '.join(removed)}"] if removed else []
    if codes.count(CREDITS):
        done.append(f"moved {plural(codes.count(CREDITS), 'credits line')} to the sidecar")
    punctuation = codes.count(PUNCTUATION)
    if punctuation:
        done.append(
            f"fixed {plural(punctuation, 'punctuation problem')}"
            if options.fix_punctuation
            else f"left {plural(punctuation, 'punctuation problem')} in place"
            " (--fix-punctuation fixes them)"
        )
    head = "dry run, nothing written: " if options.dry_run else ""
    return head + ", ".join(counts) + "".join(f"; {d}" for d in done)
