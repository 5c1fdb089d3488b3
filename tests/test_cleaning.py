"""The cleaning rules one by one, and ``clean`` over a whole raw article."""

from __future__ import annotations

import pytest

from briefgen.ingest.cleaning import clean, decode_seed
from briefgen.ingest.linerules import (
    Credit,
    boilerplate_family,
    credit,
    fix_artefacts,
    markdown_hazards,
    punctuation_artefacts,
    teaser_reason,
)

NOT_UTF8_FIX = "check the article's quotes and accented letters, or save the seed as UTF-8"


@pytest.mark.parametrize(
    ("data", "text", "messages"),
    [
        ("a “b”\n".encode(), "a “b”\n", []),
        (b"\xef\xbb\xbfa\n", "a\n", ["s.txt: info[IMP101]: removed the UTF-8 byte order mark"]),
        (b"a\r\nb\r\n", "a\nb\n", ["s.txt: info[IMP101]: converted 2 Windows (CRLF) line endings"]),
        (b"a\rb\r", "a\nb\n", ["s.txt: info[IMP101]: converted 2 old Mac (CR) line endings"]),
        (
            b"ok\nsaid \x93yes\x94 \x96 it\x92s \x80 5\n",
            "ok\nsaid “yes” – it’s € 5\n",
            ["s.txt:2:6: warning[IMP004]: not UTF-8 (byte 0x93): decoded as Windows-1252; "
             f"fix: {NOT_UTF8_FIX}"],
        ),
        (  # the column is the byte's in the text as decoded: "Ã©" is two characters
            "é".encode() + b" \x92\n",
            "Ã© ’\n",
            [f"s.txt:1:4: warning[IMP004]: not UTF-8 (byte 0x92): decoded as Windows-1252; "
             f"fix: {NOT_UTF8_FIX}"],
        ),
        (b"a\n\x81b", None, ["s.txt:2:1: error[IMP003]: neither UTF-8 nor Windows-1252 "
                             "(byte 0x81); fix: save it as UTF-8"]),
    ],
)  # fmt: skip
def test_decode_seed(data: bytes, text: str | None, messages: list[str]) -> None:
    decoded, found = decode_seed(data, "s.txt")
    assert decoded == text
    assert [d.headline() for d in found] == messages


@pytest.mark.parametrize(
    ("line", "family"),
    [
        ("ADVERTISEMENT", "advertisement"),
        ("  Advertisement  ", "advertisement"),
        ("Story continues below advertisement", "advertisement"),
        ("Share this article", "sharing"),
        ("Share on Facebook", "sharing"),
        ("Tweet", "sharing"),
        ("Read more: Averne's farmers count the cost", "read more"),
        ("READ MORE: Xi and Putin’s new world order", "read more"),
        ("RELATED: Why Kessel wants a second port", "read more"),
        ("Source link", "source link"),
        ("Please enter your comment!", "comment form"),
        ("Please enter your name here", "comment form"),
        ("You have entered an incorrect email address!", "comment form"),
        ("Save my name, email, and website in this browser for the next time I comment.",
         "comment form"),
        ("Sign up for our Morning Briefing newsletter to get the news first.", "newsletter"),
        ("© 2023 Kessel Media Group. All rights reserved.", "copyright"),
        ("Our Standards: The Thomson Reuters Trust Principles.", "copyright"),
        # article text, however close
        ("", None),
        ("Share prices fell sharply on Monday.", None),
        ("The source of the leak was never found.", None),
        ("Please enter the building by the side door, the notice said.", None),
        ("Readers wrote in to comment on the plan.", None),
    ],
)  # fmt: skip
def test_boilerplate_family(line: str, family: str | None) -> None:
    assert boilerplate_family(line) == family


@pytest.mark.parametrize(
    ("line", "top", "expected"),
    [
        ("Anna Chernova, Betsy Klein and Ivana Kottasová of CNN contributed to this report.",
         False, Credit("Anna Chernova, Betsy Klein and Ivana Kottasová, CNN", "CNN")),
        ("Marta Quell of Kessel Radio contributed reporting.", False,
         Credit("Marta Quell, Kessel Radio", "Kessel Radio")),
        ("Reporting by Lena Holt in Averne and Piet Maas in Kessel; Editing by Mark Ellison",
         False, Credit("Lena Holt and Piet Maas")),
        ("Additional reporting by Jo Park", False, Credit("Jo Park")),
        ("Editing by Mark Ellison", False, Credit("")),
        ("By Lena Holt", True, Credit("Lena Holt")),
        ("By Lena Holt", False, None),  # a byline only near the headline
        ("By the numbers", True, None),
        ("By Monday, the troops had withdrawn from the city.", True, None),
        ("The war contributed to this.", False, None),
        ("the staff of the museum contributed reporting.", False, None),
        ("Critics say the sanctions contributed to this report's gloomy outlook.", False, None),
    ],
)  # fmt: skip
def test_credit(line: str, top: bool, expected: Credit | None) -> None:
    assert credit(line, top=top) == expected


TWO_SENTENCES = "two headline sentences run together, no final full stop"


