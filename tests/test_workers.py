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
    first, second, third = pids[0], pids[334], pids[667]  # slices of 334, 333, 333
    assert pids == [first] * 334 + [second] * 333 + [third] * 333
    assert len({first, second, third, os.getpid()}) == 4  # three children did all of it


def test_progress_is_told_of_every_item_once() -> None:
    told: list[int] = []
    assert fork_map(square, list(range(1000)), processes=2, progress=told.append) == [
        n * n for n in range(1000)
    ]
    assert sum(told) == 1000 and max(told) <= workers.CHUNK
    told.clear()
    fork_map(square, list(range(120)), processes=1, progress=told.append)
    assert told == [50, 50, 20]


def test_a_failure_in_a_child_is_raised_with_its_description() -> None:
    with pytest.raises(WorkerError, match="ValueError: seventeen") as in_child:
        fork_map(fail_on_17, list(range(20)), processes=2)  # 10-19 are the second child's
    child = re.fullmatch(r"ValueError: seventeen in process (\d+)", str(in_child.value))
    assert child is not None and int(child[1]) != os.getpid()
    with pytest.raises(ValueError, match="seventeen") as in_parent:
        fork_map(fail_on_17, list(range(40)), processes=1)
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


def test_a_forked_build_is_byte_identical_to_a_single_process_one(tmp_path: Path) -> None:
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
    build(site, tmp_path / "b", BuildOptions(jobs=1))
    assert read_tree(tmp_path / "a") == read_tree(tmp_path / "b")
    build(site, tmp_path / "c", BuildOptions(jobs=2))
    assert read_tree(tmp_path / "a") == read_tree(tmp_path / "c")
