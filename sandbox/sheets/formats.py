"""Cell formats set with ``repeatCell`` (userEnteredFormat.numberFormat and wrapStrategy) and the spreadsheet's
locale, as Google keeps them, and how FORMATTED_VALUE renders a number through a numberFormat pattern.

A sheet keeps ``"formats": [{"r0", "c0", "r1", "c1", "format": {<CellFormat>}}]``, later entries over earlier
ones. A pattern is rendered in the spreadsheet's locale with Babel's CLDR data (Google uses the same data):
"#,##0.00" is "69.601,17" in da_DK and "69,601.17" in en_US. Date patterns follow Sheets' tokens ("dd-mm-yyyy":
"mm" is the month next to d or y).
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from babel.numbers import format_decimal

from sandbox.sheets.book import ApiError, Book

EPOCH = date(1899, 12, 30)
DEFAULT_LOCALE = "da_DK"
DEFAULT_TIME_ZONE = "Europe/Copenhagen"
_FORMAT_FIELDS = ("numberFormat", "wrapStrategy", "horizontalAlignment")
_DATE_TOKEN = re.compile(r"yyyy|yy|dd|d|mm|m")


def repeat_cell(book: Book, body: dict[str, Any], i: int) -> dict[str, Any]:
    """repeatCell: the cell's userEnteredFormat fields named in ``fields`` go to every cell of the range (values
    untouched). Other fields are accepted and not modelled."""
    fields = [f.strip() for f in str(body.get("fields") or "").split(",") if f.strip()]
    if not fields:
        raise ApiError(400, f"Invalid requests[{i}].repeatCell: At least one field must be specified.")
    given = (body.get("cell") or {}).get("userEnteredFormat") or {}
    kept: dict[str, Any] = {}
    for name in _FORMAT_FIELDS:
        if f"userEnteredFormat.{name}" in fields or "userEnteredFormat" in fields or "*" in fields:
            kept[name] = given.get(name)
    if kept:
        sheet, rect = book.grid_rect(body.get("range") or {})
        sheet.setdefault("formats", []).append(
            {"r0": rect.row0, "c0": rect.col0, "r1": rect.row1, "c1": rect.col1, "format": kept})
    return {}


def cell_format(sheet: dict[str, Any], r: int, c: int) -> dict[str, Any]:
    """The userEnteredFormat repeatCell gave the cell (later ranges over earlier), {} for none."""
    out: dict[str, Any] = {}
    for f in sheet.get("formats") or []:
        if f["r0"] <= r <= f["r1"] and f["c0"] <= c <= f["c1"]:
            out.update({k: v for k, v in f["format"].items()})
    return {k: v for k, v in out.items() if v is not None}


def pattern_code(book: Book, sheet: dict[str, Any], r: int, c: int) -> str | None:
    """The cell's explicit numberFormat as "PATTERN:<locale>:<type>:<pattern>" (``values.render`` reads it)."""
    number_format = cell_format(sheet, r, c).get("numberFormat") or {}
    if not number_format.get("type"):
        return None
    return f"PATTERN:{locale_of(book)}:{number_format['type']}:{number_format.get('pattern', '')}"


def render_pattern(value: int | float, code: str) -> str | None:
    """A number through a "PATTERN:<locale>:<type>:<pattern>" code; None when the type is not modelled."""
    _, locale, kind, pattern = code.split(":", 3)
    if kind in ("NUMBER", "CURRENCY", "PERCENT"):
        return format_decimal(Decimal(repr(value)), format=pattern or "#,##0.##", locale=locale)
    if kind in ("DATE", "DATE_TIME"):
        day = EPOCH + timedelta(days=int(value))
        return _DATE_TOKEN.sub(lambda m: _date_part(day, m.group(0)), pattern or "dd-mm-yyyy")
    return None


def _date_part(day: date, token: str) -> str:
    return {"yyyy": f"{day.year:04d}", "yy": f"{day.year % 100:02d}", "dd": f"{day.day:02d}", "d": str(day.day),
            "mm": f"{day.month:02d}", "m": str(day.month)}[token]


def locale_of(book: Book) -> str:
    return str((book.doc.get("properties") or {}).get("locale") or DEFAULT_LOCALE)


def spreadsheet_properties(book: Book) -> dict[str, Any]:
    props = book.doc.get("properties") or {}
    return {"title": book.doc["title"], "locale": props.get("locale", DEFAULT_LOCALE), "autoRecalc": "ON_CHANGE",
            "timeZone": props.get("timeZone", DEFAULT_TIME_ZONE)}


def update_spreadsheet_properties(book: Book, body: dict[str, Any]) -> None:
    fields = [f.strip() for f in str(body.get("fields") or "").split(",") if f.strip()]
    given = body.get("properties") or {}
    every = fields == ["*"]
    if (every or "title" in fields) and given.get("title"):
        book.doc["title"] = given["title"]
    for key in ("locale", "timeZone"):
        if every or key in fields:
            if given.get(key):
                book.doc.setdefault("properties", {})[key] = given[key]
            else:
                book.doc.get("properties", {}).pop(key, None)
