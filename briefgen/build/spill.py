"""Article renderings kept on disk between a build's two passes, not in its main process.

A build renders every article on every core, then cross-references them and renders
the pages, again on every core. The pages need each article's HTML, but the main
process, which the page workers are forked from, needs only what links the articles
together. So each worker that renders an article appends the whole rendering to a
file of its own in the staging folder's scratch folder (removed before the build is
swapped in) and sends back a light copy (``light``): its HTML and reader text left
out, and a ``Kept`` that reads them back where a page or an annotation file needs
them (in the page workers, one article at a time). The main process never holds the
site's HTML.

With the build cache, the worker also looks the rendering up there first and keeps
a new one there (``diskcache``), so that the cache is read and written on every core.
A rendering that cannot be kept (a full disk) comes back whole, as it did before.
"""

from __future__ import annotations

import errno
import os
import pickle
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from markupsafe import Markup

from briefgen.build.diskcache import DiskCache, loads
from briefgen.markdown.renderer import Rendered
from briefgen.model import Article


@dataclass(frozen=True)
class Kept:
    """Where a whole rendering waits: a stretch of a worker's scratch file."""

    path: Path
    offset: int
    size: int
    name: str  # the rendering's name in the build cache ("" without the cache)

    def __call__(self) -> Rendered:
        """The whole rendering; a scratch file gone or cut short is a system error
        (``OSError``, reported as the build's writing errors are)."""
        with open(self.path, "rb") as scratch:
            scratch.seek(self.offset)
            data = scratch.read(self.size)
        found = loads(data) if len(data) == self.size else None
        if not isinstance(found, Rendered):
            raise OSError(errno.EIO, "a rendering kept for this build is cut short", str(self.path))
        return found


def light(rendering: Rendered, kept: Kept) -> Rendered:
    """``rendering`` without its HTML and reader text, which ``kept`` reads back."""
    empty = Markup("")
    return replace(rendering, html=empty, feed_html=empty, text="", gaps=(), body=kept)


class Spill:
    """Renders articles in workers, each keeping its renderings in a scratch file."""

    def __init__(self, folder: Path, cache: DiskCache | None, name: Callable[[str], str]) -> None:
        """Scratch files in ``folder``; ``cache``: the build cache, where ``name(slug)``
        names an article's rendering."""
        self.folder = folder
        self.cache = cache
        self.name = name
        self._files: dict[int, tuple[int, int]] = {}  # process id -> descriptor, size

    def render(self, render: Callable[[Article], Rendered], article: Article) -> Rendered:
        """In a worker: the article's rendering, kept in the scratch file, as a light copy."""
        name = self.name(article.slug) if self.cache is not None else ""
        found = self.cache.get(name) if self.cache is not None else None
        rendering = found if isinstance(found, Rendered) else render(article)
        if self.cache is not None and found is None:
            self.cache.put(name, rendering)
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
        data = pickle.dumps(rendering, protocol=5)
        written = 0
        try:
            while written < len(data):
                written += os.write(fd, data[written:])
        except OSError:
            os.ftruncate(fd, size)  # what was appended in part is cut off again
            raise
        self._files[pid] = (fd, size + len(data))
        return Kept(self.folder / f"{pid}.pickle", size, len(data), name)

    def close(self) -> None:
        """Close this process's scratch file (the workers' close as they end)."""
        kept = self._files.pop(os.getpid(), None)
        if kept is not None:
            os.close(kept[0])
