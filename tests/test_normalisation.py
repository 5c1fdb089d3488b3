"""The fast forms of normalisation agree exactly with the character-by-character map."""

from __future__ import annotations

import random

import pytest

from briefgen.text.normalise import normalise_mapped, normalise_with_origins, normalised

ALPHABET = "ab  \n\t\u00a0\u200b\u00ad’“—e\u0301é"


@pytest.mark.parametrize("seed", range(4))
def test_origins_and_text_match_the_full_map(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(2000):
        text = "".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 30)))
        full, starts, ends = normalise_mapped(text)
        fast, start_of, end_of = normalise_with_origins(text)
        assert fast == full == normalised(text), repr(text)
        assert [(start_of(i), end_of(i)) for i in range(len(fast))] == list(
            zip(starts, ends, strict=True)
        ), repr(text)


def test_gaps_shift_what_follows() -> None:
    text = "a\u200b b \n\n c\u00add"
    fast, start_of, end_of = normalise_with_origins(text)
    assert fast == "a b cd"
    assert [start_of(i) for i in range(len(fast))] == [0, 2, 3, 4, 8, 10]
    assert end_of(5) == 11
