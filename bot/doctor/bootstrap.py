"""Create or repair a client or queue spreadsheet from the schema, idempotently.

Per tab: the tab exists, row 1 holds the headers (frozen, protected with a warning), CHECKBOX columns carry
checkbox validation on rows 2..1000. The Instruks tab gets its header, labels and help texts, a dropdown for
settings with choices, and defaults only where column B is empty, so values the user has set are kept.

Cost: opening (1 request) + one ``spreadsheets.get`` with grid data for what exists; then, only if something
is missing, one ``spreadsheets.batchUpdate`` (structure) and one ``values.batchUpdate`` (text, RAW). A second
run finds nothing to do and writes nothing. Every change is reported as a line of text.

On Google a service account cannot create a spreadsheet (it owns no Drive storage: 403 "The user's Drive
storage quota has been exceeded."), so in production a person creates the spreadsheet, shares it with the
service account and bootstrap is given its id; without an id, that refusal becomes a ``SettingsError`` that
tells the operator exactly that.
"""

from __future__ import annotations

import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

import gspread
from gspread.exceptions import APIError
from gspread.utils import absolute_range_name

from bot.dunning.migration import first_rules, first_template
from bot.errors import SettingsError
from bot.sheets.cells import to_json
from bot.sheets.grid import checkbox_rule, choice_rule, column_choice_rule, same_rule
from bot.sheets.sheet_formats import formatted_keys, locale_requests, number_format_requests, status_cell_requests
from bot.sheets.store import SheetStore
from sheets_schema import (
    CLIENT_TABS,
    INSTRUKS,
    QUEUE_TABS,
    REGLER,
    SKABELONER,
    ColumnKind,
    SettingsTab,
    Tab,
    column_letter,
)

DATA_ROWS = 1000  # checkbox validation reaches down to this row
PROTECTION = "Rykkerbot: overskrifter (robotten læser kolonnerne ud fra dem)"


@dataclass
class BootstrapReport:
    spreadsheet_id: str
    changes: list[str] = field(default_factory=list)
    created_tabs: list[str] = field(default_factory=list)
    spreadsheet: gspread.Spreadsheet | None = None


def bootstrap_client(client: gspread.Client, spreadsheet_id: str | None, title: str,
                     changes: list[str] | None = None) -> str:
    report = ensure_spreadsheet(client, spreadsheet_id, title, CLIENT_TABS)
    if SKABELONER.name in report.created_tabs and report.spreadsheet is not None:
        _migrate_rules(report)
    if changes is not None:
        changes.extend(report.changes)
    return report.spreadsheet_id


def _cell_value(text: str) -> Any:
    """A number the bookkeeper typed stays a number; anything else is copied as typed."""
    try:
        return to_json(Decimal(text)) if text.strip() else ""
    except InvalidOperation:
        return text


def _migrate_rules(report: BootstrapReport) -> None:
    """The rule tabs were just made: fill Skabeloner and Regler from the Instruks levels and minimum (a new
    client gets them from the defaults, an existing one keeps what it typed). One read, one write (RAW)."""
    assert report.spreadsheet is not None
    instruks = SheetStore(report.spreadsheet).read_settings(INSTRUKS)
    data = []
    for tab, rows in ((SKABELONER, first_template(instruks)), (REGLER, first_rules(instruks))):
        if tab.name not in report.created_tabs:
            continue
        matrix = [[_cell_value(str(r.get(c.key, ""))) if c.kind in (ColumnKind.NUMBER, ColumnKind.MONEY)
                   else r.get(c.key, "") for c in tab.columns] for r in rows]
        data.append({"range": absolute_range_name(tab.name, f"A2:{column_letter(len(tab.columns) - 1)}"
                                                            f"{len(rows) + 1}"), "values": matrix})
        report.changes.append(f"{tab.name}: {len(rows)} rækker fra Instruks (rykkerniveauer og minimumsbeløb)")
    report.spreadsheet.values_batch_update({"valueInputOption": "RAW", "data": data})


def bootstrap_queue(client: gspread.Client, spreadsheet_id: str | None, title: str,
                    changes: list[str] | None = None) -> str:
    report = ensure_spreadsheet(client, spreadsheet_id, title, QUEUE_TABS)
    if changes is not None:
        changes.extend(report.changes)
    return report.spreadsheet_id


def _width(tab: Tab | SettingsTab) -> int:
    return len(tab.header) if isinstance(tab, SettingsTab) else len(tab.columns)


def _sheet_id(name: str, used: set[int]) -> int:
    sid = zlib.crc32(name.encode()) % (2**31 - 1) + 1
    while sid in used:
        sid += 1
    return sid


