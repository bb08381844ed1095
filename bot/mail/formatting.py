"""Number, money and date formats per language, used as Jinja2 filters ("1.234,50 kr.", "23-11-2026")."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal


@dataclass(frozen=True)
class Style:
    thousands: str
    decimal: str
    money: str  # "{amount}" and "{currency}" placeholders
    home_currency: str  # shown for DKK, e.g. "kr."
    date: str  # strftime pattern


STYLES = {
    "da": Style(thousands=".", decimal=",", money="{amount} {currency}", home_currency="kr.", date="%d-%m-%Y"),
    "en": Style(thousands=",", decimal=".", money="{currency} {amount}", home_currency="DKK", date="%d %b %Y"),
}


def style_for(language: str) -> Style:
    return STYLES.get(language, STYLES["da"])


def format_number(value: Decimal | int | float, decimals: int = 0, style: Style = STYLES["da"]) -> str:
    """1234.5 -> "1.234,50" (decimals=2); -1234 -> "-1.234"."""
    amount = Decimal(str(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    sign = "-" if amount < 0 else ""
    whole, _, fraction = f"{abs(amount):f}".partition(".")
    groups: list[str] = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    text = style.thousands.join(groups)
    return f"{sign}{text}{style.decimal}{fraction}" if decimals else f"{sign}{text}"


def format_money(value: Decimal | int | float, currency: str = "DKK", style: Style = STYLES["da"]) -> str:
    """Decimal("1234.5") -> "1.234,50 kr."; in EUR -> "1.234,50 EUR"."""
    shown = style.home_currency if currency == "DKK" else currency
    return style.money.format(amount=format_number(value, 2, style), currency=shown)


def format_date(value: date | datetime | None, style: Style = STYLES["da"]) -> str:
    """date(2026, 11, 23) -> "23-11-2026"; None -> ""."""
    return value.strftime(style.date) if value is not None else ""
