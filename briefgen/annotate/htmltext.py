"""A W3C annotation's HTML comment as the Markdown of a note; pure.

Notes are Markdown, and briefgen exports them as HTML (``<p>``, ``<em>``, ``<strong>``,
``<code>``, ``<a href>``, lists, line breaks). This turns such HTML back into that
Markdown; other elements keep only their text. Text is escaped where Markdown would
read it as markup, so that a note says what the comment said.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

_INLINE = {"em": "*", "i": "*", "strong": "**", "b": "**"}
_BLOCKS = frozenset({"p", "div", "blockquote", "pre", "ul", "ol", "h1", "h2", "h3", "h4"})
_SPECIAL = re.compile(r"([\\`*_\[\]<>#])")


class _Markdown(HTMLParser):
    """Collects Markdown while reading HTML."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.links: list[str] = []
        self.code = 0
        self.lists: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _INLINE:
            self.parts.append(_INLINE[tag])
        elif tag == "code":
            self.code += 1
            self.parts.append("`")
        elif tag == "a":
            self.links.append(dict(attrs).get("href") or "")
            self.parts.append("[")
        elif tag == "br":
            self.parts.append("  \n")
        elif tag in ("ul", "ol"):
            self.lists.append(tag)
            self.parts.append("\n\n")
        elif tag == "li":
            self.parts.append("\n- " if not self.lists or self.lists[-1] == "ul" else "\n1. ")
        elif tag in _BLOCKS:
            self.parts.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _INLINE:
            self.parts.append(_INLINE[tag])
        elif tag == "code":
            self.code = max(self.code - 1, 0)
            self.parts.append("`")
        elif tag == "a":
            href = self.links.pop() if self.links else ""
            self.parts.append(f"]({href})" if href else "]")
        elif tag in ("ul", "ol"):
            if self.lists:
                self.lists.pop()
            self.parts.append("\n\n")
        elif tag in _BLOCKS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data if self.code else _SPECIAL.sub(r"\\\1", data))


def html_to_markdown(html: str) -> str:
    """Markdown that renders as ``html`` does, for the elements notes use."""
    parser = _Markdown()
    parser.feed(html)
    parser.close()
    text = "".join(parser.parts)
    text = re.sub(r"[ \t]*\n[ \t]*\n\s*", "\n\n", text)
    return text.strip()
