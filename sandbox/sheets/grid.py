"""spreadsheets.get (metadata, optional grid data) and spreadsheets.batchUpdate requests."""

from __future__ import annotations

import copy
from typing import Any

from sandbox.sheets import conditional, formats
from sandbox.sheets.a1 import Rect
from sandbox.sheets.book import ApiError, Book
from sandbox.sheets.values import FORMATTED, extended_value, render

# Formatting requests accepted and not modelled (conditional formats are: ``sandbox.sheets.conditional``).
_ACCEPTED_NO_OP = {
    "updateCells", "updateDimensionProperties", "autoResizeDimensions", "addDimensionGroup",
    "deleteDimensionGroup", "updateBorders", "mergeCells", "unmergeCells", "setBasicFilter", "clearBasicFilter",
    "addBanding", "updateBanding", "addNamedRange", "updateProtectedRange",
}


def spreadsheet_resource(book: Book, host_url: str, include_grid: bool, ranges: list[str]) -> dict[str, Any]:
    doc = book.doc
    sheets_out: list[dict[str, Any]] = []
    wanted: dict[int, list[Rect]] = {}
    if include_grid and ranges:
        for rng in ranges:
            sheet, parsed = book.locate(rng)
            wanted.setdefault(sheet["properties"]["sheetId"], []).append(book.clipped(sheet, parsed, rng))
    for sheet in book.sheets:
        sid = sheet["properties"]["sheetId"]
        if ranges and include_grid and sid not in wanted:
            continue
        out: dict[str, Any] = {"properties": copy.deepcopy(sheet["properties"])}
        if sheet["protectedRanges"]:
            out["protectedRanges"] = copy.deepcopy(sheet["protectedRanges"])
        if sheet.get("conditionalFormats"):
            out["conditionalFormats"] = copy.deepcopy(sheet["conditionalFormats"])
        if include_grid:
            rects = wanted.get(sid) or [_used_rect(sheet)]
            out["data"] = [_grid_data(book, sheet, r) for r in rects]
        sheets_out.append(out)
    return {
        "spreadsheetId": doc["id"],
        "properties": formats.spreadsheet_properties(book),
        "sheets": sheets_out,
        "spreadsheetUrl": f"{host_url.rstrip('/')}/view/{doc['id']}",
    }


def _used_rect(sheet: dict[str, Any]) -> Rect:
    rows = sheet["rows"]
    width = max((len(r) for r in rows), default=0)
    return Rect(0, 0, max(len(rows) - 1, 0), max(width - 1, 0))


def _grid_data(book: Book, sheet: dict[str, Any], rect: Rect) -> dict[str, Any]:
    row_data = []
    for r in range(rect.row0, rect.row1 + 1):
        values = []
        for c in range(rect.col0, rect.col1 + 1):
            cell = book.cell(sheet, r, c)
            data: dict[str, Any] = {}
            if cell is not None:
                data["userEnteredValue"] = extended_value(cell)
                data["effectiveValue"] = extended_value(cell)
                data["formattedValue"] = render(cell, FORMATTED, book.number_format(sheet, r, c))
            user_format = formats.cell_format(sheet, r, c)
            if user_format:
                data["userEnteredFormat"] = user_format
            rule = book.validation_at(sheet, r, c)
            if rule:
                data["dataValidation"] = rule
            values.append(data)
        row_data.append({"values": values})
    return {"startRow": rect.row0, "startColumn": rect.col0, "rowData": row_data}


def batch_update(book: Book, requests: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Apply the requests in order; any error leaves the caller's saved document untouched."""
    replies: list[dict[str, Any]] = []
    for i, req in enumerate(requests):
        if len(req) != 1:
            raise ApiError(400, f"Invalid requests[{i}]: exactly one kind of request must be set.")
        (kind, body), = req.items()
        replies.append(_apply(book, kind, body or {}, i))
    return replies


def _apply(book: Book, kind: str, body: dict[str, Any], i: int) -> dict[str, Any]:
    if kind == "addSheet":
        return {"addSheet": {"properties": book.add_sheet(body.get("properties") or {})}}
    if kind == "deleteSheet":
        book.delete_sheet(int(body.get("sheetId", 0)))
        return {}
    if kind == "updateSheetProperties":
        book.update_sheet_properties(body.get("properties") or {}, str(body.get("fields") or ""))
        return {}
    if kind == "updateSpreadsheetProperties":
        formats.update_spreadsheet_properties(book, body)
        return {}
    if kind == "setDataValidation":
        book.set_validation(body.get("range") or {}, body.get("rule"))
        return {}
    if kind == "addProtectedRange":
        return {"addProtectedRange": {"protectedRange": book.add_protected_range(body.get("protectedRange") or {})}}
    if kind == "deleteProtectedRange":
        book.delete_protected_range(int(body.get("protectedRangeId", 0)))
        return {}
    if kind == "appendDimension":
        grid = book.sheet_by_id(int(body.get("sheetId", 0)))["properties"]["gridProperties"]
        key = "columnCount" if body.get("dimension") == "COLUMNS" else "rowCount"
        grid[key] += int(body.get("length", 0))
        return {}
    if kind in ("deleteDimension", "insertDimension"):
        _dimension(book, kind, body.get("range") or {})
        return {}
    if kind == "repeatCell":
        return formats.repeat_cell(book, body, i)
    if kind == "addConditionalFormatRule":
        return conditional.add_rule(book, body, i)
    if kind == "deleteConditionalFormatRule":
        return conditional.delete_rule(book, body, i)
    if kind in _ACCEPTED_NO_OP:
        return {}
    raise ApiError(400, f"Invalid JSON payload received. Unknown name \"{kind}\" at 'requests[{i}]': "
                        "Cannot find field.")


def _dimension(book: Book, kind: str, rng: dict[str, Any]) -> None:
    sheet = book.sheet_by_id(int(rng.get("sheetId", 0)))
    start, end = int(rng.get("startIndex", 0)), int(rng.get("endIndex", 0))
    n = max(end - start, 0)
    grid = sheet["properties"]["gridProperties"]
    rows: list[list[Any]] = sheet["rows"]
    if rng.get("dimension") == "COLUMNS":
        for row in rows:
            if kind == "deleteDimension":
                del row[start:end]
            elif start < len(row):
                row[start:start] = [None] * n
        grid["columnCount"] = grid["columnCount"] + (n if kind == "insertDimension" else -n)
    else:
        if kind == "deleteDimension":
            del rows[start:end]
        elif start < len(rows):
            rows[start:start] = [[] for _ in range(n)]
        grid["rowCount"] = grid["rowCount"] + (n if kind == "insertDimension" else -n)
