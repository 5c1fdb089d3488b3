"""Glossary terms in article bodies: which mentions match, which are marked, the markup.

Whole words only: a letter or digit right before or after a spelling, even across markup,
means another word. So a plural is not a mention ("NATOs" does not mention NATO) but a
possessive is ("NATO's").
"""

from __future__ import annotations

import pytest

from briefgen.markdown.renderer import Rendered
from tests.test_markdown import glossary, make_renderer, render

GLOSSARY = glossary(
    """\
SCO:
  name: Shanghai Cooperation Organisation
  aliases: [Shanghai Cooperation Organization]
  definition: A Eurasian *security* bloc; see [the charter](https://example.org).
Belt and Road:
  name: Belt and Road Initiative
  aliases: [Belt and Road Initiative, BRI]
  definition: China's infrastructure programme.
NATO:
  name: North Atlantic Treaty Organization
  definition: A military alliance.
zero-COVID:
  definition: China's pandemic policy.
"'no limits' partnership":
  definition: The pact of February 2022.
"""
)

TIPS = {
    "sco": ("Shanghai Cooperation Organisation", "A Eurasian security bloc; see the charter."),
    "belt-and-road": ("Belt and Road Initiative", "China's infrastructure programme."),
    "nato": ("North Atlantic Treaty Organization", "A military alliance."),
    "zero-covid": ("zero-COVID", "China's pandemic policy."),
    "no-limits-partnership": ("'no limits' partnership", "The pact of February 2022."),
}


def term(text: str, number: int, ident: str, name: str = "", tip: str = "") -> str:
    """The markup of the ``number``-th marked term, showing ``text``, for entry ``ident``.

    The tooltip shows ``name`` and ``tip``, by default those of the test glossary.
    """
    if not name:
        name, tip = TIPS[ident]
    return (
        f'<span class="term"><a class="term-link" href="/glossary/#{ident}"'
        f' aria-describedby="tip-{number}">{text}</a>'
        f'<span class="term-tip" role="tooltip" id="tip-{number}" data-pagefind-ignore>'
        f"<strong>{name}</strong> {tip}</span></span>"
    )


def marked(body: str, link: str = "first", sidecar: str = "kind: md\n") -> Rendered:
    """Render ``body`` with the test glossary and the ``link`` policy; check well-formedness."""
    return render(sidecar, body, make_renderer(GLOSSARY, link))


# --- matching ------------------------------------------------------------------------


def test_capitals_match_exactly_that_spelling() -> None:
    rendered = marked("Sco and sco are not it; nor is Moscow. The SCO is.\n")
    assert (
        rendered.html
        == f"<p>Sco and sco are not it; nor is Moscow. The {term('SCO', 1, 'sco')} is.</p>\n"
    )
    assert rendered.mentions == ("SCO",)


def test_plain_spellings_match_in_any_case() -> None:
    rendered = marked("The belt and road plan.\n")
    assert rendered.html == f"<p>The {term('belt and road', 1, 'belt-and-road')} plan.</p>\n"
    assert rendered.terms == ("Belt and Road",)


def test_aliases_and_names_mark_their_term() -> None:
    rendered = marked("The Shanghai Cooperation Organization, or BRI, or bri.\n", link="all")
    assert rendered.html == (
        f"<p>The {term('Shanghai Cooperation Organization', 1, 'sco')},"
        f" or {term('BRI', 2, 'belt-and-road')}, or bri.</p>\n"
    )
    assert rendered.terms == ("SCO", "Belt and Road")


def test_the_longest_match_wins() -> None:
    rendered = marked("The Belt and Road Initiative grew.\n")
    assert rendered.html == (
        f"<p>The {term('Belt and Road Initiative', 1, 'belt-and-road')} grew.</p>\n"
    )


@pytest.mark.parametrize(
    "body",
    ["NATOs", "preNATO", "NATO2", "*NATO*s", "NATO*s*", "the zero-covid rule", "nato"],
)
def test_only_whole_words_in_the_right_case_match(body: str) -> None:
    rendered = marked(body + "\n")
    assert rendered.mentions == ()
    assert "term" not in rendered.html


