"""Slotted data classes pickled by their field values, for the build cache.

dataclasses give a slotted class a ``__setstate__`` that lists the class's fields again
for every object it rebuilds; a cache entry holds thousands of such objects. An entry
instead names ``restore`` with the class and its field values (``Reductions``), and
the cache's unpickler rebuilds them with a ``Restorer``, which finds each class's
fields once. Which classes may be named at all is the cache's allowlist
(``diskcache._allowed``).
"""

from __future__ import annotations

import dataclasses
import operator
import pickle
from collections.abc import Callable
from typing import Any


def restore(kind: type, values: tuple[Any, ...]) -> object:
    """A slotted data class from its field values: what a part names to rebuild one
    (unpickling calls a ``Restorer`` instead, which finds each class's fields once)."""
    return Restorer()(kind, values)


class Restorer:
    """Slotted data classes rebuilt from their field values, as pickled by ``Reductions``:
    each class's field names found once, not once per object (as the ``__setstate__``
    that dataclasses give slotted classes does)."""

    def __init__(self) -> None:
        """No class met yet."""
        self._names: dict[type, tuple[str, ...]] = {}

    def __call__(self, kind: type, values: tuple[Any, ...]) -> object:
        """An object of the data class ``kind`` (already allowed) with ``values``."""
        names = self._names.get(kind)
        if names is None:
            if not (isinstance(kind, type) and dataclasses.is_dataclass(kind)):
                raise pickle.UnpicklingError(f"{kind!r} is not a data class")
            names = self._names[kind] = tuple(f.name for f in dataclasses.fields(kind))
        if type(values) is not tuple or len(values) != len(names):
            raise pickle.UnpicklingError(f"not the fields of {kind.__qualname__}")
        made: object = object.__new__(kind)
        for name, value in zip(names, values, strict=True):
            object.__setattr__(made, name, value)
        return made


class Reductions(dict[type, Callable[[Any], Any]]):
    """How each type is pickled into an entry, found once per type: a slotted data class
    as ``restore`` of its field values, anything else as pickle would."""

    def __missing__(self, kind: type) -> Callable[[Any], Any]:
        reduce: Callable[[Any], Any]
        if dataclasses.is_dataclass(kind) and "__slots__" in vars(kind):
            names = tuple(f.name for f in dataclasses.fields(kind))
            get = operator.attrgetter(*names) if names else lambda value: ()
            fields = get if len(names) != 1 else lambda value: (get(value),)
            reduce = lambda value: (restore, (kind, fields(value)))  # noqa: E731
        else:
            reduce = operator.methodcaller("__reduce_ex__", 5)
        self[kind] = reduce
        return reduce
