"""Run a pure function over many items on every core, results in order.

The pure stages (rendering articles, rendering and writing pages) take most of a cold
build and need nothing but their inputs, so the work is split across processes forked
with the standard library (``multiprocessing``'s fork context): each child inherits
the function and its inputs as they are in memory (nothing is pickled on the way in),
computes its contiguous share chunk by chunk, and sends each chunk's results back
through its pipe as soon as it is done, so that the parent can report progress. The
results are put back in input order, so the output is the same bytes as a run in one
process, whatever the number of processes. A user's mistake that a child raises
(``BriefgenError``) is raised again in the parent, as one process would raise it.

Before forking, the parent moves every object it holds out of the garbage
collector's reach (``gc.freeze``): the children then never walk (nor copy, page by
page) the inherited heap, and collect only what they make.

Forking is used only where it is safe and available: on systems with ``os.fork``,
from a process with a single thread (a fork from a threaded process can deadlock in
the child), and for enough items to be worth a process.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import threading
from collections.abc import Callable, Sequence
from multiprocessing.connection import Connection, wait
from typing import TypeVar

from briefgen.errors import BriefgenError

T = TypeVar("T")
R = TypeVar("R")

MIN_ITEMS_PER_PROCESS = 100  # below this a process costs more than it saves
CHUNK = 50  # items a child computes between two reports

Progress = Callable[[int], None]  # told how many more items are done


class WorkerError(Exception):
    """A child process failed; carries its error's description."""


def usable_cpus() -> int:
    """The CPUs this process may run on."""
    affinity = getattr(os, "sched_getaffinity", None)
    return len(affinity(0)) if affinity else (os.cpu_count() or 1)


def process_count(items: int, cpus: int | None = None) -> int:
    """How many processes to use for ``items`` items: 1 when forking is not worth it."""
    if cpus is None:
        cpus = usable_cpus()
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


def _child(fn: Callable[[T], R], share: Sequence[T], first: int, pipe: Connection) -> None:
    """In a forked child: compute the share chunk by chunk, sending each chunk's results."""
    gc.set_threshold(20_000, 50, 100)  # collect the child's own garbage, rarely
    try:
        for start in range(0, len(share), CHUNK):
            results = [fn(item) for item in share[start : start + CHUNK]]
            pipe.send((first + start, results))
    except BriefgenError as exc:  # a user's mistake: raised again in the parent, as it is
        pipe.send((-2, (type(exc), exc.diagnostics, exc.warnings)))
    except BaseException as exc:  # reported to the parent, which raises it
        pipe.send((-1, f"{type(exc).__name__}: {exc}"))
    finally:
        pipe.close()


def fork_map(
    fn: Callable[[T], R],
    items: Sequence[T],
    processes: int | None = None,
    progress: Progress | None = None,
) -> list[R]:
    """``[fn(item) for item in items]``, computed by up to ``processes`` processes."""
    count = process_count(len(items)) if processes is None else processes
    if count <= 1 or not hasattr(os, "fork"):
        done: list[R] = []
        for start in range(0, len(items), CHUNK):
            done.extend(fn(item) for item in items[start : start + CHUNK])
            if progress is not None:
                progress(len(items[start : start + CHUNK]))
        return done
    context = multiprocessing.get_context("fork")
    results: list[R | None] = [None] * len(items)
    failures: list[str] = []
    mistakes: list[BriefgenError] = []
    children = []
    gc.freeze()
    try:
        first = 0
        for share in split(items, count):
            receive, send = context.Pipe(duplex=False)
            child = context.Process(target=_child, args=(fn, share, first, send), daemon=True)
            child.start()
            send.close()
            children.append((child, receive))
            first += len(share)
        pending = {receive: child for child, receive in children}
        while pending:
            for ready in wait(list(pending)):
                assert isinstance(ready, Connection)
                try:
                    start, payload = ready.recv()
                except EOFError:
                    child = pending.pop(ready)
                    child.join()
                    if child.exitcode:
                        failures.append(f"process {child.pid} ended with code {child.exitcode}")
                    continue
                if start == -2:
                    kind, diagnostics, warnings = payload
                    mistakes.append(kind(diagnostics, warnings))
                    continue
                if start < 0:
                    failures.append(str(payload))
                    continue
                results[start : start + len(payload)] = payload
                if progress is not None:
                    progress(len(payload))
    finally:
        for child, receive in children:
            receive.close()
            if child.is_alive():
                child.kill()
            child.join()
        gc.unfreeze()
    if mistakes:
        raise mistakes[0]
    if failures:
        raise WorkerError("; ".join(failures))
    return results  # type: ignore[return-value]
