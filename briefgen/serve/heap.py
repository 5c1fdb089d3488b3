"""The cyclic garbage collector and the build a dev server keeps: out of its way.

A dev server holds a whole site between rebuilds (the Memo's results, the files it
serves): millions of objects at 10,000 articles. CPython's collector walks every one
of them in each full collection, which a rebuild's allocations start now and then:
0.7 to 0.9 s of CPU in the middle of a rebuild, measured at 10,000 articles, a third
of a title edit. So while serving, the young generations are collected as ever (the
short-lived cycles of rendering), but full collections wait for the server to be
idle; and after each rebuild what is alive is moved out of the collector's reach
(``gc.freeze``), so that the young collections of the next rebuild never walk it.
What a later rebuild drops is freed by its reference count, as ever; the few cycles
among it wait for the idle collection (everything unfrozen, collected once and frozen
again), so that memory stays flat over a long session.

The youngest generation is collected after 50,000 new containers instead of 700: a
rebuild after one edit at 10,000 articles makes about that many (the lookups of each
stage, mostly alive until the rebuild ends), which took 130 young and 11 middle
collections, 30 ms of CPU, walking objects that were not garbage. Cycles made by a
larger rebuild are still collected every 50,000 containers, as the idle one does.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

NEVER = 2**30  # a threshold of the oldest generation that automatic collection never meets
YOUNG = 50_000  # new containers between collections of the youngest generation


@dataclass
class Heap:
    """Whether objects were frozen since the last full collection."""

    frozen: bool = False

    def settle(self) -> None:
        """After a rebuild: keep what is alive out of the collector's walks."""
        gc.freeze()
        self.frozen = True

    def idle(self) -> None:
        """While nothing changes: collect what the rebuilds since the last time dropped."""
        if self.frozen:
            gc.unfreeze()
            gc.collect()
            gc.freeze()
            self.frozen = False


@contextmanager
def serving() -> Iterator[Heap]:
    """The collector as a dev server wants it, for as long as it serves: young
    generations collected less often, full collections only in ``Heap.idle``."""
    young, middle, old = gc.get_threshold()
    gc.set_threshold(max(young, YOUNG), middle, NEVER)
    try:
        yield Heap()
    finally:
        gc.set_threshold(young, middle, old)
        gc.unfreeze()
