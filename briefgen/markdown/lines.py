"""Where a block's text is in the article: its lines, and the columns container markup takes.

markdown-it keeps each block's lines (``token.map``) and the text it parses: an
``inline`` token's ``content`` or a code block's. That text is the block's source
lines with container markup (``>`` markers, list indentation) and the block's own
markup taken off the front: each of its lines is the *end* of a source line. The
exceptions are spelt out below: an ATX heading ends before its closing ``#``s, a
table cell is one cell of its row (``\\|`` unescaped), and a tab that indentation
splits becomes spaces. ``origins`` turns every character of that text into its
offset in the article's source.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence

from markdown_it.token import Token

WHITESPACE = " \t\n\v\f\r"  # CommonMark's white space, as markdown-it trims cells


class SourceLines:
    """An article's source text, by lines: offsets to (line, column) and back."""

    def __init__(self, src: str) -> None:
        self.src = src
        self.lines = src.split("\n")
        self.starts = [0]
        for line in self.lines[:-1]:
            self.starts.append(self.starts[-1] + len(line) + 1)

    def text(self, line: int) -> str:
        """The text of 0-based ``line`` (empty beyond the end)."""
        return self.lines[line] if 0 <= line < len(self.lines) else ""

    def start(self, line: int) -> int:
        """The offset of 0-based ``line``'s first character."""
        return self.starts[min(max(line, 0), len(self.starts) - 1)]

    def line_col(self, offset: int) -> tuple[int, int]:
        """The 1-based (line, column) of a source offset."""
        line = bisect.bisect_right(self.starts, offset) - 1
        return line + 1, offset - self.starts[line] + 1


def origins(tokens: Sequence[Token], index: int, lines: SourceLines) -> list[int] | None:
    """The source offset of every character of tokens[index]'s text (None: no lines)."""
    token = tokens[index]
    if token.map is None:
        return None
    first = token.map[0]
    if token.type == "fence":
        return _by_suffix(lines, first + 1, token.content)
    if token.type == "code_block":
        return _by_suffix(lines, first, token.content)
    before = tokens[index - 1] if index else None
    if before is not None and before.type == "heading_open" and before.markup.startswith("#"):
        text = lines.text(first)
        at = text.rfind(token.content) if token.content else len(text)
        begin = lines.start(first) + max(at, 0)
        return list(range(begin, begin + len(token.content)))
    if before is not None and before.type in ("th_open", "td_open"):
        found = _cell(tokens, index, lines)
        if found is not None:
            return found
    return _by_suffix(lines, first, token.content)


def _by_suffix(lines: SourceLines, first: int, content: str) -> list[int]:
    """Each line of ``content`` is the end of a source line, from line ``first`` on."""
    out: list[int] = []
    for k, part in enumerate(content.split("\n")):
        if k:
            out.append(lines.start(first + k) - 1)  # the line break before this line
        out.extend(_line(lines, first + k, part))
    return out[: len(content)]


def _line(lines: SourceLines, line: int, part: str) -> list[int]:
    """The offsets of ``part``, the end of source line ``line`` (perhaps trimmed)."""
    text, base = lines.text(line), lines.start(line)
    body = part.rstrip(WHITESPACE)
    if text.endswith(part):
        at = len(text) - len(part)
    elif body and text.rstrip(WHITESPACE).endswith(body):  # trailing space was trimmed
        at = len(text.rstrip(WHITESPACE)) - len(body)
    else:  # indentation split a tab into spaces: they stand for the tab
        rest = part.lstrip(" ")
        tail = len(text) - len(rest) if rest and text.endswith(rest) else text.find(part)
        tail = max(tail, 0)
        spaces = len(part) - len(rest)
        return [base + max(tail - 1, 0)] * spaces + list(
            range(base + tail, base + tail + len(rest))
        )
    return list(range(base + at, base + at + len(part)))


def _cell(tokens: Sequence[Token], index: int, lines: SourceLines) -> list[int] | None:
    """A table cell's text: the row's source line is split again, as the table rule does."""
    row_start = index
    while row_start > 0 and tokens[row_start].type != "tr_open":
        row_start -= 1
    row_end = index
    while row_end < len(tokens) and tokens[row_end].type != "tr_close":
        row_end += 1
    cells = [k for k in range(row_start, row_end) if tokens[k].type == "inline"]
    contents = [tokens[k].content for k in cells]
    column = cells.index(index)
    where = tokens[index].map
    line = where[0] if where else 0
    text, base = lines.text(line), lines.start(line)
    for start in range(len(text)):
        if text[start] in WHITESPACE:
            continue
        split = split_row(text, start)
        found = [content for content, _ in split[: len(contents)]]
        found += [""] * (len(contents) - len(found))
        if found == contents:
            return [base + at for at in split[column][1]] if column < len(split) else []
    return None


def split_row(text: str, start: int) -> list[tuple[str, list[int]]]:
    """A table row (``text`` from ``start``) as cells, each with the column of each character.

    As markdown-it's table rule: cells are split at unescaped pipes, ``\\|`` is a pipe,
    an empty first and last cell (outer pipes) are dropped, and cells are trimmed.
    """
    end = len(text.rstrip(WHITESPACE))
    cells: list[tuple[str, list[int]]] = []
    chars: list[str] = []
    places: list[int] = []
    escaped = False
    for at in range(start, end):
        ch = text[at]
        if ch == "|" and not escaped:
            cells.append(("".join(chars), places))
            chars, places = [], []
        elif ch == "|":  # an escaped pipe: the backslash goes
            chars[-1], places[-1] = ch, at
        else:
            chars.append(ch)
            places.append(at)
        escaped = ch == "\\"
    cells.append(("".join(chars), places))
    if cells and not cells[0][0]:
        cells.pop(0)
    if cells and not cells[-1][0]:
        cells.pop()
    trimmed = []
    for content, where in cells:
        lead = len(content) - len(content.lstrip(WHITESPACE))
        body = content.strip(WHITESPACE)
        trimmed.append((body, where[lead : lead + len(body)]))
    return trimmed
