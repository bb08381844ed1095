"""Number, money, date and time formats in one place, from Babel's CLDR data and ``zoneinfo``.

Every formatter of the robot (mail filters, the dunning texts, the sandbox site) and the money parser of the
sheet go through here: "1.234,50", "1.234,50 kr.", "23-11-2026", "08:15" in da_DK; "1,234.50", "DKK 1,234.50",
"23 Nov 2026" in English. The sheets get the same formats as Sheets number-format patterns (``SHEET_*``).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date as _babel_date
from babel.numbers import NumberFormatError, format_decimal, get_currency_symbol, parse_decimal

DANISH = "da_DK"
HOME_CURRENCY = "DKK"
TIME_ZONE = ZoneInfo("Europe/Copenhagen")
LOCALES = {"da": DANISH, "en": "en_GB"}
_DATE_PATTERNS = {DANISH: "dd-MM-yyyy", "en_GB": "dd MMM yyyy"}  # LDML: 23-11-2026, 23 Nov 2026
_MONEY_LAYOUT = {DANISH: "{amount} {currency}", "en_GB": "{currency} {amount}"}

# The same formats for the sheets (Sheets' own pattern syntax; the spreadsheet's locale da_DK gives the dots).
SHEET_LOCALE = DANISH
SHEET_TIME_ZONE = "Europe/Copenhagen"
SHEET_MONEY = {"type": "NUMBER", "pattern": "#,##0.00"}
SHEET_DATE = {"type": "DATE", "pattern": "dd-mm-yyyy"}


def locale_for(language: str) -> str:
    """"da" -> "da_DK", "en" -> "en_GB"; an unknown language is Danish."""
    return LOCALES.get(language, DANISH)


def number(value: Decimal | int | float, decimals: int = 0, locale: str = DANISH) -> str:
    """1234.5 -> "1.234,50" (decimals=2); -1234 -> "-1.234". Rounded half up, as a bookkeeper rounds."""
    amount = Decimal(str(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return str(format_decimal(amount, format=pattern, locale=locale, decimal_quantization=True))


def currency_symbol(currency: str, locale: str = DANISH) -> str:
    """The home currency's local symbol ("kr."; "DKK" in English); any other currency by its ISO code."""
    if currency == HOME_CURRENCY and locale == DANISH:
        return str(get_currency_symbol(currency, locale=locale))
    return currency


def money(value: Decimal | int | float, currency: str = HOME_CURRENCY, locale: str = DANISH) -> str:
    """Decimal("1234.5") -> "1.234,50 kr."; in EUR "1.234,50 EUR"; in English "DKK 1,234.50"."""
    layout = _MONEY_LAYOUT.get(locale, _MONEY_LAYOUT[DANISH])
    return layout.format(amount=number(value, 2, locale), currency=currency_symbol(currency, locale))


def day(value: date | datetime | None, locale: str = DANISH) -> str:
    """date(2026, 11, 23) -> "23-11-2026"; None -> ""."""
    if value is None:
        return ""
    return str(_babel_date(value, _DATE_PATTERNS.get(locale, _DATE_PATTERNS[DANISH]), locale=locale))


def local(moment: datetime, zone: ZoneInfo = TIME_ZONE) -> datetime:
    """A moment in the client's time zone; a naive datetime is refused (it names no zone)."""
    if moment.tzinfo is None:
        raise ValueError("a naive datetime has no time zone")
    return moment.astimezone(zone)


def clock(moment: datetime, zone: ZoneInfo = TIME_ZONE) -> str:
    """The local time of day, "08:15"."""
    return local(moment, zone).strftime("%H:%M")


def day_and_time(moment: datetime, zone: ZoneInfo = TIME_ZONE) -> str:
    """"25-11-2026 08:15" in the client's time zone."""
    return f"{day(local(moment, zone))} {clock(moment, zone)}"


def counted(n: int, one: str, other: str, locale: str = DANISH) -> str:
    """"1 inkassosag", "2 inkassosager": the noun by CLDR's plural rule of the locale (Danish: one for 1)."""
    return f"{n} {one if Locale.parse(locale).plural_form(n) == 'one' else other}"


_CURRENCY_WORDS = re.compile(r"(?i)\s*(kr\.?|dkk)\s*")
_POINT_DECIMAL = re.compile(r"^[+-]?\d+\.\d{1,2}$")  # "1234.50" typed the English way: one dot, 1-2 decimals


def parse_amount(text: str) -> Decimal:
    """An amount as a person types it: "1.234,50", "1234,50", "1.234.567", "1234.50", "1 234,50 kr." (Danish,
    by CLDR's da_DK symbols); raises ValueError naming the text when it is none."""
    cleaned = _CURRENCY_WORDS.sub("", text).replace(" ", "").replace("\xa0", "")
    try:
        if _POINT_DECIMAL.match(cleaned) or re.fullmatch(r"[+-]?\d+", cleaned):
            return Decimal(cleaned)
        return Decimal(parse_decimal(cleaned, locale=DANISH, strict=True))
    except (NumberFormatError, InvalidOperation):
        raise ValueError(f"«{text}» er ikke et beløb") from None
