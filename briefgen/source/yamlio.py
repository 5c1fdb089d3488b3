"""Safe YAML that keeps text as written and the source position of every key and value.

PyYAML composes a node tree (libyaml's C parser when present) and constructs plain
Python data from it with the safe constructor; the same tree gives the positions,
so a message about any value can point at its line and column.

Text stays text: no plain scalar is given a type by its looks. YAML 1.1 would read
``1:30`` as 90, ``012`` as 10, ``ON`` as true and ``2022-09-15`` as a date; here every
plain scalar is the string as written, but null: an empty one, ``~``, ``null``, ``Null``
and ``NULL`` are null, as in YAML 1.2 (and as editors show them). The fields that are
not text (a date, a flag, a number) are parsed by ``briefgen.source.scalars``, which
refuses ambiguous forms with the way to write them. An explicit tag (``!!int 5``) is
honoured. Merge keys (``<<``) are YAML 1.1 only and are ordinary keys here.

Before anything is constructed, the node tree is walked once: positions, duplicate
keys, and aliases. An alias costs nothing to compose, but a walk of the values would
expand it; a document whose aliases expand to more than ``MAX_ALIASED`` values (an
"alias bomb"), or whose alias refers to a value that contains it, is refused at the
anchored value's line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml

from briefgen.errors import Diagnostic, Location, source_line

try:
    from yaml import CSafeLoader as BaseLoader
except ImportError:  # pragma: no cover - libyaml missing
    from yaml import SafeLoader as BaseLoader  # type: ignore[assignment]

MAX_ALIASED = 10_000  # values a document may reach again through aliases
# What YAML allows in a stream (YAML 1.2, 5.1): refused elsewhere at their place.
NOT_YAML = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


class SafeLoader(BaseLoader):
    """The safe loader with one implicit type, YAML 1.2's null: every other plain scalar is text."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        null = [("tag:yaml.org,2002:null", re.compile(r"(?:~|null|Null|NULL|)\Z"))]
        self.yaml_implicit_resolvers = {"": null, "~": null, "n": null, "N": null}

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        """A value; one whose explicit tag does not fit it (!!int abc) is a located error."""
        try:
            return super().construct_object(node, deep)
        except yaml.MarkedYAMLError:
            raise
        except Exception as exc:  # PyYAML's constructors raise whatever int() or a dict raise
            problem = f"{node.value!r} is not a valid {node.tag.rsplit(':', 1)[-1]}"
            raise yaml.constructor.ConstructorError(None, None, problem, node.start_mark) from exc


def _timestamp(loader: SafeLoader, node: yaml.ScalarNode) -> object:
    """A date or time tagged !!timestamp; text when it is not a real one (2022-13-45)."""
    text = loader.construct_scalar(node)
    if not yaml.constructor.SafeConstructor.timestamp_regexp.match(text):
        return text
    try:
        return yaml.constructor.SafeConstructor.construct_yaml_timestamp(loader, node)
    except ValueError:
        return text


SafeLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)

Key = str | int
KeyPath = tuple[Key, ...]


@dataclass(frozen=True)
class YamlDoc:
    """A loaded YAML file: its data and where each value and key sits in the file."""

    path: str
    text: str
    data: Any
    values: dict[KeyPath, tuple[int, int]]
    keys: dict[KeyPath, tuple[int, int]]

    def loc(self, *path: Key) -> Location:
        """Location of the value at ``path``, else of its nearest enclosing value."""
        return self._find(self.values, path)

    def key_loc(self, *path: Key) -> Location:
        """Location of the mapping key that introduces ``path`` (falls back to the value)."""
        if path in self.keys:
            line, col = self.keys[path]
            return Location(self.path, line, col)
        return self.loc(*path)

    def _find(self, table: dict[KeyPath, tuple[int, int]], path: KeyPath) -> Location:
        while path:
            if path in table:
                line, col = table[path]
                return Location(self.path, line, col)
            path = path[:-1]
        line, col = self.values.get((), (1, 1))
        return Location(self.path, line, col)


def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