@pytest.mark.parametrize(
    ("paragraph", "reason"),
    [
        ("Xi and Putin want to create a new world order.  Russia's setback in Ukraine could "
         "ruin their plans", TWO_SENTENCES),
        ("Kessel’s new tram line is late. The city says it will open in May", TWO_SENTENCES),
        # real subheadings
        ("What the money buys", None),
        ("More wind, more storage", None),
        ("Why now?", None),
        ("By Land And Sea", None),
        ("Mr. Putin goes to Samarkand", None),
        # real paragraphs
        ("Tickets sold out in two days. The operator said so.", None),
        ("A first line\nand a second. Without a full stop", None),
    ],
)  # fmt: skip
def test_teaser_reason(paragraph: str, reason: str | None) -> None:
    assert teaser_reason(paragraph) == reason


@pytest.mark.parametrize(
    ("line", "found", "fixed"),
    [
        ("a readout provided. by the Chinese Ministry", ['19: stray full stop in "provided. by"'],
         "a readout provided by the Chinese Ministry"),
        ("U.S. officials met at 10 a.m. on Monday, e.g. the envoy", [], None),
        ("He waited... and left. Then etc. and so on", [], None),
        ("Mr. smith arrived", [], None),
        ("1. the first point", [], None),
        ("she said , and left ;then", ['9: space before punctuation in "d ,"'],
         "she said, and left ;then"),
        ("yes,, and no.. Maybe... not",
         ['4: doubled comma in "s,,"', '13: doubled full stop in "o.."'],
         "yes, and no. Maybe... not"),
    ],
)  # fmt: skip
def test_punctuation_artefacts(line: str, found: list[str], fixed: str | None) -> None:
    artefacts = punctuation_artefacts(line)
    assert [f"{a.col}: {a.message}" for a in artefacts] == found
    assert fix_artefacts(line, artefacts) == (fixed or line)


@pytest.mark.parametrize(
    ("line", "found"),
    [
        ("Plain text, with $5 and 3 > 2.", []),
        ("# Not a heading", [(1, 'Markdown reads "#" here as a heading')]),
        ("1. First", [(1, 'Markdown reads "1." here as a list item')]),
        ("> quoted", [(1, 'Markdown reads ">" here as a block quote')]),
        ("a *starred* word", [(3, 'Markdown reads "*" here as emphasis or code')]),
        ("see [this](x)", [(5, 'Markdown reads "[" here as a link')]),
    ],
)
def test_markdown_hazards(line: str, found: list[tuple[int, str]]) -> None:
    assert markdown_hazards(line) == found


def test_clean_keeps_paragraphs_and_reports_each_change() -> None:
    text = (
        "ADVERTISEMENT\n"  # boilerplate before the headline
        "Headline of the story\n\n\n"
        "First paragraph, line one\nline two.\n"
        "Advertisement\n"  # inside a paragraph: it separates two
        "Second paragraph.\n\n"
        "Another story’s headline.  Its standfirst here\n\n"
        "Last paragraph with a stray. full stop.\n"
    )
    cleaned = clean(text)
    assert cleaned.title == "Headline of the story"
    assert cleaned.text == (
        "First paragraph, line one\nline two.\n\nSecond paragraph.\n\n"
        "Last paragraph with a stray. full stop.\n"
    )
    assert [(f.location.line, f.location.col, f.message) for f in cleaned.findings] == [
        (1, 0, 'removed boilerplate "ADVERTISEMENT"'),
        (2, 0, 'headline "Headline of the story" -> title'),
        (7, 0, 'removed boilerplate "Advertisement"'),
        (10, 0, 'removed teaser headline "Another story’s headline.  Its standfirst here" '
                "(two headline sentences run together, no final full stop)"),
        (12, 28, 'stray full stop in "stray. full"'),
    ]  # fmt: skip
    assert clean(text, fix_punctuation=True).text.endswith("with a stray full stop.\n")


def test_clean_reports_info_diagnostics_located_in_the_seed() -> None:
    text = "Headline\n\nText. Advertisement\nAdvertisement\n\nA stray. full stop.\n"
    cleaned = clean(text, seed="seeds/x.txt")
    assert cleaned.title_line == 1
    assert [(d.headline(), d.severity) for d in cleaned.findings] == [
        ('seeds/x.txt:1:1: info[IMP102]: headline "Headline" -> title', "info"),
        ('seeds/x.txt:4:1: info[IMP104]: removed boilerplate "Advertisement"', "info"),
        ('seeds/x.txt:6:8: info[IMP107]: stray full stop in "stray. full"', "info"),
    ]
    fixed = clean(text, seed="seeds/x.txt", fix_punctuation=True).findings[-1]
    assert fixed.message == 'fixed stray full stop in "stray. full"'


def test_clean_takes_lines_as_paragraphs_only_when_they_read_so() -> None:
    assert clean("H\nOne.\nTwo.\nThree.\n").text == "One.\n\nTwo.\n\nThree.\n"
    wrapped = "H\n\nprose that is\nwrapped at a\nfixed width.\n"
    assert clean(wrapped).text == "prose that is\nwrapped at a\nfixed width.\n"
