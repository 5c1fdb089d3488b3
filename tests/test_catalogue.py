"""The catalogue of failing mini-sites (tests/fixtures/failing/, read by tests/catalogue.py).

Each case is built with `briefgen build --site site --no-cache` in a forked child, bounded
in time (the build cache, written even by a failed build, is tested in test_cache.py),
as an unprivileged user where the case asks for it (tests/forked.py). The child
must print exactly the expected lines on stderr, nothing on stdout, and exit with the
expected code; and nothing in the case's folder may change: build/ keeps the previous
build byte for byte, no staging folder is left, the files outside the site are as they
were. ``BRIEFGEN_REGENERATE=1`` rewrites the expected lines (review the diff).
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.catalogue import CASES, Case, make, parse, regenerate, snapshot, unlock
from tests.forked import hand_over, run_cli, user_ids
from tests.golden import REGENERATE

FILES = sorted(CASES.glob("*.txt"))


@pytest.fixture
def case_root() -> Iterator[Path]:
    """A folder an unprivileged user can reach (pytest's own tmp folders are root's only)."""
    root = Path(tempfile.mkdtemp(prefix="briefgen-case-"))
    root.chmod(0o755)
    try:
        yield root
    finally:
        unlock(root)
        shutil.rmtree(root)


def test_the_catalogue_is_large_enough() -> None:
    assert len(FILES) >= 60


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_failing_site(path: Path, case_root: Path) -> None:
    case: Case = parse(path)
    ids = user_ids() if case.user == "unprivileged" else None
    site = make(case, case_root)
    hand_over(case_root, ids)
    before = snapshot(case_root)
    run = run_cli(["build", "--site", "site", "--no-cache", *case.args], case_root, ids=ids)
    stderr = run.stderr.replace(str(case_root), "$CASE")
    if REGENERATE:
        path.write_text(regenerate(case, stderr, run.code), encoding="utf-8")
        case = parse(path)
    assert (run.code, stderr.splitlines(), run.stdout) == (case.exit, case.stderr, "")
    assert snapshot(case_root) == before
    assert site.is_dir()