@dataclass
class _Positions:
    """One walk of a node tree: where each value and key is, and what is wrong."""

    doc_path: str
    values: dict[KeyPath, tuple[int, int]]
    keys: dict[KeyPath, tuple[int, int]]
    problems: list[Diagnostic]

    def walk(self, root: yaml.Node) -> Diagnostic | None:
        """Record every position; return the refusal of an alias bomb or loop."""
        walked: set[int] = set()  # nodes met before: met again, they come through an alias
        inside: set[int] = set()  # the collections that hold the node being walked
        aliased = 0
        # (node, its path, leaving it, the outermost value entered through an alias)
        todo: list[tuple[yaml.Node, KeyPath, bool, yaml.Node | None]] = [(root, (), False, None)]
        while todo:
            node, path, leaving, via = todo.pop()
            if leaving:
                inside.discard(id(node))
                continue
            if id(node) in inside:
                return self._refuse(node, "an alias refers to a value that contains it")
            if id(node) in walked:
                via = via or node
                aliased += 1
                if aliased > MAX_ALIASED:
                    why = f"aliases expand it to more than {MAX_ALIASED} values (an alias bomb)"
                    return self._refuse(via, why)
            self.values.setdefault(path, _mark(node))
            if isinstance(node, yaml.MappingNode | yaml.SequenceNode):
                inside.add(id(node))
                todo.append((node, path, True, via))
                children = self._children(node, path, first=id(node) not in walked)
                todo.extend((child, where, False, via) for child, where in reversed(children))
            walked.add(id(node))
        return None

    def _children(
        self, node: yaml.Node, path: KeyPath, first: bool
    ) -> list[tuple[yaml.Node, KeyPath]]:
        """The values of a collection with their paths; keys and duplicates recorded."""
        if isinstance(node, yaml.SequenceNode):
            return [(item, (*path, index)) for index, item in enumerate(node.value)]
        children = []
        seen: dict[str, tuple[int, int]] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                continue
            key = key_node.value
            if key in seen and first:
                line, col = _mark(key_node)
                self.problems.append(
                    Diagnostic(
                        Location(self.doc_path, line, col),
                        "YAML002",
                        f"duplicate key {key!r} (first at line {seen[key][0]})",
                        "remove one of the two entries or merge them",
                    )
                )
            seen[key] = _mark(key_node)
            self.keys.setdefault((*path, key), _mark(key_node))
            children.append((value_node, (*path, key)))
        return children

    def _refuse(self, node: yaml.Node, why: str) -> Diagnostic:
        line, col = _mark(node)
        return Diagnostic(
            Location(self.doc_path, line, col),
            "YAML003",
            f"the document is refused: {why}",
            "write the values out instead of repeating aliases of aliases",
        )


def _forbidden(path: str, text: str) -> Diagnostic | None:
    """The first character YAML does not allow in a file (NUL, other controls), located."""
    found = NOT_YAML.search(text)
    if found is None:
        return None
    line = text.count("\n", 0, found.start()) + 1
    col = found.start() - (text.rfind("\n", 0, found.start()) + 1) + 1
    return Diagnostic(
        Location(path, line, col),
        "YAML001",
        f"invalid YAML: the character U+{ord(found.group()):04X} is not allowed in YAML",
        'remove it; inside a value, write it as an escape in double quotes, such as "\\t"',
        source_line(text, line),
    )


# Constructs that open with a character and must be closed: where one opened is where the
# mistake is, however far below the parser gives up.
UNCLOSED = {
    "while parsing a flow sequence": ("'['", "close it with ']'"),
    "while parsing a flow mapping": ("'{'", "close it with '}'"),
    "while scanning a quoted scalar": (
        "quote",
        "close the quote; inside '...' write a quote as '', inside \"...\" as \\\"",
    ),
}


def _syntax_error(path: str, text: str, exc: yaml.MarkedYAMLError) -> Diagnostic:
    """A syntax error, located where the construct the parser was in opened, if it must close."""
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    what = exc.problem or exc.context or "invalid YAML"
    opened = UNCLOSED.get(exc.context or "")
    start = exc.context_mark
    if opened is not None and start is not None and start.line + 1 < line:
        construct, fix = opened
        gave_up = f"{line}:{col}"
        line, col = start.line + 1, start.column + 1
        what = f"the {construct} opened here is never closed (the parser gave up at {gave_up}: "
        what += f"{exc.problem})"
    elif opened is not None and start is not None:
        what = f"{what}, in the {opened[0]} opened at {start.line + 1}:{start.column + 1}"
        fix = "put an item that holds ': ', ',' or a bracket in quotes"
    elif "found character '\\t'" in str(exc):
        fix = "indent with spaces, not tabs"
    elif "is not a valid" in what:
        fix = "remove the explicit tag (such as !!int), or give a value of its type"
    elif ":" in what or "mapping values" in what:
        fix = "put the value in quotes if it contains ': ' or starts with a special character"
    else:
        fix = "check the indentation and quoting on this line"
    return Diagnostic(
        Location(path, line, col), "YAML001", f"invalid YAML: {what}", fix, source_line(text, line)
    )


def load_yaml(path: str, text: str) -> tuple[YamlDoc | None, list[Diagnostic]]:
    """Parse ``text`` (the file at site-relative ``path``) safely.

    Returns the document (None when it cannot be parsed) and the problems found:
    a syntax error with the position libyaml reports, a character YAML does not allow,
    an alias bomb, or duplicate keys.
    """
    forbidden = _forbidden(path, text)
    if forbidden is not None:
        return None, [forbidden]
    loader = SafeLoader(text)
    problems: list[Diagnostic] = []
    positions = _Positions(path, {}, {}, problems)
    try:
        node = loader.get_single_node()
        refused = positions.walk(node) if node is not None else None
        if refused is not None:
            return None, [refused]
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        problems.append(_syntax_error(path, text, exc))
        return None, problems
    except yaml.YAMLError as exc:
        problems.append(Diagnostic(Location(path, 1, 1), "YAML001", f"invalid YAML: {exc}"))
        return None, problems
    finally:
        loader.dispose()
    return YamlDoc(path, text, data, positions.values, positions.keys), problems
