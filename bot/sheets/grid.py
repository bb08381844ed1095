"""A tab's grid size: learnt from metadata the store already fetches, and grown before a write past its edge.

Google answers a values.update (or batchUpdate) that reaches past a sheet's ``gridProperties.rowCount`` with 400
"Range (...) exceeds grid limits. Max rows: N, max columns: M"; only values.append adds rows by itself. A grown
tab gets the same checkbox and dropdown validation on its new rows that bootstrap gives rows 2..1000.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from http import HTTPStatus
from typing import Any

import gspread
from gspread.exceptions import APIError, SpreadsheetNotFound

_LAST_ROW = re.compile(r":[A-Z]+(\d+)$")


class GridSpreadsheet(gspread.Spreadsheet):
    """gspread's Spreadsheet that keeps each sheet's (sheetId, rowCount) from every metadata fetch it makes, so
    the one ``spreadsheets.get`` of opening it also tells the store how big each tab is."""

    grids: dict[str, tuple[int, int]]

    def fetch_sheet_metadata(self, params: Mapping[str, Any] | None = None) -> Mapping[str, Any]:
        meta = super().fetch_sheet_metadata(params)  # type: ignore[arg-type]
        self.grids = {**getattr(self, "grids", {}), **_grids(meta)}
        return meta


class GridSizes:
    """(sheetId, rowCount) by tab title, from the spreadsheet's metadata; fetched again when not known."""

    def __init__(self, spreadsheet: gspread.Spreadsheet) -> None:
        self._known: dict[str, tuple[int, int]] = dict(getattr(spreadsheet, "grids", {}))

    def get(self, title: str, fetch: Callable[[], Mapping[str, Any]]) -> tuple[int, int] | None:
        if title not in self._known:
            self._known.update(_grids(fetch()))
        return self._known.get(title)

    def note_rows(self, title: str, rows: int | None) -> None:
        if rows is not None and title in self._known:
            self._known[title] = (self._known[title][0], rows)

    def forget(self, title: str) -> None:
        self._known.pop(title, None)


def _grids(meta: Mapping[str, Any]) -> dict[str, tuple[int, int]]:
    out = {}
    for sheet in meta.get("sheets", []):
        props = sheet.get("properties", {})
        if "gridProperties" in props:
            out[str(props["title"])] = (int(props["sheetId"]), int(props["gridProperties"]["rowCount"]))
    return out


def open_spreadsheet(client: gspread.Client, key: str) -> gspread.Spreadsheet:
    """``client.open_by_key`` (same request, same errors), keeping the grid sizes."""
    try:
        return GridSpreadsheet(client.http_client, {"id": key})
    except APIError as ex:
        if ex.response.status_code == HTTPStatus.NOT_FOUND:
            raise SpreadsheetNotFound(ex.response) from ex
        if ex.response.status_code == HTTPStatus.FORBIDDEN:
            raise PermissionError from ex
        raise


def last_row(echoed: str) -> int | None:
    """The grid's row count from the range a whole-tab read echoes ("Kø!A1:M1000" -> 1000)."""
    m = _LAST_ROW.search(echoed)
    return int(m.group(1)) if m else None


def last_filled_row(grid: Sequence[Sequence[Any]], offset: int = 0, default: int = 1) -> int:
    """The 1-based row of the last line of ``grid`` (whose first line is row ``offset + 1``) with something in
    its first cell; ``default`` when none has."""
    return max((offset + i + 1 for i, row in enumerate(grid) if row and str(row[0]).strip()), default=default)


def checkbox_rule() -> dict[str, Any]:
    return {"condition": {"type": "BOOLEAN"}, "strict": True}


def choice_rule(choices: Sequence[str], strict: bool = True) -> dict[str, Any]:
    return {"condition": {"type": "ONE_OF_LIST", "values": [{"userEnteredValue": v} for v in choices]},
            "strict": strict, "showCustomUi": True}


def column_choice_rule(choices: Sequence[str]) -> dict[str, Any]:
    """A table column's dropdown offers what a person may choose; it is not strict (Google then warns instead of
    rejecting), so the robot's own states (Sender, Opretter) stand in the column without being offered. The
    robot checks every value it reads."""
    return choice_rule(choices, strict=False)


def same_rule(found: Mapping[str, Any] | None, wanted: Mapping[str, Any]) -> bool:
    """A cell's data validation is the wanted one: its kind, and for a dropdown its list and strictness."""
    found = found or {}
    if (found.get("condition") or {}).get("type") != wanted["condition"]["type"]:
        return False
    if wanted["condition"]["type"] != "ONE_OF_LIST":
        return True
    return (found["condition"].get("values") == wanted["condition"]["values"]
            and bool(found.get("strict")) == bool(wanted.get("strict")))


def grow_requests(sheet_id: int, count: int, needed: int,
                  columns: Sequence[tuple[int, Sequence[str]]]) -> list[dict[str, Any]]:
    """appendDimension up to ``needed`` rows, plus the validation of each (column, choices) on the new rows:
    a dropdown of the choices, or a checkbox when there are none."""
    out: list[dict[str, Any]] = [
        {"appendDimension": {"sheetId": sheet_id, "dimension": "ROWS", "length": needed - count}}]
    for col, choices in columns:
        out.append({"setDataValidation": {
            "range": {"sheetId": sheet_id, "startRowIndex": count, "endRowIndex": needed,
                      "startColumnIndex": col, "endColumnIndex": col + 1},
            "rule": column_choice_rule(choices) if choices else checkbox_rule()}})
    return out
