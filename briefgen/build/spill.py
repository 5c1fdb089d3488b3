"""Article renderings kept on disk between a build's two passes, not in its main process.

A build renders every article on every core, then cross-references them and renders
the pages, again on every core. The pages need each article's HTML, but the main
process, which the page workers are forked from, needs only what links the articles
together. So each worker that renders an article appends the whole rendering to a
file of its own in the staging folder's scratch folder (removed before the build is
swapped in) and sends back a light copy (``light``): its HTML, reader text and
notes' block HTML left out, and a ``Kept`` that reads them back where a page or an
annotation file needs them (in the page workers, one article at a time). The main
process never holds the site's HTML, and its light copies hold their article's own
notes and anchors, not the equal copies the workers sent (``shared``).

Feeds are the exception to "one article at a time": every feed carries its newest 20
briefings in full, so with a large glossary (a feed for each term mentioned) the same
newest briefings are carried by thousands of feeds. Each rendering's feed HTML is
therefore kept after it, as UTF-8 text of its own that a feed reads without unpickling
the rendering, and each page worker keeps the feed HTML it read last in a bounded
``Recent`` (owned by the build's ``Spill``, attached to the light copies in the main
process before the page workers are forked, so each worker fills its own copy).

With the build cache, the worker also looks the rendering up there first and keeps
a new one there (``diskcache``), so that the cache is read and written on every core.
The entry holds the light copy first and the whole rendering as its rest: a build
that finds it reads the light copy alone and points it at the entry (``Cached``)
instead of copying the rendering into its scratch file, so a build with nothing
changed neither reads nor writes any article's HTML. Only the pages made again read
the rest; should the entry be gone or damaged by then, the article is rendered again
there (``Shelf.again``), the same bytes. A rendering that cannot be kept (a full disk)
comes back whole, as it did before.
"""

from __future__ import annotations

import errno
import os
import pickle
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field, replace
from pathlib import Path

from markupsafe import Markup

from briefgen.build.diskcache import DiskCache, digest, loads
from briefgen.markdown.renderer import Rendered
from briefgen.model import Article

RECENT_FEEDS = 256  # feed HTML kept by each page worker: a few MB, every feed's newest


class Recent:
    """The feed HTML a process read last, by where it waits, at most ``limit`` of them.

    A pickled ``Recent`` arrives empty: what it holds is its process's own.
    """

    def __init__(self, limit: int = RECENT_FEEDS) -> None:
        """Keep at most ``limit`` feed bodies, the least recently used dropped first."""
        self.limit = limit
        self._held: OrderedDict[Hashable, Markup] = OrderedDict()

    def __reduce__(self) -> tuple[type[Recent], tuple[int]]:
        """Pickled as its limit alone."""
        return Recent, (self.limit,)

    def get(self, key: Hashable, read: Callable[[], Markup]) -> Markup:
        """The feed HTML at ``key``, read only when not held."""
        found = self._held.get(key)
        if found is not None:
            self._held.move_to_end(key)
            return found
        found = self._held[key] = read()
        if len(self._held) > self.limit:
            self._held.popitem(last=False)
        return found


@dataclass(frozen=True, slots=True)
class Kept:
    """Where a whole rendering waits: a stretch of a worker's scratch file, the pickled
    rendering (without its feed HTML) then its feed HTML as UTF-8."""

    path: Path
    offset: int
    size: int  # of the pickled rendering
    name: str  # the rendering's name in the build cache ("" without the cache)
    feed_size: int = 0  # of the feed HTML after it
    recent: Recent | None = field(default=None, compare=False)  # attached by ``Spill.attach``

    def _read(self, offset: int, size: int) -> bytes:
        """Bytes of the scratch file; gone or cut short is a system error (``OSError``,
        reported as the build's writing errors are)."""
        with open(self.path, "rb") as scratch:
            scratch.seek(offset)
            data = scratch.read(size)
        if len(data) != size:
            raise OSError(errno.EIO, "a rendering kept for this build is cut short", str(self.path))
        return data

    def __call__(self) -> Rendered:
        """The whole rendering."""
        data = self._read(self.offset, self.size + self.feed_size)
        found = loads(data[: self.size])
        if not isinstance(found, Rendered):
            raise OSError(errno.EIO, "a rendering kept for this build is cut short", str(self.path))
        return replace(found, feed_html=self._decode(data[self.size :]))

    def feed(self) -> Markup:
        """The rendering's feed HTML alone, from this process's ``Recent`` when held."""
        if self.recent is None:
            return self._feed()
        return self.recent.get((self.path, self.offset), self._feed)

    def _feed(self) -> Markup:
        return self._decode(self._read(self.offset + self.size, self.feed_size))

    def _decode(self, data: bytes) -> Markup:
        try:
            return Markup(data.decode("utf-8"))
        except UnicodeDecodeError:
            damaged = "a feed kept for this build is damaged"
            raise OSError(errno.EIO, damaged, str(self.path)) from None


class Shelf:
    """What a build's light copies read their whole renderings with, in each process:
    the build cache, the renderer (``again(slug)``, for an entry gone since) and the
    ``Recent`` feed HTML. A pickled ``Shelf`` arrives empty: it is the main process's."""

    def __init__(
        self,
        cache: DiskCache | None = None,
        again: Callable[[str], Rendered] | None = None,
        recent: Recent | None = None,
    ) -> None:
        """Read from ``cache``; render an article again with ``again``."""
        self.cache = cache
        self.again = again
        self.recent = recent or Recent()

    def __reduce__(self) -> tuple[type[Shelf], tuple[()]]:
        """Pickled as an empty shelf."""
        return Shelf, ()


