"""Which sidenotes the build leaves in the margin: crowding, distance, the end of the text."""

from __future__ import annotations

from briefgen.markdown.notelayout import LIMIT, NoteSpot, inline_notes

LONG = 2000  # characters: a paragraph of about 28 lines


def test_sparse_notes_stay_in_the_margin() -> None:
    blocks = [LONG] * 4
    notes = [NoteSpot(block, 10, 200) for block in range(4)]
    assert inline_notes(blocks, notes) == frozenset()


def test_crowded_notes_go_inline_once_they_drift_too_far() -> None:
    notes = [NoteSpot(0, 10 + n, 600) for n in range(8)]  # eight long notes on one line
    inline = inline_notes([LONG] * 3, notes)
    assert 0 not in inline  # the first fits beside its line
    assert len(inline) >= 4  # the others would stack ever further below it
    assert LIMIT < 900  # well under one screen


def test_a_note_never_runs_past_the_end_of_the_text() -> None:
    assert inline_notes([100], [NoteSpot(0, 50, 800)]) == frozenset({0})
    assert inline_notes([LONG], [NoteSpot(0, 50, 800)]) == frozenset()
