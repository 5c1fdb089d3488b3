"""Reading the site's files: listings and bytes, kept until the watcher says they changed.

A cold build uses a fresh ``Sources``; the dev server keeps one and calls ``forget``
with the paths that changed, so a rebuild reads only those. What is parsed from the
bytes is kept in the build's ``Memo``, by the bytes it came from.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from briefgen.encoding import decode
from briefgen.errors import Location, Reporter
from briefgen.source.safefs import Listing, Refused, read_file, walk


@dataclass
class Sources:
    """The site's files as last read: listings and bytes, until forgotten.

    Reading goes through ``briefgen.source.safefs``: nothing outside ``root``, no
    special file. A refusal is raised (``Refused``) or listed, and never kept.
    """

    _bytes: dict[Path, bytes] = field(default_factory=dict)
    _listings: dict[Path, Listing] = field(default_factory=dict)
    _listed: dict[Path, set[Path]] = field(default_factory=dict)

    keep: bool = True  # False: a one-off build, whose files are read once each anyway

    def read(self, root: Path, path: Path) -> bytes:
        """The bytes of a file inside ``root``, read once until forgotten; raises Refused."""
        if not self.keep:
            return read_file(root, path)
        if path not in self._bytes:
            self._bytes[path] = read_file(root, path)
        return self._bytes[path]

    def walk(self, root: Path, folder: Path) -> Listing:
        """The files below ``folder`` and the problems met, listed once until one changes."""
        if folder not in self._listings:
            listing = walk(root, folder)
            self._listings[folder] = listing
            self._listed[folder] = set(listing.files)
        return self._listings[folder]

    def forget(self, paths: Iterable[Path]) -> None:
        """Drop what is known about ``paths``: they changed on disk."""
        for path in paths:
            listed = any(path in files for files in self._listed.values())
            if not listed or not path.is_file():  # it appeared, went, or is a folder
                for root in [r for r in self._listings if path.is_relative_to(r)]:
                    del self._listings[root], self._listed[root]
                for known in [p for p in self._bytes if p.is_relative_to(path)]:
                    del self._bytes[known]
            self._bytes.pop(path, None)


def read_text(data: bytes, rel: str, reporter: Reporter) -> str | None:
    """A site file's text (see ``briefgen.encoding``); bytes that are not UTF-8 are an error."""
    decoded = decode(data)
    if decoded.text is None:
        failure = decoded.failure
        assert failure is not None
        reporter.error(
            Location(rel, failure.line, failure.col),
            "CNT004",
            f"{rel} is not valid UTF-8 (byte 0x{failure.byte:02x})",
            "save the file as UTF-8",
        )
        return None
    reporter.remember(rel, decoded.text)
    return decoded.text


def file_digest(data: bytes) -> str:
    """What names a file's bytes, to tell when it is read again whether it changed."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def text_again(root: Path, path: Path, digest: str) -> str | None:
    """A site file's text read again (through ``safefs``), if its bytes still have the
    ``digest`` they had when loaded; None if it changed, went, or is not UTF-8."""
    try:
        data = read_file(root, path)
    except Refused:
        return None
    return decode(data).text if file_digest(data) == digest else None


class AsLoaded:
    """Site files' texts read again, as they were loaded: by the digest of their bytes
    (one reader for every file of a build, for ``Reporter.remember_later``)."""

    def __init__(self, root: Path) -> None:
        """Files of the site in ``root``, none known yet."""
        self.root = root
        self._digests: dict[str, str] = {}

    def add(self, rel: str, digest: str) -> None:
        """The file at site-relative ``rel`` was loaded with bytes of ``digest``."""
        self._digests[rel] = digest

    def __call__(self, rel: str) -> str | None:
        """The file's text, if its bytes are still the ones loaded (``text_again``)."""
        return text_again(self.root, self.root / rel, self._digests[rel])
