"""Danish display formats: amounts "1.234,50", dates "dd-mm-åååå"."""

from __future__ import annotations

from datetime import date
from decimal import Decimal


def amount(value: Decimal) -> str:
    sign = "-" if value < 0 else ""
    whole, frac = f"{abs(value):.2f}".split(".")
    groups: list[str] = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    return f"{sign}{'.'.join(groups)},{frac}"


def day(value: date | None) -> str:
    return "" if value is None else value.strftime("%d-%m-%Y")


def parse_amount(text: str) -> Decimal:
    """Accepts "1.234,50", "1234,50" and "1234.50"."""
    t = text.strip().replace(" ", "")
    if "," in t:
        t = t.replace(".", "").replace(",", ".")
    return Decimal(t or "0")
