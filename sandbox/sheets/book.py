"""One spreadsheet as a JSON document, with the grid operations the API endpoints need.

The document is plain JSON (stored whole in sqlite)::

    {"id", "title", "createdTime", "modifiedTime",
     "sheets": [{"properties": {<Google SheetProperties>}, "rows": [[cell, ...], ...],
                 "validations": [{"r0", "c0", "r1", "c1", "rule"}], "protectedRanges": [...],
                 "numberFormats": {"<row>,<col>": "DATE" | "TIME" | "GROUPED:<decimals>"}}]}
"""

from __future__ import annotations

import random
from typing import Any

from sandbox.sheets import a1
from sandbox.sheets.a1 import A1Range, Rect
from sandbox.sheets.tables import find_table
from sandbox.sheets.values import SKIP, Cell, parse_entered, parse_input, render, trim

DEFAULT_ROWS = 1000
DEFAULT_COLS = 26
_STATUS = {400: "INVALID_ARGUMENT", 403: "PERMISSION_DENIED", 404: "NOT_FOUND", 429: "RESOURCE_EXHAUSTED",
           500: "INTERNAL", 503: "UNAVAILABLE"}


class ApiError(Exception):
    def __init__(self, code: int, message: str, reason: str = "", domain: str = "global") -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.reason = reason  # Google's errors[].reason, e.g. "storageQuotaExceeded"
        self.domain = domain

    def body(self) -> dict[str, Any]:
        error: dict[str, Any] = {"code": self.code, "message": self.message,
                                 "status": _STATUS.get(self.code, "UNKNOWN")}
        if self.reason:
            error["errors"] = [{"message": self.message, "domain": self.domain, "reason": self.reason}]
        return {"error": error}


def new_sheet(sheet_id: int, title: str, rows: int = DEFAULT_ROWS, cols: int = DEFAULT_COLS) -> dict[str, Any]:
    return {
        "properties": {"sheetId": sheet_id, "title": title, "index": 0, "sheetType": "GRID",
                       "gridProperties": {"rowCount": rows, "columnCount": cols}},
        "rows": [],
        "validations": [],
        "protectedRanges": [],
    }


def new_book(book_id: str, title: str, now: str, first_sheet: str = "Sheet1") -> dict[str, Any]:
    return {"id": book_id, "title": title, "createdTime": now, "modifiedTime": now,
            "sheets": [new_sheet(0, first_sheet)]}