class _Grid:
    """Cells and validation from a spreadsheets.get with grid data, by (sheet title, row, col)."""

    def __init__(self, meta: Mapping[str, Any]) -> None:
        self.cells: dict[tuple[str, int, int], dict[str, Any]] = {}
        for sheet in meta.get("sheets", []):
            title = sheet["properties"]["title"]
            for data in sheet.get("data", []):
                r0, c0 = data.get("startRow", 0), data.get("startColumn", 0)
                for i, row in enumerate(data.get("rowData", [])):
                    for j, cell in enumerate(row.get("values", [])):
                        self.cells[(title, r0 + i, c0 + j)] = cell

    def text(self, title: str, r: int, c: int) -> str:
        return str(self.cells.get((title, r, c), {}).get("formattedValue", "")).strip()

    def rule_type(self, title: str, r: int, c: int) -> str:
        rule = self.cells.get((title, r, c), {}).get("dataValidation") or {}
        return str(rule.get("condition", {}).get("type", ""))

    def row(self, title: str, r: int) -> dict[int, str]:
        return {c: self.text(t, rr, c) for (t, rr, c) in self.cells if t == title and rr == r and self.text(t, rr, c)}


def _create(client: gspread.Client, title: str) -> gspread.Spreadsheet:
    """A new spreadsheet; a service account is refused one by Google (it owns no Drive storage)."""
    try:
        return client.create(title)
    except APIError as e:
        if e.code != 403:
            raise
        account = getattr(getattr(client.http_client, "auth", None), "service_account_email", "") or \
            "robottens tjenestekonto"
        raise SettingsError(
            f"Google lader ikke {account} oprette regnearket «{title}» ({e.error.get('message', e)}): en "
            "tjenestekonto ejer ingen plads i Google Drev. Opret selv et tomt regneark i Google Sheets, del det "
            f"med {account} som redaktør, og kør igen med --spreadsheet ID (ID står i regnearkets adresse). "
            "Se docs/going-live.md, trin 3. / A service account cannot create spreadsheets: create an empty "
            f"one yourself, share it with {account} as Editor and run again with --spreadsheet ID.") from e


def ensure_spreadsheet(client: gspread.Client, spreadsheet_id: str | None, title: str,
                       tabs: Sequence[Tab | SettingsTab]) -> BootstrapReport:
    created = spreadsheet_id is None
    spreadsheet = _create(client, title) if spreadsheet_id is None else client.open_by_key(spreadsheet_id)
    report = BootstrapReport(spreadsheet.id, spreadsheet=spreadsheet)
    if created:
        report.changes.append(f"Oprettede regnearket «{title}» ({spreadsheet.id})")
    meta = spreadsheet.fetch_sheet_metadata()
    existing = {s["properties"]["title"]: s for s in meta["sheets"]}
    ranges = []
    for tab in tabs:
        if tab.name not in existing:
            continue
        if isinstance(tab, SettingsTab):
            ranges.append(absolute_range_name(tab.name, f"A1:C{len(tab.settings) + 1}"))
        else:
            ranges.append(absolute_range_name(tab.name, "1:1"))
            ranges += [absolute_range_name(tab.name, f"{tab.letter(k)}2")
                       for k in [*tab.checkbox_keys, *tab.choice_keys, *formatted_keys(tab)]]
    if ranges:
        meta = spreadsheet.fetch_sheet_metadata({"includeGridData": "true", "ranges": ranges})
        existing.update({s["properties"]["title"]: s for s in meta["sheets"]})
    grid = _Grid(meta)
    used_ids = {int(s["properties"]["sheetId"]) for s in existing.values()}
    structure: list[dict[str, Any]] = []
    values: list[dict[str, Any]] = []
    for tab in tabs:
        sheet = existing.get(tab.name)
        if sheet is None:
            sid = _sheet_id(tab.name, used_ids)
            used_ids.add(sid)
            structure.append({"addSheet": {"properties": {
                "sheetId": sid, "title": tab.name,
                "gridProperties": {"rowCount": DATA_ROWS, "columnCount": max(_width(tab), 26),
                                   "frozenRowCount": tab.frozen_rows}}}})
            report.changes.append(f"Oprettede fanen «{tab.name}»")
            report.created_tabs.append(tab.name)
            props: dict[str, Any] = {"sheetId": sid, "gridProperties": {"frozenRowCount": tab.frozen_rows}}
            protected: list[dict[str, Any]] = []
        else:
            props = sheet["properties"]
            protected = sheet.get("protectedRanges", [])
        sid = int(props["sheetId"])
        if props.get("gridProperties", {}).get("frozenRowCount", 0) < tab.frozen_rows:
            structure.append({"updateSheetProperties": {
                "properties": {"sheetId": sid, "gridProperties": {"frozenRowCount": tab.frozen_rows}},
                "fields": "gridProperties.frozenRowCount"}})
            report.changes.append(f"{tab.name}: fastfrøs overskriftsrækken")
        if not any(p.get("description") == PROTECTION for p in protected):
            structure.append({"addProtectedRange": {"protectedRange": {
                "range": {"sheetId": sid, "startRowIndex": 0, "endRowIndex": 1},
                "description": PROTECTION, "warningOnly": True}}})
            report.changes.append(f"{tab.name}: beskyttede overskriftsrækken (advarsel)")
        if isinstance(tab, SettingsTab):
            _settings_tab(tab, sid, grid, structure, values, report)
        else:
            _table_tab(tab, sid, grid, structure, values, report)
        structure += status_cell_requests(tab, sid, sheet or {}, report.changes)
        structure += number_format_requests(tab, sid, grid.cells, report.changes)
    structure += locale_requests(meta.get("properties", {}), report.changes)
    if created and "Sheet1" in existing and all(t.name != "Sheet1" for t in tabs) and structure:
        structure.append({"deleteSheet": {"sheetId": existing["Sheet1"]["properties"]["sheetId"]}})
    if structure:
        spreadsheet.batch_update({"requests": structure})
    if values:
        spreadsheet.values_batch_update({"valueInputOption": "RAW", "data": values})
    return report


