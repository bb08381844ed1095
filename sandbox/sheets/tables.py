"""Where values.append writes: the "table" Google finds in the given range.

Google's reference: "The input range is used to search for existing data and find a 'table' within that range.
Values will be appended to the next row of the table, starting with the first column of the table." The table is
the first row in the range with data and the rows touching it below (a blank row ends it); its first column is
the leftmost with data in those rows. So a blank row ends the table early and a blank first column shifts the
values right, as users of the real API report (gspread #537, #689, #735). A single-cell range searches from
that cell to the right edge and the bottom of the grid. No table: the range's first cell.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sandbox.sheets import a1
from sandbox.sheets.a1 import A1Range, Rect

if TYPE_CHECKING:
    from sandbox.sheets.book import Book


def find_table(book: Book, sheet: dict[str, Any], parsed: A1Range) -> tuple[Rect | None, int, int]:
    """(the table, or None; the 0-based row and column the appended values start at)."""
    rows, cols = book.grid(sheet)
    rect = a1.resolve(parsed, rows, cols)
    single = parsed.row1 == parsed.row0 and parsed.col1 == parsed.col0 and parsed.row0 is not None
    c_lo, c_hi = (rect.col0, cols - 1) if single else (rect.col0, min(rect.col1, cols - 1))
    r_end = min(len(sheet["rows"]), rows) - 1 if single else min(rect.row1, len(sheet["rows"]) - 1)

    def used(r: int) -> list[int]:
        return [c for c in range(c_lo, c_hi + 1) if book.cell(sheet, r, c) is not None]

    first = next((r for r in range(rect.row0, r_end + 1) if used(r)), None)
    if first is None:
        return None, rect.row0, rect.col0
    last = first
    while last + 1 <= r_end and used(last + 1):
        last += 1
    table_cols = [c for r in range(first, last + 1) for c in used(r)]
    return Rect(first, min(table_cols), last, max(table_cols)), last + 1, min(table_cols)
