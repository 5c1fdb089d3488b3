"""How briefgen turns a file's bytes into text: one decoding for every command.

UTF-8, with a byte order mark dropped; Windows (CRLF) and old Mac (CR) line endings
become LF. A command that reads raw text received from elsewhere (``briefgen import``)
may name a fallback encoding for bytes that are not UTF-8. Decoding never raises: the
result says what was done and, when the bytes are not text, where they stopped being.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

LINE_ENDINGS = (("\r\n", "Windows (CRLF)"), ("\r", "old Mac (CR)"))


@dataclass(frozen=True)
class Position:
    """Where a byte that could not be decoded sits: 1-based line and column, and its value."""

    line: int
    col: int
    byte: int


@dataclass(frozen=True)
class Decoded:
    """A file's text (None when its bytes are not text) and what decoding did to get it."""

    text: str | None  # with LF line endings
    encoding: str  # "utf-8", or the fallback that decoded the bytes
    bom: bool  # a UTF-8 byte order mark was dropped
    converted: tuple[tuple[str, int], ...]  # line endings made LF: (name, how many)
    failure: Position | None  # the first byte UTF-8 refused (placed in the fallback's text
    # when the fallback decoded the bytes); the fallback's first refusal when both failed


def decode(data: bytes, fallback: str | None = None) -> Decoded:
    """Decode ``data`` as UTF-8 (else as ``fallback``, when given) with LF line endings."""
    bom = data.startswith(codecs.BOM_UTF8)
    if bom:
        data = data[len(codecs.BOM_UTF8) :]
    encoding, failure = "utf-8", None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if fallback is None:
            return Decoded(None, encoding, bom, (), _position(data, exc.start, encoding))
        try:
            text, encoding = data.decode(fallback), fallback
        except UnicodeDecodeError as worse:
            return Decoded(None, fallback, bom, (), _position(data, worse.start, fallback))
        failure = _position(data, exc.start, fallback)  # its column in the text returned
    converted = []
    for ending, name in LINE_ENDINGS:
        count = text.count(ending)
        if count:
            text = text.replace(ending, "\n")
            converted.append((name, count))
    return Decoded(text, encoding, bom, tuple(converted), failure)


def _position(data: bytes, at: int, encoding: str) -> Position:
    """The line and column (in characters) of byte ``at``, any line endings."""
    before = data[:at].decode(encoding, errors="replace")
    before = before.replace("\r\n", "\n").replace("\r", "\n")
    return Position(before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1, data[at])
