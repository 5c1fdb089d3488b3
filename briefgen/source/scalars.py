"""The few YAML values that are not text, parsed from the text the loader keeps.

``briefgen.source.yamlio`` keeps every plain scalar as written, so a title ``1:30``
stays "1:30". A field that is a flag, a whole number or a date parses its text here,
in YAML 1.2's core forms. A form that YAML 1.1 reads as something else (``yes`` and
``on`` as true, ``012`` as 10, ``1:30`` as 90, ``1_000`` as 1000) is ambiguous: it is
refused, and the error says how to write what was meant. ``~``, ``null`` and nothing
at all mean the field is left out. Values with an explicit tag (``!!int 5``) arrive
typed and are taken as they are.
"""

from __future__ import annotations

import datetime as dt
import re

import yaml

NULLS = frozenset({"", "~", "null", "Null", "NULL"})
TRUE = frozenset({"true", "True", "TRUE"})
FALSE = frozenset({"false", "False", "FALSE"})
YAML11_FLAGS = frozenset({"y", "yes", "n", "no", "on", "off"})  # compared in lower case
DIGITS = re.compile(r"[0-9]+")
# Numbers as YAML 1.1 wrote them: octal 012, hex 0x1F, binary 0b101, 1_000, 1:30:00.
YAML11_NUMBER = re.compile(r"[-+]?(?:0[xob]?[0-9a-fA-F_]+|[0-9][0-9_]*(?::[0-5]?[0-9])+|[0-9_]+)")
DATE_TIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}(?:[Tt ].*)?")


class Unparsed(ValueError):
    """A value that is not of its field's type: what is wrong, and how to write it."""

    def __init__(self, what: str, fix: str) -> None:
        super().__init__(what)
        self.what = what
        self.fix = fix


def is_null(value: object) -> bool:
    """Whether a value leaves its field out: nothing, ``~`` or ``null``."""
    return value is None or (isinstance(value, str) and value.strip() in NULLS)


def parse_flag(value: object, key: str) -> bool:
    """A true/false value: ``true`` or ``false`` (any case YAML 1.2 allows)."""
    if isinstance(value, bool):
        return value
    text = str(value).strip()
    if text in TRUE or text in FALSE:
        return text in TRUE
    fix = f"write {key}: true or {key}: false"
    if text.lower() in YAML11_FLAGS:
        raise Unparsed(f"is {text!r}, which YAML 1.1 reads as a flag and YAML 1.2 as text", fix)
    raise Unparsed("must be true or false", fix)


def parse_count(value: object, key: str, least: int = 0) -> int:
    """A whole number of at least ``least``, written in plain digits."""
    if isinstance(value, int) and not isinstance(value, bool) and value >= least:
        return value
    text = str(value).strip()
    example = f"{key}: {max(least, 2)}"
    if DIGITS.fullmatch(text) and int(text) >= least:
        if len(text) > 1 and text.startswith("0"):
            raise Unparsed(
                f"is {text!r}, which YAML 1.1 reads as the octal number {int(text, 8)}"
                if re.fullmatch(r"0[0-7]+", text)
                else f"is {text!r}, a number with a leading zero",
                f"write {key}: {int(text)}",
            )
        return int(text)
    if YAML11_NUMBER.fullmatch(text) and not DIGITS.fullmatch(text):
        read = yaml.safe_load(f"- {text}")[0]  # what YAML 1.1 makes of it: 0x10 is 16
        if isinstance(read, int) and read >= least:
            fix = f"write {key}: {read}, in plain digits"
            raise Unparsed(f"is {text!r}, which YAML 1.1 reads as {read} and YAML 1.2 as text", fix)
        raise Unparsed(f"must be a whole number from {least}", f"write {example}")
    raise Unparsed(f"must be a whole number from {least}", f"write {example}")


def parse_date(value: object) -> dt.date:
    """A date: ``YYYY-MM-DD``, or a date and time whose day is taken."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    fix = "write it as YYYY-MM-DD"
    if DATE_TIME.fullmatch(text):
        try:
            return dt.datetime.fromisoformat(text.replace("t", "T")).date()
        except ValueError:
            pass
    raise Unparsed(f"is not a date: {text!r}", fix)
