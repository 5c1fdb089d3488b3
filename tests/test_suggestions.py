"""Suggestions for the editor: names and acronyms, and quoted statements as notes."""

from __future__ import annotations

import pytest

from briefgen.ingest.suggestions import find_quotations, name_candidates, suggest_notes


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("Chinese leader Xi Jinping met the Chinese Ministry of Foreign Affairs.",
         ["Xi Jinping", "Chinese Ministry of Foreign Affairs"]),
        ("US House Speaker Nancy Pelosi’s visit to Taipei", ["US", "US House", "Nancy Pelosi"]),
        ("Kazakh President Kassym-Jomart Tokayev and Uzbek President Shavkat Mirziyoyev",
         ["Kassym-Jomart Tokayev", "Shavkat Mirziyoyev"]),
        ("The White House said. For Xi, meanwhile, the Belt and Road Initiative matters.",
         ["White House", "Belt and Road Initiative"]),
        ("Russian and Chinese navies; between China and Russia; Xi Jinping and Vladimir Putin",
         ["Xi Jinping", "Vladimir Putin"]),
        ("AVERNE, March 3 (Wire) - Port Averne and the APA", ["Port Averne", "APA"]),
    ],
)  # fmt: skip
def test_name_candidates(text: str, names: list[str]) -> None:
    assert name_candidates(text) == names


@pytest.mark.parametrize(
    ("paragraph", "found"),
    [
        ("“We understand your questions and concerns in this regard,” Putin said. “In today’s "
         "meeting we will set out our position.”",
         [("We understand your questions and concerns in this regard", "Putin"),
          ("In today’s meeting we will set out our position", "Putin")]),
        ("“This is not the time for business as usual,” said John Kirby, a spokesman.",
         [("This is not the time for business as usual", "John Kirby")]),
        ("Kirby said Putin was “under a lot of pressure and stress.”",
         [("under a lot of pressure and stress", "Kirby")]),
        ("Beginning the meeting, Putin highlighted trade. “We will reach new records,” he said.",
         [("We will reach new records", "Putin")]),
        ("Putin condemned what he said were “provocations” and “a unipolar world order”.", []),
        ("“This city chose to keep building,” Lind told supporters.",
         [("This city chose to keep building", "Lind")]),
        ('"Every day costs the farmers dearly," said Tomas Ekberg.',
         [("Every day costs the farmers dearly", "Tomas Ekberg")]),
    ],
)  # fmt: skip
def test_find_quotations(paragraph: str, found: list[tuple[str, str]]) -> None:
    assert [(q.quote, q.speaker) for q in find_quotations(paragraph, 0)] == found


def test_suggested_notes_anchor_exactly_once() -> None:
    article = (
        "“We will not give up,” Dahl said.\n\n"
        "A year later, in Kessel: “We will not give up,” Dahl said again.\n\n"
        "And once more, in Averne: “We will not give up,” Dahl said.\n"
    )
    assert suggest_notes(article) == [
        ({"quote": "We will not give up", "occurrence": 1}, "Dahl"),
        ({"quote": "We will not give up", "prefix": "Kessel: “"}, "Dahl"),
        ({"quote": "We will not give up", "prefix": "Averne: “"}, "Dahl"),
    ]
