"""The ``filter`` query parameter of e-conomic's REST API (``_introduction.md``, "Filtering").

``name$eq:Joe$and:(city$like:*port$or:age$lt:40)``: predicates ``property$operator:value`` joined by ``$and:``
and ``$or:`` (and binds tighter), parentheses for affinity; operators ``eq ne gt gte lt lte like in nin``;
``$null:`` for no value; ``$$ $( $) $* $, $[ $]`` escape the special characters. Strings compare case-insensitively;
``like`` without a ``*`` means "contains". Properties outside a collection's filterable set are refused (400).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

Record = dict[str, Any]
Predicate = Callable[[Record], bool]
OPERATORS = ("eq", "ne", "gte", "gt", "lte", "lt", "like", "in", "nin")
_ESCAPES = "$()*,[]"
_WILD = "\0"  # an unescaped * inside a like value
_NULL = object()


class FilterError(ValueError):
    """The filter cannot be parsed, or names a property that is not filterable."""


@dataclass
class _Parser:
    text: str
    filterable: Collection[str]
    pos: int = 0

    def parse(self) -> Predicate:
        pred = self._or()
        if self.pos != len(self.text):
            raise FilterError(f"Unexpected text at position {self.pos} of the filter.")
        return pred

    def _at(self, token: str) -> bool:
        return self.text.startswith(token, self.pos)

    def _or(self) -> Predicate:
        parts = [self._and()]
        while self._at("$or:"):
            self.pos += 4
            parts.append(self._and())
        return parts[0] if len(parts) == 1 else (lambda r: any(p(r) for p in parts))

    def _and(self) -> Predicate:
        parts = [self._atom()]
        while self._at("$and:"):
            self.pos += 5
            parts.append(self._atom())
        return parts[0] if len(parts) == 1 else (lambda r: all(p(r) for p in parts))

    def _atom(self) -> Predicate:
        if self._at("("):
            self.pos += 1
            inner = self._or()
            if not self._at(")"):
                raise FilterError("A parenthesis in the filter is not closed.")
            self.pos += 1
            return inner
        m = re.compile(r"([A-Za-z][A-Za-z0-9_.]*)\$(" + "|".join(OPERATORS) + r"):").match(self.text, self.pos)
        if m is None:
            raise FilterError(f"Expected property$operator:value at position {self.pos} of the filter.")
        prop, op = m.group(1), m.group(2)
        if prop not in self.filterable:
            raise FilterError(f"The property '{prop}' is not filterable.")
        self.pos = m.end()
        if op in ("in", "nin"):
            values = self._list()
            return _membership(prop, values, op == "in")
        return _compare(prop, op, self._value())

    def _value(self) -> Any:
        if self._at("$null:"):
            self.pos += 6
            return _NULL
        out: list[str] = []
        while self.pos < len(self.text):
            if self._at("$and:") or self._at("$or:") or self._at(")"):
                break
            ch = self.text[self.pos]
            if ch == "$" and self.pos + 1 < len(self.text) and self.text[self.pos + 1] in _ESCAPES:
                out.append(self.text[self.pos + 1])
                self.pos += 2
                continue
            out.append(_WILD if ch == "*" else ch)
            self.pos += 1
        return "".join(out)

    def _list(self) -> list[Any]:
        if not self._at("["):
            raise FilterError("$in: and $nin: take a list like [2,5,7].")
        end = self.text.find("]", self.pos)
        if end < 0:
            raise FilterError("A list in the filter is not closed with ].")
        items = self.text[self.pos + 1:end].split(",")
        self.pos = end + 1
        if len(items) > 200:
            raise FilterError("At most 200 values in $in: or $nin:.")
        return [_NULL if i == "$null:" else _number(i) for i in items if i]


def parse(text: str, filterable: Collection[str]) -> Predicate:
    if not text:
        return lambda _r: True
    return _Parser(text, filterable).parse()


def _get(record: Record, prop: str) -> Any:
    value: Any = record
    for part in prop.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def _number(text: str) -> Decimal:
    try:
        return Decimal(text)
    except InvalidOperation:
        raise FilterError(f"'{text}' is not a number.") from None


def _typed(actual: Any, wanted: str) -> tuple[Any, Any]:
    """Both sides in one comparable type: numbers as Decimal, booleans, strings case-folded."""
    if isinstance(actual, bool):
        return actual, wanted.lower() == "true"
    if isinstance(actual, int | float | Decimal):
        return Decimal(str(actual)), _number(wanted)
    return ("" if actual is None else str(actual)).casefold(), wanted.replace(_WILD, "*").casefold()


def _compare(prop: str, op: str, wanted: Any) -> Predicate:
    if op == "like":
        if wanted is _NULL:
            raise FilterError("$like: needs a value.")
        pattern = wanted if _WILD in wanted else f"{_WILD}{wanted}{_WILD}"
        regex = re.compile(".*".join(re.escape(p) for p in pattern.split(_WILD)), re.IGNORECASE | re.DOTALL)
        return lambda r: regex.fullmatch("" if _get(r, prop) is None else str(_get(r, prop))) is not None

    def test(record: Record) -> bool:
        actual = _get(record, prop)
        if wanted is _NULL or actual is None:
            same = (wanted is _NULL) == (actual is None)
            return same if op == "eq" else (not same if op == "ne" else False)
        a, w = _typed(actual, wanted)
        return bool({"eq": a == w, "ne": a != w, "gt": a > w, "gte": a >= w, "lt": a < w, "lte": a <= w}[op])

    return test


def _membership(prop: str, values: list[Any], inside: bool) -> Predicate:
    numbers = {v for v in values if v is not _NULL}
    with_null = any(v is _NULL for v in values)

    def test(record: Record) -> bool:
        actual = _get(record, prop)
        found = with_null if actual is None else Decimal(str(actual)) in numbers
        return found if inside else not found

    return test
