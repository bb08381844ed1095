"""Cell values: how input is parsed (RAW vs USER_ENTERED) and how a stored value is rendered.

A stored cell is ``None`` (empty), a ``str``, an ``int``/``float``, a ``bool`` or ``{"f": "=..."}`` (a formula,
kept as text: the emulator does not evaluate formulas). A cell may also carry a number format, kept apart
from its value as Google keeps it (a RAW write or a clear leaves it): "DATE", "TIME" or "GROUPED:<decimals>".

Every spreadsheet is a da_DK one (the locale spreadsheets.get reports), and USER_ENTERED text is read as Google
reads what a Danish user types: "1.234,50" and "12,5" are numbers, "24-12-2026" (or 24.12.2026, 2026-12-24) a
date serial (days since 1899-12-30) with a date format, "08:00" a fraction of a day with a time format, "TRUE"
a boolean. FORMATTED_VALUE renders in the locale: "1.234,50", "12,5", "24.12.2026", "08.00.00";
UNFORMATTED_VALUE gives the number (1234.5, 46380, 0.333...).
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

Cell = Any  # None | str | int | float | bool | dict[str, str]

_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")

FORMATTED = "FORMATTED_VALUE"
UNFORMATTED = "UNFORMATTED_VALUE"
FORMULA = "FORMULA"
RENDER_OPTIONS = (FORMATTED, UNFORMATTED, FORMULA)


class SkipCell:
    """A JSON null in written values: the cell is left as it is (as Google does)."""


SKIP = SkipCell()


EPOCH = date(1899, 12, 30)  # day 0 of Google's date serials
_GROUPED = re.compile(r"^[+-]?\d{1,3}(?:\.\d{3})+(?:,(\d+))?$")
_COMMA = re.compile(r"^[+-]?\d*,(\d+)$")
_DMY = re.compile(r"^(\d{1,2})[-./](\d{1,2})[-./](\d{4})$")
_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_CLOCK = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?$")


def parse_entered(value: Any) -> tuple[Cell | SkipCell, str | None]:
    """USER_ENTERED input in a da_DK spreadsheet: the value and the number format Google gives the cell."""
    text = value.strip() if isinstance(value, str) else ""
    if m := _GROUPED.match(text):
        number = float(text.replace(".", "").replace(",", "."))
        return (int(number) if number.is_integer() and not m.group(1) else number), f"GROUPED:{len(m.group(1) or '')}"
    if _COMMA.match(text):
        return float(text.replace(",", ".")), None
    m = _DMY.match(text) or _YMD.match(text)
    if m:
        d, mo, y = (m.group(1), m.group(2), m.group(3)) if m.re is _DMY else (m.group(3), m.group(2), m.group(1))
        try:
            return (date(int(y), int(mo), int(d)) - EPOCH).days, "DATE"
        except ValueError:
            return text, None
    if (m := _CLOCK.match(text)) and int(m.group(1)) < 24 and int(m.group(2)) < 60:
        return (int(m.group(1)) * 3600 + int(m.group(2)) * 60 + int(m.group(3) or 0)) / 86400, "TIME"
    return parse_input(value, True), None


def parse_input(value: Any, user_entered: bool) -> Cell | SkipCell:
    if value is None:
        return SKIP
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return int(value) if isinstance(value, float) and value.is_integer() and abs(value) < 2**53 else value
    text = value if isinstance(value, str) else str(value)
    if text == "":
        return None
    if not user_entered:
        return text
    if text.startswith("="):
        return {"f": text}
    if text.startswith("'"):
        return text[1:] or None
    if text.strip().upper() in ("TRUE", "FALSE"):
        return text.strip().upper() == "TRUE"
    stripped = text.strip()
    if _NUMBER.match(stripped):
        number = float(stripped)
        if number.is_integer() and "e" not in stripped.lower() and abs(number) < 2**53:
            return int(number)
        return number
    return text


def format_number(value: int | float) -> str:
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return f"{value:.15g}"
    return str(value)


def render(cell: Cell, option: str, number_format: str | None = None) -> Any:
    """The value the API returns for a stored cell; "" for empty. FORMATTED_VALUE is da_DK."""
    if cell is None:
        return ""
    if isinstance(cell, dict):
        return cell.get("f", "")
    if isinstance(cell, bool):
        return ("TRUE" if cell else "FALSE") if option == FORMATTED else cell
    if isinstance(cell, int | float):
        return format_danish(cell, number_format) if option == FORMATTED else cell
    return cell


def format_danish(value: int | float, number_format: str | None) -> str:
    if number_format and number_format.startswith("PATTERN:"):  # a repeatCell numberFormat, in the book's locale
        from sandbox.sheets.formats import render_pattern

        shown = render_pattern(value, number_format)
        if shown is not None:
            return shown
    if number_format == "DATE":
        return (EPOCH + timedelta(days=int(value))).strftime("%d.%m.%Y")
    if number_format == "TIME":
        seconds = round((value % 1) * 86400)
        return f"{seconds // 3600:02d}.{seconds // 60 % 60:02d}.{seconds % 60:02d}"
    if number_format and number_format.startswith("GROUPED:"):
        decimals = int(number_format.split(":")[1])
        text = f"{value:,.{decimals}f}"  # 1,234.50
        return text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return format_number(value).replace(".", ",")


def extended_value(cell: Cell) -> dict[str, Any]:
    """Google's ExtendedValue for spreadsheets.get with grid data."""
    if isinstance(cell, dict):
        return {"formulaValue": cell.get("f", "")}
    if isinstance(cell, bool):
        return {"boolValue": cell}
    if isinstance(cell, int | float):
        return {"numberValue": cell}
    return {"stringValue": cell}


def trim(rows: list[list[Any]]) -> list[list[Any]]:
    """Drop trailing empty cells of each row and trailing empty rows, as the API does."""
    out = []
    for row in rows:
        end = len(row)
        while end and row[end - 1] == "":
            end -= 1
        out.append(row[:end])
    while out and not out[-1]:
        out.pop()
    return out
