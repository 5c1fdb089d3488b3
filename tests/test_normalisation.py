"""The fast form of normalisation agrees exactly with the character-by-character map."""

from __future__ import annotations

import random

import pytest

from briefgen.text.glossary import TermMatcher
from briefgen.text.normalise import _CHANGING_GAP, _map_by_character, normalise, normalise_mapped

ALPHABET = "ab  \n\t\u00a0\u200b\u00ad’“—e\u0301é"


@pytest.mark.parametrize("seed", range(4))
def test_origins_and_text_match_the_full_map(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(2000):
        text = "".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 30)))
        full, starts, ends = _map_by_character(text)
        mapped = normalise_mapped(text)
        fast, start_of, end_of = mapped.text, mapped.start_of, mapped.end_of
        assert fast == full == normalise(text), repr(text)
        assert [(start_of(i), end_of(i)) for i in range(len(fast))] == list(
            zip(starts, ends, strict=True)
        ), repr(text)


def test_gaps_shift_what_follows() -> None:
    text = "a\u200b b \n\n c\u00add"
    mapped = normalise_mapped(text)
    fast, start_of, end_of = mapped.text, mapped.start_of, mapped.end_of
    assert fast == "a b cd"
    assert [start_of(i) for i in range(len(fast))] == [0, 2, 3, 4, 8, 10]
    assert end_of(5) == 11


def reference_gaps(text: str) -> list[tuple[int, int]]:
    """Every run of white space and invisible characters but a lone space, by hand."""
    gaps, start = [], None
    for i, ch in enumerate([*text, "x"]):
        if ch.isspace() or ch in "\u00ad\u200b\u2060\ufeff":
            start = i if start is None else start
        elif start is not None:
            if text[start:i] != " ":
                gaps.append((start, i))
            start = None
    return gaps


@pytest.mark.parametrize("seed", range(4))
def test_the_gaps_that_change_anything_are_every_run_but_a_lone_space(seed: int) -> None:
    rng = random.Random(seed)
    alphabet = ["a", "b", " ", " ", "\n", "\t", "\x1c", "\x85", "\u00a0", "\u2009", "\u3000"]
    alphabet += ["\u00ad", "\u200b", "\u2060", "\ufeff"]
    for _ in range(5000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 16)))
        assert [m.span() for m in _CHANGING_GAP.finditer(text)] == reference_gaps(text), repr(text)


def test_a_matcher_folds_ascii_text_as_each_character_normalises() -> None:
    matcher = TermMatcher(())
    every = "".join(map(chr, range(128)))
    folded, where = matcher.fold(every + " `quoted`\tand\r\nbroken\x1c")
    assert where is None
    assert folded == "".join(normalise(ch) for ch in every) + " 'quoted' and  broken "
    assert matcher.fold("curly ’ and ` straight")[0] == "curly ' and ' straight"
