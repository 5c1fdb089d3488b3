"""The URL scheme: where every page is written and how every page and entry is linked.

One ``UrlScheme`` is made at the start of each build from site.yaml's ``base_url`` and
the content (the fragment id of every glossary entry). Every stage that writes a path
or a link asks it: the Markdown renderer (phrase links, term links), the
cross-references (article, tag and term links), the site model, the page planner and
the feeds. No other module spells a path.

The scheme, below base_url's path prefix (``/briefing/`` in the examples):

============================  ==================================
page                          output file
============================  ==================================
front page, its page N        ``index.html``, ``page/N/index.html``
an article                    ``<slug>/index.html``
its notes, W3C annotations    ``<slug>/annotations.jsonld``
every note (annotate export)  ``annotations.jsonld`` (its id; not built)
the glossary, an entry        ``glossary/index.html``, ``#<id>``
the list of tags              ``tags/index.html``
a tag, its page N             ``tags/<tag>/index.html``, ``tags/<tag>/page/N/index.html``
a tag's feed                  ``tags/<tag>/feed.xml``
a glossary entry's feed       ``glossary/<id>/feed.xml``
the search page               ``search/index.html``
the search index (Pagefind)   ``pagefind/``
404, feeds, sitemap, robots   ``404.html``, ``feed.xml``, ``feed.json``, ``sitemap.xml``,
                              ``robots.txt``
a static file                 ``static/<path>``
a stylesheet or script        ``assets/<name>.<hash>.css``, ``assets/<name>.<hash>.js``
============================  ==================================

A page in a folder is linked by its folder (``/briefing/kharkiv/``). Article slugs are
ASCII (``SLUG_RE``, ``slugify``); tags and glossary entries may be in any script and
become a path segment or fragment id by ``segment``: letters, marks and digits of any
script, lowercased, with one hyphen for each run of anything else ("Россия" ->
"россия", "Belt and Road" -> "belt-and-road"). Files are written under that name;
links carry it percent-encoded (UTF-8), as RFC 3986 asks.

Every address that comes from outside the site is checked in ``briefgen.urlcheck``.
"""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import quote, urlsplit

from briefgen.model import Content, TermKey

SLUG_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")
MAX_SEGMENT_BYTES = 255  # the longest file name most file systems take, in UTF-8 bytes
# What static hosts serve for a folder, and for a path that is not there.
INDEX = "index.html"
NOT_FOUND = "404.html"
SEARCH_BUNDLE = "pagefind/"  # written by Pagefind into the staged build
ASSETS = "assets/"  # stylesheets and scripts under content-hashed names


