"""Quote anchoring: normalisation, spans in original coordinates, context, fuzzy matches."""

from __future__ import annotations

import random

import pytest

from briefgen.text.anchoring import (
    Ambiguous,
    Anchorer,
    Candidate,
    Found,
    NotFound,
    OutOfRange,
    Result,
    Span,
    anchor,
)
from briefgen.text.normalise import normalise, normalise_mapped

ARTICLE = (
    "Russian President Vladimir Putin on Thursday acknowledged that China has\n"
    "\u201cquestions and concerns\u201d over the war in Ukraine, in a rare admission of\n"
    "strain in the relationship. Speaking at the start of a meeting with Chinese\n"
    "leader Xi Jinping in Uzbekistan, Putin said he understood Beijing\u2019s position.\n"
)


def found_text(text: str, result: Result) -> str:
    """The original text a Found result covers."""
    assert isinstance(result, Found), result
    return text[result.span.start : result.span.end]


def best_text(text: str, result: Result) -> str | None:
    """The original text a NotFound result names as closest."""
    assert isinstance(result, NotFound), result
    return None if result.best is None else text[result.best.start : result.best.end]


def not_found(*candidates: tuple[int, int, float], context: bool = False) -> NotFound:
    """A NotFound result with its candidates (start, end, score), the closest first."""
    found = tuple(Candidate(Span(start, end), score) for start, end, score in candidates)
    return NotFound(found[0].span, found[0].score, context, found)


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance, by the textbook dynamic programme."""
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def fewest_edits(quote: str, text: str) -> int:
    """Fewest edits from `quote` to any substring of `text`, by the textbook programme."""
    previous = list(range(len(quote) + 1))
    best = len(quote)
    for ch in text:
        current = [0]
        for i, cq in enumerate(quote, 1):
            current.append(min(previous[i] + 1, current[i - 1] + 1, previous[i - 1] + (cq != ch)))
        best = min(best, current[-1])
        previous = current
    return best


# --- normalisation ---------------------------------------------------------------

# (text, quote, the original text the span must cover)
EQUIVALENT = [
    # curly and straight quotes, both directions
    ("He said \u201cit\u2019s fine\u201d.", '"it\'s fine"', "\u201cit\u2019s fine\u201d"),
    ('He said "it\'s fine".', "\u201cit\u2019s fine\u201d", '"it\'s fine"'),
    ("\u201equoted\u201c here", '"quoted"', "\u201equoted\u201c"),
    ("\u00abJa\u00bb, sagte er", '"Ja"', "\u00abJa\u00bb"),
    # dashes: any kind equals any other
    ("Kharkiv\u2014Izium road", "Kharkiv-Izium", "Kharkiv\u2014Izium"),
    ("Kharkiv-Izium road", "Kharkiv\u2013Izium", "Kharkiv-Izium"),
    ("pages 10\u201312", "10\u201412", "10\u201312"),
    # white space: line breaks, runs, tabs, no-break and thin spaces
    ("China has\n\u201cquestions", 'has "questions', "has\n\u201cquestions"),
    ("China has\r\n  questions", "has questions", "has\r\n  questions"),
    ("China\thas", "China has", "China\thas"),
    ("10\u00a0km away", "10 km", "10\u00a0km"),
    ("10\u202fkm away", "10 km", "10\u202fkm"),
    ("10\u2009km away", "10 km", "10\u2009km"),
    ("10 km away", "10\u00a0km", "10 km"),
    ("end of line \n\n next", "line next", "line \n\n next"),
    # invisible characters are removed
    ("co\u00adoperate", "cooperate", "co\u00adoperate"),
    ("Bei\u200bjing", "Beijing", "Bei\u200bjing"),
    ("Beijing", "Bei\u00adjing", "Beijing"),
    ("a \u200b b", "a b", "a \u200b b"),
    # NFC: composed and decomposed accents
    ("the cafe\u0301 opened", "caf\u00e9 opened", "cafe\u0301 opened"),
    ("the caf\u00e9 opened", "cafe\u0301 opened", "caf\u00e9 opened"),
    ("Curac\u0327ao and me\u0301tro", "\u00e7ao and m\u00e9tro", "c\u0327ao and me\u0301tro"),
    ("\u1100\u1161\u11a8 word", "\uac01 word", "\u1100\u1161\u11a8 word"),
    # the quote itself is stripped; the span never covers surrounding space
    ("  hello   world  ", "  hello world\n", "hello   world"),
]


@pytest.mark.parametrize(("text", "quote", "expected"), EQUIVALENT)
def test_normalised_quote_maps_back_to_original(text: str, quote: str, expected: str) -> None:
    assert found_text(text, anchor(text, quote)) == expected


SINGLE_QUOTES = "\u2018\u2019\u201a\u201b\u2039\u203a\u2032\u02bc\u0060\u00b4'"
DOUBLE_QUOTES = '\u201c\u201d\u201e\u201f\u00ab\u00bb\u2033"'
DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212"


@pytest.mark.parametrize(
    ("family", "plain"), [(SINGLE_QUOTES, "'"), (DOUBLE_QUOTES, '"'), (DASHES, "-")]
)
def test_every_mark_of_a_family_is_equal(family: str, plain: str) -> None:
    for mark in family:
        mapped = normalise_mapped(f"a{mark}b")
        assert (mapped.text, mapped.origins) == (f"a{plain}b", [0, 1, 2, 3]), hex(ord(mark))
        for other in family:
            assert anchor(f"x a{mark}b", f"a{other}b") == Found(Span(2, 5))


def test_single_and_double_quotes_stay_different() -> None:
    assert anchor("say \u201chi\u201d", "'hi'") == not_found((4, 8, 0.5))


@pytest.mark.parametrize(
    ("text", "normalised", "origins"),
    [
        ("", "", [0]),
        ("plain", "plain", [0, 1, 2, 3, 4, 5]),
        ("a \n\t b", "a b", [0, 1, 5, 6]),
        (" lead\u200b  trail \n", " lead trail ", [0, 1, 2, 3, 4, 6, 8, 9, 10, 11, 12, 13, 15]),
        ("co\u00adop", "coop", [0, 1, 3, 4, 5]),
        ("\u201cA\u2014B\u201d", '"A-B"', [0, 1, 2, 3, 4, 5]),
        ("cafe\u0301!", "caf\u00e9!", [0, 1, 2, 3, 5, 6]),
        ("x\u212bx", "x\u00c5x", [0, 1, 2, 3]),
        ("\u1100\u1161\u11a8 x", "\uac01 x", [0, 3, 4, 5]),
    ],
)
def test_normalise(text: str, normalised: str, origins: list[int]) -> None:
    mapped = normalise_mapped(text)
    assert (mapped.text, mapped.origins) == (normalised, origins)
    assert normalise(text) == normalised


def test_matching_is_case_sensitive() -> None:
    result = anchor(ARTICLE, "putin")
    assert result == not_found((27, 32, 0.8), (255, 260, 0.8))
    assert best_text(ARTICLE, result) == "Putin"


# --- exact matches, context and occurrence -----------------------------------------

TWO_QUESTIONS = (
    "Putin said China had questions and concerns. Asked about the questions and "
    "concerns, Xi said nothing."
)


@pytest.mark.parametrize(
    ("quote", "prefix", "suffix", "occurrence", "expected"),
    [
        ("questions and concerns", "had", None, None, Found(Span(21, 43))),
        ("questions and concerns", "about the", None, None, Found(Span(61, 83))),
        ("questions and concerns", None, ". Asked", None, Found(Span(21, 43))),
        ("questions and concerns", None, ", Xi", None, Found(Span(61, 83))),
        ("questions and concerns", "the", ",", None, Found(Span(61, 83))),
        ("questions and concerns", None, None, 1, Found(Span(21, 43))),
        ("questions and concerns", None, None, 2, Found(Span(61, 83))),
        ("questions and concerns", None, "", None, Ambiguous((Span(21, 43), Span(61, 83)))),
        ("said", None, None, None, Ambiguous((Span(6, 10), Span(88, 92)))),
        ("said", "Xi", None, 1, Found(Span(88, 92))),
        ("said", "Xi", None, 2, OutOfRange(1, (Span(88, 92),))),
        ("said", None, None, 3, OutOfRange(2, (Span(6, 10), Span(88, 92)))),
        ("China had", None, None, None, Found(Span(11, 20))),
    ],
)
def test_context_and_occurrence(
    quote: str, prefix: str | None, suffix: str | None, occurrence: int | None, expected: Result
) -> None:
    assert anchor(TWO_QUESTIONS, quote, prefix, suffix, occurrence) == expected


def test_prefix_and_suffix_are_normalised_and_allow_one_space() -> None:
    text = "the \u201cred\u201d\u00a0line and the red line"
    assert anchor(text, "line", prefix='"red"') == Found(Span(10, 14))
    assert anchor(text, "line", prefix="red") == Found(Span(27, 31))
    assert anchor(text, "red", suffix="\u201d line") == Found(Span(5, 8))
    assert anchor(text, "red", suffix="line") == Found(Span(23, 26))
    assert anchor(text, "the", suffix="\u201cred") == Found(Span(0, 3))


@pytest.mark.parametrize(
    ("text", "quote", "spans"),
    [
        ("aaaa", "aa", [(0, 2), (1, 3), (2, 4)]),
        ("abababa", "aba", [(0, 3), (2, 5), (4, 7)]),
        ("Xi met Xi, then Xi left", "Xi", [(0, 2), (7, 9), (16, 18)]),
    ],
)
def test_ambiguous_lists_every_occurrence(
    text: str, quote: str, spans: list[tuple[int, int]]
) -> None:
    assert anchor(text, quote) == Ambiguous(tuple(Span(a, b) for a, b in spans))


def test_context_mismatch_names_the_occurrence_with_the_closest_context() -> None:
    result = anchor(TWO_QUESTIONS, "questions and concerns", prefix="aboot the")
    assert result == not_found((61, 83, 0.89), context=True)
    result = anchor(TWO_QUESTIONS, "questions and concerns", prefix="China hd", suffix=".")
    assert result == not_found((21, 43, 0.94), context=True)


def test_context_mismatch_with_no_similar_context_takes_the_first() -> None:
    result = anchor(TWO_QUESTIONS, "said", suffix="zzz")
    assert result == not_found((6, 10, 0.0), (88, 92, 0.0), context=True)


@pytest.mark.parametrize("quote", ["", "   ", "\n\u00a0", "\u200b"])
def test_empty_quote(quote: str) -> None:
    assert anchor(ARTICLE, quote) == NotFound(None, 0.0)


def test_occurrence_below_one_is_refused() -> None:
    with pytest.raises(ValueError, match="occurrence must be 1 or more, not 0"):
        anchor(ARTICLE, "Putin", occurrence=0)


def test_anchorer_reuses_one_text() -> None:
    anchorer = Anchorer(ARTICLE)
    assert anchorer.find("Xi Jinping") == Found(Span(229, 239))
    assert anchorer.find("Beijing's position") == Found(Span(280, 298))
    assert anchorer.find("Putin", suffix="said") == Found(Span(255, 260))


# --- fuzzy matches -------------------------------------------------------------------

# (quote as the note has it, closest original text, score)
EDITED = [
    # the editor changed one word in the article
    (
        "Putin says he understood Beijing's position",
        "Putin said he understood Beijing\u2019s position",
        0.95,
    ),
    ("the war on Ukraine, in a rare admission", "the war in Ukraine, in a rare admission", 0.97),
    # the closest passage is whole words: "questions and concer" has fewer edits
    ("questions and worries", "questions and concerns", 0.71),
    (
        "a meeting with Chinese leader Xi Jinping in Samarkand",
        "a meeting with Chinese\nleader Xi Jinping in Uzbekistan",
        0.83,
    ),
    # a character dropped across a line break
    (
        "over the war in Ukraine, in a rare admision of strain",
        "over the war in Ukraine, in a rare admission of\nstrain",
        0.98,
    ),
]


@pytest.mark.parametrize(("quote", "closest", "score"), EDITED)
def test_fuzzy_names_the_closest_text(quote: str, closest: str, score: float) -> None:
    result = anchor(ARTICLE, quote)
    assert isinstance(result, NotFound)
    assert (best_text(ARTICLE, result), result.score, result.context_mismatch) == (
        closest,
        score,
        False,
    )


@pytest.mark.parametrize(
    "quote",
    [
        "football results from the weekend were mixed",
        "ZZ",
        "Q",
    ],
)
def test_nothing_close(quote: str) -> None:
    assert anchor(ARTICLE, quote) == NotFound(None, 0.0)


def test_fuzzy_prefers_the_earliest_and_uses_context_to_break_ties() -> None:
    text = "one red car, two red cat"
    assert anchor(text, "red cax") == not_found((4, 11, 0.86), (17, 24, 0.86))
    assert anchor(text, "red cax", prefix="two") == not_found((17, 24, 0.86))
    assert anchor(text, "red cax", suffix="cat") == not_found((4, 11, 0.86))


def test_fuzzy_span_never_covers_surrounding_space() -> None:
    text = "alpha  beta gamma"
    # " beta" (one substitution) and "beta" (one deletion) are equally close.
    assert anchor(text, "#beta") == not_found((7, 11, 0.8))


def test_fuzzy_on_a_long_quote() -> None:
    quote = ARTICLE.replace("Thursday", "Wednesday").replace("\u201c", "").replace("\u201d", "")
    result = anchor(ARTICLE, quote)
    assert isinstance(result, NotFound)
    assert best_text(ARTICLE, result) == ARTICLE.rstrip()
    assert result.score == 0.98


# --- properties ----------------------------------------------------------------------

WORDS = ["Kyiv", "Kharkiv", "said", "the", "it\u2019s", "caf\u00e9", "re\u0301gime", "t", "a"]
SEPARATORS = [" ", " ", " ", "  ", "\n", "\u00a0", " \u2014 ", "\u201c", "\u201d ", " \n\t"]


def random_article(rng: random.Random, words: int) -> str:
    """Words joined by assorted white space, dashes and quotes."""
    parts = [rng.choice(WORDS)]
    for _ in range(words - 1):
        parts += [rng.choice(SEPARATORS), rng.choice(WORDS)]
    return "".join(parts)


@pytest.mark.parametrize("seed", range(20))
def test_random_substrings_are_found_at_their_span(seed: int) -> None:
    rng = random.Random(seed)
    text = random_article(rng, 80)
    anchorer = Anchorer(text)
    normalised = normalise(text)
    # Boundaries that do not split a combining accent from its letter.
    cuts = [i for i in range(len(text) + 1) if i == len(text) or text[i] != "\u0301"]
    for _ in range(50):
        start, end = sorted(rng.sample(cuts, 2))
        quote = text[start:end]
        while quote and quote[0].isspace():
            start, quote = start + 1, quote[1:]
        quote = quote.rstrip()
        if not quote.strip():
            continue
        span = Span(start, start + len(quote))
        needle = normalise(quote).strip()
        count = sum(normalised.startswith(needle, i) for i in range(len(normalised)))
        result = anchorer.find(quote)
        if count == 1:
            assert result == Found(span), quote
        else:
            assert isinstance(result, Ambiguous), quote
            assert len(result.spans) == count
            assert span in result.spans
            number = result.spans.index(span) + 1
            assert anchorer.find(quote, occurrence=number) == Found(span)


@pytest.mark.parametrize("seed", range(10))
def test_fuzzy_score_is_the_fewest_edits(seed: int) -> None:
    rng = random.Random(seed)
    # One word, whose ends are too far from any match to snap to (MAX_SNAP).
    text = "e" * 25 + "".join(rng.choice("abcd") for _ in range(300)) + "e" * 25
    for _ in range(30):
        length = rng.randint(1, 40)
        start = rng.randrange(25, 325 - length)
        chars = list(text[start : start + length])
        for _ in range(rng.randint(0, length)):
            chars[rng.randrange(len(chars))] = rng.choice("abcdx")
        quote = "".join(chars)
        result = anchor(text, quote)
        if quote in text:
            assert isinstance(result, Found | Ambiguous)
            continue
        errors = fewest_edits(quote, text)
        assert isinstance(result, NotFound)
        if errors > len(quote) // 2:
            assert result == NotFound(None, 0.0)
        else:
            assert result.score == round(1 - errors / len(quote), 2)
            assert result.best is not None
            assert edit_distance(quote, text[result.best.start : result.best.end]) == errors


@pytest.mark.parametrize("seed", range(10))
def test_fuzzy_passages_are_whole_words_scored_by_their_edits(seed: int) -> None:
    rng = random.Random(seed)
    words = ("".join(rng.choice("abcd") for _ in range(rng.randint(1, 7))) for _ in range(80))
    text = " ".join(words)
    for _ in range(30):
        length = rng.randint(3, 40)
        start = rng.randrange(len(text) - length)
        chars = list(text[start : start + length])
        for _ in range(rng.randint(0, length // 3)):
            chars[rng.randrange(len(chars))] = rng.choice("abcdx")
        quote = "".join(chars).strip()
        result = anchor(text, quote)
        if not quote or normalise(quote) in text or not isinstance(result, NotFound):
            continue
        if result.best is None:
            assert fewest_edits(quote, text) > len(quote) // 2
            continue
        spread = max(1, round(len(quote) * 0.1))
        best = edit_distance(quote, text[result.best.start : result.best.end])
        for candidate in result.candidates:
            a, b = candidate.span.start, candidate.span.end
            assert text[a - 1 : a].strip() == "" and text[b : b + 1].strip() == "", (quote, a, b)
            errors = edit_distance(quote, text[a:b])
            assert candidate.score == round(max(0.0, 1 - errors / len(quote)), 2)
            assert best <= errors <= best + spread


def test_fuzzy_search_in_a_long_article() -> None:
    rng = random.Random(7)
    words = [
        "".join(rng.choice("abcdefghij") for _ in range(rng.randint(1, 8))) for _ in range(40_000)
    ]
    text = " ".join(words)
    assert len(text) > 200_000
    quote = text[100_000:100_060]
    edited = quote[:30] + "X" + quote[31:]
    # The quote begins and ends with parts of words: the passage drops them.
    assert anchor(text, edited) == not_found((100_002, 100_057, 0.9))