@dataclass(frozen=True, slots=True)
class Cached:
    """Where a whole rendering waits in the build cache: the rest of its entry."""

    name: str  # the rendering's name in the build cache (as ``Kept.name``)
    slug: str  # the article's, to render it again should the entry be gone
    shelf: Shelf | None = field(default=None, compare=False)  # attached by ``Spill.attach``

    def __call__(self) -> Rendered:
        """The whole rendering, from the cache or, failing that, rendered again."""
        shelf = self.shelf or Shelf()
        found = shelf.cache.rest(entry_name(self.name)) if shelf.cache is not None else None
        if isinstance(found, Rendered) and found.body is None:
            return found
        if shelf.again is None:
            raise OSError(errno.ENOENT, "a rendering kept for this build is gone", self.slug)
        rendering = shelf.again(self.slug)
        if shelf.cache is not None:  # kept again, for the other files and the next build
            shelf.cache.put(entry_name(self.name), light(rendering, None), rendering)
        return rendering

    def feed(self) -> Markup:
        """The rendering's feed HTML, from this process's ``Recent`` when held."""
        if self.shelf is None:
            return self().feed_html
        return self.shelf.recent.get(self.name, lambda: self().feed_html)


def entry_name(name: str) -> str:
    """The cache entry of a rendering named ``name``: its light copy, then the whole one
    (not the entry of the rendering alone that a build without a scratch folder keeps)."""
    return digest("light rendering", name)


def light(rendering: Rendered, kept: Kept | Cached | None) -> Rendered:
    """``rendering`` without its HTML, reader text and notes' block HTML (the annotation
    files' alone), which ``kept`` reads back."""
    empty = Markup("")
    notes = tuple(replace(note, blocks=empty) for note in rendering.notes)
    return replace(rendering, html=empty, feed_html=empty, text="", gaps=(), notes=notes, body=kept)


def shared(rendering: Rendered, article: Article) -> Rendered:
    """``rendering`` holding its article's own notes and anchors instead of the equal
    copies that came with it from a worker (a build's main process holds both)."""
    sidecar = article.sidecar
    notes = {note: note for note in sidecar.notes}
    anchors = {n.anchor: n.anchor for n in sidecar.notes}
    anchors.update((link.anchor, link.anchor) for link in sidecar.links)
    return replace(
        rendering,
        notes=tuple(replace(n, note=notes.get(n.note, n.note)) for n in rendering.notes),
        landings=tuple(
            replace(x, anchor=anchors.get(x.anchor, x.anchor)) for x in rendering.landings
        ),
    )


class Spill:
    """Renders articles in workers, each keeping its renderings in a scratch file."""

    def __init__(
        self,
        folder: Path,
        cache: DiskCache | None,
        name: Callable[[str], str],
        again: Callable[[str], Rendered] | None = None,
    ) -> None:
        """Scratch files in ``folder``; ``cache``: the build cache, where ``name(slug)``
        names an article's rendering; ``again(slug)``: the article rendered again."""
        self.folder = folder
        self.cache = cache
        self.name = name
        self._files: dict[int, tuple[int, int]] = {}  # process id -> descriptor, size
        self._paths: dict[Path, Path] = {}  # each scratch file's path, held once
        self.shelf = Shelf(cache, again)
        self.recent = self.shelf.recent

    def attach(self, rendering: Rendered, article: Article) -> Rendered:
        """In the main process: a light copy that reads through the build's ``shelf``
        (one for all, copied into each page worker as it is forked), holding the
        article's own notes and anchors, and one path for each scratch file."""
        rendering = shared(rendering, article)
        if isinstance(rendering.body, Kept):
            path = self._paths.setdefault(rendering.body.path, rendering.body.path)
            kept = replace(rendering.body, path=path, recent=self.recent)
            return replace(rendering, body=kept)
        if isinstance(rendering.body, Cached):
            return replace(rendering, body=replace(rendering.body, shelf=self.shelf))
        return rendering

    def render(self, render: Callable[[Article], Rendered], article: Article) -> Rendered:
        """In a worker: the article's rendering as a light copy, pointing at its cache
        entry when it was there, else kept in the scratch file (and in the cache)."""
        name = self.name(article.slug) if self.cache is not None else ""
        if self.cache is not None:
            found = self.cache.get(entry_name(name))
            if isinstance(found, Rendered) and found.body is None:
                return replace(found, body=Cached(name, article.slug))
        rendering = render(article)
        if self.cache is not None:
            self.cache.put(entry_name(name), light(rendering, None), rendering)
        try:
            return light(rendering, self._keep(rendering, name))
        except OSError:  # a scratch file that cannot be written: kept in memory instead
            return rendering

    def _keep(self, rendering: Rendered, name: str) -> Kept:
        """Append the rendering to this process's scratch file."""
        pid = os.getpid()
        if pid not in self._files:
            self.folder.mkdir(mode=0o700, exist_ok=True)
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
            self._files[pid] = (os.open(self.folder / f"{pid}.pickle", flags, 0o600), 0)
        fd, size = self._files[pid]
        feed = str(rendering.feed_html).encode("utf-8")
        whole = pickle.dumps(replace(rendering, feed_html=Markup("")), protocol=5)
        data = whole + feed
        written = 0
        try:
            while written < len(data):
                written += os.write(fd, data[written:])
        except OSError:
            os.ftruncate(fd, size)  # what was appended in part is cut off again
            raise
        self._files[pid] = (fd, size + len(data))
        return Kept(self.folder / f"{pid}.pickle", size, len(whole), name, len(feed))

    def close(self) -> None:
        """Close this process's scratch file (the workers' close as they end)."""
        kept = self._files.pop(os.getpid(), None)
        if kept is not None:
            os.close(kept[0])
