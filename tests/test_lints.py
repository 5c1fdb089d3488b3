"""Lints: warnings that fail a build or a check only with --strict.

Capitalised acronyms the glossary lacks (TRM006), glossary terms no article uses
(TRM005), notes without sources (SC008), articles without a summary (SC006), phrase
links whose phrase occurs again unlinked (LNK004).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from briefgen.build.pipeline import BuildOptions, build
from briefgen.errors import BuildFailed
from briefgen.markdown.lints import acronyms
from tests.conftest import MakeSite

SITE = {
    "content/glossary.yaml": """\
        NATO: {definition: An alliance.}
        SCO: {definition: A security organisation, aliases: [SCO summit]}
        Kremlin: {definition: Unused.}
        """,
    "content/a.md": """\
        # NATO and the SCO

        The SCO met NATO; the NSC and the NSC staff watched, with the UN. World War II,
        Louis XIV.

        THE SUMMIT ENDS IN ACCORD

        `HTTP` in code is no acronym, nor ![a GIF](x.png) in an image.

        Xi met Putin. Later, Xi left.
        """,
    "content/a.yaml": """\
        date: 2022-09-15
        notes:
          - quote: Putin
            text: The Russian president.
          - quote: Later
            text: Sourced.
            sources: [https://example.org/]
        links:
          - {quote: Xi, occurrence: 1, to: b}
        terms:
          UN: {definition: The United Nations.}
        """,
    "content/b.txt": "B\n\nText.\n",
    "content/b.yaml": "date: 2022-09-14\nsummary: B.\n",
}


def test_each_lint_is_a_located_warning(make_site: MakeSite, tmp_path: Path) -> None:
    result = build(make_site(SITE), tmp_path / "out", BuildOptions())
    assert [w.headline() for w in result.warnings] == [
        "content/a.md:3:23: warning[TRM006]: 'NSC' is not in the glossary; "
        "fix: add it to the glossary (or to the sidecar's terms:) as a term or an alias",
        "content/a.yaml:1:1: warning[SC006]: a has no summary; "
        "fix: add 'summary: ...': the front page, feed and search show it",
        'content/a.yaml:3:12: warning[SC008]: the note on "Putin" has no sources; '
        "fix: add 'sources:' with the title and url of where its facts come from",
        'content/a.yaml:9:13: warning[LNK004]: the phrase "Xi" also occurs at '
        "content/a.md:10:22, not linked; "
        "fix: link it there too (a link with occurrence: N), or choose a phrase said once",
        "content/glossary.yaml:3:1: warning[TRM005]: term 'Kremlin' is not mentioned in any "
        "article; fix: remove it, or add an alias that the articles use",
    ]
    with pytest.raises(BuildFailed):
        build(make_site(SITE), tmp_path / "out", BuildOptions(strict=True))


def test_a_phrase_linked_at_each_occurrence_is_no_lint(make_site: MakeSite, tmp_path: Path) -> None:
    sidecar = SITE["content/a.yaml"].replace(
        "  - {quote: Xi, occurrence: 1, to: b}",
        "  - {quote: Xi, occurrence: 1, to: b}\n          - {quote: Xi, occurrence: 2, to: b}",
    )
    result = build(make_site({**SITE, "content/a.yaml": sidecar}), tmp_path / "out", BuildOptions())
    assert "LNK004" not in {w.code for w in result.warnings}


def test_an_acronym_at_a_line_break_is_found(make_site: MakeSite, tmp_path: Path) -> None:
    body = "# A\n\nThe NSC\nsaid so; the\nUN\\\nagreed.\n"
    site = {"content/a.md": body, "content/a.yaml": "date: 2022-09-15\nsummary: A.\n"}
    result = build(make_site(site), tmp_path / "out", BuildOptions())
    assert [w.headline().split(";")[0] for w in result.warnings] == [
        "content/a.md:3:5: warning[TRM006]: 'NSC' is not in the glossary",
        "content/a.md:5:1: warning[TRM006]: 'UN' is not in the glossary",
    ]


@pytest.mark.parametrize(
    ("blocks", "expected"),
    [
        (["The NSC and the UN met the NSC."], ["NSC", "UN"]),
        (["World War II and Louis XIV, and CD sales."], ["CD"]),
        (["THE SUMMIT ENDS IN ACCORD", "But the EU agreed."], ["EU"]),
        (["A", "US"], ["US"]),  # a block of one or two words is not shouted
        (["НАТО и ООН встретились в Женеве", "Ἀθῆναι"], ["НАТО", "ООН"]),  # every script
        (["COVID-19 and G7 and e.g. U.S."], ["COVID"]),
    ],
)
def test_what_an_acronym_is(blocks: list[str], expected: list[str]) -> None:
    assert acronyms(blocks) == expected
