"""`briefgen annotate import` and `export`: notes to and from W3C and Hypothesis annotations.

tests/fixtures/annotate/ holds a small site (a sidecar with a comment and a note) and
a Hypothesis API export of four annotations on its article, with the selectors the
Hypothesis client records: one chosen among two occurrences by its context, one in a
table cell, one across a line break, one in a code span and targeting the article's
source URL rather than its published one.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from briefgen.build.pipeline import BuildOptions, build
from briefgen.cli import main
from tests.conftest import read_tree

FIXTURES = Path(__file__).parent / "fixtures" / "annotate"
SIDECAR = "content/grain-exports.yaml"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A copy of the fixture site."""
    return Path(shutil.copytree(FIXTURES / "site", tmp_path / "site"))


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run briefgen with ``args``; return its exit code, stdout and stderr."""
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def selectors(collection: dict[str, Any]) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """The (quote, position) selectors of a collection's annotations, in order."""
    items = collection.get("first", {}).get("items", [])
    return [(item["target"]["selector"][0], item["target"]["selector"][1]) for item in items]


def hypothesis_selectors(export: dict[str, Any]) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """The TextQuote and TextPosition selectors of a Hypothesis export's rows."""
    found = []
    for row in export["rows"]:
        by_type = {s["type"]: s for s in row["target"][0]["selector"]}
        found.append((by_type["TextQuoteSelector"], by_type["TextPositionSelector"]))
    return found


