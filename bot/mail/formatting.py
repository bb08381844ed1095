"""Number, money and date formats per language, used as Jinja2 filters ("1.234,50 kr.", "23-11-2026").

The names stay what the templates and callers know; the formats themselves come from ``bot.formats`` (Babel's
CLDR data), the one place every formatter of the robot goes through.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from bot import formats


@dataclass(frozen=True)
class Style:
    locale: str  # a CLDR locale, e.g. "da_DK"


STYLES = {language: Style(locale) for language, locale in formats.LOCALES.items()}


def style_for(language: str) -> Style:
    return STYLES.get(language, STYLES["da"])


def format_number(value: Decimal | int | float, decimals: int = 0, style: Style = STYLES["da"]) -> str:
    """1234.5 -> "1.234,50" (decimals=2); -1234 -> "-1.234"."""
    return formats.number(value, decimals, style.locale)


def format_money(value: Decimal | int | float, currency: str = "DKK", style: Style = STYLES["da"]) -> str:
    """Decimal("1234.5") -> "1.234,50 kr."; in EUR -> "1.234,50 EUR"."""
    return formats.money(value, currency, style.locale)


def format_date(value: date | datetime | None, style: Style = STYLES["da"]) -> str:
    """date(2026, 11, 23) -> "23-11-2026"; None -> ""."""
    return formats.day(value, style.locale)
