"""What bootstrap sets beyond tabs and validation: the spreadsheet's locale and time zone, Danish number formats
on money and date columns, and the colours of the status cell (red on Fejl, green on Færdig).

Each function looks at what the spreadsheet already has and returns only the ``batchUpdate`` requests that are
missing (a second bootstrap run gets none), and says each change in Danish.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.formats import SHEET_DATE, SHEET_LOCALE, SHEET_MONEY, SHEET_TIME_ZONE
from sheets_schema import INSTRUKS, ColumnKind, JobStatus, SettingsTab, Tab

DATA_ROWS = 1000
_RED = {"backgroundColor": {"red": 0.96, "green": 0.8, "blue": 0.8},
        "textFormat": {"foregroundColor": {"red": 0.6, "green": 0.0, "blue": 0.0}}}
_GREEN = {"backgroundColor": {"red": 0.85, "green": 0.94, "blue": 0.83},
          "textFormat": {"foregroundColor": {"red": 0.1, "green": 0.4, "blue": 0.15}}}
STATUS_COLOURS = ((JobStatus.FAILED.value, _RED, "rød"), (JobStatus.DONE.value, _GREEN, "grøn"))


def formatted_keys(tab: Tab | SettingsTab) -> list[str]:
    """Columns that get a number format: money and dates."""
    if isinstance(tab, SettingsTab):
        return []
    return [c.key for c in tab.columns if c.kind in (ColumnKind.MONEY, ColumnKind.DATE)]


def locale_requests(properties: Mapping[str, Any], changes: list[str],
                    time_zone: str = SHEET_TIME_ZONE) -> list[dict[str, Any]]:
    """The spreadsheet in da_DK (thousand dots, decimal comma, as the number formats show them) and the client's
    time zone (Europe/Copenhagen unless given)."""
    wanted = {"locale": SHEET_LOCALE, "timeZone": time_zone}
    differ = {k: v for k, v in wanted.items() if properties.get(k) != v}
    if not differ:
        return []
    changes.append("Regnearket: " + ", ".join(f"{k} {v}" for k, v in differ.items()))
    return [{"updateSpreadsheetProperties": {"properties": differ, "fields": ",".join(differ)}}]


def number_format_requests(tab: Tab | SettingsTab, sid: int, cells: Mapping[tuple[str, int, int], Any],
                           changes: list[str]) -> list[dict[str, Any]]:
    """Money columns "#,##0.00" and date columns "dd-mm-yyyy" on rows 2..DATA_ROWS. ``cells``: (tab, row, col) ->
    the CellData bootstrap read (header row and row 2 of these columns)."""
    out: list[dict[str, Any]] = []
    if isinstance(tab, SettingsTab):
        return out
    header = {c: str(d.get("formattedValue", "")).strip() for (t, r, c), d in cells.items() if t == tab.name and r == 0}
    formats_now = {c: (d.get("userEnteredFormat") or {}).get("numberFormat")
                   for (t, r, c), d in cells.items() if t == tab.name and r == 1}
    for key in formatted_keys(tab):
        col = tab.column(key)
        i = next((c for c, h in header.items() if h == col.header), tab.index(key))
        wanted = SHEET_MONEY if col.kind is ColumnKind.MONEY else SHEET_DATE
        if formats_now.get(i) == wanted:
            continue
        out.append({"repeatCell": {
            "range": {"sheetId": sid, "startRowIndex": 1, "endRowIndex": DATA_ROWS, "startColumnIndex": i,
                      "endColumnIndex": i + 1},
            "cell": {"userEnteredFormat": {"numberFormat": dict(wanted)}},
            "fields": "userEnteredFormat.numberFormat"}})
        changes.append(f"{tab.name}: talformat {wanted['pattern']} i kolonnen «{col.header}»")
    return out


def status_cell_requests(tab: Tab | SettingsTab, sid: int, sheet: Mapping[str, Any],
                         changes: list[str]) -> list[dict[str, Any]]:
    """Instruks: the status cell red when it starts with "Fejl", green with "Færdig" (conditional formatting,
    so the robot's RAW writes keep it), and wrapped, so a long message is never cut off."""
    if tab is not INSTRUKS:
        return []
    r = INSTRUKS.row("robot_status") - 1
    cell = {"sheetId": sid, "startRowIndex": r, "endRowIndex": r + 1, "startColumnIndex": 1, "endColumnIndex": 2}
    have = [((rule.get("booleanRule") or {}).get("condition") or {}) for rule in sheet.get("conditionalFormats", [])]
    out: list[dict[str, Any]] = []
    for text, fmt, colour in STATUS_COLOURS:
        condition = {"type": "TEXT_STARTS_WITH", "values": [{"userEnteredValue": text}]}
        if condition in have:
            continue
        out.append({"addConditionalFormatRule": {"index": 0, "rule": {
            "ranges": [cell], "booleanRule": {"condition": condition, "format": fmt}}}})
        changes.append(f"{INSTRUKS.ref('robot_status')}: {colour} ved «{text}»")
    if out:
        out.append({"repeatCell": {"range": cell, "cell": {"userEnteredFormat": {"wrapStrategy": "WRAP"}},
                                   "fields": "userEnteredFormat.wrapStrategy"}})
    return out