def test_a_hypothesis_export_round_trips(
    site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    export = FIXTURES / "hypothesis-export.json"
    code, out, err = run(capsys, "annotate", "import", str(export), "--site", str(site))
    assert (code, err) == (0, "")
    assert out == (
        f"{SIDECAR}: added 4 notes\nimported 4 of 4 annotations (0 duplicates skipped, 0 failed)\n"
    )
    result = build(site, tmp_path / "out", BuildOptions())
    assert {w.code for w in result.warnings} == {"SC008"}  # Hypothesis notes cite no sources
    built = json.loads((tmp_path / "out/grain-exports/annotations.jsonld").read_text("utf-8"))
    imported = hypothesis_selectors(json.loads(export.read_text("utf-8")))
    exported = selectors(built)
    assert exported[0] != imported[0]  # the editor's own note comes first in the text
    by_position = sorted(imported, key=lambda pair: pair[1]["start"])
    assert [pair for pair in exported if pair in by_position] == by_position
    assert len(exported) == 5


def test_the_sidecar_keeps_its_comments_and_notes(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = (site / SIDECAR).read_text("utf-8")
    run(capsys, "annotate", "import", str(FIXTURES / "hypothesis-export.json"), "--site", str(site))
    new = (
        "  - quote: the port authority\n"
        "    prefix: euros,\n"
        '    text: "Which one: the harbour\'s own, or the regional one? The **regional** one."\n'
        "  - quote: 95,000\n"
        "    text: Only the first four days of September, before the strike began.\n"
        "  - quote: three-week strike by dock workers\n"
        "    text: |\n"
        "      The strike began on 2 September.\n"
        "\n"
        "      See [the union's statement](https://union.example.org/statement).\n"
        "  - quote: harbour-cli berths --today\n"
        "    text: Needs an account with the port authority.\n"
    )
    assert (site / SIDECAR).read_text("utf-8") == before.replace(
        "\n\nlinks: []\n", f"\n{new}\nlinks: []\n"
    )


def test_importing_again_skips_every_duplicate(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    export = str(FIXTURES / "hypothesis-export.json")
    run(capsys, "annotate", "import", export, "--site", str(site))
    once = read_tree(site)
    code, out, _ = run(capsys, "annotate", "import", export, "--site", str(site), "-v")
    assert code == 0
    assert read_tree(site) == once
    lines = out.splitlines()
    assert lines[0] == (f"{export}:4:5: duplicate of the note at {SIDECAR}:11:12; skipped")
    assert lines[-1] == "imported 0 of 4 annotations (4 duplicates skipped, 0 failed)"


def test_a_dry_run_writes_nothing(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = read_tree(site)
    export = str(FIXTURES / "hypothesis-export.json")
    code, out, _ = run(capsys, "annotate", "import", export, "--site", str(site), "--dry-run")
    assert code == 0
    assert read_tree(site) == before
    assert out == (
        f"{SIDECAR}: would add 4 notes\n"
        "would import 4 of 4 annotations (0 duplicates skipped, 0 failed)\n"
    )


def test_w3c_annotations_round_trip_through_export_and_import(
    site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, "annotate", "import", str(FIXTURES / "hypothesis-export.json"), "--site", str(site))
    collection = tmp_path / "notes.jsonld"
    code, out, _ = run(capsys, "annotate", "export", "--site", str(site), "-o", str(collection))
    assert (code, out) == (0, f"wrote 5 notes of 1 articles to {collection}\n")
    exported = json.loads(collection.read_text("utf-8"))
    assert exported["id"] == "https://example.org/harbour/annotations.jsonld"
    assert exported["total"] == 5
    fresh = Path(shutil.copytree(FIXTURES / "site", tmp_path / "fresh"))
    sidecar = fresh / SIDECAR
    sidecar.write_text(sidecar.read_text("utf-8").split("notes:")[0] + "links: []\n", "utf-8")
    code, out, err = run(capsys, "annotate", "import", str(collection), "--site", str(fresh))
    assert (code, err) == (0, "")
    assert out.splitlines()[-1] == "imported 5 of 5 annotations (0 duplicates skipped, 0 failed)"
    run(capsys, "annotate", "export", "--site", str(fresh), "-o", str(tmp_path / "again.jsonld"))
    again = json.loads((tmp_path / "again.jsonld").read_text("utf-8"))
    assert selectors(again) == selectors(exported)
    bodies = [item["body"] for item in again["first"]["items"]]
    assert bodies == [item["body"] for item in exported["first"]["items"]]


def test_export_writes_to_standard_output(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "annotate", "export", "--site", str(site))
    assert code == 0
    data = json.loads(out)
    assert (data["type"], data["total"]) == ("AnnotationCollection", 1)


def test_article_chooses_the_article_whatever_the_target(
    site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    annotation = {
        "type": "Annotation",
        "bodyValue": "A plain comment.",
        "target": {
            "source": "https://elsewhere.example.net/copy",
            "selector": {"type": "TextQuoteSelector", "exact": "backlog to clear"},
        },
    }
    path = tmp_path / "one.json"
    path.write_text(json.dumps(annotation), "utf-8")
    code, _, err = run(capsys, "annotate", "import", str(path), "--site", str(site))
    assert code == 1
    assert err.splitlines()[0] == (
        f"{path}:1:1: error[ANN004]: annotation targets https://elsewhere.example.net/copy, "
        "which is no article of this site; fix: name the article with --article SLUG, or set "
        "its sidecar's source.url to this URL"
    )
    code, _, err = run(
        capsys, "annotate", "import", str(path), "--site", str(site), "--article", "grain-exports"
    )
    assert (code, err) == (0, "")
    assert "  - quote: backlog to clear\n    text: A plain comment.\n" in (
        site / SIDECAR
    ).read_text("utf-8")


# -- located errors ---------------------------------------------------------------------------


def failing(
    site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str
) -> tuple[int, list[str]]:
    """Import an annotation file holding ``text``; the exit code and the error headlines."""
    path = tmp_path / "bad.json"
    path.write_text(text, "utf-8")
    before = read_tree(site)
    code, _, err = run(capsys, "annotate", "import", str(path), "--site", str(site))
    assert read_tree(site) == before
    return code, [line.replace(str(path), "bad.json") for line in err.splitlines()]


def test_a_file_that_is_not_json(
    site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, lines = failing(site, tmp_path, capsys, '{"rows": [\n  {"text": "x",}\n]}\n')
    assert code == 1
    assert lines == [
        "bad.json:2:16: error[ANN001]: not JSON: Expecting property name enclosed in double "
        "quotes; fix: export the annotations again, as W3C JSON-LD or Hypothesis API JSON"
    ]


def test_json_that_holds_no_annotations(
    site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, lines = failing(site, tmp_path, capsys, '{"type": "Person", "name": "x"}\n')
    assert code == 1
    assert lines == [
        "bad.json:1:1: error[ANN002]: not an annotation file: no W3C annotations nor Hypothesis "
        'rows in it; fix: give an AnnotationCollection, AnnotationPage, Annotation or {"rows": '
        "[...]}"
    ]


def test_missing_selectors_and_unknown_articles_are_located(
    site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = {
        "rows": [
            {"uri": "https://example.org/harbour/grain-exports/", "text": "A page note."},
            {
                "uri": "https://example.org/harbour/grain-export/",
                "text": "Mistyped page.",
                "target": [{"selector": [{"type": "TextQuoteSelector", "exact": "wheat"}]}],
            },
            {
                "uri": "https://example.org/harbour/grain-exports/",
                "text": "",
                "target": [{"selector": [{"type": "TextQuoteSelector", "exact": "wheat"}]}],
            },
            {
                "uri": "https://example.org/harbour/grain-exports/",
                "text": "A typo in the quote.",
                "target": [{"selector": [{"type": "TextQuoteSelector", "exact": "whaet"}]}],
            },
        ]
    }
    code, lines = failing(site, tmp_path, capsys, json.dumps(rows, indent=1))
    assert code == 1
    assert lines == [
        "bad.json:3:3: error[ANN003]: annotation has no TextQuoteSelector with the exact text it "
        "annotates; fix: export it with its selectors; a page note without a quote cannot be "
        "placed",
        "bad.json:7:3: error[ANN004]: annotation targets https://example.org/harbour/grain-export/,"
        " which is no article of this site; fix: did you mean "
        "https://example.org/harbour/grain-exports/ (article grain-exports)? or name the article "
        "with --article SLUG, or set its sidecar's source.url to this URL",
        "bad.json:21:3: error[ANN008]: annotation has no comment: a highlight is not a note; "
        "fix: write its comment in the annotation tool, or leave it out of the file",
        'bad.json:41:7: error[ANC001]: quote not found in content/grain-exports.md: "whaet"; fix: '
        'closest text is "wheat" at content/grain-exports.md:5:4 (similarity 0.60); update the '
        "quote; not repaired automatically: its similarity is below 0.80",
        "Found 4 problems.",
    ]


def test_usage_errors(site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "missing.json"
    code, _, err = run(capsys, "annotate", "import", str(missing), "--site", str(site))
    assert code == 2
    assert err.startswith(
        f"briefgen annotate import: error[ANN006]: cannot read {missing}: No such file"
    )
    export = str(FIXTURES / "hypothesis-export.json")
    code, _, err = run(
        capsys, "annotate", "import", export, "--site", str(site), "--article", "grain-export"
    )
    assert code == 2
    assert err == (
        "briefgen annotate import: error[ANN007]: --article grain-export: no such article; "
        "fix: did you mean 'grain-exports'?\n"
    )


def test_a_sidecar_with_flow_notes_is_left_alone(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sidecar = site / SIDECAR
    text = sidecar.read_text("utf-8").split("notes:")[0]
    sidecar.write_text(text + 'notes: [{quote: "pay deal", text: Agreed on Sunday.}]\n', "utf-8")
    before = read_tree(site)
    export = str(FIXTURES / "hypothesis-export.json")
    code, _, err = run(capsys, "annotate", "import", export, "--site", str(site))
    assert code == 1
    assert read_tree(site) == before
    assert err == (
        f"{SIDECAR}: error[ANN005]: 'notes' in {SIDECAR} is written as a flow list; write it "
        "as a block list; fix: write the sidecar's notes as a block list ('- quote: ...')\n"
    )
