"""The build cache on disk: results of pure stages, kept between builds by their inputs.

The cache is a folder the user may delete at any time (``.briefgen-cache/`` in the
site, git-ignored; ``briefgen build --no-cache`` neither reads nor writes it). It is
content-addressed: an entry's name is the BLAKE2b hash of everything its result is
computed from (briefgen's version, the stage, and the stage's inputs: file bytes,
settings, the glossary, ...), so an entry is never stale, only unused, and a build
gives the same bytes whatever the cache holds.

An entry is a header (a magic string, then for each of its two parts the part's length
and its BLAKE2b digest) and the parts: the result, then optionally a *rest* that is read
only when asked for (``put(name, value, rest)``, ``rest(name)``: a rendering's light
part, read by every build, and its HTML, read only by the pages made again). Each part
is pickled and compressed, with the fields of each data class in it as the writing
briefgen had them, pickled too (an entry whose classes have other fields now is
foreign: the check compares a few names once per process for each kind of entry, never
walks the result). An entry that is truncated,
corrupt or unreadable is ignored, removed and computed again, never trusted. Results
are unpickled with an allowlist of the types a stage returns (briefgen's frozen data
classes, ``Markup``, dates): a crafted entry cannot name any other callable, so it
cannot run code. The folder must be a real folder inside the site (never a link);
entries are written to a temporary name and renamed into place, so a killed build
leaves no half-written entry.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import hashlib
import importlib
import io
import os
import pickle
import secrets
import stat
import sys
import zlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from markupsafe import Markup

from briefgen import __version__
from briefgen.build import slotted
from briefgen.build.slotted import Reductions, Restorer

FOLDER = ".briefgen-cache"
MAGIC = b"briefgen-cache 3\n"
DIGEST = 32  # bytes of BLAKE2b
PART = 8 + DIGEST  # a part's length and digest, in the header
HEADER = len(MAGIC) + 2 * PART
ALLOWED = {("markupsafe", "Markup"): Markup, ("datetime", "date"): dt.date}

R = TypeVar("R")


def digest(*parts: object) -> str:
    """The name of the entry for ``parts``: a stage's name and its inputs, pickled."""
    data = pickle.dumps((__version__, parts), protocol=5)
    return hashlib.blake2b(data, digest_size=DIGEST).hexdigest()


class _Unpickler(pickle.Unpickler):
    """Unpickles only briefgen's data classes and the few types they hold."""

    def __init__(self, data: io.BytesIO, classes: dict[tuple[str, str], Any]) -> None:
        """Read ``data``; ``classes``: the classes found so far, by module and name."""
        super().__init__(data)
        self._classes = classes

    def find_class(self, module: str, name: str) -> Any:
        """The class named, if it is one a cached result may hold."""
        found = self._classes.get((module, name))
        if found is None:
            found = self._classes[(module, name)] = _allowed(module, name)
        return found


def _allowed(module: str, name: str) -> Any:
    """The class named, if it is one a cached result may hold; else UnpicklingError.

    ``slotted.restore`` is the one function named: each unpickler's own ``Restorer``."""
    if (module, name) in ALLOWED:
        return ALLOWED[(module, name)]
    if (module, name) == (slotted.__name__, "restore"):
        return Restorer()
    if module.startswith("briefgen.") and "." not in name:
        owner = sys.modules.get(module) or importlib.import_module(module)
        found = getattr(owner, name, None)
        if isinstance(found, type) and dataclasses.is_dataclass(found):
            return found
    raise pickle.UnpicklingError(f"{module}.{name} is not a cached type")


Shapes = dict[str, tuple[str, ...]]  # "module:Class" -> its shape, as the writer had it
SLOTS = "__slots__"  # a shape's last name when the class has slots


def _shape(kind: type) -> tuple[str, ...]:
    """How a data class pickles: its fields, then ``SLOTS`` when it has slots (a slotted
    class reads the state of an unslotted one without failing, into the wrong fields)."""
    names = tuple(f.name for f in dataclasses.fields(kind))
    return (*names, SLOTS) if SLOTS in vars(kind) else names


