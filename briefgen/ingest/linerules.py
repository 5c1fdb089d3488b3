"""The cleaning rules: what one line or paragraph of a raw article is; pure.

Each rule is a small named function that returns what it found; the patterns it uses
are tables of data, so a new site's junk is one more row:

- ``boilerplate_family``: a whole line of site furniture ("Advertisement");
- ``credit``: a contributors line, for the sidecar (byline, credits);
- ``teaser_reason``: another story's headline pasted between paragraphs;
- ``punctuation_artefacts``: stray full stops and the like, with ``fix_artefacts``;
- ``markdown_hazards``: what Markdown would read as markup in a line of plain text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from briefgen.text.normalise import normalise

CompiledRules = tuple[tuple[str, re.Pattern[str]], ...]


def wordset(text: str) -> frozenset[str]:
    """The words of a table written as text, one or more a line."""
    return frozenset(text.split())


def compiled(rules: tuple[tuple[str, str], ...], flags: int = 0) -> CompiledRules:
    """A table of (name, pattern) rows with each pattern compiled."""
    return tuple((name, re.compile(pattern, flags)) for name, pattern in rules)


# -- boilerplate -----------------------------------------------------------------------

# Whole lines of site furniture, by family. A line is compared after the anchoring
# normalisation (curly quotes straight, white space collapsed), ignoring case.
BOILERPLATE_RULES: tuple[tuple[str, str], ...] = (
    (
        "advertisement",
        r"advertisements?|ad feedback|story continues below(?: this)? advertisement"
        r"|scroll to continue with content|sponsored content",
    ),
    (
        "sharing",
        r"share(?: this(?: article| story| post| page)?)?:?|tweet|pin it|copy link|email this"
        r"|share (?:on|via) (?:facebook|twitter|x|whatsapp|linkedin|telegram|reddit|e-?mail)"
        r"|click to share on \w+(?: \(opens in new window\))?|like this:|loading\.\.\.",
    ),
    (
        "read more",
        r"(?:read more|read also|also read|related|see also|more on this story|watch)"
        r" ?(?::|»|>>|\|) ?.{1,160}"
        r"|read more|continue reading|read (?:the )?full (?:article|story)",
    ),
    ("source link", r"source link|original article|view original(?: article)?"),
    (
        "comment form",
        r"please enter your (?:comment|name|email address)(?: here)?!?"
        r"|you have entered an incorrect email address!?|leave a (?:reply|comment)|cancel reply"
        r"|post comment|comments?|\d+ comments?|log in to (?:comment|reply)"
        r"|save my name, email, and website in this browser for the next time i comment\.?",
    ),
    (
        "newsletter",
        r"(?:sign up|subscribe) (?:for|to) (?:our|the) .{0,60}newsletters?\b.{0,80}",
    ),
    (
        "copyright",
        r"(?:copyright|©|\(c\)) ?\d{4}\b.{0,80}|all rights reserved\.?"
        r"|our standards: the thomson reuters trust principles\.?",
    ),
)
_BOILERPLATE = compiled(BOILERPLATE_RULES, re.IGNORECASE)


def boilerplate_family(line: str) -> str | None:
    """The family of site boilerplate that ``line`` is, or None for article text."""
    text = normalise(line).strip()
    if not text:
        return None
    for family, pattern in _BOILERPLATE:
        if pattern.fullmatch(text):
            return family
    return None


# -- credits ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Credit:
    """A contributors line: who wrote or reported the article, for the sidecar."""

    byline: str  # "" when the line names no reporter (e.g. "Editing by ...")
    source: str = ""  # an organisation named by the line ("of CNN"), if any


NAMES = r"(?P<names>[A-Z][^;|]{1,200}?)"
# Contributor lines, anywhere in the article: (name, whole-line pattern).
CREDIT_RULES: tuple[tuple[str, str], ...] = (
    (
        "contributed",
        rf"{NAMES}(?: of (?P<org>[A-Z][\w&.'’ -]{{0,40}}?))? contributed"
        r" (?:reporting|to this (?:report|story|article))(?: to this (?:report|story|article))?\.?",
    ),
    ("reporting by", rf"(?:additional )?reporting by {NAMES}(?:[;|] ?.*)?\.?"),
    ("edited by", r"(?:writing|editing|edited|compiled|written) by [A-Z].{0,200}"),
)
# Bylines are recognised only near the top (before this many paragraphs of text), so a
# subheading such as "By Land And Sea" further down is never taken for one.
BYLINE_RULE = rf"by {NAMES}"
BYLINE_WITHIN = 2
_CREDITS = compiled(CREDIT_RULES, re.IGNORECASE)
_BYLINE = re.compile(BYLINE_RULE, re.IGNORECASE)
_PLACE = re.compile(r"\s+in\s+[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*)*")


def credit(line: str, *, top: bool = False) -> Credit | None:
    """The credit that ``line`` is (``top``: near the headline, where bylines are), or None."""
    text = line.strip()
    if len(text) > 300:
        return None
    rules = [pattern for _, pattern in _CREDITS]
    if top and not text.endswith(".") and len(text.split()) <= 12:
        rules.append(_BYLINE)
    for pattern in rules:
        match = pattern.fullmatch(text)
        names = match.groupdict().get("names") if match else None
        if match and (names is None or names[0].isupper()):  # names, whatever the case rule
            return _credit(match)
    return None


def _credit(match: re.Match[str]) -> Credit:
    """Byline and organisation from a matched credit line."""
    groups = match.groupdict()
    names = _PLACE.sub("", groups.get("names") or "").strip(" ,.")
    org = (groups.get("org") or "").strip()
    return Credit(f"{names}, {org}" if names and org else names, org)


# -- teasers ---------------------------------------------------------------------------

# A teaser is the headline and standfirst of another story pasted into this one: one
# short line, no final punctuation, two headline sentences run together.
TEASER_MIN_WORDS = 4
TEASER_MAX_WORDS = 30
FINAL_PUNCTUATION = ".!?:;,…\"'”’)]"
ABBREVIATIONS = wordset(
    """mr mrs ms dr st vs etc approx no nos inc ltd co corp jr sr gen col lt sgt gov sen rep rev
    prof fig vol pp ca cf al jan feb mar apr jun jul aug sep sept oct nov dec"""
)
_SENTENCE_BREAK = re.compile(r"(?P<word>[\w’']+)[.!?] +(?=[\"“‘'(]?[A-Z0-9])")


def teaser_reason(paragraph: str) -> str | None:
    """Why ``paragraph`` looks like another story's headline, or None."""
    text = paragraph.strip()
    words = text.split()
    if "\n" in text or not TEASER_MIN_WORDS <= len(words) <= TEASER_MAX_WORDS:
        return None
    if text[-1] in FINAL_PUNCTUATION:
        return None
    for match in _SENTENCE_BREAK.finditer(text):
        if match.group("word").lower() not in ABBREVIATIONS:
            return "two headline sentences run together, no final full stop"
    return None


