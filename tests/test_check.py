"""`briefgen check`: every check of a build, in four formats, and nothing written.

The reports of a site with several problems are goldens in tests/fixtures/check/
(``BRIEFGEN_REGENERATE=1`` rewrites them); the JSON report is validated against the
schema of its format below, and the SARIF log against the SARIF 2.1.0 schema
(tests/fixtures/sarif/, see its README for where it comes from).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest

from briefgen.cli import main
from briefgen.report.codes import CODES
from tests.conftest import SITE_YAML, read_tree, write_tree
from tests.golden import check_golden

ROOT = Path(__file__).parent.parent
FIXTURES = Path(__file__).parent / "fixtures"
FORMATS = {"text": "txt", "json": "json", "github": "github", "sarif": "sarif"}

SEVERAL = {
    "site.yaml": SITE_YAML,
    "content/a.md": "# Leaders meet\n\nXi and Putin met at the summit, 50% of the time.\n",
    "content/a.yaml": """\
        date: 2022-09-15
        notes:
          - quote: met at the sumit
            text: The SCO summit.
            sources: [https://example.org/sco]
        links:
          - {quote: Putin, to: kharkov}
        """,
    "content/b.txt": "B\n\nText.\n",
    "content/c,d.txt": "C\n",
    "layouts/tags.html": "{{ tags.nmae }}\n",
}
# The report of `briefgen check --format json`, as a JSON Schema.
JSON_REPORT = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["version", "diagnostics", "counts"],
    "additionalProperties": False,
    "properties": {
        "version": {"const": 1},
        "diagnostics": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["path", "line", "col", "severity", "code", "message", "fix"],
                "properties": {
                    "path": {"type": "string", "minLength": 1},
                    "line": {"type": "integer", "minimum": 1},
                    "col": {"type": "integer", "minimum": 1},
                    "severity": {"enum": ["error", "warning"]},
                    "code": {"type": "string", "pattern": "^[A-Z]{2,4}[0-9]{3}$"},
                    "message": {"type": "string", "minLength": 1},
                    "fix": {"type": "string"},
                },
            },
        },
        "counts": {
            "type": "object",
            "additionalProperties": False,
            "required": ["error", "warning"],
            "properties": {
                "error": {"type": "integer", "minimum": 0},
                "warning": {"type": "integer", "minimum": 0},
            },
        },
    },
}


def check(site: Path, *args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    """Run `briefgen check` on ``site``; its exit code and standard output."""
    code = main(["check", "--site", str(site), *args])
    captured = capsys.readouterr()
    assert captured.err == ""
    return code, captured.out


@pytest.fixture
def several(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The site with several problems, in site/ below the working folder."""
    monkeypatch.chdir(tmp_path)
    return write_tree(tmp_path / "site", SEVERAL)


@pytest.mark.parametrize("name", FORMATS)
def test_each_format_on_a_site_with_several_problems(
    several: Path, name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = check(several, "--format", name, capsys=capsys)
    assert code == 1
    check_golden(FIXTURES / "check" / f"several-problems.{FORMATS[name]}", out)


def test_the_json_report_follows_its_format(
    several: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, out = check(several, "--format", "json", capsys=capsys)
    report = json.loads(out)
    jsonschema.Draft202012Validator(JSON_REPORT).validate(report)
    severities = [d["severity"] for d in report["diagnostics"]]
    assert report["counts"] == {s: severities.count(s) for s in ("error", "warning")}
    for d in report["diagnostics"]:  # paths are the site's: each names a file of it
        assert (several / d["path"]).exists(), d["path"]


def test_the_sarif_log_is_valid_sarif_2_1_0(
    several: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, out = check(several, "--format", "sarif", capsys=capsys)
    log = json.loads(out)
    schema = json.loads((FIXTURES / "sarif" / "sarif-2.1.0-rtm.5.json").read_text("utf-8"))
    jsonschema.Draft4Validator(schema).validate(log)
    (run,) = log["runs"]
    rules = [rule["id"] for rule in run["tool"]["driver"]["rules"]]
    assert rules == sorted(set(rules))  # one rule per code
    assert {result["ruleId"] for result in run["results"]} == set(rules)
    for result in run["results"]:
        assert rules[result["ruleIndex"]] == result["ruleId"]
        (location,) = result["locations"]
        assert location["physicalLocation"]["region"]["startLine"] >= 1
        assert (several.parent / location["physicalLocation"]["artifactLocation"]["uri"]).exists()


def test_github_annotations_escape_what_workflow_commands_reserve(
    several: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, out = check(several, "--format", "github", capsys=capsys)
    assert "::error file=site/content/c%2Cd.txt,line=1,col=1,title=CNT002::" in out
    assert "guard it with {%25 if ... is defined %25}" in out
    assert out.endswith("briefgen check: 5 errors, 1 warning\n")


def test_check_writes_nothing(several: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = read_tree(several.parent)
    for name in FORMATS:
        check(several, "--format", name, capsys=capsys)
    assert read_tree(several.parent) == before
    assert sorted(p.name for p in several.parent.iterdir()) == ["site"]


@pytest.mark.parametrize("name", FORMATS)
def test_the_demo_site_is_clean_in_every_format(
    name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = check(ROOT, "--strict", "--format", name, capsys=capsys)
    assert code == 0
    if name == "json":
        assert json.loads(out) == {
            "version": 1,
            "diagnostics": [],
            "counts": {"error": 0, "warning": 0},
        }
    elif name == "sarif":
        assert json.loads(out)["runs"][0]["results"] == []
    else:
        assert out.endswith("0 errors, 0 warnings\n")
        assert out.count("\n") == 1


def test_warnings_pass_unless_strict(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = write_tree(
        tmp_path,
        {
            "site.yaml": SITE_YAML,
            "content/a.txt": "A\n\nText.\n",
            "content/a.yaml": "date: 2022-09-15\n",
        },
    )
    assert check(site, capsys=capsys) == (
        0,
        "content/a.yaml:1:1: warning[SC006]: a has no summary; "
        "fix: add 'summary: ...': the front page, feed and search show it\n"
        " 1 | date: 2022-09-15\n"
        "   | ^\n"
        "0 errors, 1 warning\n",
    )
    assert check(site, "--strict", capsys=capsys)[0] == 1


def test_a_configuration_error_exits_2_with_every_other_problem(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = write_tree(tmp_path, {**SEVERAL, "site.yaml": "title: T\nbase_url: ftp://x\n"})
    code, out = check(site, "--format", "json", capsys=capsys)
    assert code == 2
    codes = [d["code"] for d in json.loads(out)["diagnostics"]]
    assert codes == ["SC006", "ANC001", "LNK001", "CNT005", "CNT002", "TPL002", "CFG003"]
    code, out = check(tmp_path / "nowhere", "--format", "json", capsys=capsys)
    assert code == 2
    assert [d["code"] for d in json.loads(out)["diagnostics"]] == ["CFG004"]


def test_the_readme_has_one_table_of_every_code() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    rows = re.findall(r"^\| `([A-Z]+[0-9]{3})` \| (.*) \|$", readme, re.M)
    assert dict(rows) == CODES
    assert len(rows) == len(CODES)  # each code once
    used = set()
    for path in (ROOT / "briefgen").rglob("*.py"):
        used |= set(re.findall(r"\"([A-Z]{2,4}[0-9]{3})\"", path.read_text("utf-8")))
    assert used <= set(CODES), sorted(used - set(CODES))
