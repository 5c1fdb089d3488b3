"""Setting values in a YAML file's text: the new values load back exactly, the rest stays."""

from __future__ import annotations

import codecs

import pytest
import yaml

from briefgen.source.yamledit import Change, set_values
from briefgen.source.yamlio import load_yaml

AWKWARD = [
    "plain words",
    "a: b",
    "trailing:",
    "say \"hi\" and 'bye'",
    "it's",
    "#1 rank",
    "rank #1",
    "- a dash",
    "-5",
    "? question",
    "caf\u00e9 \u00fcber \u5317\u4eac \U0001f600",
    "{braces}",
    "[brackets], commas",
    "null",
    "~",
    "yes",
    "1:30",
    "012",
    "2022-09-15",
    "@at",
    "`tick",
    "%percent",
    "&anchor",
    "*alias",
    "!tag",
    "|pipe",
    ">fold",
    "back\\slash",
    "tab\there",
    "zero\u200bwidth",
    " leading space",
    "trailing space ",
]
# The same entry, its quote in each style a sidecar may use.
STYLES = {
    "plain": "notes:\n  - quote: old words  # comment\n    text: T.\n",
    "single": "notes:\n  - quote: 'old words'  # comment\n    text: T.\n",
    "double": 'notes:\n  - quote: "old words"  # comment\n    text: T.\n',
    "literal": "notes:\n  - quote: |\n      old words\n    # comment\n    text: T.\n",
    "folded": "notes:\n  - quote: >-\n      old\n      words\n\n    text: T.\n  # comment\n",
    "flow": "notes:\n  - {quote: old words, text: T.}  # comment\n",
    "multi-line": "notes:\n  - quote: old\n      words\n    text: T.  # comment\n",
}


def loads(data: bytes) -> object:
    """What briefgen reads from a file's bytes."""
    doc, problems = load_yaml("s.yaml", data.decode("utf-8-sig").replace("\r\n", "\n"))
    assert doc is not None and not problems, problems
    return doc.data


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("value", AWKWARD)
def test_a_new_value_loads_back_exactly_and_the_comment_stays(style: str, value: str) -> None:
    text = STYLES[style]
    col = text.index("quote: ") - text.rindex("\n", 0, text.index("quote: ")) - 1 + 8
    new = set_values("s.yaml", text.encode(), [Change(2, col, (("quote", value),))])
    assert isinstance(new, bytes), new
    assert loads(new) == {"notes": [{"quote": value, "text": "T."}]}
    assert b"# comment" in new
    assert yaml.safe_load(new)["notes"][0]["quote"] == value  # any YAML reader agrees


@pytest.mark.parametrize(
    ("style", "expected"),
    [
        ("plain", "  - quote: new words  # comment\n"),
        ("single", "  - quote: 'new words'  # comment\n"),
        ("double", '  - quote: "new words"  # comment\n'),
    ],
)
def test_the_quoting_style_is_kept(style: str, expected: str) -> None:
    new = set_values("s.yaml", STYLES[style].encode(), [Change(2, 12, (("quote", "new words"),))])
    assert new == STYLES[style].replace(STYLES[style].splitlines()[1] + "\n", expected).encode()


def test_a_value_that_needs_quotes_gets_them_only_then() -> None:
    text = STYLES["plain"].encode()
    assert set_values("s.yaml", text, [Change(2, 12, (("quote", "new: words"),))]) == (
        b'notes:\n  - quote: "new: words"  # comment\n    text: T.\n'
    )
    single = STYLES["single"].encode()
    assert set_values("s.yaml", single, [Change(2, 12, (("quote", "it's: here"),))]) == (
        b"notes:\n  - quote: 'it''s: here'  # comment\n    text: T.\n"
    )
    flow = STYLES["flow"].encode()
    assert set_values("s.yaml", flow, [Change(2, 13, (("quote", "a, b"),))]) == (
        b'notes:\n  - {quote: "a, b", text: T.}  # comment\n'
    )


def test_line_endings_and_the_byte_order_mark_are_kept() -> None:
    text = codecs.BOM_UTF8 + b"# c\r\nnotes:\r\n  - quote: old\r\n    text: T.\r\n"
    changes = [Change(3, 12, (("quote", "caf\u00e9"), ("text", "U: V")))]
    assert set_values("s.yaml", text, changes) == (
        codecs.BOM_UTF8 + '# c\r\nnotes:\r\n  - quote: caf\u00e9\r\n    text: "U: V"\r\n'.encode()
    )
    last = b"quote: old"  # no line break at the end
    assert set_values("s.yaml", last, [Change(1, 8, (("quote", "new"),))]) == b"quote: new"


def test_what_cannot_be_edited_is_refused_with_the_reason() -> None:
    text = b"notes:\n  - quote: old\n    text: T.\n"
    assert set_values("s.yaml", text, [Change(1, 1, (("quote", "x"),))]) == (
        "1:1 is no value of a mapping"
    )
    assert set_values("s.yaml", b"a: [\n", [Change(1, 4, (("a", "x"),))]) == (
        "it has YAML problems"
    )
    listed = b"notes:\n  - quote: [a, b]\n    text: T.\n"
    assert set_values("s.yaml", listed, [Change(2, 12, (("quote", "x"),))]) == (
        "the value of 'quote' is not text"
    )
    assert set_values("s.yaml", text, [Change(2, 12, (("prefix", "x"),))]) == (
        "there is no 'prefix' to change"
    )