def _table_tab(tab: Tab, sid: int, grid: _Grid, structure: list[dict[str, Any]], values: list[dict[str, Any]],
               report: BootstrapReport) -> None:
    header = grid.row(tab.name, 0)
    present = set(header.values())
    free = max(header, default=-1) + 1
    for i, col in enumerate(tab.columns):
        if col.header in present:
            continue
        current = header.get(i, "")
        if current and current in tab.headers:  # its place is taken by another schema column: add it at the end
            i, free = free, free + 1
        values.append({"range": absolute_range_name(tab.name, f"{column_letter(i)}1"), "values": [[col.header]]})
        if col.help:  # the column's help text as the header cell's note
            structure.append({"updateCells": {
                "range": {"sheetId": sid, "startRowIndex": 0, "endRowIndex": 1, "startColumnIndex": i,
                          "endColumnIndex": i + 1},
                "rows": [{"values": [{"note": col.help}]}], "fields": "note"}})
        report.changes.append(f"{tab.name}!{column_letter(i)}1: skrev overskriften «{col.header}»"
                              + (f" (stod «{current}»)" if current else ""))
        header[i] = col.header
    # One validation per column kind: checkboxes (Godkend) and dropdowns (Status), rows 2..DATA_ROWS.
    column_rules = [(key, checkbox_rule(), "afkrydsningsfelter") for key in tab.checkbox_keys]
    column_rules += [(key, column_choice_rule(tab.column(key).choices), "rulleliste") for key in tab.choice_keys]
    for key, rule, what in column_rules:
        col = tab.column(key)
        col_i = next((i for i, h in header.items() if h == col.header), tab.index(key))
        if not same_rule(grid.cells.get((tab.name, 1, col_i), {}).get("dataValidation"), rule):
            structure.append({"setDataValidation": {
                "range": {"sheetId": sid, "startRowIndex": 1, "endRowIndex": DATA_ROWS,
                          "startColumnIndex": col_i, "endColumnIndex": col_i + 1},
                "rule": rule}})
            report.changes.append(f"{tab.name}: {what} i kolonne {column_letter(col_i)} ({col.header})")


def _settings_tab(tab: SettingsTab, sid: int, grid: _Grid, structure: list[dict[str, Any]],
                  values: list[dict[str, Any]], report: BootstrapReport) -> None:
    def put(cell: str, text: str) -> None:
        values.append({"range": absolute_range_name(tab.name, cell), "values": [[text]]})

    for c, text in enumerate(tab.header):
        if grid.text(tab.name, 0, c) != text:
            put(f"{column_letter(c)}1", text)
            report.changes.append(f"{tab.name}!{column_letter(c)}1: skrev «{text}»")
    for s in tab.settings:
        r = tab.row(s.key) - 1
        if grid.text(tab.name, r, 0) != s.label:
            put(f"A{r + 1}", s.label)
            report.changes.append(f"{tab.name}!A{r + 1}: skrev «{s.label}»")
            if not grid.text(tab.name, r, 1) and s.default:  # a missing setting gets its default; values stay
                put(f"B{r + 1}", s.default)
                report.changes.append(f"{tab.name}!B{r + 1}: standardværdi «{s.default}»")
        if s.help and grid.text(tab.name, r, 2) != s.help:
            put(f"C{r + 1}", s.help)
            report.changes.append(f"{tab.name}!C{r + 1}: hjælpetekst")
        if s.choices and grid.rule_type(tab.name, r, 1) != "ONE_OF_LIST":
            structure.append({"setDataValidation": {
                "range": {"sheetId": sid, "startRowIndex": r, "endRowIndex": r + 1,
                          "startColumnIndex": 1, "endColumnIndex": 2},
                "rule": choice_rule(s.choices)}})
            report.changes.append(f"{tab.name}!B{r + 1}: rulleliste ({', '.join(s.choices)})")
