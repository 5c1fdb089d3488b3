"""Field specs: the one statement of what site.yaml, a sidecar and the glossary may hold.

A file format is a tree of specs: structures (``briefgen.source.structures``: ``Record``,
``Items``, ``Either``, ``Terms``) of values (``briefgen.source.fieldtypes``: ``Text``,
``Flag``, ``Count``, ``Date``, ``Choice``, ``Texts``). Two things are made from it:

- briefgen's structural validation, ``Spec.read``: each value as briefgen uses it and
  one located diagnostic for each value that does not fit (``read_spec``);
- the JSON Schema (2020-12) that editors validate and complete with (``json_schema``).

So a file is valid for an editor exactly when briefgen accepts its structure. The
schema describes the file as an editor reads it, in YAML 1.2, where a plain ``true``
is a boolean and ``12`` a number; briefgen keeps every plain scalar as the text
written (``briefgen.source.yamlio``), so a text field accepts what YAML 1.2 reads as a
number or a flag, and a flag or a number also accepts its text in quotes. A null value
leaves its field out (and so does null's text in quotes, ``'~'``, for the fields that are
not text). What no schema can state (an address is safe, a tag has a letter) is a
spec's ``check``, run once the structure is right, and said in the field's description.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from briefgen.errors import Diagnostic, Location
from briefgen.source.scalars import NULLS
from briefgen.source.yamlio import Key, KeyPath, YamlDoc


def _ranges(codes: list[int]) -> str:
    """A character class body for ``codes``, in runs: ``\\u0009-\\u000d``."""
    runs: list[list[int]] = []
    for code in codes:
        if runs and code == runs[-1][1] + 1:
            runs[-1][1] = code
        else:
            runs.append([code, code])
    return "".join(f"\\u{a:04x}" if a == b else f"\\u{a:04x}-\\u{b:04x}" for a, b in runs)


# White space as Python's str.strip() sees it, spelled out for ECMA-262 regular expressions
# (whose \s differs), so that an editor and briefgen agree on what is blank.
_SPACE = _ranges([c for c in range(0x10000) if chr(c).isspace()])
WS = f"[{_SPACE}]"
NONBLANK = f"[^{_SPACE}]"
BLANK_TEXT = f"^{WS}*$"
NULL_TEXT = f"^{WS}*(~|null|Null|NULL)?{WS}*$"  # what ``scalars.is_null`` reads as no value
TRUE_TEXT = f"^{WS}*(true|True|TRUE){WS}*$"
FLAG_TEXT = f"^{WS}*(true|True|TRUE|false|False|FALSE){WS}*$"
NULL: dict[str, Any] = {"anyOf": [{"type": "null"}, {"type": "string", "pattern": NULL_TEXT}]}


@dataclass(frozen=True)
class Dialect:
    """How one kind of file names its problems."""

    unknown: str  # a key the format does not have
    bad: str  # a value of the wrong type or form
    missing: str  # a required key missing
    empty: str  # a required value that is blank
    config: bool  # site.yaml: messages name the dotted key


CONTENT = Dialect(unknown="SC001", bad="SC002", missing="SC003", empty="SC007", config=False)
CONFIG = Dialect(unknown="CFG001", bad="CFG003", missing="CFG002", empty="CFG003", config=True)


@dataclass
class Context:
    """One file being read: where its values are, and the problems found."""

    doc: YamlDoc
    dialect: Dialect
    semantic: bool = True  # also run the checks no schema states (False: structure only)
    problems: list[Diagnostic] = field(default_factory=list)

    def name(self, path: KeyPath) -> str:
        """A value's name in messages: its key, or its dotted path in site.yaml."""
        keys = [k for k in path if isinstance(k, str)]
        return ".".join(keys) if self.dialect.config else (keys[-1] if keys else "")

    def report(self, location: Location, code: str, message: str, fix: str) -> None:
        """Record a problem."""
        self.problems.append(Diagnostic(location, code, message, fix))

    def bad(self, path: KeyPath, problem: str, fix: str, code: str = "") -> None:
        """Record that the value at ``path`` is wrong."""
        where = self.doc.loc(*path)
        self.report(where, code or self.dialect.bad, f"'{self.name(path)}' {problem}", fix)


class Invalid:
    """The reading of a value that was reported: its field takes its default."""


INVALID = Invalid()


def last_key(path: KeyPath) -> str:
    """The innermost key of a path ("link" for terms.link)."""
    return next((k for k in reversed(path) if isinstance(k, str)), "")


class Spec:
    """What one value may be: its JSON Schema, and how briefgen reads and checks it."""

    description: str = ""
    null_text: ClassVar[bool] = False  # whether ``~`` and ``null`` leave it out, as null does

    def schema(self, dialect: Dialect) -> dict[str, Any]:
        """The JSON Schema of a value that is there (not null)."""
        raise NotImplementedError

    def read(self, ctx: Context, path: KeyPath, value: Any) -> Any:
        """The value as briefgen uses it, or INVALID after recording why."""
        raise NotImplementedError

    def annotated(self, dialect: Dialect) -> dict[str, Any]:
        """The JSON Schema, with the description first."""
        found = self.schema(dialect)
        return {"description": self.description, **found} if self.description else found

    def left_out(self, value: Any) -> bool:
        """Whether ``value`` leaves its field out: null (or, for a field that is not text,
        null's text in quotes)."""
        if value is None:
            return True
        return self.null_text and isinstance(value, str) and value.strip() in NULLS


def with_default(schema: dict[str, Any], default: object) -> dict[str, Any]:
    return schema if default is None else {**schema, "default": default}


def alternatives(schema: dict[str, Any]) -> list[dict[str, Any]]:
    """The forms a schema allows: its ``anyOf``, or itself."""
    rest = {k: v for k, v in schema.items() if k != "default"}
    return list(rest["anyOf"]) if set(rest) == {"anyOf"} else [rest]


@dataclass(frozen=True)
class Checked:
    """A mapping as briefgen reads it: each valid value given, and where each one is."""

    doc: YamlDoc
    path: KeyPath
    values: Mapping[str, Any]

    def get(self, key: str, default: Any = None) -> Any:
        """The value of ``key`` as its spec reads it, or ``default``."""
        return self.values.get(key, default)

    def loc(self, *keys: Key) -> Location:
        """Where a value under this mapping is (else the mapping itself)."""
        return self.doc.loc(*self.path, *keys)

    def key_loc(self, *keys: Key) -> Location:
        """Where the key that introduces a value under this mapping is."""
        return self.doc.key_loc(*self.path, *keys)


def json_schema(spec: Spec, dialect: Dialect, title: str) -> dict[str, Any]:
    """A file format's JSON Schema (2020-12), from its spec."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": title,
        **spec.annotated(dialect),
    }


def read_spec(
    spec: Spec, doc: YamlDoc, dialect: Dialect, *, semantic: bool = True, empty: Any = None
) -> tuple[Any, list[Diagnostic]]:
    """A loaded file read with its spec: its values (or INVALID) and its problems; pure.

    ``empty``: what an empty file stands for (a sidecar: an empty mapping).
    """
    ctx = Context(doc, dialect, semantic)
    return spec.read(ctx, (), empty if doc.data is None else doc.data), ctx.problems
