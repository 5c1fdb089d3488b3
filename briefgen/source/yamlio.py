"""Safe YAML loading that keeps the source position of every key and value.

PyYAML composes a node tree (libyaml's C parser when present) and constructs plain
Python data from it with the safe constructor; the same tree gives the positions,
so a message about any value can point at its line and column.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml

from briefgen.errors import Diagnostic, Location, source_line

try:
    from yaml import CSafeLoader as BaseLoader
except ImportError:  # pragma: no cover - libyaml missing
    from yaml import SafeLoader as BaseLoader  # type: ignore[assignment]


class SafeLoader(BaseLoader):
    """The safe loader, except that an impossible date stays text for the checks to report."""


def _timestamp(loader: SafeLoader, node: yaml.ScalarNode) -> object:
    """A YAML date or time; text when it is not a real one (2022-13-45)."""
    try:
        return yaml.constructor.SafeConstructor.construct_yaml_timestamp(loader, node)
    except ValueError:
        return loader.construct_scalar(node)


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


def _walk(
    node: yaml.Node,
    path: KeyPath,
    doc_path: str,
    values: dict[KeyPath, tuple[int, int]],
    keys: dict[KeyPath, tuple[int, int]],
    problems: list[Diagnostic],
) -> None:
    values[path] = _mark(node)
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, tuple[int, int]] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                continue
            key = key_node.value
            if key == "<<":
                continue
            if key in seen:
                line, col = _mark(key_node)
                first = seen[key]
                problems.append(
                    Diagnostic(
                        Location(doc_path, line, col),
                        "YAML002",
                        f"duplicate key {key!r} (first at line {first[0]})",
                        "remove one of the two entries or merge them",
                    )
                )
            seen[key] = _mark(key_node)
            keys[(*path, key)] = _mark(key_node)
            _walk(value_node, (*path, key), doc_path, values, keys, problems)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk(item, (*path, index), doc_path, values, keys, problems)


def load_yaml(path: str, text: str) -> tuple[YamlDoc | None, list[Diagnostic]]:
    """Parse ``text`` (the file at site-relative ``path``) safely.

    Returns the document (None when it cannot be parsed) and the problems found:
    a syntax error with the position libyaml reports, or duplicate keys.
    """
    loader = SafeLoader(text)
    problems: list[Diagnostic] = []
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what = exc.problem or exc.context or "invalid YAML"
        fix = "check the indentation and quoting on this line"
        if "found character '\\t'" in str(exc):
            fix = "indent with spaces, not tabs"
        elif ":" in what or "mapping values" in what:
            fix = "put the value in quotes if it contains ': ' or starts with a special character"
        problems.append(
            Diagnostic(
                Location(path, line, col),
                "YAML001",
                f"invalid YAML: {what}",
                fix,
                source_line(text, line),
            )
        )
        return None, problems
    except yaml.YAMLError as exc:
        problems.append(Diagnostic(Location(path, 1, 1), "YAML001", f"invalid YAML: {exc}"))
        return None, problems
    finally:
        loader.dispose()
    values: dict[KeyPath, tuple[int, int]] = {}
    keys: dict[KeyPath, tuple[int, int]] = {}
    if node is not None:
        _walk(node, (), path, values, keys, problems)
    return YamlDoc(path, text, data, values, keys), problems