def _shapes(value: object) -> Shapes:
    """The shape of every data class in ``value``, as this briefgen defines it: kept
    with the entry, so that a briefgen whose classes have other fields finds it foreign
    by comparing a few names, without walking the value again."""
    found: Shapes = {}
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, (tuple, list, frozenset, set)):
            stack.extend(item)
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif dataclasses.is_dataclass(item) and not isinstance(item, type):
            kind = type(item)
            key = f"{kind.__module__}:{kind.__qualname__}"
            names = found.setdefault(key, _shape(kind))
            stack.extend(getattr(item, name) for name in names if name != SLOTS)
    return found


def _same_shapes(shapes: object) -> bool:
    """Whether every class ``shapes`` names has the fields it names (its module is loaded:
    unpickling the entry found the class)."""
    if not isinstance(shapes, dict):
        return False
    for key, fields in shapes.items():
        module, _, name = str(key).partition(":")
        kind = getattr(sys.modules.get(module), name, None)
        if not (isinstance(kind, type) and dataclasses.is_dataclass(kind)):
            return False
        if _shape(kind) != fields:
            return False
    return True


def loads(data: bytes, classes: dict[tuple[str, str], Any] | None = None) -> object:
    """Unpickle ``data`` with the allowlist of cached types (``classes``: those found
    already, filled as more are)."""
    return _Unpickler(io.BytesIO(data), {} if classes is None else classes).load()


def _part(value: object, reductions: Reductions) -> bytes:
    """A part of an entry: ``value`` with the shapes of its data classes, pickled (with
    ``reductions``) and compressed."""
    shapes = pickle.dumps(_shapes(value), protocol=5)
    data = io.BytesIO()
    pickler = pickle.Pickler(data, protocol=5)
    pickler.dispatch_table = reductions
    pickler.dump((shapes, value))
    return zlib.compress(data.getbuffer(), 1)


def _header(payload: bytes) -> bytes:
    """A part's length and digest."""
    check = hashlib.blake2b(payload, digest_size=DIGEST).digest()
    return len(payload).to_bytes(8, "big") + check


