"""The one cache of the pipeline: results of pure stages, reused while their inputs are equal.

Every cached result sits in a *slot* (a stage's name, with the article slug or page
path it is for) together with the inputs it was computed from. ``get`` returns the
kept result when the new inputs compare equal, else computes, keeps and returns a new
one; ``map`` does the same for many slots of one stage, computing the misses together
(so that they can be computed on every core).

A build is one *generation*. ``sweep``, called after a successful build, forgets every
slot that the build did not ask for: what belonged to a deleted or renamed article, a
page that is gone, a summary that changed. So a long ``briefgen serve`` session keeps
about one build's worth of results, however many edits it sees.

Comparisons check identity first: a result reused from the last build is the same
object, so the next stage's comparison of it costs a pointer comparison.

A Memo may also keep results on disk (``briefgen.build.diskcache``), for the stages
whose call site names their inputs by content (``stored``): a result missing from
memory is then looked up there before it is computed, and kept there once computed.
A cold build from the command line starts with an empty Memo over the disk cache.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from briefgen.build.diskcache import DiskCache

K = TypeVar("K", bound=Hashable)
T = TypeVar("T")


def _same(a: object, b: object) -> bool:
    """Identity first, then equality."""
    return a is b or a == b


class Same:
    """An input that compares equal only to the very same object.

    For an input whose equality costs as much as the site (the Index, compared by all
    its mappings), where a new object means that something may have changed: a slot
    given ``Same(index)`` is then computed again, and its computation compares what it
    takes from the new object in detail. Holding the object, it keeps its identity
    from being reused by another.
    """

    __slots__ = ("value",)

    def __init__(self, value: object) -> None:
        self.value = value

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Same) and other.value is self.value

    def __hash__(self) -> int:
        return id(self.value)


class Memo:
    """Results by slot, with the inputs they were computed from; forgets unused slots."""

    def __init__(self, store: DiskCache | None = None, *, keep: bool = True) -> None:
        """Start empty; ``store`` keeps the results of stored stages on disk; ``keep``
        False: a one-off build, which keeps nothing in memory for a next one."""
        self._slots: dict[Hashable, tuple[object, Any]] = {}
        self._used: set[Hashable] = set()
        # ``map``'s slots, by stage then key: those of the last generation, and those
        # used in this one (which become the kept ones at the sweep)
        self._stages: dict[str, dict[Hashable, tuple[object, Any]]] = {}
        self._fresh: dict[str, dict[Hashable, tuple[object, Any]]] = {}
        self.store = store
        self.keep = keep

    def __len__(self) -> int:
        """How many results are kept."""
        stages = self._stages | self._fresh
        return len(self._slots) + sum(len(slots) for slots in stages.values())

    def get(
        self,
        slot: Hashable,
        inputs: object,
        compute: Callable[[], T],
        stored: Callable[[], str] | None = None,
    ) -> T:
        """``compute()``, or what it gave for equal ``inputs`` in ``slot`` before.

        ``stored()``: the name of the inputs' content in the disk store, if kept there.
        """
        self._used.add(slot)
        hit = self._slots.get(slot)
        if hit is not None and _same(hit[0], inputs):
            return hit[1]  # type: ignore[no-any-return]
        if stored is not None and self.store is not None:
            value = self.store.map([stored()], lambda _: [compute()])[0]
        else:
            value = compute()
        if self.keep:
            self._slots[slot] = (inputs, value)
        return value

    def map(
        self,
        stage: str,
        inputs: Mapping[K, object],
        compute: Callable[[Sequence[K]], Sequence[T]],
        stored: Callable[[K], str] | None = None,
    ) -> dict[K, T]:
        """For each key, its result for equal inputs in slot ``(stage, key)``.

        The keys whose inputs changed are computed together by ``compute(keys)``, which
        returns their results in the same order. ``stored(key)``: the name of a key's
        inputs in the disk store, if the stage's results are kept there.
        """
        # The hot loop of a rebuild (a few per article of the site), kept to a lookup,
        # an identity test and a store per key.
        # A miss holds its place in ``results`` (a dict keeps the order of first
        # insertion), so that the results come in the order of ``inputs`` as they are.
        results: dict[K, Any] = {}
        todo: list[K] = []
        kept = self._stages.get(stage, {})
        fresh: dict[Hashable, tuple[object, Any]] = self._fresh.setdefault(stage, {})
        for key, given in inputs.items():
            hit = fresh.get(key) or kept.get(key)
            if hit is not None and (hit[0] is given or hit[0] == given):
                results[key] = hit[1]
                if self.keep:
                    fresh[key] = hit
            else:
                results[key] = None
                todo.append(key)
        if stored is not None and self.store is not None and todo:
            names = [stored(key) for key in todo]
            made = self.store.map(names, lambda missing: compute([todo[i] for i in missing]))
        else:
            made = list(compute(todo))
        for key, value in zip(todo, made, strict=True):
            if self.keep:
                fresh[key] = (inputs[key], value)
            results[key] = value
        return results

    def carry(self, stage: str, keys: Iterable[Hashable]) -> None:
        """Keep the slots of ``keys`` in ``stage`` for the next generation without looking
        them up: a stage in front of this one found their results whole (by ``Same``),
        and this one is asked only for the others."""
        if not self.keep:
            return
        kept = self._stages.get(stage, {})
        fresh = self._fresh.setdefault(stage, {})
        for key in keys:
            hit = kept.get(key)
            if hit is not None:
                fresh.setdefault(key, hit)

    def sweep(self) -> int:
        """End a generation: forget every slot not used since the last sweep; how many."""
        unused = self._slots.keys() - self._used
        for slot in unused:
            del self._slots[slot]
        self._used = set()
        for stage, slots in self._stages.items():
            fresh = self._fresh.get(stage, {})
            unused |= {(stage, key) for key in slots.keys() - fresh.keys()}
        self._stages, self._fresh = self._fresh, {}
        return len(unused)
