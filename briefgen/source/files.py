"""Reading the site's files: listings and bytes, kept until the watcher says they changed.

A cold build uses a fresh ``Sources``; the dev server keeps one and calls ``forget``
with the paths that changed, so a rebuild reads only those. What is parsed from the
bytes is kept in the build's ``Memo``, by the bytes it came from.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from briefgen.encoding import decode
from briefgen.errors import Location, Reporter
from briefgen.tempnames import is_temp_file


def walk(root: Path) -> Iterator[Path]:
    """Every file below ``root``, sorted, skipping ignored files and folders."""
    for path in sorted(root.iterdir()):
        if is_temp_file(path.name):
            continue
        if path.is_dir():
            yield from walk(path)
        elif path.is_file():
            yield path


@dataclass
class Sources:
    """The site's files as last read: listings and bytes, until forgotten."""

    _bytes: dict[Path, bytes] = field(default_factory=dict)
    _listings: dict[Path, list[Path]] = field(default_factory=dict)
    _listed: dict[Path, set[Path]] = field(default_factory=dict)

    def read(self, path: Path) -> bytes:
        """The bytes of a file, read once until forgotten."""
        if path not in self._bytes:
            self._bytes[path] = path.read_bytes()
        return self._bytes[path]

    def walk(self, root: Path) -> list[Path]:
        """The files below ``root``, listed once until a file appears or goes."""
        if root not in self._listings:
            self._listings[root] = list(walk(root))
            self._listed[root] = set(self._listings[root])
        return self._listings[root]

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
