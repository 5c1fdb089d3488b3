"""Drift: `briefgen lock` records where quotes land; builds and checks warn when the words
around a quote change (LCK001), and only then."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from briefgen.build.pipeline import BuildOptions, State, build, make_files
from briefgen.cli import main
from briefgen.commands.check import check_site
from briefgen.commands.lock import lock_site
from briefgen.markdown.landings import context
from briefgen.serve.devsite import DevSite
from briefgen.source.lockfile import LOCK_FILE, lock_text, parse_lock
from tests.conftest import MakeSite, read_tree

SITE = {
    "content/summit.md": """\
        # Leaders meet

        Xi and Putin met in Samarkand, where Putin said he understood
        the questions and concerns of his Chinese friends.

        Later, India's prime minister told him that this was not an era of war.
        """,
    "content/summit.yaml": """\
        title: Leaders meet
        date: 2022-09-15
        summary: Xi and Putin meet.
        notes:
          - quote: questions and concerns
            text: China abstained at the UN.
            sources: [{title: UN vote, url: "https://example.org/un"}]
        links:
          - {quote: not an era of war, to: delhi}
        """,
    "content/delhi.txt": "Delhi\n\nModi spoke.\n",
    "content/delhi.yaml": "date: 2022-09-16\nsummary: Modi speaks.\n",
}
LOCK = """\
{
  "version": 1,
  "articles": {
    "summit": [
      {"kind": "note", "quote": "questions and concerns", "line": 4, "col": 5, \
"before": "where Putin said he understood the ", "after": " of his Chinese friends."},
      {"kind": "link", "quote": "not an era of war", "to": "delhi", "line": 6, "col": 54, \
"before": "minister told him that this was ", "after": "."}
    ]
  }
}
"""
NOTE_DRIFT = (
    "content/summit.yaml:5:12: warning[LCK001]: context changed around "
    '"questions and concerns" since briefgen.lock: '
    'was "where Putin said he understood the [questions and concerns] of his Chinese friends.", '
    'now "where Putin said he dismissed the [questions and concerns] of his Chinese friends."; '
    "fix: check that the note still fits the new text, edit it if needed, then run briefgen lock"
)


def headlines(site: Path) -> list[str]:
    """What `briefgen check` reports on the site, one line each."""
    return [d.headline() for d in check_site(site, BuildOptions()).diagnostics]


def edit(site: Path, old: str, new: str) -> None:
    """Replace ``old`` with ``new`` in the summit article."""
    path = site / "content/summit.md"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture
def locked(make_site: MakeSite, capsys: pytest.CaptureFixture[str]) -> Path:
    """The site, with its lock written by `briefgen lock`."""
    site = make_site(SITE)
    assert main(["lock", "--site", str(site)]) == 0
    assert capsys.readouterr().out == "briefgen.lock recorded 2 anchors of 1 article\n"
    return site


def test_the_lock_records_each_quote_its_words_and_place(locked: Path) -> None:
    assert (locked / LOCK_FILE).read_text(encoding="utf-8") == LOCK
    lock, problems = parse_lock(LOCK.encode("utf-8"))
    assert problems.diagnostics == [] and lock_text(lock) == LOCK  # read back as written
    assert lock_text({}) == '{\n  "version": 1,\n  "articles": {}\n}\n'


def test_an_unchanged_site_gives_no_warning(
    locked: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert headlines(locked) == []
    assert main(["build", "--site", str(locked), "--strict", "-q"]) == 0
    assert main(["lock", "--site", str(locked)]) == 0
    assert capsys.readouterr().out == "briefgen.lock up to date: 2 anchors of 1 article\n"
    assert (locked / LOCK_FILE).read_text(encoding="utf-8") == LOCK


def test_an_edit_around_a_quote_warns_in_check_and_build(
    locked: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit(locked, "he understood", "he dismissed")
    assert headlines(locked) == [NOTE_DRIFT]
    assert main(["build", "--site", str(locked), "-o", str(tmp_path / "out")]) == 0
    assert NOTE_DRIFT in capsys.readouterr().err
    assert main(["build", "--site", str(locked), "-o", str(tmp_path / "out"), "--strict"]) == 1
    assert main(["lock", "--site", str(locked)]) == 0  # reviewed: record the new words
    assert headlines(locked) == []


def test_a_link_warns_too_and_the_words_after_count(locked: Path) -> None:
    edit(locked, "not an era of war.", "not an era of war, he said.")
    assert headlines(locked) == [
        "content/summit.yaml:9:13: warning[LCK001]: context changed around "
        '"not an era of war" since briefgen.lock: '
        'was "minister told him that this was [not an era of war].", '
        'now "minister told him that this was [not an era of war], he said."; '
        "fix: check that the phrase link still fits the new text, edit it if needed, "
        "then run briefgen lock"
    ]


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("Xi and Putin met in Samarkand", "Xi and Putin met in Uzbekistan"),  # words far off
        ("Later, India's", "Later that day, India's"),  # another paragraph
        ("understood\n", "understood  \t\n"),  # white space only
        ("Chinese friends", "Chinese  friends"),
    ],
)
def test_an_edit_elsewhere_gives_no_warning(locked: Path, old: str, new: str) -> None:
    edit(locked, old, new)
    assert headlines(locked) == []


def test_a_note_the_lock_does_not_know_gives_no_warning(locked: Path) -> None:
    sidecar = locked / "content/summit.yaml"
    text = sidecar.read_text(encoding="utf-8").replace("questions and concerns", "concerns")
    sidecar.write_text(text, encoding="utf-8")
    edit(locked, "he understood", "he dismissed")
    assert headlines(locked) == []


def test_a_cached_build_warns_as_a_cold_one_and_writes_the_same_bytes(
    locked: Path, tmp_path: Path
) -> None:
    edit(locked, "he understood", "he dismissed")
    cold = build(locked, tmp_path / "cold", BuildOptions(cache=False))
    first = build(locked, tmp_path / "first", BuildOptions(jobs=1))
    warm = build(locked, tmp_path / "warm", BuildOptions(jobs=2))
    assert [w.headline() for w in warm.warnings] == [NOTE_DRIFT]
    assert warm.warnings == first.warnings == cold.warnings
    assert read_tree(tmp_path / "warm") == read_tree(tmp_path / "cold")
    (locked / LOCK_FILE).write_text(LOCK.replace("understood", "dismissed"), encoding="utf-8")
    assert build(locked, tmp_path / "relocked", BuildOptions()).warnings == ()  # the lock counts


def test_serve_warns_after_an_edit_and_stops_once_locked(locked: Path) -> None:
    dev = DevSite(locked, BuildOptions())
    log: list[str] = []
    dev.rebuild([], log.append)
    assert not any("LCK001" in line for line in log)
    edit(locked, "he understood", "he dismissed")
    dev.rebuild([locked / "content/summit.md"], log.append)
    assert log[-2].split("\n")[0] == NOTE_DRIFT
    lock_site(locked, BuildOptions())
    log.clear()
    dev.rebuild([locked / LOCK_FILE], log.append)
    assert len(log) == 1 and log[0].startswith("rebuilt ")


def test_a_draft_is_recorded_with_drafts_and_kept_without(
    make_site: MakeSite, capsys: pytest.CaptureFixture[str]
) -> None:
    site = make_site(SITE)
    sidecar = site / "content/summit.yaml"
    sidecar.write_text(sidecar.read_text(encoding="utf-8") + "draft: true\n", encoding="utf-8")
    assert main(["lock", "--site", str(site), "-q"]) == 0
    assert json.loads((site / LOCK_FILE).read_text(encoding="utf-8"))["articles"] == {}
    assert main(["lock", "--site", str(site), "--drafts", "-q"]) == 0
    assert (site / LOCK_FILE).read_text(encoding="utf-8") == LOCK
    assert main(["lock", "--site", str(site)]) == 0
    assert capsys.readouterr().out == "briefgen.lock up to date: 2 anchors of 1 article\n"
    assert (site / LOCK_FILE).read_text(encoding="utf-8") == LOCK
    edit(site, "he understood", "he dismissed")
    assert headlines(site) == []  # a draft is not checked...
    assert [d.code for d in check_site(site, BuildOptions(drafts=True)).diagnostics] == [
        "LCK001"
    ]  # ...unless the check takes drafts in
    (site / "content/summit.md").unlink()
    (site / "content/summit.yaml").unlink()
    assert main(["lock", "--site", str(site), "-q"]) == 0  # a gone article is let go
    assert json.loads((site / LOCK_FILE).read_text(encoding="utf-8"))["articles"] == {}


def test_a_site_with_errors_is_not_recorded(
    make_site: MakeSite, capsys: pytest.CaptureFixture[str]
) -> None:
    site = make_site({**SITE, "content/delhi.yaml": "date: 2022-09-16\nrelated: [nowhere]\n"})
    assert main(["lock", "--site", str(site)]) == 1
    assert not (site / LOCK_FILE).exists()
    err = capsys.readouterr().err
    assert err.startswith("content/delhi.yaml:2:11: error[LNK002]: ")
    assert err.endswith("\nbriefgen.lock not written: fix the errors first\n")


def test_a_lock_that_cannot_be_read_is_a_warning(locked: Path) -> None:
    conflict = LOCK.replace('  "articles"', '<<<<<<< HEAD\n  "articles"')
    (locked / LOCK_FILE).write_text(conflict, encoding="utf-8")
    edit(locked, "he understood", "he dismissed")
    assert headlines(locked) == [
        "briefgen.lock:3:1: warning[LCK002]: briefgen.lock cannot be read: it is not JSON "
        "(Expecting property name enclosed in double quotes); no drift is checked; fix: run "
        "`briefgen lock` to write it again (after resolving any merge conflict in it)"
    ]
    (locked / LOCK_FILE).write_text('{"version": 2, "articles": {}}\n', encoding="utf-8")
    assert [d.code for d in check_site(locked, BuildOptions()).diagnostics] == ["LCK002"]
    assert main(["lock", "--site", str(locked), "-q"]) == 0
    assert (locked / LOCK_FILE).read_text(encoding="utf-8") == LOCK.replace(
        "understood", "dismissed"
    )


def test_the_build_writes_nothing_beside_its_output(locked: Path, tmp_path: Path) -> None:
    (locked / LOCK_FILE).unlink()
    before = read_tree(locked)
    result = make_files(locked, BuildOptions(), State())
    build(locked, tmp_path / "out", BuildOptions(cache=False))
    assert read_tree(locked) == before
    assert sorted(result.lock) == ["delhi", "summit"]


@pytest.mark.parametrize(
    ("text", "quote", "expected"),
    [
        # six words at most on each side, white space collapsed, a space beside the phrase kept
        ("one two three four five six seven QUOTE eight, nine ten  eleven\ntwelve thirteen",
         "QUOTE", ("two three four five six seven ", " eight, nine ten eleven twelve thirteen")),
        ("QUOTE at the start", "QUOTE", ("", " at the start")),
        ("at the end: QUOTE", "QUOTE", ("at the end: ", "")),
        ("(QUOTE), in brackets", "QUOTE", ("(", "), in brackets")),
        ("half a wordQUOTEand more", "QUOTE", ("half a word", "and more")),
        ("QUOTE", "QUOTE", ("", "")),
    ],
)  # fmt: skip
def test_the_context_is_the_words_around_the_phrase(
    text: str, quote: str, expected: tuple[str, str]
) -> None:
    start = text.index(quote)
    assert context(text, start, start + len(quote), 0, len(text)) == expected


def test_the_context_stays_within_its_block() -> None:
    text = "First block ends here. Second block has QUOTE in it. Third block."
    start, block = text.index("QUOTE"), (23, 52)
    assert context(text, start, start + 5, *block) == ("Second block has ", " in it.")
