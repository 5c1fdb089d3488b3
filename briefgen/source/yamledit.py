"""Setting values in a YAML file's text, every other byte kept; pure.

PyYAML does not keep comments, so a file that briefgen edits (``briefgen check --fix``)
is never dumped again: the new values are written over the old ones at the positions of
their nodes, in the file's own bytes. Comments, blank lines, key order, indentation,
line endings and a byte order mark stay as they were; a value keeps its quoting style
where the new text can be written in it (plain, '...' or "..."), and a block scalar
(``|``, ``>``) becomes a one-line one (its trailing blank lines kept). Only the values of
keys a mapping has are set: nothing is added or removed.

The result is loaded again and must read as the old data with exactly the new values,
or nothing is returned but the reason.
"""

from __future__ import annotations

import codecs
import copy
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import yaml

from briefgen.encoding import decode
from briefgen.source.yamlio import KeyPath, SafeLoader, load_yaml

Value = str | int
LINE_BREAK = re.compile(r"\r\n|\r|\n")
FLOW_INDICATORS = frozenset(",[]{}")


@dataclass(frozen=True)
class Change:
    """New values for keys of the mapping that holds the value at ``line``:``col`` (1-based)."""

    line: int
    col: int
    values: tuple[tuple[str, Value], ...]


@dataclass(frozen=True)
class _Splice:
    """Text to put in place of the file's text between two (line, col) places (0-based)."""

    start: tuple[int, int]
    end: tuple[int, int]
    text: str
    trim: bool = False  # the end moves back to a block scalar's last line of content


def set_values(path: str, data: bytes, changes: Sequence[Change]) -> bytes | str:
    """The file's bytes with the changes made; or why they cannot be made safely.

    ``path`` (relative to the site) locates the YAML problems of the file.
    """
    decoded = decode(data)
    if decoded.text is None:
        return "it is not UTF-8 text"
    doc, problems = load_yaml(path, decoded.text)
    if doc is None or problems:
        return "it has YAML problems"
    mappings = _mappings(decoded.text)
    bom = data.startswith(codecs.BOM_UTF8)
    raw = data[len(codecs.BOM_UTF8) if bom else 0 :].decode("utf-8")
    expected = copy.deepcopy(doc.data)
    edits: list[tuple[yaml.MappingNode, str, Value]] = []
    for change in changes:
        found = mappings.get((change.line - 1, change.col - 1))
        if found is None:
            return f"{change.line}:{change.col} is no value of a mapping"
        mapping, key_path = found
        for key, value in change.values:
            edits.append((mapping, key, value))
            _at(expected, key_path)[key] = str(value)  # every plain scalar loads as text
    for quoted in (False, True):  # in double quotes, any text reads back as itself
        splices = [_splice(*edit, quoted) for edit in edits]
        reasons = [s for s in splices if isinstance(s, str)]
        if reasons:
            return reasons[0]
        result = _apply(raw, [s for s in splices if isinstance(s, _Splice)])
        if _reads(path, result) == expected:
            return (codecs.BOM_UTF8 if bom else b"") + result.encode("utf-8")
    why = "is a value shared through an alias?"
    return f"the edited text would not load back as exactly the new values ({why})"


def scalar(value: Value, style: str | None, flow: bool) -> str:
    """``value`` as a one-line YAML scalar: in ``style`` (a node's; "" is plain) if it can
    be, plain if it reads back as itself, else double-quoted; ``flow``: in a flow collection."""
    if isinstance(value, int):
        return str(value)
    if style == "'" and value.isprintable():
        return "'" + value.replace("'", "''") + "'"
    if style in (None, "", "|", ">") and _plain(value, flow):
        return value
    return _double_quoted(value)


def _plain(value: str, flow: bool) -> bool:
    """Whether ``value`` written plain reads back as this very text (YAML 1.1 readers too)."""
    if not value or not value.isprintable() or value != value.strip(" "):
        return False
    if flow and FLOW_INDICATORS.intersection(value):
        return False
    line = f"k: {value}\n"
    try:
        return bool(
            yaml.load(line, Loader=SafeLoader) == {"k": value}
            and yaml.safe_load(line) == {"k": value}
        )
    except yaml.YAMLError:
        return False


def _double_quoted(value: str) -> str:
    """``value`` in double quotes, with escapes for the quote, backslash and non-printables."""
    out = []
    for ch in value:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch.isprintable():
            out.append(ch)
        elif ord(ch) <= 0xFFFF:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(f"\\U{ord(ch):08x}")
    return '"' + "".join(out) + '"'


def _mappings(text: str) -> dict[tuple[int, int], tuple[yaml.MappingNode, KeyPath]]:
    """Each value of a mapping by its (0-based) place: the mapping and its key path."""
    loader = SafeLoader(text)
    try:
        root = loader.get_single_node()
    finally:
        loader.dispose()
    found: dict[tuple[int, int], tuple[yaml.MappingNode, KeyPath]] = {}
    todo: list[tuple[yaml.Node, KeyPath]] = [(root, ())] if root is not None else []
    while todo:
        node, path = todo.pop()
        if isinstance(node, yaml.SequenceNode):
            todo.extend((item, (*path, i)) for i, item in enumerate(node.value))
        elif isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                mark = value.start_mark
                found.setdefault((mark.line, mark.column), (node, path))
                todo.append((value, (*path, key.value)))
    return found


def _at(data: Any, path: KeyPath) -> Any:
    """The value at ``path`` in loaded data."""
    for key in path:
        data = data[key]
    return data


def _splice(mapping: yaml.MappingNode, key: str, value: Value, quoted: bool) -> _Splice | str:
    """The text edit that sets ``key`` to ``value``; or why there is none."""
    for key_node, value_node in mapping.value:
        if key_node.value != key:
            continue
        if not isinstance(value_node, yaml.ScalarNode):
            return f"the value of {key!r} is not text"
        start, end = value_node.start_mark, value_node.end_mark
        text = scalar(value, '"' if quoted else value_node.style, bool(mapping.flow_style))
        block = value_node.style in ("|", ">")  # its trailing blank lines are kept
        return _Splice((start.line, start.column), (end.line, end.column), text, trim=block)
    return f"there is no {key!r} to change"


def _apply(raw: str, splices: list[_Splice]) -> str:
    """``raw`` with the splices made, the last first."""
    starts = [0] + [m.end() for m in LINE_BREAK.finditer(raw)]

    def offset(place: tuple[int, int]) -> int:
        line, col = place
        return starts[line] + col

    result = raw
    for splice in sorted(splices, key=lambda s: offset(s.start), reverse=True):
        start, end = offset(splice.start), offset(splice.end)
        while splice.trim and end > start and raw[end - 1] in " \t\r\n":
            end -= 1
        result = result[:start] + splice.text + result[end:]
    return result


def _reads(path: str, text: str) -> Any:
    """The data ``text`` loads as, as briefgen decodes and loads it (None when it cannot)."""
    decoded = decode(text.encode("utf-8")).text
    doc, problems = load_yaml(path, decoded or "")
    return None if doc is None or problems else doc.data
