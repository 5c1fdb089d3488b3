"""`briefgen check --fix`: drifted quotes repaired in the sidecars' text, comments kept.

A site is annotated, then its articles are edited so that quotes drift; `--fix` prints
the repairs as a diff and changes nothing, `--fix --write` makes them, and the site
checks clean again with every other byte of its sidecars as it was.
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path

import pytest

from briefgen.cli import main
from tests.conftest import SITE_YAML, read_tree, write_tree

SUMMIT_MD = """\
# Putin meets Xi

Putin said China had "questions and concerns" over the war in Ukraine.

Xi Jinping met Putin in Samarkand on Thursday. Xi spoke first; then Putin spoke.

The summit ended with a joint statement on trade.
"""
# The same article after an editor's pass: each quote below has drifted.
SUMMIT_MD_EDITED = """\
# Putin meets Xi

Putin said China has "questions and concerns" about the war in Ukraine.

Xi Jinping met Putin in Samarkand last Thursday. Xi spoke first; then Putin spoke.

The summit ends with a joint statement on trade.
"""
SUMMIT_YAML = """\
# The summit briefing: every comment, blank line and key order here must survive.
title: Putin meets Xi
date: 2022-09-15
summary: The leaders met.   # kept short

notes:
  # China's position, quoted in single quotes
  - quote: 'China had "questions and concerns"'
    text: China abstained on UN votes.
    sources: [https://example.org/un]

  - quote: "the war in Ukraine"     # double-quoted, with a prefix
    prefix: concerns" over
    text: The war began in 2022.
    sources: [https://example.org/war]
  - quote: >-
      Putin in Samarkand on Thursday
    text: The SCO summit.
    sources: [https://example.org/sco]
  - quote: Putin spoke
    occurrence: 1
    text: He spoke second.
    sources: [https://example.org/second]
links:
  - {quote: The summit ended with a joint statement on trade, to: kharkiv}  # flow
"""
# The repaired sidecar: only the lines of quotes and prefixes differ.
SUMMIT_YAML_FIXED = """\
# The summit briefing: every comment, blank line and key order here must survive.
title: Putin meets Xi
date: 2022-09-15
summary: The leaders met.   # kept short

notes:
  # China's position, quoted in single quotes
  - quote: 'China has "questions and concerns"'
    text: China abstained on UN votes.
    sources: [https://example.org/un]

  - quote: "the war in Ukraine"     # double-quoted, with a prefix
    prefix: concerns" about
    text: The war began in 2022.
    sources: [https://example.org/war]
  - quote: Putin in Samarkand last Thursday
    text: The SCO summit.
    sources: [https://example.org/sco]
  - quote: Putin spoke
    occurrence: 1
    text: He spoke second.
    sources: [https://example.org/second]
links:
  - {quote: The summit ends with a joint statement on trade, to: kharkiv}  # flow
"""
KHARKIV_TXT = """\
Kharkiv counteroffensive

Ukrainian forces recaptured Balakliia and Izium in early September.

By then the front line moved east, said one officer.
"""
KHARKIV_TXT_EDITED = """\
Kharkiv counteroffensive

Ukrainian forces recaptured Balakliïa and Izium in early September.

By then the front line: moved east, said one officer.
"""
KHARKIV_YAML = """\
date: 2022-09-20
summary: Ukraine advanced.
notes:
  - quote: recaptured Balakliia and Izium   # a plain text article
    text: Two towns on the supply line.
    sources: [https://example.org/izium]
  - quote: the front line moved east
    suffix: ', said'
    text: Towards Lyman.
    sources: [https://example.org/lyman]
links:
  - quote: in early September
    to: summit
"""
KHARKIV_YAML_FIXED = """\
date: 2022-09-20
summary: Ukraine advanced.
notes:
  - quote: recaptured Balakliïa and Izium   # a plain text article
    text: Two towns on the supply line.
    sources: [https://example.org/izium]
  - quote: "the front line: moved east"
    suffix: ', said'
    text: Towards Lyman.
    sources: [https://example.org/lyman]
links:
  - quote: in early September
    to: summit
"""
SITE = {
    "site.yaml": SITE_YAML,
    "content/summit.md": SUMMIT_MD,
    "content/summit.yaml": SUMMIT_YAML,
    "content/kharkiv.txt": KHARKIV_TXT,
    "content/kharkiv.yaml": KHARKIV_YAML,
}
DRIFT = {"content/summit.md": SUMMIT_MD_EDITED, "content/kharkiv.txt": KHARKIV_TXT_EDITED}


def run(site: Path, *args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """Run `briefgen check` on ``site``: exit code, standard output, standard error."""
    code = main(["check", "--site", str(site), *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def drifted(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """The annotated site, checked clean, then its articles edited so that quotes drift."""
    site = write_tree(tmp_path / "site", SITE)
    assert run(site, "--strict", capsys=capsys) == (0, "0 errors, 0 warnings\n", "")
    return write_tree(site, DRIFT)


def test_fix_write_repairs_a_drifted_site_and_keeps_every_other_byte(
    drifted: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = read_tree(drifted)
    code, out, err = run(drifted, "--fix", "--write", capsys=capsys)
    assert (code, out) == (0, "0 errors, 0 warnings\n")
    assert err == (
        "content/kharkiv.yaml: info[FIX101]: repaired 2 quotes at lines 4 and 7\n"
        "content/summit.yaml: info[FIX101]: repaired 4 quotes at lines 8, 12, 16 and 25\n"
    )
    after = read_tree(drifted)
    assert after["content/summit.yaml"].decode() == SUMMIT_YAML_FIXED
    assert after["content/kharkiv.yaml"].decode() == KHARKIV_YAML_FIXED
    fixed = {"content/summit.yaml", "content/kharkiv.yaml"}
    assert {k: v for k, v in after.items() if k not in fixed} == {
        k: v for k, v in before.items() if k not in fixed
    }
    assert run(drifted, "--strict", capsys=capsys) == (0, "0 errors, 0 warnings\n", "")
    # Only the lines of quotes and prefixes changed (a block scalar's lines became one).
    for name in fixed:
        old, new = before[name].decode().splitlines(), after[name].decode().splitlines()
        changed = [
            line
            for line in difflib.unified_diff(old, new, n=0, lineterm="")
            if line.startswith(("-", "+")) and not line.startswith(("---", "+++"))
        ]
        block = "-      Putin in Samarkand on Thursday"
        assert all(
            line[1:].lstrip(" -{").startswith(("quote:", "prefix:")) or line == block
            for line in changed
        ), changed


def test_fix_prints_the_repairs_as_a_diff_and_changes_nothing(
    drifted: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = sorted(p for p in drifted.rglob("*") if p.is_file())
    stats = {p: (p.read_bytes(), os.stat(p).st_mtime_ns) for p in files}
    code, out, err = run(drifted, "--fix", capsys=capsys)
    assert code == 1
    assert out == (
        "--- a/content/kharkiv.yaml\n"
        "+++ b/content/kharkiv.yaml\n"
        "@@ -1,10 +1,10 @@\n"
        " date: 2022-09-20\n"
        " summary: Ukraine advanced.\n"
        " notes:\n"
        "-  - quote: recaptured Balakliia and Izium   # a plain text article\n"
        "+  - quote: recaptured Balakliïa and Izium   # a plain text article\n"
        "     text: Two towns on the supply line.\n"
        "     sources: [https://example.org/izium]\n"
        "-  - quote: the front line moved east\n"
        '+  - quote: "the front line: moved east"\n'
        "     suffix: ', said'\n"
        "     text: Towards Lyman.\n"
        "     sources: [https://example.org/lyman]\n"
        "--- a/content/summit.yaml\n"
        "+++ b/content/summit.yaml\n"
        "@@ -5,16 +5,15 @@\n"
        " \n"
        " notes:\n"
        "   # China's position, quoted in single quotes\n"
        "-  - quote: 'China had \"questions and concerns\"'\n"
        "+  - quote: 'China has \"questions and concerns\"'\n"
        "     text: China abstained on UN votes.\n"
        "     sources: [https://example.org/un]\n"
        " \n"
        '   - quote: "the war in Ukraine"     # double-quoted, with a prefix\n'
        '-    prefix: concerns" over\n'
        '+    prefix: concerns" about\n'
        "     text: The war began in 2022.\n"
        "     sources: [https://example.org/war]\n"
        "-  - quote: >-\n"
        "-      Putin in Samarkand on Thursday\n"
        "+  - quote: Putin in Samarkand last Thursday\n"
        "     text: The SCO summit.\n"
        "     sources: [https://example.org/sco]\n"
        "   - quote: Putin spoke\n"
        "@@ -22,4 +21,4 @@\n"
        "     text: He spoke second.\n"
        "     sources: [https://example.org/second]\n"
        " links:\n"
        "-  - {quote: The summit ended with a joint statement on trade, to: kharkiv}  # flow\n"
        "+  - {quote: The summit ends with a joint statement on trade, to: kharkiv}  # flow\n"
    )
    assert (
        err == "0 errors, 0 warnings\n6 problems repaired by the diff: --fix --write applies it\n"
    )
    assert {p: (p.read_bytes(), os.stat(p).st_mtime_ns) for p in files} == stats
    assert sorted(p for p in drifted.rglob("*") if p.is_file()) == files


AMBIGUOUS_AND_FAR = {
    "site.yaml": SITE_YAML,
    "content/a.md": "# A\n\nOne red car, two red cat. Grain imports rose sharply in May.\n",
    "content/a.yaml": """\
        date: 2022-09-15
        summary: S.
        notes:
          - quote: red cax   # two passages as close
            text: Cars.
            sources: [https://example.org/cars]
          - quote: grain exports fell   # too different
            text: Grain.
            sources: [https://example.org/grain]
          - quote: imports rose sharpy in May
            text: Repaired.
            sources: [https://example.org/may]
        """,
}


def test_ambiguous_and_too_different_quotes_are_left_with_their_candidates(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = write_tree(tmp_path / "site", AMBIGUOUS_AND_FAR)
    code, out, err = run(site, "--fix", capsys=capsys)
    assert code == 1
    assert out == (
        "--- a/content/a.yaml\n"
        "+++ b/content/a.yaml\n"
        "@@ -7,6 +7,6 @@\n"
        "   - quote: grain exports fell   # too different\n"
        "     text: Grain.\n"
        "     sources: [https://example.org/grain]\n"
        "-  - quote: imports rose sharpy in May\n"
        "+  - quote: imports rose sharply in May\n"
        "     text: Repaired.\n"
        "     sources: [https://example.org/may]\n"
    )
    assert [line for line in err.splitlines() if "error[" in line] == [
        'content/a.yaml:4:12: error[ANC001]: quote not found in content/a.md: "red cax"; fix: '
        'closest texts are "red car" at content/a.md:3:5 (similarity 0.86) and "red cat" at '
        "content/a.md:3:18 (similarity 0.86); update the quote; not repaired automatically: "
        "2 passages are about as close",
        'content/a.yaml:7:12: error[ANC001]: quote not found in content/a.md: "grain exports '
        'fell"; fix: closest text is "Grain imports rose" at content/a.md:3:27 (similarity '
        "0.61); update the quote; not repaired automatically: its similarity is below 0.80",
    ]
    assert err.endswith(
        "2 errors, 0 warnings\n1 problem repaired by the diff: --fix --write applies it\n"
    )
    code, out, err = run(site, "--fix", "--write", capsys=capsys)
    assert code == 1
    assert err == "content/a.yaml: info[FIX101]: repaired the quote at line 10\n"
    assert out.count("error[ANC001]") == 2 and out.endswith("2 errors, 0 warnings\n")


def test_write_without_fix_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = write_tree(tmp_path / "site", SITE)
    assert run(site, "--write", capsys=capsys) == (
        2,
        "",
        "briefgen check: error[FIX002]: --write without --fix; fix: pass --fix --write to make "
        "the repairs\n",
    )


def test_a_sidecar_that_cannot_be_edited_safely_is_left_with_a_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = write_tree(
        tmp_path / "site",
        {
            "site.yaml": SITE_YAML,
            "content/a.md": "# A\n\nXi and Putin met at the summit in Samarkand.\n",
            "content/b.txt": "B\n\nText.\n",
            "content/b.yaml": "date: 2022-09-15\nsummary: S.\n",
            # one value, two quotes: repairing one would change the other
            "content/a.yaml": """\
                date: 2022-09-15
                summary: S.
                notes:
                  - quote: &q met at the sumit
                    text: N.
                    sources: [https://example.org/n]
                links:
                  - {quote: *q, to: b}
                """,
        },
    )
    before = read_tree(site)
    code, out, err = run(site, "--fix", "--write", capsys=capsys)
    assert (code, err) == (1, "")
    assert out == (
        "content/a.yaml: warning[FIX001]: the quotes of this sidecar cannot be repaired: the "
        "edited text would not load back as exactly the new values (is a value shared through "
        "an alias?); fix: update them by hand, as their errors say\n"
        'content/a.yaml:4:12: error[ANC001]: quote not found in content/a.md: "met at the '
        'sumit"; fix: closest text is "met at the summit" at content/a.md:3:14 (similarity '
        "0.94); update the quote\n"
        " 4 |   - quote: &q met at the sumit\n"
        "   |            ^\n"
        "1 error, 1 warning\n"
    )
    assert read_tree(site) == before
