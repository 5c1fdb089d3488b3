"""Structures of fields: mappings of known keys, lists, either-or, glossary entries; each
with its JSON Schema and how briefgen reads it (see ``briefgen.source.specs``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from briefgen.errors import did_you_mean
from briefgen.source.fieldtypes import Anything, Text
from briefgen.source.scalars import is_null
from briefgen.source.specs import (
    BLANK_TEXT,
    INVALID,
    NULL,
    NULL_TEXT,
    TRUE_TEXT,
    Checked,
    Context,
    Dialect,
    Spec,
    alternatives,
    last_key,
)
from briefgen.source.yamlio import KeyPath


def _property(spec: Spec, dialect: Dialect) -> dict[str, Any]:
    """The schema of a mapping's value: null (or, not for text, its text) leaves it out."""
    found = spec.annotated(dialect)
    if isinstance(spec, Anything):
        return found
    forms: list[dict[str, Any]] = [{"type": "null"}]
    if spec.null_text:
        forms.append({"type": "string", "pattern": NULL_TEXT})
    inner = spec.schema(dialect)
    nullable = {"anyOf": [*forms, *alternatives(inner)]}
    if "default" in inner:
        nullable["default"] = inner["default"]
    return {"description": spec.description, **nullable} if spec.description else nullable


@dataclass(frozen=True)
class Record(Spec):
    """A mapping of known keys, each with its spec; an unknown key is an error.

    ``what`` names it in messages ("a note"). ``required`` keys must have a value;
    while the flag ``required_unless`` is true they need not (a draft needs no date).
    ``one_of``: keys of which at least one must have a value that is not blank, else
    ``empty`` (message, fix) is reported at the mapping.
    """

    keys: Mapping[str, Spec]
    what: str = "a mapping"
    description: str = ""
    required: tuple[str, ...] = ()
    required_unless: str = ""
    missing_fixes: Mapping[str, str] = field(default_factory=dict)
    one_of: tuple[str, ...] = ()
    empty: tuple[str, str] = ("", "")
    problem: str = "must be a mapping"
    fix: str = ""

    def schema(self, dialect: Dialect) -> dict[str, Any]:
        properties = {key: _property(spec, dialect) for key, spec in self.keys.items()}
        found: dict[str, Any] = {"type": "object", "properties": properties}
        found["additionalProperties"] = False
        rules = [self._given(key) for key in self.required]
        if self.required_unless:
            flag = self.required_unless
            draft = {"anyOf": [{"const": True}, {"type": "string", "pattern": TRUE_TEXT}]}
            rules = [{"if": {"required": [flag], "properties": {flag: draft}},
                      "else": {"allOf": rules}}]  # fmt: skip
        if self.one_of:
            blank = {"anyOf": [{"type": "null"}, {"type": "string", "pattern": BLANK_TEXT}]}
            given = [
                {"required": [key], "properties": {key: {"not": blank}}} for key in self.one_of
            ]
            rules.append({"anyOf": given})
        if rules:
            found["allOf"] = rules
        return found

    def _given(self, key: str) -> dict[str, Any]:
        """The rule that ``key`` has a value (null, or null's text, leaves it out)."""
        missing = NULL if self.keys[key].null_text else {"type": "null"}
        return {"required": [key], "properties": {key: {"not": missing}}}

    def read(self, ctx: Context, path: KeyPath, value: Any) -> Any:
        if not isinstance(value, dict):
            ctx.bad(path, self.problem, self.fix)
            return INVALID
        values: dict[str, Any] = {}
        for key, item in value.items():
            spec = self.keys.get(key) if isinstance(key, str) else None
            if spec is None:
                self._unknown(ctx, path, str(key))
            elif not spec.left_out(item):
                read = spec.read(ctx, (*path, key), item)
                if read is not INVALID:
                    values[key] = read
        if not (self.required_unless and values.get(self.required_unless) is True):
            for key in self.required:
                if key not in value or self.keys[key].left_out(value[key]):
                    self._missing(ctx, path, key)
        if self.one_of and not any(_given(value.get(key)) for key in self.one_of):
            ctx.report(ctx.doc.loc(*path), ctx.dialect.empty, *self.empty)
        return Checked(ctx.doc, path, values)

    def _unknown(self, ctx: Context, path: KeyPath, key: str) -> None:
        fix = did_you_mean(key, self.keys, "known keys are: " + ", ".join(sorted(self.keys)))
        if ctx.dialect.config:
            message = f"unknown key '{ctx.name((*path, key))}'"
        else:
            message = f"unknown key '{key}' in {self.what.format(key=last_key(path))}"
        ctx.report(ctx.doc.key_loc(*path, key), ctx.dialect.unknown, message, fix)

    def _missing(self, ctx: Context, path: KeyPath, key: str) -> None:
        if ctx.dialect.config:
            message = f"missing required key '{ctx.name((*path, key))}'"
            fix = f"add a line '{self.missing_fixes.get(key, key + ': ...')}'"
        else:
            message = f"missing '{key}'"
            fix = self.missing_fixes.get(key, f"add '{key}: ...'")
        ctx.report(ctx.doc.loc(*path), ctx.dialect.missing, message, fix)


