"""Cell values: how input is parsed (RAW vs USER_ENTERED) and how a stored value is rendered.

A stored cell is ``None`` (empty), a ``str``, an ``int``/``float``, a ``bool`` or ``{"f": "=..."}`` (a formula,
kept as text: the emulator does not evaluate formulas).
"""

from __future__ import annotations

import re
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


def render(cell: Cell, option: str) -> Any:
    """The value the API returns for a stored cell; "" for empty."""
    if cell is None:
        return ""
    if isinstance(cell, dict):
        return cell.get("f", "")
    if isinstance(cell, bool):
        return ("TRUE" if cell else "FALSE") if option == FORMATTED else cell
    if isinstance(cell, int | float):
        return format_number(cell) if option == FORMATTED else cell
    return cell


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
