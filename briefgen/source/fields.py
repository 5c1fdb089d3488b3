"""Typed access to a loaded YAML mapping, collecting one located diagnostic per bad value.

Every value is checked for its type and every unknown key is an error with a
did-you-mean suggestion, so a typo never silently drops an annotation; a required
value that is there but blank is an error too. Text is taken as written (the loader
keeps it, ``briefgen.source.yamlio``); flags and numbers are parsed from it by
``briefgen.source.scalars``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from briefgen.errors import Diagnostic, Location, did_you_mean
from briefgen.source.scalars import Unparsed, is_null, parse_count, parse_flag
from briefgen.source.yamlio import Key, YamlDoc
from briefgen.urlcheck import url_problem


@dataclass
class Fields:
    """Typed access to one YAML mapping, collecting a diagnostic for each bad value."""

    doc: YamlDoc
    path: tuple[Key, ...]
    data: dict[str, Any]
    problems: list[Diagnostic] = field(default_factory=list)

    def loc(self, *keys: Key) -> Location:
        """Location of a value under this mapping."""
        return self.doc.loc(*self.path, *keys)

    def bad(self, key: str, what: str, fix: str, code: str = "SC002") -> None:
        """Record that ``key`` has a bad value."""
        self.problems.append(Diagnostic(self.loc(key), code, f"'{key}' {what}", fix))

    def known(self, keys: tuple[str, ...], what: str) -> None:
        """Report keys that are not in ``keys``."""
        for key in self.data:
            if key not in keys:
                self.problems.append(
                    Diagnostic(
                        self.doc.key_loc(*self.path, key),
                        "SC001",
                        f"unknown key '{key}' in {what}",
                        did_you_mean(str(key), keys, "known keys are: " + ", ".join(sorted(keys))),
                    )
                )

    def text(self, key: str, *, required: bool = False, default: str = "", what: str = "") -> str:
        """A string value, as written; ``required``: present and not blank.

        ``what`` says what a required value is for, in the message about a blank one.
        """
        value = self.data.get(key)
        if value is None:
            if required:
                self.problems.append(
                    Diagnostic(self.loc(), "SC003", f"missing '{key}'", f"add '{key}: ...'")
                )
            return default
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.bad(key, "must be text", "write it in quotes, on one line or as a block: |")
            return default
        text = str(value).strip()
        if required and not text:
            self.problems.append(
                Diagnostic(
                    self.loc(key),
                    "SC007",
                    f"'{key}' is empty",
                    f"write {what or 'its text'}, or remove the entry",
                )
            )
        return text

    def texts(self, key: str) -> list[tuple[str, Location]]:
        """A list of strings (a single string counts as a list of one)."""
        value = self.data.get(key)
        if value is None:
            return []
        if isinstance(value, str):
            return [(value.strip(), self.loc(key))]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.bad(key, "must be a list of strings", f"write it as {key}: [a, b]")
            return []
        return [(v.strip(), self.loc(key, i)) for i, v in enumerate(value)]

    def flag(self, key: str) -> bool:
        """A true/false value; left out (or null), false."""
        value = self.data.get(key)
        if is_null(value):
            return False
        try:
            return parse_flag(value, key)
        except Unparsed as bad:
            self.bad(key, bad.what, bad.fix)
            return False

    def count(self, key: str, least: int = 0) -> int | None:
        """A whole number of at least ``least``; None when left out or bad."""
        value = self.data.get(key)
        if is_null(value):
            return None
        try:
            return parse_count(value, key, least)
        except Unparsed as bad:
            self.bad(key, bad.what, bad.fix)
            return None

    def items(self, key: str) -> list[Fields]:
        """A list of mappings, as ``Fields``."""
        value = self.data.get(key)
        if is_null(value):
            return []
        if not isinstance(value, list):
            self.bad(key, "must be a list", f"start each entry with '- ' under {key}:")
            return []
        out = []
        for index, item in enumerate(value):
            if not isinstance(item, dict):
                self.problems.append(
                    Diagnostic(
                        self.loc(key, index),
                        "SC002",
                        f"each entry of '{key}' must be a mapping",
                        "write entries as '- quote: ...' with their keys indented below",
                    )
                )
                continue
            out.append(Fields(self.doc, (*self.path, key, index), item, self.problems))
        return out

    def url(self, key: str) -> str | None:
        """A link target: http(s) or mailto only (never javascript: and the like)."""
        text = self.text(key)
        if not text:
            return None
        problem = url_problem(text)
        if problem:
            fix = "use an absolute http:// or https:// URL"
            self.problems.append(Diagnostic(self.loc(key), "URL001", f"'{key}' {problem}", fix))
            return None
        return text
