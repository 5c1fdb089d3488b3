"""Peak memory of a whole process tree: a command and every process it starts.

    python bench/treemem.py -- briefgen build -q      # prints one JSON line

``/usr/bin/time`` reports the largest single process of a tree, which hides the
workers of a build that forks. This samples the tree every few milliseconds from
/proc (Linux) and keeps the peak of two sums:

- ``rss_mb``: resident memory of every process, added up. Pages a forked worker
  shares with its parent count once per process, so this overstates what the tree
  needs;
- ``pss_mb``: the proportional set size (``/proc/PID/smaps_rollup``): a shared page
  counts a share in each process that maps it, so the sum is what the tree holds.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path

PERIOD = 0.01  # seconds between two samples
PAGE = os.sysconf("SC_PAGE_SIZE")


def children(root: int) -> list[int]:
    """``root`` and every process below it."""
    parents: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
        except OSError:
            continue
        ppid = int(stat[stat.rindex(")") + 2 :].split()[1])
        parents.setdefault(ppid, []).append(int(entry.name))
    tree, todo = [], [root]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        todo.extend(parents.get(pid, ()))
    return tree


def usage(pid: int) -> tuple[int, int]:
    """Resident and proportional bytes of one process (0, 0 when it is gone)."""
    try:
        rss = int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE
        pss = 0
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                pss = int(line.split()[1]) * 1024
                break
        return rss, pss
    except (OSError, ValueError, IndexError):
        return 0, 0


class Sampler:
    """Samples the tree of ``pid`` in a thread until ``stop``; keeps the peaks."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.rss = self.pss = 0
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._done.is_set():
            sums = [usage(pid) for pid in children(self.pid)]
            self.rss = max(self.rss, sum(r for r, _ in sums))
            self.pss = max(self.pss, sum(p for _, p in sums))
            self._done.wait(PERIOD)

    def stop(self) -> dict[str, float]:
        """Stop sampling; the peaks in MB."""
        self._done.set()
        self._thread.join()
        return {"tree_rss_mb": self.rss / 2**20, "tree_pss_mb": self.pss / 2**20}


def run(args: Sequence[str], **popen: object) -> dict[str, float]:
    """Run a command to its end; its wall time and the tree's peaks."""
    started = time.perf_counter()
    process = subprocess.Popen(list(args), **popen)  # type: ignore[call-overload]
    sampler = Sampler(process.pid)
    code = process.wait()
    peaks = sampler.stop()
    if code:
        raise subprocess.CalledProcessError(code, list(args))
    return {"wall_s": time.perf_counter() - started, **peaks}


if __name__ == "__main__":
    command = sys.argv[sys.argv.index("--") + 1 :] if "--" in sys.argv else sys.argv[1:]
    print(json.dumps(run(command)))
