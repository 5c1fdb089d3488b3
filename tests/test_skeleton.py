"""The sidecar skeleton: YAML scalars that read back, and merging into an editor's sidecar."""

from __future__ import annotations

import pytest

from briefgen.ingest.model import ImportOptions
from briefgen.ingest.skeleton import merge_sidecar, scalar
from briefgen.source.yamlio import load_yaml


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("China has ‘questions and concerns’", "China has ‘questions and concerns’"),
        ("Our message: consistent", '"Our message: consistent"'),
        ("yes", '"yes"'),
        ("2022-09-15", '"2022-09-15"'),
        ("- not a list", '"- not a list"'),
        ("a # b", '"a # b"'),
        ('say "hi" \\ bye', 'say "hi" \\ bye'),
        ('"hi" \\ bye', '"\\"hi\\" \\\\ bye"'),
        ("'quoted'", "\"'quoted'\""),
        ("TODO", "TODO"),
    ],
)  # fmt: skip
def test_scalar_reads_back_as_the_same_string(value: str, text: str) -> None:
    assert scalar(value) == text
    doc, problems = load_yaml("x.yaml", f"k: {text}\n")
    assert problems == [] and doc is not None and doc.data == {"k": value}


EDITED = """\
# the editor's header
title: Edited title
date: 2022-09-15
summary: >-
  Written by the editor.
tags: [a, b]

notes:
  # why this matters
  - quote: questions and concerns
    text: |
      A note.
seed: seeds/x.txt
suggested_terms:
  not_in_glossary:
    - Old Name
"""


def test_merge_replaces_only_the_keys_import_owns() -> None:
    fields = {
        "title": "Seed headline",
        "date": "TODO",
        "seed": "seeds/x.txt",
        "credits": ["By Lena Holt"],
        "suggested_notes": [{"quote": "a b c", "text": "TODO"}],
    }
    merged = merge_sidecar("content/x.yaml", EDITED, fields, ImportOptions(force=True))
    assert not isinstance(merged, str)
    text, updated, kept = merged
    assert updated == ["credits", "suggested_terms", "suggested_notes"]
    assert kept == ["title", "date", "summary", "tags", "notes"]
    assert text == EDITED.replace(
        "suggested_terms:\n  not_in_glossary:\n    - Old Name\n",
        "credits:\n  - By Lena Holt\nsuggested_notes:\n  - quote: a b c\n    text: TODO\n",
    )


def test_merge_refuses_what_it_cannot_merge_safely() -> None:
    options = ImportOptions(force=True)
    assert merge_sidecar("x.yaml", "{title: x, notes: []}\n", {}, options) == (
        "x.yaml is not in block style; merge the new fields by hand"
    )
    assert merge_sidecar("x.yaml", "- a\n", {}, options) == (
        "x.yaml cannot be read as a mapping; fix it first"
    )
