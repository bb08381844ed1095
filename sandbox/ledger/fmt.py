"""Danish display formats of the sandbox site: amounts "1.234,50", dates "dd-mm-åååå" (from ``bot.formats``,
the one place the project's formats come from)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from bot import formats


def amount(value: Decimal) -> str:
    return formats.number(value, 2)


def day(value: date | None) -> str:
    return formats.day(value)


def parse_amount(text: str) -> Decimal:
    """Accepts "1.234,50", "1234,50" and "1234.50"; an empty field is 0; anything else raises InvalidOperation."""
    try:
        return formats.parse_amount(text) if text.strip() else Decimal(0)
    except ValueError as e:
        raise InvalidOperation(str(e)) from None
