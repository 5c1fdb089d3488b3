"""Work on every core gives the same results, in the same order, as one process."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from briefgen.build import workers
from briefgen.build.pipeline import BuildOptions, build
from briefgen.build.workers import WorkerError, fork_map, process_count, split
from tests.conftest import read_tree, write_tree

REPO = Path(__file__).resolve().parent.parent


def square(n: int) -> int:
    return n * n


def square_and_pid(n: int) -> tuple[int, int]:
    """The square, and the process that computed it."""
    return n * n, os.getpid()


def fail_on_17(n: int) -> int:
    if n == 17:
        raise ValueError(f"seventeen in process {os.getpid()}")
    return n


@pytest.mark.parametrize(("items", "parts", "sizes"), [(10, 3, [4, 3, 3]), (2, 2, [1, 1])])
def test_split_keeps_order_and_balance(items: int, parts: int, sizes: list[int]) -> None:
    slices = split(list(range(items)), parts)
    assert [len(s) for s in slices] == sizes
    assert [n for s in slices for n in s] == list(range(items))


def test_fork_map_matches_one_process() -> None:
    assert fork_map(square, list(range(1000)), processes=3) == [n * n for n in range(1000)]
    results = fork_map(square_and_pid, list(range(1000)), processes=3)
    assert [value for value, _ in results] == [n * n for n in range(1000)]
    pids = [pid for _, pid in results]
    parent, first_child, second_child = pids[0], pids[334], pids[667]  # slices of 334, 333, 333
    assert pids == [parent] * 334 + [first_child] * 333 + [second_child] * 333
    assert parent == os.getpid()
    assert len({parent, first_child, second_child}) == 3  # two forked children did the rest


def test_a_failure_in_a_child_or_the_parent_is_raised() -> None:
    with pytest.raises(WorkerError, match="ValueError: seventeen") as in_child:
        fork_map(fail_on_17, list(range(20)), processes=2)  # 10-19 are the child's
    child = re.fullmatch(r"ValueError: seventeen in process (\d+)", str(in_child.value))
    assert child is not None and int(child[1]) != os.getpid()
    with pytest.raises(ValueError, match="seventeen") as in_parent:
        fork_map(fail_on_17, list(range(40)), processes=2)  # 0-19 are the parent's
    assert str(in_parent.value) == f"seventeen in process {os.getpid()}"


def test_no_fork_from_a_threaded_process_or_for_little_work() -> None:
    expected = 4 if threading.active_count() == 1 else 1  # other tests may leave threads
    assert process_count(10_000, cpus=4) == expected
    assert process_count(150, cpus=4) == 1
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert process_count(10_000, cpus=4) == 1
    finally:
        stop.set()
        thread.join()


def test_a_forked_build_is_byte_identical_to_a_single_process_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = {"site.yaml": "title: T\nbase_url: https://example.org/\n"}
    files["content/glossary.yaml"] = "SCO: A Eurasian security organisation.\n"
    for n in range(260):
        files[f"content/a-{n:03}.md"] = f"# Article {n}\n\nThe SCO met, for the {n}th time.\n"
        related = "related: [a-000]\n" if n else ""
        files[f"content/a-{n:03}.yaml"] = (
            f"date: 2022-01-{n % 28 + 1:02}\ntags: [t{n % 5}]\nsummary: S {n}.\n"
            f"notes: [{{quote: The SCO met, text: Note.}}]\n{related}"
        )
    site = write_tree(tmp_path / "site", files)
    result = subprocess.run(
        [sys.executable, "-m", "briefgen", "build", "--site", str(site), "-o", str(tmp_path / "a")],
        capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(REPO)}, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    monkeypatch.setattr(workers, "process_count", lambda items, cpus=None: 1)
    build(site, tmp_path / "b", BuildOptions())
    assert read_tree(tmp_path / "a") == read_tree(tmp_path / "b")