@functools.lru_cache(maxsize=65536)
def slugify(text: str) -> str:
    """ASCII, lowercase, hyphen-separated: "Belt and Road" -> "belt-and-road"."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


# Ids an article page gives its own elements: note marks and sidenotes, term tooltips,
# footnotes and the built-in theme's sections. A heading never takes one of them.
_PAGE_IDS = re.compile(
    r"(?:ref|note|note-toggle|tip)-\d+|fn(?:ref)?\d+(?::\d+)?"
    r"|main-content|related-heading|backlinks-heading|terms-heading"
)
_APOSTROPHES = str.maketrans("", "", "'\u2019\u02bc")


def heading_id(text: str) -> str:
    """A heading's fragment id: its words, lowercase, joined by hyphens ("Why it matters").

    Letters of any script are kept ("Лавров" -> "лавров"); apostrophes go ("Xi's visit"
    -> "xis-visit"); a heading without words is "section". An id the page uses for
    something else (``note-1``, ``fn2``) gets a "section-" prefix. The Markdown plugin
    makes repeated ids unique with a suffix: "-1", "-2".
    """
    words = re.findall(
        r"[^\W_]+", unicodedata.normalize("NFKC", text).casefold().translate(_APOSTROPHES)
    )
    ident = "-".join(words) or "section"
    return f"section-{ident}" if _PAGE_IDS.fullmatch(ident) else ident


@functools.lru_cache(maxsize=65536)
def segment(text: str) -> str:
    """A name as one path segment: "Россия" -> "россия", "Belt and Road" -> "belt-and-road".

    Letters and digits of any script, with the marks that follow them, lowercased after
    Unicode NFC; every run of other characters between them becomes one hyphen.
    """
    out: list[str] = []
    gap = False
    for ch in unicodedata.normalize("NFC", text).lower():
        group = unicodedata.category(ch)[0]
        if group in "LN" or (group == "M" and out and not gap):
            if gap and out:
                out.append("-")
            out.append(ch)
            gap = False
        else:
            gap = True
    return "".join(out)


def segment_problem(name: str) -> tuple[str, str] | None:
    """Why a tag cannot be a path segment, and the fix; or None."""
    made = segment(name)
    size = len(made.encode("utf-8"))
    if not made:
        return f"tag {name!r} has no letters or digits", "write it with letters or digits"
    if size > MAX_SEGMENT_BYTES:
        what = f"tag {name[:40]!r}... is too long: {size} bytes as a file name, at most 255"
        return what, "shorten it to a few words"
    return None


def rebase(base_url: str, origin: str) -> str:
    """``base_url`` moved to another origin, keeping its path prefix (for the dev server)."""
    return origin + urlsplit(base_url).path


@dataclass(frozen=True)
class Address:
    """Where a page is written and how it is linked."""

    path: str  # the output file, relative to the build root: "kharkiv/index.html"
    href: str  # root-relative, with base_url's path prefix: "/briefing/kharkiv/"
    url: str  # absolute: "https://example.org/briefing/kharkiv/"


@dataclass(frozen=True)
class UrlScheme:
    """Every output path and link of one site."""

    base_url: str  # absolute, ending in "/"
    term_ids: Mapping[TermKey, str] = field(default_factory=dict)

    @property
    def prefix(self) -> str:
        """The path part of base_url, e.g. "/briefing/" (always starts and ends with "/")."""
        return urlsplit(self.base_url).path

    def href(self, path: str) -> str:
        """Root-relative URL of a site path ("kharkiv/" -> "/briefing/kharkiv/")."""
        return self.prefix + path.lstrip("/")

    def abs_url(self, path: str) -> str:
        """Absolute URL of a site path."""
        return self.base_url + path.lstrip("/")

    def _folder(self, folder: str) -> Address:
        """The page of a folder ("" or "kharkiv/"): its index.html, linked by the folder."""
        link = quote(folder)
        return Address(folder + INDEX, self.href(link), self.abs_url(link))

    def _file(self, path: str) -> Address:
        """A page or file that is linked by its own name."""
        link = quote(path)
        return Address(path, self.href(link), self.abs_url(link))

    def front(self, page: int = 1) -> Address:
        """The front page, or its page ``page`` when the list is paginated."""
        return self._folder(_paged("", page))

    def article(self, slug: str) -> Address:
        """An article's page."""
        return self._folder(f"{slug}/")

    def annotations(self, slug: str) -> Address:
        """An article's notes as a W3C Web Annotation collection, beside its page."""
        return self._file(f"{slug}/annotations.jsonld")

    @property
    def site_annotations(self) -> Address:
        """Every article's notes in one collection (``briefgen annotate export`` writes it)."""
        return self._file("annotations.jsonld")

    def tag(self, slug: str, page: int = 1) -> Address:
        """A tag's page (``slug`` is the tag's ``segment``), or its page ``page``."""
        return self._folder(_paged(f"tags/{slug}/", page))

    @property
    def tags(self) -> Address:
        """The list of every tag."""
        return self._folder("tags/")

    @property
    def glossary(self) -> Address:
        """The glossary page."""
        return self._folder("glossary/")

    def term_id(self, key: TermKey) -> str:
        """The fragment id of a glossary entry on the glossary page."""
        return self.term_ids[key]

    def term(self, key: TermKey) -> str:
        """The link to a glossary entry."""
        return f"{self.glossary.href}#{quote(self.term_ids[key], safe='')}"

    @property
    def not_found(self) -> Address:
        """The 404 page that static hosts serve for a missing path."""
        return self._file(NOT_FOUND)

    @property
    def feed(self) -> Address:
        """The Atom feed of every briefing."""
        return self._file("feed.xml")

    @property
    def json_feed(self) -> Address:
        """The JSON Feed of every briefing."""
        return self._file("feed.json")

    def tag_feed(self, slug: str) -> Address:
        """The Atom feed of one tag's briefings."""
        return self._file(f"tags/{slug}/feed.xml")

    def term_feed(self, key: TermKey) -> Address:
        """The Atom feed of the briefings that mention one glossary entry."""
        return self._file(f"glossary/{self.term_ids[key]}/feed.xml")

    @property
    def search(self) -> Address:
        """The search page."""
        return self._folder("search/")

    @property
    def search_bundle(self) -> Address:
        """The folder of the search index and Pagefind's scripts."""
        return self._file(SEARCH_BUNDLE)

    @property
    def sitemap(self) -> Address:
        """The sitemap."""
        return self._file("sitemap.xml")

    @property
    def robots(self) -> Address:
        """robots.txt."""
        return self._file("robots.txt")

    def static(self, rel: str) -> Address:
        """A static file of the theme or the site (``rel`` below static/)."""
        return self._file(f"static/{rel}")

    def fingerprinted(self, rel: str, digest: str) -> Address:
        """A stylesheet or script under a name that changes with its content.

        ``style.css`` with digest ``3f9a...`` is ``assets/style.3f9a....css``: a host may
        cache everything under assets/ for a year, since new content always comes under
        a new name. assets/ sits beside static/, so a stylesheet's ``url(../static/x)``
        reaches static files from either.
        """
        folder, dot, name = rel.rpartition("/")
        stem, ext = name.rsplit(".", 1) if "." in name else (name, "")
        hashed = f"{stem}.{digest}.{ext}" if ext else f"{stem}.{digest}"
        return self._file(f"{ASSETS}{folder}{dot}{hashed}")


def _paged(folder: str, page: int) -> str:
    """The folder of page ``page`` of a list at ``folder``: the folder itself for page 1."""
    return folder if page <= 1 else f"{folder}page/{page}/"


def term_ids(content: Content) -> dict[TermKey, str]:
    """A unique fragment id for every glossary entry, site-wide and article-local."""
    ids: dict[TermKey, str] = {}
    used: set[str] = set()
    for (owner, key), _ in content.owned_terms():
        base = segment(key) or "term"
        base = base if owner is None else f"{owner}-{base}"
        candidate = base
        for n in itertools.count(2):
            if candidate not in used:
                break
            candidate = f"{base}-{n}"
        used.add(candidate)
        ids[(owner, key)] = candidate
    return ids


def make_url_scheme(base_url: str, content: Content) -> UrlScheme:
    """The URL scheme of a site with this base URL and content."""
    return UrlScheme(base_url, term_ids(content))