class DiskCache:
    """Entries in a folder, by name; a missing folder is made on the first write."""

    def __init__(self, site_dir: Path, folder: str = FOLDER) -> None:
        """The cache of the site in ``site_dir``, in its ``folder`` (FOLDER)."""
        self.site_dir = site_dir
        self.folder = site_dir / folder
        self.hits = self.misses = 0
        self._classes: dict[tuple[str, str], Any] = {}  # the cached types found so far
        self._reductions = Reductions()
        self._known: set[bytes] = set()  # the shapes of data classes found to be this one's

    def get(self, name: str) -> object | None:
        """The result kept under ``name``, or None (a bad entry is removed)."""
        return self._get(name, rest=False)

    def rest(self, name: str) -> object | None:
        """The rest kept with the result under ``name``, or None (none, or a bad entry,
        removed)."""
        return self._get(name, rest=True)

    def _get(self, name: str, *, rest: bool) -> object | None:
        """One part of the entry ``name``, checked, or None."""
        found = self._read(name, rest)
        if found is None:
            self.misses += 1
            return None
        try:
            header, payload = found
            if rest and header == bytes(PART):
                self.misses += 1
                return None  # an entry without a rest
            check = hashlib.blake2b(payload, digest_size=DIGEST).digest()
            if header != len(payload).to_bytes(8, "big") + check:
                raise ValueError("corrupt entry")
            entry = loads(zlib.decompress(payload), self._classes)
            if not (isinstance(entry, tuple) and len(entry) == 2 and type(entry[0]) is bytes):
                raise ValueError("not an entry")
            shapes: bytes = entry[0]
            value: object = entry[1]
            if shapes not in self._known:
                if not _same_shapes(loads(shapes, self._classes)):
                    raise ValueError("an entry of data classes of another shape")
                self._known.add(shapes)
        except Exception:  # truncated, corrupt or foreign: never trusted
            self.misses += 1
            self._remove(self._path(name))
            return None
        self.hits += 1
        return value

    def put(self, name: str, value: object, rest: object = None) -> bool:
        """Keep ``value`` under ``name``, with a ``rest`` read only by ``rest(name)``; a
        cache that cannot be written is left alone (False)."""
        first = _part(value, self._reductions)
        second = _part(rest, self._reductions) if rest is not None else b""
        tail = _header(second) if second else bytes(PART)
        data = MAGIC + _header(first) + tail + first + second
        path = self._path(name)
        temp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
        try:
            self._folder(path.parent)
            fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644)
            with os.fdopen(fd, "wb") as entry:
                entry.write(data)
            os.replace(temp, path)
        except OSError:
            self._remove(temp)
            return False
        return True

    def map(self, names: Sequence[str], compute: Callable[[list[int]], Sequence[R]]) -> list[R]:
        """For each name its kept result; the missing ones computed together and kept.

        ``compute(indices)`` returns the results of the missing indices, in order.
        """
        found: list[Any] = [self.get(name) for name in names]
        missing = [i for i, value in enumerate(found) if value is None]
        for i, value in zip(missing, compute(missing) if missing else (), strict=True):
            self.put(names[i], value)
            found[i] = value
        return found

    def _read(self, name: str, rest: bool) -> tuple[bytes, bytes] | None:
        """The header of a part of the entry ``name`` (its length and digest) and the part's
        bytes (as many as there are), if the entry is a regular file reached by no link;
        an entry of another format has an empty header."""
        flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC
        try:
            top = os.open(self.folder, flags | os.O_DIRECTORY)
            try:
                below = os.open(name[:2], flags | os.O_DIRECTORY, dir_fd=top)
                try:  # never a link, and never blocked by a pipe
                    fd = os.open(name[2:], flags | os.O_NONBLOCK, dir_fd=below)
                finally:
                    os.close(below)
            finally:
                os.close(top)
            with os.fdopen(fd, "rb", buffering=0) as entry:
                found = os.fstat(fd)
                if not stat.S_ISREG(found.st_mode):
                    return None
                head = entry.read(HEADER) or b""
                first = int.from_bytes(head[len(MAGIC) : len(MAGIC) + 8], "big")
                second = int.from_bytes(head[len(MAGIC) + PART : len(MAGIC) + PART + 8], "big")
                if not head.startswith(MAGIC) or found.st_size != HEADER + first + second:
                    return b"", b""  # another format, cut short or grown: never trusted
                at = len(MAGIC) + PART if rest else len(MAGIC)
                size = second if rest else first
                if rest:
                    entry.seek(HEADER + first)
                return head[at : at + PART], entry.read(size) or b""
        except (OSError, OverflowError):
            return None

    def _path(self, name: str) -> Path:
        """Where the entry ``name`` lives: in a folder of its first two characters."""
        return self.folder / name[:2] / name[2:]

    def _folder(self, folder: Path) -> None:
        """Make the cache's folders as needed, refusing a link or a file in their place.

        The cache folder ignores itself in git (its own .gitignore says ``*``).
        """
        for path in (self.folder, folder):
            try:
                path.mkdir(mode=0o755)
            except FileExistsError:
                if not stat.S_ISDIR(os.lstat(path).st_mode):
                    raise NotADirectoryError(path) from None
            if path == self.folder and not os.path.lexists(path / ".gitignore"):
                flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW
                try:
                    fd = os.open(path / ".gitignore", flags, 0o644)
                except FileExistsError:
                    continue  # another worker made it just now
                with os.fdopen(fd, "w") as rules:
                    rules.write("# the build cache of briefgen: safe to delete\n*\n")

    @staticmethod
    def _remove(path: Path) -> None:
        """Remove an entry, if it can be."""
        with contextlib.suppress(OSError):
            path.unlink()