def test_a_possessive_is_a_mention() -> None:
    rendered = marked("NATO's summit.\n")
    assert rendered.html == f"<p>{term('NATO', 1, 'nato')}'s summit.</p>\n"


def test_quotes_and_dashes_match_after_normalisation() -> None:
    rendered = marked("A \u2018no limits\u2019 partnership and a zero\u2013COVID policy.\n")
    no_limits = term("\u2018no limits\u2019 partnership", 1, "no-limits-partnership")
    zero_covid = term("zero\u2013COVID", 2, "zero-covid")
    assert rendered.html == f"<p>A {no_limits} and a {zero_covid} policy.</p>\n"


def test_a_term_may_span_a_line_break() -> None:
    rendered = marked("The Belt and\nRoad.\n")
    belt = term("Belt and\nRoad", 1, "belt-and-road")
    assert rendered.html == f"<p>The {belt}.</p>\n"


def test_a_term_wrapping_a_whole_emphasis_takes_it_in() -> None:
    rendered = marked("The *SCO* met.\n")
    assert rendered.html == f"<p>The {term('<em>SCO</em>', 1, 'sco')} met.</p>\n"


def test_terms_are_marked_in_plain_text_articles() -> None:
    rendered = marked("The SCO <b>met</b>.\n", sidecar="kind: txt\n")
    assert rendered.html == f"<p>The {term('SCO', 1, 'sco')} &lt;b&gt;met&lt;/b&gt;.</p>\n"


# --- policies --------------------------------------------------------------------------

POLICY_BODY = "SCO and BRI.\n\nSCO again, Belt and Road again.\n"


def test_policy_first_marks_each_terms_first_mention() -> None:
    rendered = marked(POLICY_BODY, link="first")
    assert rendered.html == (
        f"<p>{term('SCO', 1, 'sco')} and {term('BRI', 2, 'belt-and-road')}.</p>\n"
        "<p>SCO again, Belt and Road again.</p>\n"
    )
    assert rendered.terms == ("SCO", "Belt and Road")
    assert rendered.mentions == ("SCO", "Belt and Road")


def test_policy_all_marks_every_mention() -> None:
    rendered = marked(POLICY_BODY, link="all")
    assert rendered.html == (
        f"<p>{term('SCO', 1, 'sco')} and {term('BRI', 2, 'belt-and-road')}.</p>\n"
        f"<p>{term('SCO', 3, 'sco')} again, {term('Belt and Road', 4, 'belt-and-road')}"
        " again.</p>\n"
    )
    assert rendered.terms == ("SCO", "Belt and Road")


def test_policy_none_marks_nothing_but_records_mentions() -> None:
    rendered = marked(POLICY_BODY, link="none")
    assert rendered.html == "<p>SCO and BRI.</p>\n<p>SCO again, Belt and Road again.</p>\n"
    assert rendered.terms == ()
    assert rendered.mentions == ("SCO", "Belt and Road")


def test_an_unknown_policy_is_refused() -> None:
    with pytest.raises(ValueError, match="first, all, none"):
        make_renderer(GLOSSARY, "some")


# --- where terms are never marked -----------------------------------------------------------


def test_never_in_headings_links_code_image_alt_or_phrase_links() -> None:
    sidecar = "links:\n  - {quote: the NATO summit, to: nato-summit}\n"
    body = """\
## SCO news

[SCO](https://example.org) `SCO` ![SCO](map.png) <https://example.org/SCO>
at the NATO summit.

Then the SCO.
"""
    rendered = marked(body, sidecar=sidecar)
    assert rendered.html == (
        "<h2>SCO news</h2>\n"
        '<p><a href="https://example.org">SCO</a> <code>SCO</code> <img src="map.png" alt="SCO" />'
        ' <a href="https://example.org/SCO">https://example.org/SCO</a>\n'
        'at <span class="preview"><a class="xref" href="/nato-summit/" '
        'aria-describedby="preview-1">the NATO summit</a>\x001 nato-summit\x00</span>.</p>\n'
        f"<p>Then the {term('SCO', 1, 'sco')}.</p>\n"
    )
    assert rendered.mentions == ("SCO",)


