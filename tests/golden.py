"""Golden files: output compared with a stored copy, and one switch to rewrite them all.

The goldens are the demo site's key pages in tests/golden/demo/ (test_build.py) and, for
each raw article in tests/fixtures/import/raw/, what `briefgen import` writes and prints,
in tests/fixtures/import/expected/ (test_ingest.py). After an intended change, rewrite
every golden with

    BRIEFGEN_REGENERATE=1 python -m pytest

then review the diff (``git diff tests/``) before committing it. Any other value of
BRIEFGEN_REGENERATE, or none, only compares.
"""

from __future__ import annotations

import os
from pathlib import Path

REGENERATE = os.environ.get("BRIEFGEN_REGENERATE") == "1"


def check_golden(path: Path, actual: str) -> None:
    """Assert ``actual`` equals the golden file at ``path``, written first when regenerating."""
    if REGENERATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8", newline="\n")
    assert path.is_file(), f"{path} is missing; BRIEFGEN_REGENERATE=1 writes it"
    expected = path.read_text(encoding="utf-8")
    assert actual == expected, f"differs from {path}; BRIEFGEN_REGENERATE=1 rewrites it"