class Book:
    """Operations over one spreadsheet document (mutates it in place)."""

    def __init__(self, doc: dict[str, Any]) -> None:
        self.doc = doc

    # --- sheets ---------------------------------------------------------------------------------------------
    @property
    def sheets(self) -> list[dict[str, Any]]:
        sheets: list[dict[str, Any]] = self.doc["sheets"]
        for i, s in enumerate(sheets):
            s["properties"]["index"] = i
        return sheets

    def sheet_by_title(self, title: str) -> dict[str, Any] | None:
        return next((s for s in self.sheets if s["properties"]["title"] == title), None)

    def sheet_by_id(self, sheet_id: int) -> dict[str, Any]:
        for s in self.sheets:
            if s["properties"]["sheetId"] == sheet_id:
                return s
        raise ApiError(400, f"Invalid requests: No grid with id: {sheet_id}")

    def add_sheet(self, props: dict[str, Any]) -> dict[str, Any]:
        title = props.get("title") or f"Sheet{len(self.sheets) + 1}"
        if self.sheet_by_title(title) is not None:
            raise ApiError(400, f'Invalid requests[0].addSheet: A sheet with the name "{title}" already exists. '
                                "Please enter another name.")
        used = {s["properties"]["sheetId"] for s in self.sheets}
        sheet_id = props.get("sheetId")
        if sheet_id is None:
            sheet_id = random.randint(1, 2**31 - 1)
            while sheet_id in used:
                sheet_id = random.randint(1, 2**31 - 1)
        grid = props.get("gridProperties") or {}
        sheet = new_sheet(sheet_id, title, grid.get("rowCount", DEFAULT_ROWS), grid.get("columnCount", DEFAULT_COLS))
        for key in ("frozenRowCount", "frozenColumnCount"):
            if grid.get(key):
                sheet["properties"]["gridProperties"][key] = grid[key]
        index = props.get("index")
        sheets = self.doc["sheets"]
        sheets.insert(len(sheets) if index is None else min(int(index), len(sheets)), sheet)
        return dict(self.sheet_by_id(sheet_id)["properties"])

    def delete_sheet(self, sheet_id: int) -> None:
        sheet = self.sheet_by_id(sheet_id)
        if len(self.sheets) == 1:
            raise ApiError(400, "Invalid requests[0].deleteSheet: You can't remove all the sheets in a document.")
        self.doc["sheets"].remove(sheet)

    def update_sheet_properties(self, props: dict[str, Any], fields: str) -> None:
        sheet = self.sheet_by_id(int(props.get("sheetId", 0)))
        target = sheet["properties"]
        paths = [p.strip().replace("/", ".") for p in fields.split(",") if p.strip()]
        if paths == ["*"]:
            paths = [k for k in props if k != "sheetId"]
        for path in paths:
            keys = path.split(".")
            src: Any = props
            for k in keys:
                src = src.get(k) if isinstance(src, dict) else None
            if keys == ["title"] and src != target["title"] and self.sheet_by_title(str(src)) is not None:
                raise ApiError(400, f'A sheet with the name "{src}" already exists. Please enter another name.')
            if keys == ["index"]:
                sheets = self.doc["sheets"]
                sheets.remove(sheet)
                sheets.insert(min(int(src or 0), len(sheets)), sheet)
                continue
            dst = target
            for k in keys[:-1]:
                dst = dst.setdefault(k, {})
            if src is None:
                dst.pop(keys[-1], None)
            else:
                dst[keys[-1]] = src

    # --- ranges ---------------------------------------------------------------------------------------------
    def locate(self, text: str) -> tuple[dict[str, Any], A1Range]:
        try:
            parsed = a1.parse(text)
        except a1.RangeError:
            raise ApiError(400, f"Unable to parse range: {text}") from None
        if parsed.sheet is None:
            return self.sheets[0], parsed
        sheet = self.sheet_by_title(parsed.sheet)
        if sheet is None:
            raise ApiError(400, f"Unable to parse range: {text}")
        return sheet, parsed

    @staticmethod
    def grid(sheet: dict[str, Any]) -> tuple[int, int]:
        g = sheet["properties"]["gridProperties"]
        return int(g["rowCount"]), int(g["columnCount"])

    def clipped(self, sheet: dict[str, Any], parsed: A1Range, text: str) -> Rect:
        rows, cols = self.grid(sheet)
        rect = a1.resolve(parsed, rows, cols)
        if rect.row0 >= rows or rect.col0 >= cols:  # a read or clear starting past the edge; one ending past it is cut
            cells = text.rpartition("!")[2] if "!" in text else text
            raise ApiError(400, f"Range ({a1.quote_sheet(sheet['properties']['title'])}!{cells}) exceeds grid "
                                f"limits. Max rows: {rows}, max columns: {cols}")
        return Rect(rect.row0, rect.col0, min(rect.row1, rows - 1), min(rect.col1, cols - 1))

    @staticmethod
    def cell(sheet: dict[str, Any], r: int, c: int) -> Cell:
        rows = sheet["rows"]
        if r < len(rows) and c < len(rows[r]):
            return rows[r][c]
        return None

    @staticmethod
    def put(sheet: dict[str, Any], r: int, c: int, value: Cell) -> None:
        rows: list[list[Cell]] = sheet["rows"]
        if value is None and (r >= len(rows) or c >= len(rows[r])):
            return
        while len(rows) <= r:
            rows.append([])
        row = rows[r]
        while len(row) <= c:
            row.append(None)
        row[c] = value
        grid = sheet["properties"]["gridProperties"]
        grid["rowCount"] = max(grid["rowCount"], r + 1)
        grid["columnCount"] = max(grid["columnCount"], c + 1)

    def number_format(self, sheet: dict[str, Any], r: int, c: int) -> str | None:
        """A format set with repeatCell (``sandbox.sheets.formats``) wins over the one typed input gave."""
        from sandbox.sheets.formats import pattern_code

        formats: dict[str, str] = sheet.get("numberFormats") or {}
        return pattern_code(self, sheet, r, c) or formats.get(f"{r},{c}")

    def enter(self, sheet: dict[str, Any], r: int, c: int, value: Any) -> bool:
        """Put what a person types (USER_ENTERED); a date, time or grouped number also sets the cell's format.
        False when there was nothing to put (a JSON null)."""
        parsed, number_format = parse_entered(value)
        if parsed is SKIP:
            return False
        self.put(sheet, r, c, parsed)
        if number_format:
            sheet.setdefault("numberFormats", {})[f"{r},{c}"] = number_format
        return True

    def read(self, text: str, major: str, option: str) -> tuple[str, list[list[Any]]]:
        sheet, parsed = self.locate(text)
        rect = self.clipped(sheet, parsed, text)
        grid = [[render(self.cell(sheet, r, c), option, self.number_format(sheet, r, c))
                 for c in range(rect.col0, rect.col1 + 1)]
                for r in range(rect.row0, rect.row1 + 1)]
        if major == "COLUMNS":
            grid = [list(col) for col in zip(*grid, strict=True)] if grid else []
        return a1.format_range(sheet["properties"]["title"], rect), trim(grid)

    def write(self, text: str, values: list[list[Any]], major: str, user_entered: bool,
              grow: bool = False) -> dict[str, Any]:
        """values.update: a write past the grid's edge is refused as Google does (only append grows it)."""
        sheet, parsed = self.locate(text)
        row0 = parsed.row0 or 0
        col0 = parsed.col0 or 0
        grid = values
        if major == "COLUMNS":
            width = max((len(v) for v in values), default=0)
            grid = [[v[i] if i < len(v) else None for v in values] for i in range(width)]
        n_rows = len(grid)
        n_cols = max((len(r) for r in grid), default=0)
        anchor = parsed.row0 == parsed.row1 and parsed.col0 == parsed.col1  # a single cell is only a start
        if not anchor and (parsed.row1 is not None and row0 + n_rows - 1 > parsed.row1 or (
            parsed.col1 is not None and col0 + n_cols - 1 > parsed.col1
        )):
            raise ApiError(400, f"Requested writing within range [{text}], but tried writing "
                                f"{n_rows} rows and {n_cols} columns")
        rows, cols = self.grid(sheet)
        if not grow and n_rows and n_cols and (row0 + n_rows > rows or col0 + n_cols > cols):
            written = Rect(row0, col0, row0 + n_rows - 1, col0 + n_cols - 1)
            raise ApiError(400, f"Range ({a1.format_range(sheet['properties']['title'], written)}) exceeds grid "
                                f"limits. Max rows: {rows}, max columns: {cols}")
        cells, rows_hit, cols_hit = 0, set(), set()
        for i, row in enumerate(grid):
            for j, value in enumerate(row):
                if user_entered:
                    if not self.enter(sheet, row0 + i, col0 + j, value):
                        continue
                elif (parsed_value := parse_input(value, False)) is SKIP:
                    continue
                else:
                    self.put(sheet, row0 + i, col0 + j, parsed_value)
                cells += 1
                rows_hit.add(i)
                cols_hit.add(j)
        title = sheet["properties"]["title"]
        result: dict[str, Any] = {"spreadsheetId": self.doc["id"]}
        if n_rows and n_cols:
            result["updatedRange"] = a1.format_range(title, Rect(row0, col0, row0 + n_rows - 1, col0 + n_cols - 1))
        else:
            result["updatedRange"] = a1.format_range(title, Rect(row0, col0, row0, col0))
        result.update(updatedRows=len(rows_hit), updatedColumns=len(cols_hit), updatedCells=cells)
        return result

    def append(self, text: str, values: list[list[Any]], user_entered: bool, insert_rows: bool) -> dict[str, Any]:
        """values.append: after the "table" Google finds in the range (``sandbox.sheets.tables``)."""
        sheet, parsed = self.locate(text)
        rows, _cols = self.grid(sheet)
        table, start_row, start_col = find_table(self, sheet, parsed)
        title = sheet["properties"]["title"]
        result: dict[str, Any] = {"spreadsheetId": self.doc["id"]}
        if table is not None:
            result["tableRange"] = a1.format_range(title, table)
        if insert_rows:
            if start_row < len(sheet["rows"]):
                sheet["rows"][start_row:start_row] = [[] for _ in values]
            sheet["properties"]["gridProperties"]["rowCount"] = max(rows, start_row) + len(values)
        start = a1.format_range(title, Rect(start_row, start_col, start_row, start_col))
        result["updates"] = self.write(start, values, "ROWS", user_entered, grow=True)
        return result

    def clear(self, text: str) -> str:
        sheet, parsed = self.locate(text)
        rect = self.clipped(sheet, parsed, text)
        for r in range(rect.row0, min(rect.row1 + 1, len(sheet["rows"]))):
            row = sheet["rows"][r]
            for c in range(rect.col0, min(rect.col1 + 1, len(row))):
                row[c] = None
        return a1.format_range(sheet["properties"]["title"], rect)

    # --- validation and protection --------------------------------------------------------------------------
    def set_validation(self, grid_range: dict[str, Any], rule: dict[str, Any] | None) -> None:
        sheet, rect = self.grid_rect(grid_range)
        sheet["validations"].append({"r0": rect.row0, "c0": rect.col0, "r1": rect.row1, "c1": rect.col1,
                                     "rule": rule})

    def validation_at(self, sheet: dict[str, Any], r: int, c: int) -> dict[str, Any] | None:
        for v in reversed(sheet["validations"]):
            if v["r0"] <= r <= v["r1"] and v["c0"] <= c <= v["c1"]:
                rule: dict[str, Any] | None = v["rule"]
                return rule
        return None

    def is_checkbox(self, sheet: dict[str, Any], r: int, c: int) -> bool:
        rule = self.validation_at(sheet, r, c)
        return bool(rule) and rule.get("condition", {}).get("type") == "BOOLEAN"  # type: ignore[union-attr]

    def grid_rect(self, grid_range: dict[str, Any]) -> tuple[dict[str, Any], Rect]:
        sheet = self.sheet_by_id(int(grid_range.get("sheetId", 0)))
        rows, cols = self.grid(sheet)
        g = grid_range
        return sheet, Rect(int(g.get("startRowIndex", 0)), int(g.get("startColumnIndex", 0)),
                           int(g.get("endRowIndex", rows)) - 1, int(g.get("endColumnIndex", cols)) - 1)

    def add_protected_range(self, protected: dict[str, Any]) -> dict[str, Any]:
        sheet = self.sheet_by_id(int(protected.get("range", {}).get("sheetId", 0)))
        used = {p["protectedRangeId"] for s in self.sheets for p in s["protectedRanges"]}
        pid = random.randint(1, 2**31 - 1)
        while pid in used:
            pid = random.randint(1, 2**31 - 1)
        stored = {k: v for k, v in protected.items() if v is not None}
        stored["protectedRangeId"] = pid
        sheet["protectedRanges"].append(stored)
        return stored

    def delete_protected_range(self, pid: int) -> None:
        for s in self.sheets:
            s["protectedRanges"] = [p for p in s["protectedRanges"] if p["protectedRangeId"] != pid]