# --- terms and notes ------------------------------------------------------------------------


NOTE_1 = (
    '<label class="note-num" for="note-toggle-1">1</label>'
    '<input type="checkbox" id="note-toggle-1" class="note-toggle" aria-label="Show note 1">'
    '<span class="sidenote is-inline" id="note-1" role="note"><span class="note-n">1.</span> '
    '<span class="note-p">Note.</span></span>'
)


def test_a_term_inside_a_note_phrase_is_marked() -> None:
    sidecar = "notes:\n  - {quote: at the SCO summit, text: Note.}\n"
    rendered = marked("Putin spoke at the SCO summit.\n", sidecar=sidecar)
    assert rendered.html == (
        f'<p>Putin spoke <mark class="noted" id="ref-1">at the {term("SCO", 1, "sco")}'
        f" summit</mark>{NOTE_1}.</p>\n"
    )


def test_a_term_across_a_note_boundary_is_not_marked() -> None:
    sidecar = "notes:\n  - {quote: the Belt and, text: Note.}\n"
    rendered = marked("It was the Belt and Road Initiative.\n", sidecar=sidecar)
    assert rendered.html == (
        f'<p>It was <mark class="noted" id="ref-1">the Belt and</mark>{NOTE_1}'
        " Road Initiative.</p>\n"
    )
    assert rendered.mentions == ()


def test_a_note_on_exactly_a_term_is_inside_the_term_link() -> None:
    sidecar = "notes:\n  - {quote: SCO, text: Note.}\n"
    rendered = marked("The SCO met.\n", sidecar=sidecar)
    mark = '<mark class="noted" id="ref-1">SCO</mark>'
    assert rendered.html == f"<p>The {term(mark, 1, 'sco')}{NOTE_1} met.</p>\n"


# --- article-local terms -------------------------------------------------------------------


def test_local_terms_override_site_terms_and_add_their_own() -> None:
    sidecar = """\
terms:
  SCO: {name: SCO summit host, definition: "*Local* meaning."}
  Samarkand: {definition: A city in Uzbekistan.}
"""
    rendered = marked("The SCO met in Samarkand, by the BRI.\n", sidecar=sidecar)
    sco = term("SCO", 1, "sco", "SCO summit host", "Local meaning.")
    samarkand = term("Samarkand", 2, "samarkand", "Samarkand", "A city in Uzbekistan.")
    bri = term("BRI", 3, "belt-and-road")
    assert rendered.html == f"<p>The {sco} met in {samarkand}, by the {bri}.</p>\n"
    assert rendered.terms == ("SCO", "Samarkand", "Belt and Road")


def test_a_longer_site_spelling_beats_a_shorter_local_one() -> None:
    sidecar = "terms:\n  Belt: {definition: A strap.}\n"
    rendered = marked("The Belt and Road Initiative.\n", sidecar=sidecar)
    assert rendered.html == (
        f"<p>The {term('Belt and Road Initiative', 1, 'belt-and-road')}.</p>\n"
    )


def test_decomposed_accents_and_invisible_characters_still_match() -> None:
    sidecar = "terms:\n  Caf\u00e9 Pushkin: {definition: A restaurant.}\n"
    rendered = marked("At Cafe\u0301 Pushkin, the S\u00adCO met.\n", sidecar=sidecar)
    cafe = term("Cafe\u0301 Pushkin", 1, "caf-pushkin", "Caf\u00e9 Pushkin", "A restaurant.")
    sco = term("S\u00adCO", 2, "sco")
    assert rendered.html == f"<p>At {cafe}, the {sco} met.</p>\n"
