"""The narrative's values, named, so that a mistyped name or key is told in plain words with what there is.

Jinja says "'dict object' has no attribute 'Complete'"; the officer who wrote the narrative needs
"counts has no status 'Complete' (did you mean 'Completed'?); the statuses are Completed, …". The
values are wrapped only to carry their names: nothing here changes what a narrative can read or do.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from typing import Any

import jinja2
from jinja2.utils import missing

from reportgen.wording import quoted

# what the keys of a value are called, where "value" would say less (singular, plural)
KEY_NOUNS = {"counts": ("status", "statuses")}


class NamedValues(dict[str, Any]):
    """A value of the narrative that holds values by name (counts, paper), knowing its own name.

    Its name is kept under an underscore so that the sandbox never lets a narrative read it as a key."""

    _values_name = ""

    def __init__(self, name: str, values: Mapping[str, Any]) -> None:
        super().__init__(values)
        self._values_name = name


def named_context(context: Mapping[str, object]) -> dict[str, object]:
    """The context with each mapping (and mapping inside it) named by the way a narrative reaches it."""
    return {name: _named(name, value) for name, value in context.items()}


def _named(name: str, value: object) -> object:
    if isinstance(value, Mapping):
        return NamedValues(name, {str(key): _named(f"{name}.{key}", item) for key, item in value.items()})
    return value


def plain_undefined(names: Sequence[str]) -> type[jinja2.StrictUndefined]:
    """Jinja's strict Undefined (any use of a missing value fails), its message in plain words naming what
    there is: the narrative's values `names`, or the keys of the value that was read."""

    class PlainUndefined(jinja2.StrictUndefined):
        __slots__ = ()

        @property
        def _undefined_message(self) -> str:
            if self._undefined_hint:
                return self._undefined_hint
            return missing_value_message(self._undefined_obj, self._undefined_name, names)

    return PlainUndefined


def _quoted_name(name: object) -> str:
    """A name the narrative wrote, quoted as it wrote it ('total'); a number as it is."""
    return quoted(name) if isinstance(name, str) else repr(name)


def missing_value_message(holder: object, name: object, names: Sequence[str]) -> str:
    """'there is no value 'totl' (did you mean 'total'?); the values are …', or the same about a key."""
    if holder is missing:
        return f"there is no value {_quoted_name(name)}{_did_you_mean(name, names)}; the values are {', '.join(names)}"
    if isinstance(holder, NamedValues):
        singular, plural = KEY_NOUNS.get(holder._values_name, ("value", "values"))
        keys = list(holder)
        available = f"the {plural} are {', '.join(keys)}" if keys else f"it has no {plural}"
        return f"{holder._values_name} has no {singular} {_quoted_name(name)}{_did_you_mean(name, keys)}; {available}"
    if isinstance(holder, (list, tuple)) and isinstance(name, int):
        return f"a list of {len(holder)} has no item {name} (the first is item 0)"
    return f"{_described(holder)} has no {_quoted_name(name)}"


def _did_you_mean(name: object, choices: Sequence[str]) -> str:
    if not isinstance(name, str):
        return ""
    by_case = [choice for choice in choices if choice.casefold() == name.casefold()]
    close = by_case or difflib.get_close_matches(name, choices, n=1)
    return f" (did you mean {quoted(close[0])}?)" if close else ""


def _described(value: object) -> str:
    if value is None:
        return "an empty value"
    if isinstance(value, bool):
        return f"the yes/no value {value}"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text {quoted(value[:40])}"
    if isinstance(value, (list, tuple)):
        return f"a list of {len(value)}"
    return f"a {type(value).__name__} value"
