"""The Jinja2 environment class every template renders in: Jinja2's immutable sandbox.

Layouts and themes come from whoever can open a pull request, so a template may read
the variables briefgen passes it and call the functions among them (``url``,
``abs_url``, filters, macros), and nothing else:

- Jinja2's ``ImmutableSandboxedEnvironment`` refuses attributes that start with an
  underscore, the internals of functions, methods, frames and generators, and changes
  to the lists, dicts and sets passed in, so no template reaches Python's modules,
  files or processes; it raises ``SecurityError``, which the build reports as TPL004
  at the template's line;
- a repetition or a power whose result could not be held in memory (``"x" * 10**10``,
  ``2 ** 10**10``) is refused the same way, as Jinja2 itself caps ``range()``.

What a template may do is listed in the README (Theming).
"""

from __future__ import annotations

import dataclasses
from typing import Any

from jinja2.exceptions import SecurityError
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment

MAX_ITEMS = 1_000_000  # characters or items a repetition may make
MAX_POWER_BITS = 100_000  # bits an integer power may have


class Sandbox(ImmutableSandboxedEnvironment):
    """Jinja2's immutable sandbox, with repetitions and powers bounded."""

    intercepted_binops = frozenset({"*", "**"})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._safe: dict[tuple[type, str], bool] = {}
        self._fields: set[tuple[type, str]] = set()  # data class fields found safe
        self._checked: set[tuple[type, str]] = set()

    def getattr(self, obj: Any, attribute: str) -> Any:
        """Jinja2's sandboxed lookup; a field of a data class briefgen passes (a view's
        title, a page's path), once found safe, is read directly: it holds data, never
        a method, and is most of what templates read."""
        key = (type(obj), attribute)
        if key in self._fields:
            return getattr(obj, attribute)
        value = super().getattr(obj, attribute)
        if key not in self._checked:
            self._checked.add(key)
            cls = type(obj)
            field = dataclasses.is_dataclass(cls) and attribute in _field_names(cls)
            if field and value is getattr(obj, attribute, None):  # not a wrapper, not undefined
                self._fields.add(key)
        return value

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        """Jinja2's answer, which depends only on the type and the name: kept per pair."""
        key = (type(obj), attr)
        safe = self._safe.get(key)
        if safe is None:
            safe = self._safe[key] = super().is_safe_attribute(obj, attr, value)
        return safe

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        """``left operator right``, refusing results too big to hold."""
        if operator == "*":
            for sequence, times in ((left, right), (right, left)):
                sized = isinstance(sequence, str | list | tuple)
                if sized and _is_int(times) and len(sequence) * times > MAX_ITEMS:
                    raise SecurityError(
                        f"repeating a {type(sequence).__name__} {times} times makes more "
                        f"than {MAX_ITEMS} items"
                    )
        powers = operator == "**" and _is_int(left) and _is_int(right)
        if powers and right * abs(left).bit_length() > MAX_POWER_BITS and abs(left) > 1:
            raise SecurityError(f"{left} ** {right} is too big")
        return super().call_binop(context, operator, left, right)


def _field_names(cls: type) -> set[str]:
    """The names of a data class's fields."""
    return {f.name for f in dataclasses.fields(cls)}


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