# -- punctuation -----------------------------------------------------------------------


@dataclass(frozen=True)
class Artefact:
    """A punctuation artefact in a line: where it is, what it is, and what a fix removes."""

    col: int  # 1-based column of the offending mark
    message: str
    start: int  # the characters [start, end) that the fix removes
    end: int


# Scraping artefacts: (name, pattern). The group "mark" is what the fix removes; the
# message quotes the pattern's whole match.
ARTEFACT_RULES: tuple[tuple[str, str], ...] = (
    # "provided. by": a full stop between two words of one sentence (not "U.S. officials",
    # "a.m. on", "etc. and", "1. the", nor an ellipsis)
    ("stray full stop", r"(?<![.\w])(?P<word>\w*[^\W\d_]\w*)(?P<mark>\.) (?=[a-z])\w+"),
    # "said , and": white space before a comma or semicolon
    ("space before punctuation", r"\w(?P<mark> +)[,;](?= |$)"),
    # "said,, and" or "said.. And", but not an ellipsis
    ("doubled comma", r"\w(?P<mark>,),"),
    ("doubled full stop", r"\w(?P<mark>\.)\.(?!\.)"),
)
_ARTEFACTS = compiled(ARTEFACT_RULES)


def punctuation_artefacts(line: str) -> list[Artefact]:
    """Every punctuation artefact in ``line``, left to right."""
    found = []
    for name, pattern in _ARTEFACTS:
        for match in pattern.finditer(line):
            if (match.groupdict().get("word") or "").lower() in ABBREVIATIONS:
                continue
            start, end = match.span("mark")
            found.append(Artefact(start + 1, f'{name} in "{match.group()}"', start, end))
    return sorted(found, key=lambda a: a.start)


def fix_artefacts(line: str, artefacts: list[Artefact]) -> str:
    """``line`` with every artefact's mark removed."""
    for artefact in sorted(artefacts, key=lambda a: -a.start):
        line = line[: artefact.start] + line[artefact.end :]
    return line


# -- Markdown ----------------------------------------------------------------------------

# What Markdown would read as markup in a line of plain text: (what it becomes, pattern).
MARKDOWN_RULES: tuple[tuple[str, str], ...] = (
    ("a heading", r"^ {0,3}(?P<mark>#{1,6})(?: |$)"),
    ("a block quote", r"^ {0,3}(?P<mark>>)"),
    ("a list item", r"^ {0,3}(?P<mark>[-*+]|\d{1,9}[.)])(?: |$)"),
    ("a code block", r"^(?P<mark> {4,}|\t)"),
    ("emphasis or code", r"(?P<mark>[*_`])"),
    ("a link", r"(?P<mark>\[)[^\]]*\]\("),
)
_MARKDOWN = compiled(MARKDOWN_RULES)


def markdown_hazards(line: str) -> list[tuple[int, str]]:
    """Where Markdown would read ``line`` as markup: (1-based column, message)."""
    found = []
    for what, pattern in _MARKDOWN:
        match = pattern.search(line)
        if match:
            mark = match.group("mark")
            found.append((match.start("mark") + 1, f'Markdown reads "{mark}" here as {what}'))
    return sorted(found)
