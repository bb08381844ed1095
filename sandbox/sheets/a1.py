"""A1 notation as the Sheets API reads and echoes it: sheet names (quoted or not), cells, open ranges.

A parsed range is a sheet name (``None`` = the first sheet) and 0-based inclusive bounds, where an open end
("A2:F", "A:A", "1:3" or a bare sheet name) is ``None`` until it is resolved against the sheet's grid.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sheets_schema.model import column_letter

_CELL = re.compile(r"^([A-Za-z]{0,3})(\d*)$")
_SIMPLE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_LOOKS_LIKE_CELL = re.compile(r"^[A-Za-z]{1,3}\d+$")


class RangeError(ValueError):
    """A range the API would answer with 400 "Unable to parse range"."""


@dataclass(frozen=True)
class A1Range:
    sheet: str | None
    row0: int | None  # None = from the first row
    col0: int | None
    row1: int | None  # None = to the last row of the grid
    col1: int | None


@dataclass(frozen=True)
class Rect:
    """Resolved 0-based inclusive bounds."""

    row0: int
    col0: int
    row1: int
    col1: int

    @property
    def rows(self) -> int:
        return self.row1 - self.row0 + 1

    @property
    def cols(self) -> int:
        return self.col1 - self.col0 + 1


def col_index(letters: str) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + (ord(ch) - 64)
    return n - 1




def quote_sheet(name: str) -> str:
    """The sheet name as Google echoes it: bare when simple, quoted otherwise ("'Kø'", "'Min fane'")."""
    if _SIMPLE_NAME.match(name) and not _LOOKS_LIKE_CELL.match(name):
        return name
    return "'" + name.replace("'", "''") + "'"


def _parse_cell(text: str) -> tuple[int | None, int | None]:
    m = _CELL.match(text)
    if not m or not (m.group(1) or m.group(2)):
        raise RangeError(text)
    col = col_index(m.group(1)) if m.group(1) else None
    row = int(m.group(2)) - 1 if m.group(2) else None
    if row is not None and row < 0:
        raise RangeError(text)
    return row, col


def _parse_cells(text: str) -> A1Range:
    parts = text.split(":")
    if len(parts) == 1:
        row, col = _parse_cell(parts[0])
        if row is None or col is None:
            raise RangeError(text)
        return A1Range(None, row, col, row, col)
    if len(parts) != 2:
        raise RangeError(text)
    r0, c0 = _parse_cell(parts[0])
    r1, c1 = _parse_cell(parts[1])
    # "A:B" (whole columns) and "1:2" (whole rows) need both ends of the same kind
    if (c0 is None) != (c1 is None) and (r0 is None or r1 is None):
        raise RangeError(text)
    return A1Range(None, r0, c0, r1, c1)


def parse(text: str) -> A1Range:
    """"'Kø'!A2:F" -> A1Range("Kø", 1, 0, None, 5); "A1:B2" -> first sheet; "Kø" -> the whole sheet."""
    text = text.strip()
    if text.startswith("'"):
        i, name = 1, ""
        while True:
            j = text.find("'", i)
            if j < 0:
                raise RangeError(text)
            if text[j + 1 : j + 2] == "'":
                name += text[i:j] + "'"
                i = j + 2
                continue
            name += text[i:j]
            rest = text[j + 1 :]
            break
        if not rest:
            return A1Range(name, None, None, None, None)
        if not rest.startswith("!"):
            raise RangeError(text)
        return _with_sheet(name, _parse_cells(rest[1:]))
    if "!" in text:
        name, _, cells = text.rpartition("!")
        return _with_sheet(name, _parse_cells(cells))
    try:
        return _parse_cells(text)
    except RangeError:
        return A1Range(text, None, None, None, None)


def _with_sheet(name: str, r: A1Range) -> A1Range:
    return A1Range(name, r.row0, r.col0, r.row1, r.col1)


def resolve(r: A1Range, row_count: int, col_count: int) -> Rect:
    """Fill open ends from the grid; ends beyond the grid are kept (callers clip or grow)."""
    return Rect(
        r.row0 if r.row0 is not None else 0,
        r.col0 if r.col0 is not None else 0,
        r.row1 if r.row1 is not None else max(row_count - 1, 0),
        r.col1 if r.col1 is not None else max(col_count - 1, 0),
    )


def format_range(sheet: str, rect: Rect) -> str:
    start = f"{column_letter(rect.col0)}{rect.row0 + 1}"
    if rect.rows == 1 and rect.cols == 1:
        return f"{quote_sheet(sheet)}!{start}"
    return f"{quote_sheet(sheet)}!{start}:{column_letter(rect.col1)}{rect.row1 + 1}"
