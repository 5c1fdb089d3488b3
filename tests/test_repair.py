"""Closest passages snapped to whole words, and the repair of an anchor that drifted."""

from __future__ import annotations

import pytest

from briefgen.errors import Location
from briefgen.model import Anchor
from briefgen.text.anchoring import Anchorer, NotFound, Span
from briefgen.text.passages import Passage, snap
from briefgen.text.repair import REPAIR_SIMILARITY, Repair, Unrepaired, repair

TEXT = "China has questions and concerns in this regard, Putin said."


@pytest.mark.parametrize(
    ("needle", "cut", "expected"),
    [
        # an end inside a word goes to the nearer boundary: the closer text wins
        ("questions and concerns", "questions and concerns i", "questions and concerns"),
        ("questions and concerns in", "questions and concerns i", "questions and concerns in"),
        ("and concerns", "nd concerns", "and concerns"),
        ("questions and concerns", "uestions and concer", "questions and concerns"),
        # after an apostrophe too
        ("Beijing's view", "Beijing's vi", "Beijing's view"),
    ],
)
def test_snap_moves_ends_inside_words_to_word_boundaries(
    needle: str, cut: str, expected: str
) -> None:
    text = TEXT.replace("this regard", "Beijing's view")
    start = text.index(cut)
    passage = snap(needle, text, start, start + len(cut))
    assert text[passage.start : passage.end] == expected


def test_snap_leaves_very_long_words_and_unspaced_scripts_alone() -> None:
    url = "x" * 30 + "abc" + "y" * 30
    assert snap("abc", url, 30, 33) == Passage(30, 33, 0)
    chinese = "普京说上海合作组织峰会"
    assert snap("上海合作", chinese, 3, 7) == Passage(3, 7, 0)


def anchor(quote: str, **context: str | int) -> Anchor:
    """An anchor with its context, located in a sidecar."""
    return Anchor(quote, Location("content/a.yaml", 2, 12), **context)  # type: ignore[arg-type]


def fix(text: str, quote: str, **context: str | int) -> Repair | Unrepaired:
    """The repair of a quote that does not anchor in ``text``."""
    anchorer = Anchorer(text)
    a = anchor(quote, **context)
    result = anchorer.find(a.quote, a.prefix, a.suffix, a.occurrence)
    assert isinstance(result, NotFound), result
    return repair(anchorer, a, result)


def test_a_drifted_quote_becomes_the_closest_passage() -> None:
    found = fix(TEXT, "questions and concern in this")
    start = TEXT.index("questions")
    assert found == Repair((("quote", "questions and concerns in this"),), Span(start, start + 30))


def test_a_passage_too_different_or_not_alone_is_not_repaired() -> None:
    assert fix(TEXT, "worries and doubts") == Unrepaired("nothing in the article is close to it")
    assert fix(TEXT, "questions or worries") == Unrepaired(
        f"its similarity is below {REPAIR_SIMILARITY:.2f}"
    )
    assert fix("a red car, a red cat", "red cax") == Unrepaired("2 passages are about as close")


def test_the_context_chooses_the_passage_and_is_kept_when_it_fits() -> None:
    text = "Before the summit, Xi spoke. After the summit, Putin spoke."
    found = fix(text, "the sumit", prefix="After")
    assert isinstance(found, Repair)
    assert (found.values, text[found.span.start :]) == (
        (("quote", "the summit"),),
        "the summit, Putin spoke.",
    )


def test_a_context_that_no_longer_fits_is_taken_from_the_text() -> None:
    text = "Putin says China has questions and concerns over the war."
    # the quote is there, once; only its prefix drifted
    found = fix(text, "questions and concerns", prefix="said China had")
    assert isinstance(found, Repair) and found.values == (("prefix", "says China has"),)
    found = fix(text, "questions and concernz", suffix="ovr the")
    assert isinstance(found, Repair)
    assert found.values == (("quote", "questions and concerns"), ("suffix", "over the"))


def test_a_new_quote_found_twice_gets_the_context_that_picks_it() -> None:
    text = "Xi spoke first. Then Putin spoke at length, and Xi spoke."
    found = fix(text, "Putin spokee at length")
    assert isinstance(found, Repair) and found.values == (("quote", "Putin spoke at length"),)
    # "Xi spoke" occurs twice: a prefix that picks the first is added
    text = "Xi spoke first. Then Xi spoke again."
    found = fix(text, "Xi spoke firstt", suffix="zzz")
    assert isinstance(found, Repair) and found.values == (
        ("quote", "Xi spoke first."),
        ("suffix", "Then"),
    )


def test_the_occurrence_picks_among_passages_exactly_as_close() -> None:
    text = "A the summits C. A the summits C."
    found = fix(text, "the sumits", prefix="A", suffix="C", occurrence=2)
    assert isinstance(found, Repair)
    assert (found.values, found.span.start) == ((("quote", "the summits"),), 19)
    assert fix(text, "the sumits", prefix="A", suffix="C", occurrence=3) == Unrepaired(
        "2 passages are about as close"
    )


def test_an_occurrence_is_renumbered_when_a_new_prefix_picks_the_passage() -> None:
    # Each "W:" before "the summit" was edited: the third occurrence is now the one after "Z:".
    text = "X: the summit. Y: the summit. Z: the summit."
    found = fix(text, "the summit", prefix="W:", occurrence=3)
    assert isinstance(found, Repair)
    assert (found.values, found.span.start) == ((("prefix", "Z:"), ("occurrence", 1)), 33)
