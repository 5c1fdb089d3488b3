"""Scale: glossaries of 100,000 terms and articles of 10 MB, guarded by counting work.

Nothing here is timed: the work a stage does is counted (occurrences the glossary
matcher checks, renders of a brief), so that a change that makes it grow with the
glossary or the site fails here whatever the machine. Timing lives in bench/.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from briefgen.build.pipeline import BuildOptions, build
from briefgen.errors import Location
from briefgen.model import Term
from briefgen.text.glossary import TermMatcher, find_mentions
from tests.conftest import write_tree
from tests.test_markdown import make_renderer, render

TEXT = (
    "The Belt and Road Initiative met NATO's envoys in Samarkand, where the SCO summit "
    "host spoke. NATOs are not NATO; belt and roads are not Belt and Road. "
)


def synthetic_terms(count: int) -> list[Term]:
    """``count`` terms that never occur in TEXT, after the few that do."""
    where = Location("content/glossary.yaml", 1, 1)
    found = [
        Term("Belt and Road", "Belt and Road Initiative", "A programme.", where,
             aliases=("Belt and Road Initiative",)),
        Term("NATO", "", "An alliance.", where),
        Term("Samarkand", "", "A city.", where),
        Term("SCO summit", "", "A meeting.", where),
    ]  # fmt: skip
    unused = [Term(f"Zq{n:06d} accord", "", "Never mentioned.", where) for n in range(count)]
    return found + unused


def mentions(matcher: TermMatcher, text: str) -> tuple[list[tuple[int, int, str]], Counter[str]]:
    """The mentions in ``text`` and the work done to find them."""
    work: Counter[str] = Counter()
    folded, _ = matcher.fold(text)
    found = find_mentions(folded, [(0, len(folded))], matcher, work=work)
    return [(m.start, m.end, m.spelling.term.key) for m in found], work


def test_a_glossary_of_100000_terms_finds_the_same_mentions_with_the_same_work() -> None:
    small, large = TermMatcher(synthetic_terms(10)), TermMatcher(synthetic_terms(100_000))
    spots = [  # (the text before the mention, the mention, its term)
        ("The ", "Belt and Road Initiative", "Belt and Road"), ("met ", "NATO", "NATO"),
        ("in ", "Samarkand", "Samarkand"), ("the ", "SCO summit", "SCO summit"),
        ("not ", "NATO", "NATO"), ("not ", "Belt and Road", "Belt and Road"),
    ]  # fmt: skip
    expected = [
        (
            TEXT.index(before + words) + len(before),
            TEXT.index(before + words) + len(before + words),
            key,
        )
        for before, words, key in spots
    ]
    found_small, work_small = mentions(small, TEXT * 3)
    found_large, work_large = mentions(large, TEXT * 3)
    assert found_small[:6] == expected
    assert found_large == found_small
    # the automaton checks only what occurs: the 99,990 other terms cost no step
    assert work_large == work_small
    assert work_small["occurrences"] <= 3 * 10


def test_matching_work_grows_with_the_text_not_with_its_square() -> None:
    matcher = TermMatcher(synthetic_terms(1_000))
    _, once = mentions(matcher, TEXT * 100)
    _, many = mentions(matcher, TEXT * 1_000)
    assert many["occurrences"] == 10 * once["occurrences"]


def test_an_article_renders_with_a_glossary_of_100000_terms() -> None:
    renderer = make_renderer(tuple(synthetic_terms(100_000)))
    rendered = render("kind: md\n", TEXT, renderer)
    assert rendered.terms == ("Belt and Road", "NATO", "Samarkand", "SCO summit")
    assert rendered.mentions == rendered.terms


def test_an_article_of_10_mb_builds_with_every_mark(tmp_path: Path) -> None:
    paragraph = (
        "Delegates of the SCO met again in Samarkand today, and the envoys said the "
        "talks would go on through the winter while the markets watched closely. "
    ) * 4
    count = 10 * 2**20 // (len(paragraph) + 2) + 1
    body = "# A long record\n\n" + "\n\n".join(f"{paragraph}Day {n}." for n in range(count))
    assert len(body) > 10 * 2**20
    site = write_tree(tmp_path / "site", {
        "site.yaml": "title: T\nbase_url: https://example.org/\n",
        "content/glossary.yaml": "SCO: A Eurasian security organisation.\n",
        "content/record.md": body,
        "content/record.yaml": (
            "date: 2022-09-15\n"
            f"notes: [{{quote: 'Day {count - 1}.', text: The last day.}}]\n"
        ),
    })  # fmt: skip
    result = build(site, tmp_path / "out", BuildOptions(cache=False, jobs=1))
    assert (result.counts.notes, result.counts.terms) == (1, 1)
    page = (tmp_path / "out/record/index.html").read_text(encoding="utf-8")
    assert page.count(f"Day {count - 1}.</mark>") == 1  # the note anchored on the last line
    assert page.count('class="term"') == 1  # the term is marked once, at its first mention
    assert page.count("Samarkand today") == 4 * count
