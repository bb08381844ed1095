"""Filter fields shared by the list pages: the "Kundenr." field takes one or more customer numbers."""

from __future__ import annotations

import re

from flask import request


def customer_numbers(raw: str) -> list[int] | None:
    """The customer numbers typed in a "Kundenr." field, separated by commas or spaces ("1001, 1002"), sorted
    and each once; None when the field is empty (no filter). Text that is not a number matches no customer."""
    parts = [p for p in re.split(r"[\s,;]+", raw.strip()) if p]
    if not parts:
        return None
    return sorted({int(p) for p in parts if p.isdigit()})


def customer_filter(name: str = "kunde") -> tuple[list[int] | None, str]:
    """The request's customer filter and its text as the field shows it again ("" when not filtered)."""
    raw = request.args.get(name, "").strip()
    numbers = customer_numbers(raw)
    return numbers, ", ".join(map(str, numbers)) if numbers else raw
