"""The kinds of value a field holds: text, flags, whole numbers, dates, choices, lists of
texts; each with its JSON Schema and how briefgen reads it (see ``briefgen.source.specs``)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

from briefgen.source.scalars import Unparsed, parse_count, parse_date, parse_flag
from briefgen.source.specs import (
    FLAG_TEXT,
    INVALID,
    NONBLANK,
    WS,
    Context,
    Dialect,
    Spec,
    last_key,
    with_default,
)
from briefgen.source.yamlio import KeyPath

# A real day of the Gregorian calendar, YYYY-MM-DD (years 0001 to 9999), and optionally a
# time, whose day is taken: what ``scalars.parse_date`` reads.
DAY = (
    "((?!0000)[0-9]{4}-((0[13578]|1[02])-(0[1-9]|[12][0-9]|3[01])|(0[469]|11)-(0[1-9]|[12][0-9]"
    "|30)|02-(0[1-9]|1[0-9]|2[0-8]))|([0-9]{2}(0[48]|[2468][048]|[13579][26])|([02468][048]|"
    "[13579][26])00)-02-29)"
)
_HOUR, _MINUTE = "([01][0-9]|2[0-3])", "[0-5][0-9]"
TIME = f"([Tt ]{_HOUR}:{_MINUTE}(:{_MINUTE}([.,][0-9]{{1,6}})?)?(Z|[+-]{_HOUR}(:?{_MINUTE})?)?)?"
DATE_TEXT = f"^{WS}*{DAY}{TIME}{WS}*$"


def _text_schema(nonblank: bool) -> dict[str, Any]:
    """Text as an editor reads it: a string, or what YAML 1.2 makes a number or a flag."""
    text: dict[str, Any] = (
        {"type": "string", "pattern": NONBLANK} if nonblank else {"type": "string"}
    )
    return {"anyOf": [text, {"type": ["number", "boolean"]}]}


@dataclass(frozen=True)
class Text(Spec):
    """Text as written: any scalar but null (``12``, ``true`` and ``1:30`` are text too).

    ``problem`` and ``fix`` say what is wrong with a value that is no text or does not
    match ``pattern`` (or, in site.yaml, is blank where ``nonblank``); ``check`` is what
    no schema states: it returns a problem, or None.
    """

    description: str = ""
    nonblank: bool = False  # a blank value is an error (SC007)
    what: str = ""  # what the value is, for the message about a blank one
    pattern: str | None = None
    problem: str = "must be text"
    fix: str = "write it in quotes, on one line or as a block: |"
    check: Callable[[str], str | None] | None = None
    check_code: str = ""  # the code of the check's problems (default: a bad value's)
    default: str | None = None
    empty: tuple[str, str] = ("", "")  # the message and fix about a blank value, if not the usual

    def schema(self, dialect: Dialect) -> dict[str, Any]:
        if self.pattern is not None:
            return with_default({"type": "string", "pattern": self.pattern}, self.default)
        return with_default(_text_schema(self.nonblank), self.default)

    def read(self, ctx: Context, path: KeyPath, value: Any) -> Any:
        if value is None or isinstance(value, dict | list):
            ctx.bad(path, self.problem, self.fix)
            return INVALID
        text = str(value)
        if self.pattern is not None and not (
            isinstance(value, str) and re.search(self.pattern, text)
        ):
            problem = self.check(text) if self.check is not None else None
            ctx.bad(path, problem or self.problem, self.fix, code=self.check_code)
            return INVALID
        if self.nonblank and not text.strip():
            if ctx.dialect.config:
                ctx.bad(path, self.problem, self.fix)
            elif self.empty[0]:
                ctx.report(ctx.doc.loc(*path), ctx.dialect.empty, *self.empty)
            else:
                fix = f"write {self.what or 'its text'}, or remove the entry"
                ctx.bad(path, "is empty", fix, code=ctx.dialect.empty)
            return INVALID
        if self.check is not None and ctx.semantic:
            problem = self.check(text)
            if problem:
                ctx.bad(path, problem, self.fix, code=self.check_code)
                return INVALID
        return text.strip()


@dataclass(frozen=True)
class Flag(Spec):
    """true or false, in YAML 1.2's forms (``true``, ``True``, ``TRUE``, ``false``...)."""

    description: str = ""
    default: bool | None = None
    null_text: ClassVar[bool] = True

    def schema(self, dialect: Dialect) -> dict[str, Any]:
        forms = [{"type": "boolean"}, {"type": "string", "pattern": FLAG_TEXT}]
        return with_default({"anyOf": forms}, self.default)

    def read(self, ctx: Context, path: KeyPath, value: Any) -> Any:
        key = last_key(path)
        try:
            return parse_flag(value, key)
        except Unparsed as bad:
            if ctx.dialect.config and "YAML 1.1" not in bad.what:
                example = str(self.default).lower() if self.default is not None else "true"
                ctx.bad(path, "must be true or false", f"for example {key}: {example}")
            else:
                ctx.bad(path, bad.what, bad.fix)
            return INVALID


