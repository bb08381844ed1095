"""The sandbox's reading of e-conomic's ``filter`` syntax (pure: records in, matches out)."""

from __future__ import annotations

from typing import Any

import pytest

from sandbox.ledger.restapi.filters import FilterError, parse

ROWS: list[dict[str, Any]] = [
    {"n": 1, "name": "Joe", "city": "Newport", "age": 50, "customer": {"customerNumber": 5}, "barred": True},
    {"n": 2, "name": "joe", "city": "Aarhus", "age": 30, "customer": {"customerNumber": 7}},
    {"n": 3, "name": "Ann (50$)", "city": "Southport", "age": 20, "customer": {"customerNumber": 22}},
    {"n": 4, "name": "Bo*", "city": "Odense", "age": 45, "dueDate": "2026-11-01"},
]
FILTERABLE = ("n", "name", "city", "age", "customer.customerNumber", "barred", "dueDate")


def matches(text: str) -> list[int]:
    keep = parse(text, FILTERABLE)
    return [r["n"] for r in ROWS if keep(r)]


@pytest.mark.parametrize(("text", "expected"), [
    ("", [1, 2, 3, 4]),
    ("name$eq:Joe", [1, 2]),  # strings compare case-insensitively
    ("name$ne:joe", [3, 4]),
    ("age$gt:30", [1, 4]),
    ("age$gte:30$and:age$lte:45", [2, 4]),
    ("city$like:*port", [1, 3]),
    ("city$like:port", [1, 3]),  # no wildcard: contains
    ("name$eq:Joe$and:(city$like:*port$or:age$lt:40)", [1, 2]),
    ("name$eq:Ann$($$50$)$or:age$lt:21", [3]),
    ("name$eq:Bo$*", [4]),  # an escaped * is a literal star, not a wildcard
    ("customer.customerNumber$in:[2,5,7,22,45]", [1, 2, 3]),
    ("customer.customerNumber$nin:[5,7]", [3, 4]),
    ("customer.customerNumber$eq:$null:", [4]),
    ("barred$eq:true", [1]),
    ("dueDate$lt:2026-11-02", [4]),
    ("age$lt:40$or:age$gt:48$and:city$eq:newport", [1, 2, 3]),  # and binds tighter than or
])
def test_filter_selects(text: str, expected: list[int]) -> None:
    assert matches(text) == expected


@pytest.mark.parametrize(("text", "says"), [
    ("heading$eq:x", "not filterable"),
    ("name$xx:Joe", r"Expected property\$operator"),
    ("(name$eq:Joe", "not closed"),
    ("age$gt:old", "not a number"),
    ("customer.customerNumber$in:2,5", "list"),
])
def test_bad_filters_are_refused_with_the_reason(text: str, says: str) -> None:
    with pytest.raises(FilterError, match=says):
        matches(text)
