"""Property tests: random YAML, Markdown and bytes never crash the loader or the build.

Hypothesis writes the inputs: YAML from a soup of YAML's own tokens (anchors, aliases,
tags, flow and block collections, YAML 1.1 look-alikes, forbidden characters),
Markdown from Markdown's, sidecars from random data under the sidecar's own keys, and
raw bytes for each kind of site file. Every example runs in a forked child
(tests/forked.py) that is killed after ``BOUND`` seconds, so a hang or an alias bomb
is a failure rather than a stuck suite. The child's exit code says how it ended: 0, or
the code of a located error (1 content, 2 configuration); an uncaught exception prints
a traceback and exits with 99, and an internal error exits with 3.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefgen.errors import Diagnostic
from briefgen.source.sidecar import LINK_KEYS, NOTE_KEYS, SIDECAR_KEYS
from briefgen.source.yamlio import load_yaml
from tests.conftest import SITE_YAML, write_tree
from tests.forked import Run, run_cli, run_forked

BOUND = 20.0  # seconds any one example may take, however loaded the machine
EXAMPLES = int(os.environ.get("BRIEFGEN_EXAMPLES", "25"))  # raise it to search longer
pytestmark = pytest.mark.timeout(60 + EXAMPLES)  # a longer search may take longer
LOADER = settings(max_examples=5 * EXAMPLES, deadline=None, database=None)
BUILDS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)

YAML_TOKENS = st.sampled_from(
    ["a", "b", "title", "notes", ":", ": ", " ", "  ", "\n", "\n  ", "- ", "-", "[", "]",
     "{", "}", ",", "&x ", "*x", "&y ", "*y", "!!int ", "!!str ", "!!binary ", "!!timestamp ",
     "!!python/object:os.system ", "!ruby ", "'", '"', "''", "#", "|", ">-", "~", "null",
     "yes", "ON", "012", "0x1F", "1:30", ".nan", "2022-09-15", "2022-13-45", "<<: ", "? ",
     "%YAML 1.1\n", "%TAG ! tag:x,2000:\n", "---\n", "...\n", "\t", "\\", "\\x", "\x00",
     "\x1b", "é", "中国", "\u202e", "\ufeff", "\U0001f600"]
)  # fmt: skip
YAML_TEXT = st.one_of(st.text(max_size=200), st.lists(YAML_TOKENS, max_size=80).map("".join))

MARKDOWN_TOKENS = st.sampled_from(
    ["# ", "## ", "*", "**", "_", "`", "```\n", "[", "](", ")", "![", "<b>", "</b>", "<!--",
     "\n", "\n\n", "> ", "- ", "1. ", "    ", "|", "---", "\\", "&amp;", "&#0;", "SCO",
     "summit", "Samarkand", "the summit", " ", "’", "“", "—", "\u00a0", "\u0301", "中国",
     "НАТО", "http://x.org", "javascript:alert(1)", "[^1]", "<https://x.org>"]
)  # fmt: skip
MARKDOWN = st.lists(MARKDOWN_TOKENS, max_size=60).map("".join)
PHRASE = st.one_of(st.sampled_from(["the summit", "SCO", "summit", "", " "]), st.text(max_size=12))

SCALAR = st.one_of(
    st.none(), st.booleans(), st.integers(-3, 3), st.text(max_size=20), st.dates(),
    st.sampled_from(["kharkiv", "a", "https://example.org/", "javascript:x", "..", "012"]),
)  # fmt: skip
VALUE = st.recursive(
    SCALAR,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)
ANCHOR_ENTRY = st.dictionaries(
    st.sampled_from([*NOTE_KEYS, *LINK_KEYS]), VALUE | PHRASE, max_size=5
)
SIDECAR = st.dictionaries(
    st.sampled_from(SIDECAR_KEYS),
    st.one_of(VALUE, st.lists(ANCHOR_ENTRY, max_size=3)),
    max_size=8,
)
SITE_FILES = st.sampled_from(
    ["site.yaml", "content/a.yaml", "content/a.md", "content/glossary.yaml", "layouts/404.html",
     "layouts/base.html", "static/x.css", "root/CNAME"]
)  # fmt: skip

BASE_SITE = {
    "site.yaml": SITE_YAML,
    "content/a.md": "# Leaders meet\n\nXi and Putin met at the summit of the SCO.\n",
    "content/a.yaml": "date: 2022-09-15\nsummary: They met.\n",
    "content/glossary.yaml": "SCO: The Shanghai Cooperation Organisation.\n",
    "content/b.txt": "Other\n\nAnother article.\n",
    "content/b.yaml": "date: 2022-09-14\n",
}


def build_site(files: dict[str, str | bytes]) -> Run:
    """Build a site of ``files`` (on top of a small valid one) in a bounded child."""
    with tempfile.TemporaryDirectory(prefix="briefgen-property-") as tmp:
        site = write_tree(Path(tmp) / "site", BASE_SITE)
        for rel, data in files.items():
            path = site / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(data, bytes):
                path.write_bytes(data)
            else:
                path.write_text(data, encoding="utf-8")
        return run_cli(["build", "--site", str(site), "-q"], Path(tmp), ids=None, timeout=BOUND)


def assert_ended_well(run: Run, codes: tuple[int, ...] = (0, 1, 2)) -> None:
    """A build ended with success or located errors: no traceback, no internal error."""
    assert run.code in codes, run.stderr
    assert "Traceback" not in run.stderr
    assert "internal error" not in run.stderr


@LOADER
@given(YAML_TEXT)
def test_the_yaml_loader_never_raises(text: str) -> None:
    def load() -> int:
        doc, problems = load_yaml("content/x.yaml", text)
        assert all(isinstance(p, Diagnostic) and p.location.line >= 1 for p in problems)
        assert doc is not None or problems
        return 0

    assert_ended_well(run_forked(load, timeout=BOUND), codes=(0,))


@BUILDS
@given(SITE_FILES, st.binary(max_size=300))
def test_random_bytes_in_any_site_file(rel: str, data: bytes) -> None:
    assert_ended_well(build_site({rel: data}))


@BUILDS
@given(SITE_FILES, YAML_TEXT)
def test_random_yaml_in_any_site_file(rel: str, text: str) -> None:
    assert_ended_well(build_site({rel: text}))


@BUILDS
@given(MARKDOWN, st.lists(st.tuples(PHRASE, PHRASE, PHRASE), max_size=4))
def test_random_markdown_with_notes_anchored_in_it(
    body: str, anchors: list[tuple[str, str, str]]
) -> None:
    notes = [{"quote": q, "prefix": p, "suffix": s, "text": "Note."} for q, p, s in anchors]
    sidecar = yaml.safe_dump({"date": "2022-09-15", "summary": "S.", "notes": notes})
    assert_ended_well(build_site({"content/a.md": body, "content/a.yaml": sidecar}), (0, 1))


@BUILDS
@given(SIDECAR)
def test_random_sidecars(data: dict[str, object]) -> None:
    sidecar = yaml.safe_dump(data, allow_unicode=True)
    assert_ended_well(build_site({"content/a.yaml": sidecar}), (0, 1))
