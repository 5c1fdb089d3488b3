"""Reusing the previous build's unchanged files: a hard link instead of a render.

With the build cache, each page and annotation file is named by the digest of
everything it is made from (``inputs_digest``: the template files, the settings, the
page's variables; an article's body by the name of its rendering in the cache, as
``spill.Kept`` says). After a successful build the cache keeps, for its output folder,
a record of each staged file: that digest, and the file's inode, size and modification
time. The next build links a file of the old build into its staging folder, instead
of rendering and writing it, when its digest is the same and the old file is still
the very file recorded (a regular file, same inode, size and time): a file edited or
replaced in the output folder is made again. Linking never changes the old build,
so a failed build still leaves it as it was.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import io
import operator
import os
import pickle
import stat
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from briefgen import __version__
from briefgen.build.diskcache import DiskCache, digest
from briefgen.build.spill import Cached, Kept
from briefgen.markdown.renderer import Rendered
from briefgen.output import OutputFile, Stage
from briefgen.site.views import ArticleView, Entry, Ref, TermView

Record = tuple[str, int, int, int]  # a file's inputs digest, its inode, size and mtime_ns


def _kept_name(kept: Kept | Cached) -> tuple[type[str], tuple[str]]:
    """A kept rendering, pickled as the name of its content (not where it waits: a
    scratch file or the cache give the same digest)."""
    return str, (f"kept {kept.name}",)


def _rendering(rendering: Rendered) -> str | tuple[Any, ...]:
    """A light rendering is the name of the whole one, which it is made from."""
    if isinstance(rendering.body, (Kept, Cached)) and rendering.body.name:
        return _kept_name(rendering.body)
    return rendering.__reduce_ex__(5)


def _digested(digest: bytes) -> bytes:
    """What a shared view stands for in the digests of the files that show it: its own
    digest (only ever named by a reduction, never called)."""
    return digest


SHARED = (ArticleView, Entry, TermView, Ref)  # the views that many pages show


class Digests:
    """The digests of what files are made from, in one process (``inputs_digest``).

    Everything is pickled without memo, so that equal values give equal bytes, shared
    or not; a data class as its class and field values. A view that many pages show
    (``SHARED``: an article's view in feeds, its entry in lists, a glossary entry, a
    reference) is digested once in the process and stands in each page's digest as
    that digest: the views are immutable and held here, so their ids stay theirs.
    """

    def __init__(self) -> None:
        """No view digested yet."""
        self._known: dict[int, tuple[object, bytes]] = {}
        self._table = _Reductions(self)

    def __call__(self, *parts: object) -> str:
        """The digest of ``parts``, what a file is made from (a kept rendering by its name)."""
        return self._digest((__version__, parts)).hex()

    def _digest(self, value: object) -> bytes:
        """BLAKE2b of ``value`` pickled with this process's reductions."""
        data = io.BytesIO()
        pickler = pickle.Pickler(data, protocol=5)
        pickler.dispatch_table = self._table
        pickler.fast = True  # no memo: equal values give equal bytes, shared or not (no cycles)
        pickler.dump(value)
        return hashlib.blake2b(data.getvalue(), digest_size=32).digest()

    def shared(self, view: object, fields: Callable[[Any], tuple[Any, ...]]) -> bytes:
        """The digest of a shared view: its class and ``fields``, digested once."""
        known = self._known.get(id(view))
        if known is None:
            known = self._known[id(view)] = (view, self._digest((type(view), fields(view))))
        return known[1]


class _Reductions(dict[type, Callable[[Any], Any]]):
    """How each type is pickled for a digest, found once per type."""

    def __init__(self, digests: Digests) -> None:
        super().__init__({Kept: _kept_name, Cached: _kept_name, Rendered: _rendering})
        self._digests = digests

    def __missing__(self, kind: type) -> Callable[[Any], Any]:
        reduce: Callable[[Any], Any]
        if isinstance(kind, type) and dataclasses.is_dataclass(kind):
            names = tuple(f.name for f in dataclasses.fields(kind))
            get = operator.attrgetter(*names) if names else lambda value: ()
            fields = get if len(names) != 1 else lambda value: (get(value),)
            if issubclass(kind, SHARED):
                shared = partial(self._digests.shared, fields=fields)
                reduce = lambda view: (_digested, (shared(view),))  # noqa: E731
            else:
                reduce = lambda value: (kind, fields(value))  # noqa: E731
        else:  # what pickle itself does without a table
            reduce = operator.methodcaller("__reduce_ex__", 5)
        self[kind] = reduce
        return reduce


def inputs_digest(*parts: object) -> str:
    """The digest of what a file is made from (a kept rendering by its name), alone."""
    return Digests()(*parts)


def record_name(out_dir: Path) -> str:
    """The cache's name for the records of the build in ``out_dir``."""
    return digest("output records", str(out_dir.resolve()))


@dataclass(frozen=True)
class Previous:
    """The files of the last build of an output folder, by path."""

    out: Path
    records: Mapping[str, Record]

    def link(self, stage: Stage, path: str, inputs: str) -> Record | None:
        """Link the old file at ``path`` into the stage when its ``inputs`` are the same."""
        record = self.records.get(path)
        if record is None or record[0] != inputs:
            return None
        source = self.out / path
        try:
            found = os.lstat(source)
            if not stat.S_ISREG(found.st_mode):
                return None
            if (found.st_ino, found.st_size, found.st_mtime_ns) != record[1:]:
                return None
            stage.link(path, source)
        except OSError:
            return None
        return record


def record_of(stage: Stage, path: str, inputs: str) -> Record | None:
    """The record of a file just staged, for the next build."""
    try:
        found = os.lstat(stage.folder / path)
    except OSError:
        return None
    return (inputs, found.st_ino, found.st_size, found.st_mtime_ns)


def previous(store: DiskCache, out_dir: Path) -> Previous | None:
    """What the cache recorded of the last build in ``out_dir``, if anything."""
    records = store.get(record_name(out_dir))
    if not isinstance(records, dict):
        return None
    return Previous(out_dir.resolve(), records)


def keep_records(store: DiskCache, out_dir: Path, files: list[OutputFile]) -> None:
    """Record the files of the build just swapped in, for the next build."""
    records = {f.path: f.record for f in files if f.record is not None}
    with contextlib.suppress(OSError):
        store.put(record_name(out_dir), records)
