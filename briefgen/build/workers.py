"""Run a pure function over many items on every core, results in order.

The pure stages (rendering articles, rendering pages) take most of a cold build and
need nothing but their inputs, so the work is split across forked processes: each
child inherits the inputs as they are in memory (nothing to send), computes its share,
and sends the pickled results back through a pipe. The results come back in input
order, so the output is the same bytes as a run in one process.

Forking is used only where it is safe and available: on systems with ``os.fork``,
from a process with a single thread (a fork from a threaded process can deadlock in
the child), and for enough items to be worth a process.
"""

from __future__ import annotations

import os
import pickle
import threading
from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

MIN_ITEMS_PER_PROCESS = 100  # below this a process costs more than it saves


class WorkerError(Exception):
    """A child process failed; carries its error's description."""


def process_count(items: int, cpus: int | None = None) -> int:
    """How many processes to use for ``items`` items: 1 when forking is not worth it."""
    if cpus is None:
        affinity = getattr(os, "sched_getaffinity", None)
        cpus = len(affinity(0)) if affinity else (os.cpu_count() or 1)
    if not hasattr(os, "fork") or threading.active_count() > 1:
        return 1
    return max(1, min(cpus, items // MIN_ITEMS_PER_PROCESS))


def split(items: Sequence[T], parts: int) -> list[Sequence[T]]:
    """``items`` in ``parts`` contiguous slices of nearly equal length."""
    size, extra = divmod(len(items), parts)
    slices, start = [], 0
    for n in range(parts):
        end = start + size + (1 if n < extra else 0)
        slices.append(items[start:end])
        start = end
    return slices


def _child(fn: Callable[[T], R], chunk: Sequence[T], write_fd: int) -> None:
    """In a forked child: compute the chunk, send the results, exit without cleanup."""
    try:
        try:
            payload = pickle.dumps((True, [fn(item) for item in chunk]), pickle.HIGHEST_PROTOCOL)
        except BaseException as exc:  # reported to the parent, which raises it
            payload = pickle.dumps((False, f"{type(exc).__name__}: {exc}"))
        with os.fdopen(write_fd, "wb") as pipe:
            pipe.write(payload)
    finally:
        os._exit(0)


def fork_map(fn: Callable[[T], R], items: Sequence[T], processes: int | None = None) -> list[R]:
    """``[fn(item) for item in items]``, computed by up to ``processes`` processes."""
    count = process_count(len(items)) if processes is None else processes
    if count <= 1:
        return [fn(item) for item in items]
    first, *rest = split(items, count)
    children: list[tuple[int, int]] = []
    for chunk in rest:
        read_fd, write_fd = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(read_fd)
            _child(fn, chunk, write_fd)
        os.close(write_fd)
        children.append((pid, read_fd))
    shares: list[tuple[bool, list[R] | str]] = []
    try:
        results = [fn(item) for item in first]
    finally:
        shares = [_collect(pid, read_fd) for pid, read_fd in children]
    failures = [str(payload) for ok, payload in shares if not ok]
    if failures:
        raise WorkerError("; ".join(failures))
    for _, payload in shares:
        assert isinstance(payload, list)
        results.extend(payload)
    return results


def _collect(pid: int, read_fd: int) -> tuple[bool, list[R] | str]:
    """A child's results (or its error), once it has sent them and ended."""
    with os.fdopen(read_fd, "rb") as pipe:
        data = pipe.read()
    os.waitpid(pid, 0)
    if not data:
        return False, f"process {pid} ended without a result"
    share: tuple[bool, list[R] | str] = pickle.loads(data)
    return share