def _given(value: Any) -> bool:
    """Whether a value is there and not blank."""
    return value is not None and (isinstance(value, dict | list) or bool(str(value).strip()))


@dataclass(frozen=True)
class Items(Spec):
    """A list of ``item``s: "- " entries."""

    item: Spec
    description: str = ""
    fix: str = ""  # how to write the list, when the value is not one
    null_text: ClassVar[bool] = True

    def schema(self, dialect: Dialect) -> dict[str, Any]:
        return {"type": "array", "items": self.item.schema(dialect)}

    def read(self, ctx: Context, path: KeyPath, value: Any) -> Any:
        key = last_key(path)
        if not isinstance(value, list):
            ctx.bad(path, "must be a list", self.fix or f"start each entry with '- ' under {key}:")
            return INVALID
        found = []
        for index, item in enumerate(value):
            if isinstance(self.item, Record) and not isinstance(item, dict):
                message = f"each entry of '{key}' must be a mapping"
                fix = "write entries as '- quote: ...' with their keys indented below"
                ctx.report(ctx.doc.loc(*path, index), ctx.dialect.bad, message, fix)
                continue
            read = self.item.read(ctx, (*path, index), item)
            if read is not INVALID:
                found.append(read)
        return found


@dataclass(frozen=True)
class Either(Spec):
    """A text, or a mapping: a source is a name or {name, url}."""

    text: Text
    record: Record
    description: str = ""
    problem: str = ""
    fix: str = ""

    def schema(self, dialect: Dialect) -> dict[str, Any]:
        return {"anyOf": [*alternatives(self.text.schema(dialect)), self.record.schema(dialect)]}

    def read(self, ctx: Context, path: KeyPath, value: Any) -> Any:
        if isinstance(value, dict):
            return self.record.read(ctx, path, value)
        if value is None or isinstance(value, list):
            ctx.bad(path, self.problem, self.fix)
            return INVALID
        return self.text.read(ctx, path, value)


@dataclass(frozen=True)
class Terms(Spec):
    """Glossary entries: headword -> its definition, or a mapping with a ``definition``.

    Reads as a list of (headword, entry as ``Checked``); a definition given alone is
    read as ``{definition: ...}``.
    """

    entry: Record
    description: str = ""

    def schema(self, dialect: Dialect) -> dict[str, Any]:
        text = {"anyOf": [{"type": "string", "not": {"pattern": NULL_TEXT}},
                          {"type": ["number", "boolean"]}]}  # fmt: skip
        return {"type": "object", "additionalProperties": {"anyOf": [
            text, self.entry.schema(dialect)]}}  # fmt: skip

    def read(self, ctx: Context, path: KeyPath, value: Any) -> Any:
        if not isinstance(value, dict):
            fix = "write each term as 'SCO:' with name, definition and aliases below"
            ctx.report(ctx.doc.loc(*path), "TRM001", "a glossary must be a mapping of terms", fix)
            return INVALID
        found = []
        for key, entry in value.items():
            where = (*path, key)
            if entry is not None and not isinstance(entry, dict | list) and not is_null(entry):
                entry = {"definition": entry}  # a term may be just its definition
            if not isinstance(key, str) or not isinstance(entry, dict):
                message = f"term {key!r} must have a definition"
                fix = "write 'definition: ...' under the term"
                ctx.report(ctx.doc.loc(*where), "TRM001", message, fix)
                continue
            found.append((key, self.entry.read(ctx, where, entry)))
        return found
