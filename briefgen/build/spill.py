"""Article renderings kept on disk between a build's two passes, not in its main process.

A build renders every article on every core, then cross-references them and renders
the pages, again on every core. The pages need each article's HTML, but the main
process, which the page workers are forked from, needs only what links the articles
together. So each worker that renders an article keeps the whole rendering on disk
and sends back a light copy (``light``): its HTML and reader text left out, and a
``Kept`` that fetches them where a page or an annotation file needs them (in the page
workers, one article at a time). The main process then never holds the site's HTML.

The renderings are kept in the site's build cache (``diskcache``), where a later build
finds them, or with ``--no-cache`` in a scratch folder of the staging folder, removed
before the build is swapped in. A rendering that cannot be kept comes back whole.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from markupsafe import Markup

from briefgen.build.diskcache import DiskCache
from briefgen.markdown.renderer import Rendered
from briefgen.model import Article


@dataclass(frozen=True)
class Kept:
    """Where a whole rendering waits: an entry of a cache folder."""

    root: Path
    folder: str
    name: str

    def __call__(self) -> Rendered:
        """The whole rendering; its loss during the build is a system error."""
        found = DiskCache(self.root, self.folder).get(self.name)
        if not isinstance(found, Rendered):
            path = os.path.join(self.root, self.folder, self.name)
            raise FileNotFoundError(errno.ENOENT, "a rendering of this build is gone", path)
        return found


def light(rendering: Rendered, kept: Kept) -> Rendered:
    """``rendering`` without its HTML and reader text, which ``kept`` fetches."""
    empty = Markup("")
    return replace(rendering, html=empty, feed_html=empty, text="", gaps=(), body=kept)


@dataclass(frozen=True)
class Spill:
    """Renders articles and keeps each rendering on disk, under its cache name.

    ``lookup``: the folder is the site's build cache, where an earlier build may have
    kept the rendering already (then it is not rendered again).
    """

    store: DiskCache
    lookup: bool
    name: Callable[[str], str]  # an article's slug -> the name of its rendering

    def render(self, render: Callable[[Article], Rendered], article: Article) -> Rendered:
        """In a worker: the article's rendering, kept on disk, as a light copy."""
        name = self.name(article.slug)
        found = self.store.get(name) if self.lookup else None
        if isinstance(found, Rendered):
            return light(found, self._kept(name))
        rendering = render(article)
        if not self.store.put(name, rendering):
            return rendering
        return light(rendering, self._kept(name))

    def _kept(self, name: str) -> Kept:
        """Where the entry ``name`` is fetched from."""
        return Kept(self.store.site_dir, self.store.folder.name, name)
