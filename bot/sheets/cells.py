"""Cell values between Python and the Sheets API: typed reads by column kind, JSON values for RAW writes."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from enum import Enum
from typing import Any
from zoneinfo import ZoneInfo

from bot.formats import TIME_ZONE, day_and_time, parse_amount
from sheets_schema import ColumnKind

_SERIAL_EPOCH = date(1899, 12, 30)  # Sheets' day 0: dates typed by a user arrive as serial numbers
_DANISH_DATE = re.compile(r"^(\d{1,2})[-./](\d{1,2})[-./](\d{4})$")
_LOCAL_TIME = re.compile(r"^(\d{1,2})-(\d{1,2})-(\d{4}) (\d{1,2}):(\d{2})$")


class CellValueError(ValueError):
    """A cell's content does not fit its column's kind; the message is Danish and user-facing."""


def to_json(value: Any) -> Any:
    """A value for a RAW write: numbers and booleans stay typed, everything else becomes text."""
    if value is None:
        return ""
    if isinstance(value, bool | int | float):
        return value
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, datetime):
        if value.tzinfo is None:
            return value.isoformat(timespec="seconds")
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Enum):
        return str(value.value)
    return str(value)


def sheet_time(moment: datetime, zone: ZoneInfo = TIME_ZONE) -> str:
    """A moment as a person reads it in a sheet: "25-11-2026 09:14" in the client's time zone. (The robot's journal
    and the queue keep their ISO UTC text, which they read back with seconds.)"""
    return day_and_time(moment, zone)


def parse_sheet_time(text: str, zone: ZoneInfo = TIME_ZONE) -> datetime | None:
    """A time cell the robot wrote: "25-11-2026 09:14" (local) or ISO "2026-11-25T08:14:57Z" (rows written before
    times were local); None when empty or neither."""
    text = text.strip()
    m = _LOCAL_TIME.match(text)
    try:
        if m:
            day, month, year, hour, minute = (int(g) for g in m.groups())
            return datetime(year, month, day, hour, minute, tzinfo=zone)
        moment = datetime.fromisoformat(text) if text else None
    except ValueError:
        return None
    return moment if moment is None or moment.tzinfo else moment.replace(tzinfo=UTC)


def as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def setting_text(value: Any) -> str:
    """A value read with UNFORMATTED_VALUE as locale-free text: 99.5 -> "99.5" (never "99,5"), 14.0 -> "14",
    True -> "TRUE"; a time cell is its fraction of a day (0.5 for 12:00), a date cell its serial."""
    if isinstance(value, float) and not value.is_integer():
        return format(Decimal(repr(value)), "f")
    return as_text(value)


def from_cell(value: Any, kind: ColumnKind) -> Any:
    """A value read with UNFORMATTED_VALUE, typed by the column's kind. Raises ``CellValueError``."""
    text = as_text(value).strip()
    if kind is ColumnKind.CHECKBOX:
        return value is True or text.upper() == "TRUE"
    if kind is ColumnKind.TEXT or kind is ColumnKind.DATETIME:
        return as_text(value)
    if text == "":
        return None
    if kind is ColumnKind.NUMBER:
        return _number(value, text)
    if kind is ColumnKind.MONEY:
        return _money(value, text)
    if kind is ColumnKind.DATE:
        return _date(value, text)
    raise AssertionError(kind)


def _number(value: Any, text: str) -> int:
    if isinstance(value, int | float) and not isinstance(value, bool) and float(value).is_integer():
        return int(value)
    try:
        number = float(text)
    except ValueError:
        number = 0.5
    if number.is_integer():
        return int(number)
    raise CellValueError(f"«{text}» er ikke et helt tal")


def _money(value: Any, text: str) -> Decimal:
    """A number cell as it is; text typed by a person ("1.234,50", "1234.50", "1.234,50 kr.") by CLDR's da_DK."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return Decimal(str(value))
    try:
        return parse_amount(text)
    except ValueError as e:
        raise CellValueError(str(e)) from None


def _date(value: Any, text: str) -> date:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _SERIAL_EPOCH + timedelta(days=int(value))
    m = _DANISH_DATE.match(text)
    try:
        if m:
            return date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        return date.fromisoformat(text[:10])
    except ValueError:
        raise CellValueError(f"«{text}» er ikke en dato (skriv ÅÅÅÅ-MM-DD)") from None
