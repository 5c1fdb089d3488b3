"""Cleaning a raw article: decoding, boilerplate, teasers, credits, punctuation; pure.

``decode_seed`` turns a seed's bytes into text; ``clean`` then applies the rules of
``briefgen.ingest.linerules`` in order and returns the article with what each rule did,
as info diagnostics (codes in ``briefgen.ingest.report``) located at their line and
column in the raw text, so that nothing is changed silently:

1. ``decode_seed``: ``briefgen.encoding.decode``, the decoding of every command (UTF-8
   with or without a byte order mark; CRLF and CR line endings become LF), falling
   back to Windows-1252 (a warning, IMP004; bytes that are neither: IMP003).
2. ``boilerplate_family``: whole lines of site furniture are removed.
3. The first remaining line is the headline: it becomes the title.
4. ``credit``: contributor lines are moved to the sidecar (byline, credits).
5. ``teaser_reason``: another story's headline pasted between paragraphs is removed.
6. ``punctuation_artefacts``: stray full stops and the like are reported, and fixed
   only when asked.

Paragraphs are otherwise kept exactly, line by line.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from briefgen import encoding
from briefgen.errors import Diagnostic, Location
from briefgen.ingest.linerules import (
    BYLINE_WITHIN,
    boilerplate_family,
    credit,
    fix_artefacts,
    punctuation_artefacts,
    teaser_reason,
)
from briefgen.ingest.report import (
    BOILERPLATE,
    CREDITS,
    DECODED,
    HEADLINE,
    LAYOUT,
    NOT_TEXT,
    NOT_UTF8,
    PUNCTUATION,
    TEASER,
    info,
)

# -- decoding ------------------------------------------------------------------------

FALLBACK = "cp1252"  # raw text that is not UTF-8 is most often Windows-1252


def decode_seed(data: bytes, seed: str = "") -> tuple[str | None, list[Diagnostic]]:
    """Bytes -> text (``briefgen.encoding``, falling back to Windows-1252); what it did."""
    decoded = encoding.decode(data, fallback=FALLBACK)
    found = [info(DECODED, "removed the UTF-8 byte order mark", seed)] if decoded.bom else []
    failure = decoded.failure
    if decoded.text is None:
        assert failure is not None
        where = Location(seed, failure.line, failure.col)
        message = f"neither UTF-8 nor Windows-1252 (byte 0x{failure.byte:02x})"
        return None, [Diagnostic(where, NOT_TEXT, message, "save it as UTF-8")]
    if failure is not None:
        where = Location(seed, failure.line, failure.col)
        message = f"not UTF-8 (byte 0x{failure.byte:02x}): decoded as Windows-1252"
        fix = "check the article's quotes and accented letters, or save the seed as UTF-8"
        found.append(Diagnostic(where, NOT_UTF8, message, fix, severity="warning"))
    for name, count in decoded.converted:
        found.append(info(DECODED, f"converted {count} {name} line endings", seed))
    return decoded.text, found


# -- the whole article -------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    """One line of the raw text and its 1-based number."""

    number: int
    text: str


Paragraph = tuple[Line, ...]


@dataclass(frozen=True)
class Cleaned:
    """A raw article, cleaned: its headline, paragraphs, credits and what each rule did."""

    title: str
    paragraphs: tuple[Paragraph, ...]
    credits: tuple[str, ...] = ()
    byline: str = ""
    source: str = ""
    findings: tuple[Diagnostic, ...] = ()  # info diagnostics, by line and column
    title_line: int = 0  # the headline's line in the raw text

    @property
    def text(self) -> str:
        """The article file: paragraphs separated by one blank line, ending with a newline."""
        blocks = ["\n".join(line.text for line in para) for para in self.paragraphs]
        return "\n\n".join(blocks) + "\n" if blocks else ""


def quoted(text: str, limit: int = 120) -> str:
    """``text`` in double quotes, on one line, shortened beyond ``limit`` characters."""
    text = text.strip().replace("\n", " / ")
    return f'"{text if len(text) <= limit else text[: limit - 1].rstrip() + "…"}"'


def paragraphs(lines: list[Line | None]) -> Iterator[Paragraph]:
    """Runs of lines between blank lines; None (a removed line) also ends a paragraph."""
    run: list[Line] = []
    for line in lines:
        if line is None or not line.text.strip():
            if run:
                yield tuple(run)
            run = []
        else:
            run.append(line)
    if run:
        yield tuple(run)


@dataclass
class Findings:
    """What the rules did to one seed, as info diagnostics located in its raw text."""

    seed: str
    found: list[Diagnostic] = field(default_factory=list)

    def add(self, code: str, line: int, message: str, col: int = 0) -> None:
        """Record what a rule did at ``line`` (and ``col``) of the raw text."""
        self.found.append(info(code, message, self.seed, line, col))


def clean(text: str, *, seed: str = "", fix_punctuation: bool = False) -> Cleaned:
    """Apply every rule to a decoded raw article, in order; report what each did."""
    findings = Findings(seed)
    lines: list[Line | None] = []
    for number, raw in enumerate(text.split("\n"), start=1):
        family = boilerplate_family(raw)
        if family is None:
            lines.append(Line(number, raw))
            continue
        lines.append(None)
        findings.add(BOILERPLATE, number, f"removed boilerplate {quoted(raw)}")
    first = next((k for k, ln in enumerate(lines) if ln is not None and ln.text.strip()), None)
    if first is None:
        return Cleaned("", (), findings=tuple(findings.found))
    head = lines[first]
    assert head is not None
    title = head.text.strip()
    findings.add(HEADLINE, head.number, f"headline {quoted(title)} -> title")
    body = _split_single_breaks(lines[first + 1 :], findings)
    body, credits, byline, source = _take_credits(body, findings)
    body = _drop_teasers(body, findings)
    body = _check_punctuation(body, findings, fix=fix_punctuation)
    found = tuple(sorted(findings.found, key=lambda f: (f.location.line, f.location.col)))
    return Cleaned(title, tuple(body), tuple(credits), byline, source, found, head.number)


# The text has one paragraph a line when no blank line separates its lines, it has at
# least this many, and most of them end a sentence (hard-wrapped prose does not).
SINGLE_BREAK_MIN_LINES = 3
SENTENCE_END = (".", "!", "?", "”", '"', "’", "'", ":")


def _split_single_breaks(lines: list[Line | None], findings: Findings) -> list[Paragraph]:
    """Paragraphs of the body; each line is one when the text has no blank lines."""
    text = [line for line in lines if line is not None and line.text.strip()]
    first, last = (text[0].number, text[-1].number) if text else (0, 0)
    blank = any(ln is not None and not ln.text.strip() and first < ln.number < last for ln in lines)
    ends = sum(line.text.rstrip().endswith(SENTENCE_END) for line in text)
    if blank or len(text) < SINGLE_BREAK_MIN_LINES or 2 * ends < len(text):
        return list(paragraphs(lines))
    message = "paragraphs separated by single line breaks: took each line as a paragraph"
    findings.add(LAYOUT, first, message)
    return [(line,) for line in text]


def _take_credits(
    body: list[Paragraph], findings: Findings
) -> tuple[list[Paragraph], list[str], str, str]:
    """Move credit lines out of the text; return the rest, credits, byline and source."""
    kept: list[Paragraph] = []
    credits: list[str] = []
    byline = source = ""
    for index, para in enumerate(body):
        rest: list[Line] = []
        for line in para:
            found = credit(line.text, top=index < BYLINE_WITHIN)
            if found is None:
                rest.append(line)
                continue
            credits.append(line.text.strip())
            byline = byline or found.byline
            source = source or found.source
            message = f"moved credits to the sidecar: {quoted(line.text)}"
            findings.add(CREDITS, line.number, message)
        if rest:
            kept.append(tuple(rest))
    return kept, credits, byline, source


def _drop_teasers(body: list[Paragraph], findings: Findings) -> list[Paragraph]:
    """Remove teaser headlines that sit between two paragraphs of the article."""
    kept = []
    for index, para in enumerate(body):
        text = "\n".join(line.text for line in para)
        reason = teaser_reason(text) if 0 < index < len(body) - 1 else None
        if reason is None:
            kept.append(para)
            continue
        message = f"removed teaser headline {quoted(text)} ({reason})"
        findings.add(TEASER, para[0].number, message)
    return kept


def _check_punctuation(body: list[Paragraph], findings: Findings, *, fix: bool) -> list[Paragraph]:
    """Report punctuation artefacts; remove them too when ``fix``."""
    out = []
    for para in body:
        lines = []
        for line in para:
            artefacts = punctuation_artefacts(line.text)
            verb = "fixed " if fix else ""
            for artefact in artefacts:
                message = verb + artefact.message
                findings.add(PUNCTUATION, line.number, message, artefact.col)
            if fix and artefacts:
                line = Line(line.number, fix_artefacts(line.text, artefacts))
            lines.append(line)
        out.append(tuple(lines))
    return out
