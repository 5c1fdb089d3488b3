"""How diagnostics print: nothing from the site can spoof a terminal or a CI log."""

from __future__ import annotations

import pytest

from briefgen.errors import BuildFailed, Diagnostic, Location, printable


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("plain text, Россия, 中国, الصين", "plain text, Россия, 中国, الصين"),
        ("\x1b[2J\x1b[31mred", "\\x1b[2J\\x1b[31mred"),
        ("evil\u202egnp.md", "evil\\u202egnp.md"),
        ("a\u2066b\u2069c\u200fd\u061ce", "a\\u2066b\\u2069c\\u200fd\\u061ce"),
        ("line\nbreak\rand\u2028more", "line\\x0abreak\\x0dand\\u2028more"),
        ("nul\x00del\x7fc1\x85", "nul\\x00del\\x7fc1\\x85"),
        ("soft\xadhyphen zero\u200bwidth \ufeffbom", "soft\\xadhyphen zero\\u200bwidth \\ufeffbom"),
        ("tab\there", "tab\\x09here"),
        ("emoji 👩\u200d💻, ZWNJ in می\u200cخواهم", "emoji 👩\u200d💻, ZWNJ in می\u200cخواهم"),
    ],
)
def test_printable_escapes_what_could_spoof_a_terminal(text: str, shown: str) -> None:
    assert printable(text) == shown


def test_every_part_of_a_diagnostic_is_escaped() -> None:
    diagnostic = Diagnostic(
        Location("content/a\u202egnp.md", 2, 9),
        "LNK001",
        "link to unknown article 'b\x1b[2Jb'",
        "check the slug \u2066here\u2069",
        '    to: "b\x1b[2J\u202eb"',
    )
    assert diagnostic.format().splitlines() == [
        "content/a\\u202egnp.md:2:9: error[LNK001]: link to unknown article 'b\\x1b[2Jb'; "
        "fix: check the slug \\u2066here\\u2069",
        ' 2 |     to: "b\\x1b[2J\\u202eb"',
        "   |         ^",
    ]


def test_the_caret_stands_under_the_column_on_a_terminal() -> None:
    def caret(line: str, col: int) -> str:
        return Diagnostic(Location("x", 1, col), "X", "m", "", line).format().splitlines()[2]

    assert caret("中国 summit", 4) == "   |      ^"  # two wide characters, a space
    assert caret("\ttab", 2) == "   | \t^"  # a tab stays a tab
    assert caret("\x1bX", 2) == "   |     ^"  # after \x1b, shown as four characters
    assert caret("e\u0301t\u00e9", 3) == "   |  ^"  # a combining accent takes no column


def test_one_problem_met_twice_is_reported_once() -> None:
    one = Diagnostic(Location("content", 0, 0), "CNT007", "content is a link")
    other = Diagnostic(Location("static/x", 0, 0), "CNT007", "static/x is a link")
    failed = BuildFailed([one, other, one])
    assert failed.diagnostics == [one, other]
    assert failed.report().endswith("Found 2 problems.")