@dataclass(frozen=True)
class Count(Spec):
    """A whole number from ``least``, in plain digits (``012`` and ``0x10`` are refused)."""

    description: str = ""
    least: int = 0
    default: int | None = None
    problem: str = ""  # what is wrong with a value that is no number (default: the parser's)
    fix: str = ""
    null_text: ClassVar[bool] = True

    def schema(self, dialect: Dialect) -> dict[str, Any]:
        digits = "(0|[1-9][0-9]*)" if self.least == 0 else "[1-9][0-9]*"
        text = {"type": "string", "pattern": f"^{WS}*{digits}{WS}*$"}
        number = {"type": "integer", "minimum": self.least}
        return with_default({"anyOf": [number, text]}, self.default)

    def read(self, ctx: Context, path: KeyPath, value: Any) -> Any:
        try:
            return parse_count(value, last_key(path), self.least)
        except Unparsed as bad:
            if self.problem and "YAML 1.1" not in bad.what:
                ctx.bad(path, self.problem, self.fix)
            else:
                ctx.bad(path, bad.what, bad.fix)
            return INVALID


@dataclass(frozen=True)
class Date(Spec):
    """A day, YYYY-MM-DD, or a date and time whose day is taken."""

    description: str = ""
    null_text: ClassVar[bool] = True

    def schema(self, dialect: Dialect) -> dict[str, Any]:
        return {"type": "string", "pattern": DATE_TEXT}

    def read(self, ctx: Context, path: KeyPath, value: Any) -> Any:
        text = str(value)
        if isinstance(value, str) and not re.search(DATE_TEXT, text):
            ctx.bad(path, f"is not a date: {text.strip()!r}", "write it as YYYY-MM-DD", "SC004")
            return INVALID
        try:
            return parse_date(value)
        except Unparsed as bad:
            ctx.bad(path, bad.what, bad.fix, code="SC004")
            return INVALID


@dataclass(frozen=True)
class Choice(Spec):
    """One of a few words."""

    choices: tuple[str, ...]
    description: str = ""
    default: str | None = None

    def schema(self, dialect: Dialect) -> dict[str, Any]:
        return with_default({"enum": list(self.choices)}, self.default)

    def read(self, ctx: Context, path: KeyPath, value: Any) -> Any:
        if isinstance(value, str) and value in self.choices:
            return value
        problem = "must be one of: " + ", ".join(self.choices)
        ctx.bad(path, problem, f"for example {last_key(path)}: {self.default or self.choices[0]}")
        return INVALID


@dataclass(frozen=True)
class Anything(Spec):
    """A value briefgen does not read (the suggestions import writes for the editor)."""

    description: str = ""

    def schema(self, dialect: Dialect) -> dict[str, Any]:
        return {}

    def read(self, ctx: Context, path: KeyPath, value: Any) -> Any:
        return INVALID  # never read, so never wrong


@dataclass(frozen=True)
class Texts(Spec):
    """A list of texts, or one text as a list of one: (text, its location) pairs."""

    description: str = ""
    item: str = ""  # what an item is, when a blank one is an error ("alias")

    def schema(self, dialect: Dialect) -> dict[str, Any]:
        one = _text_schema(bool(self.item))
        return {"anyOf": [one, {"type": "array", "items": one}]}

    def read(self, ctx: Context, path: KeyPath, value: Any) -> Any:
        items = value if isinstance(value, list) else [value]
        if any(item is None or isinstance(item, dict | list) for item in items):
            key = last_key(path)
            ctx.bad(path, "must be a list of strings", f"write it as {key}: [a, b]")
            return INVALID
        paths = [(*path, i) for i in range(len(items))] if isinstance(value, list) else [path]
        found = []
        for item, at in zip(items, paths, strict=True):
            text = str(item).strip()
            if self.item and not text:
                fix = f"write the {self.item}, or remove it"
                ctx.report(ctx.doc.loc(*at), ctx.dialect.empty, f"an {self.item} is empty", fix)
            else:
                found.append((text, ctx.doc.loc(*at)))
        return found
