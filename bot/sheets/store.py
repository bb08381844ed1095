"""The store over one spreadsheet that flows and the queue use: whole-tab reads, batched RAW writes, backoff.

Every method is one Sheets API request (``replace_rows`` at most two, plus one when the tab must grow), counted
by a ``RequestCounter`` that several stores can share so a job can report its cost. Columns are found by their
header text in row 1, never by position; the header layout of a tab is learnt from ``read_table`` (or
``load_layouts``, one request for many tabs) and kept, so a write to a tab the store has not read yet costs one
extra header read first. All writes use valueInputOption=RAW: a customer name "=HYPERLINK(...)" stays text.
Google refuses a values.update past a tab's grid ("exceeds grid limits"; only append adds rows), so the store
knows each tab's row count (from the metadata of ``open``, a whole-tab read, or one metadata request) and grows
a tab with one ``appendDimension`` before ``replace_rows`` writes past its edge. Retries: ``bot.sheets.retry``.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

import gspread
from gspread.exceptions import APIError, SpreadsheetNotFound
from gspread.utils import absolute_range_name

from bot.errors import SettingProblem, SettingsError
from bot.sheets.cells import CellValueError, as_text, from_cell, setting_text, to_json
from bot.sheets.grid import GridSizes, grow_requests, last_filled_row, last_row, open_spreadsheet
from bot.sheets.retry import RequestCounter as RequestCounter
from bot.sheets.retry import SheetsRetry as SheetsRetry
from bot.sheets.retry import call_with_retry
from bot.sheets.retry import is_transient as is_transient
from sheets_schema import SettingsTab, Tab, column_letter

T = TypeVar("T")
DEFAULT_RETRY = SheetsRetry()
_UPDATED = re.compile(r"!([A-Z]+)(\d+)")


@dataclass(frozen=True)
class Row:
    number: int  # 1-based sheet row
    values: Mapping[str, Any] = field(default_factory=dict)

    def __getitem__(self, key: str) -> Any:
        return self.values[key]


def _sheet(name: str, cells: str = "") -> str:
    return absolute_range_name(name, cells or None)


class SheetStore:
    def __init__(
        self, spreadsheet: gspread.Spreadsheet, counter: RequestCounter | None = None,
        retry: SheetsRetry = DEFAULT_RETRY,
    ) -> None:
        self.spreadsheet = spreadsheet
        self.counter = counter or RequestCounter()
        self.retry = retry
        self._layouts: dict[str, dict[str, int]] = {}
        self._grids = GridSizes(spreadsheet)
        self._anchors: dict[str, int] = {}  # tab -> a row known to hold a record (or the header) in column A

    @classmethod
    def open(
        cls, client: gspread.Client, key: str, counter: RequestCounter | None = None,
        retry: SheetsRetry = DEFAULT_RETRY,
    ) -> SheetStore:
        """Open by id (one metadata request, counted and retried like the rest)."""
        counter = counter or RequestCounter()
        try:
            spreadsheet = call_with_retry(lambda: open_spreadsheet(client, key), counter, retry)
        except (SpreadsheetNotFound, PermissionError) as e:
            raise SettingsError(SettingProblem(key, "regneark", (
                f"Regnearket {key} findes ikke, eller robottens konto har ikke adgang. "
                "Tjek id'et og del regnearket med robottens konto."))) from e
        return cls(spreadsheet, counter, retry)

    @property
    def id(self) -> str:
        return str(self.spreadsheet.id)

    @property
    def requests(self) -> int:
        return self.counter.count

    # --- reads ----------------------------------------------------------------------------------------------
    def read_table(self, tab: Tab, lenient: bool = False) -> list[Row]:
        """All records of a tab (rows 2..), typed by column kind, in one request. Empty rows are skipped.
        A cell that does not fit its kind raises ``SettingsError`` naming every such cell; ``lenient``: the
        cell's raw value is kept instead, for a caller that checks rows one by one (the queue)."""
        data = self._call(lambda: self.spreadsheet.values_get(
            _sheet(tab.name), {"valueRenderOption": "UNFORMATTED_VALUE"}), tab.name)
        grid: list[list[Any]] = data.get("values", [])
        self._grids.note_rows(tab.name, last_row(str(data.get("range", ""))))
        self._anchors[tab.name] = last_filled_row(grid)
        layout = self._learn_layout(tab, grid[0] if grid else [])
        rows: list[Row] = []
        problems: list[SettingProblem] = []
        for offset, cells in enumerate(grid[1:]):
            if not any(as_text(c).strip() for c in cells):
                continue
            number = offset + 2
            values: dict[str, Any] = {}
            for col in tab.columns:
                i = layout[col.key]
                raw = cells[i] if i < len(cells) else ""
                try:
                    values[col.key] = from_cell(raw, col.kind)
                except CellValueError as e:
                    values[col.key] = raw
                    problems.append(SettingProblem(f"{tab.name}!{column_letter(i)}{number}", col.header,
                                                   f"{e}. Ret cellen."))
            rows.append(Row(number, values))
        if problems and not lenient:
            raise SettingsError(problems)
        return rows

    def read_settings(self, tab: SettingsTab) -> dict[str, str]:
        """The values of column B by setting key, in one request; every label in column A must match. Read
        unformatted (what a person typed is a number, date or time on Google, and formatted it would come in
        the spreadsheet's locale: "1.234,50", "13.30.00"), as locale-free text (``setting_text``)."""
        last = len(tab.settings) + 1
        data = self._call(lambda: self.spreadsheet.values_get(_sheet(tab.name, f"A1:B{last}"), {
            "valueRenderOption": "UNFORMATTED_VALUE", "dateTimeRenderOption": "SERIAL_NUMBER"}), tab.name)
        grid: list[list[Any]] = data.get("values", [])
        problems: list[SettingProblem] = []
        out: dict[str, str] = {}
        for setting in tab.settings:
            r = tab.row(setting.key)
            cells = grid[r - 1] if r - 1 < len(grid) else []
            label = as_text(cells[0]).strip() if cells else ""
            if label != setting.label:
                problems.append(SettingProblem(
                    f"{tab.name}!A{r}", setting.label,
                    f"Cellen {tab.name}!A{r} skal indeholde «{setting.label}», men indeholder «{label}». "
                    "Ret teksten tilbage (eller kør bootstrap), så robotten læser den rigtige indstilling."))
                continue
            out[setting.key] = setting_text(cells[1]).strip() if len(cells) > 1 else ""
        if problems:
            raise SettingsError(problems)
        return out

    def load_layouts(self, tabs: Iterable[Tab]) -> None:
        """Learn the header layout of several tabs in one request (before writing to tabs not yet read)."""
        tabs = [t for t in tabs if t.name not in self._layouts]
        if not tabs:
            return
        data = self._call(lambda: self.spreadsheet.values_batch_get(
            [_sheet(t.name, "1:1") for t in tabs], {"valueRenderOption": "UNFORMATTED_VALUE"}),
            tabs[0].name if len(tabs) == 1 else None)  # one tab: a missing one is named
        for tab, vr in zip(tabs, data.get("valueRanges", []), strict=True):
            values = vr.get("values", [])
            self._learn_layout(tab, values[0] if values else [])

    # --- writes ---------------------------------------------------------------------------------------------
    def update_rows(self, tab: Tab, updates: Mapping[int, Mapping[str, Any]]) -> None:
        """Set cells by column key in many rows, in one values.batchUpdate (RAW)."""
        if not any(updates.values()):
            return
        layout = self._layout(tab)
        data = []
        for number, cells in sorted(updates.items()):
            if number < 2:
                raise ValueError(f"{tab.name}: row {number} is the header")
            by_index = sorted((layout[tab.column(k).key], to_json(v)) for k, v in cells.items())
            run: list[tuple[int, Any]] = []
            for index, value in by_index:
                if run and index != run[-1][0] + 1:
                    data.append(self._run(tab, number, run))
                    run = []
                run.append((index, value))
            if run:
                data.append(self._run(tab, number, run))
        body = {"valueInputOption": "RAW", "data": data}
        self._call(lambda: self.spreadsheet.values_batch_update(body), tab.name)
        blanked = {n for n, cells in updates.items() for k, v in cells.items()
                   if layout[tab.column(k).key] == 0 and to_json(v) in ("", None)}
        while self._anchors.get(tab.name, 0) in blanked:  # the append anchor was emptied: the row above it
            self._anchors[tab.name] -= 1

    def append_rows(self, tab: Tab, rows: Sequence[Mapping[str, Any]]) -> list[int]:
        """Append records after the last used row (one request, RAW; one more to find that row when the store
        has not read the tab); returns their sheet row numbers.

        Google appends after the "table" it finds from the range's first row with data down to the first blank
        row, starting in that table's first column: from row 1, a blank row a person left in the tab would take
        the records (and they would overwrite what is below it). So the range starts at the last row the store
        knows to hold something in column A (from its last read or append): the table found from there is that
        row plus whatever other writers (workers, Apps Script's appendRow) appended since, all contiguous, and
        it starts in column A."""
        if not rows:
            return []
        values = self._matrix(tab, rows)
        if tab.name not in self._anchors:
            column = self._call(lambda: self.spreadsheet.values_get(_sheet(tab.name, "A:A")), tab.name)
            self._anchors[tab.name] = last_filled_row(column.get("values", []))
        rng = _sheet(tab.name, f"A{self._anchors[tab.name]}:{column_letter(len(values[0]) - 1)}")
        res = self._call(lambda: self.spreadsheet.values_append(
            rng, {"valueInputOption": "RAW", "insertDataOption": "OVERWRITE"}, {"values": values}), tab.name)
        m = _UPDATED.search(res["updates"]["updatedRange"])
        if m is None or m.group(1) != "A":
            raise RuntimeError(f"unexpected append answer: {res}")
        first = int(m.group(2))
        self._anchors[tab.name] = last_filled_row(values, first - 1, self._anchors[tab.name])
        return list(range(first, first + len(rows)))

    def replace_rows(self, tab: Tab, rows: Sequence[Mapping[str, Any]]) -> None:
        """Rewrite all records: write the new rows from row 2, then clear what is below (two requests; one more
        when the tab has fewer rows than the records need, none for the clear when nothing is below)."""
        layout = self._layout(tab)
        last = column_letter(max(layout.values()))
        values = self._matrix(tab, rows) if rows else []
        start = len(rows) + 2

        def write() -> None:
            if values:
                self._grow(tab, len(rows) + 1)
                self._call(lambda: self.spreadsheet.values_update(
                    _sheet(tab.name, "A2"), {"valueInputOption": "RAW"}, {"values": values}), tab.name)
            if start <= self._grid(tab)[1]:  # nothing below the edge to clear
                self._call(lambda: self.spreadsheet.values_clear(_sheet(tab.name, f"A{start}:{last}")), tab.name)

        try:
            write()
        except APIError as e:
            if "exceeds grid limits" not in str(e.error.get("message", "")):
                raise
            self._grids.forget(tab.name)  # someone resized the tab since we learnt its size: learn it again
            write()

    def delete_rows(self, tab: Tab, numbers: Iterable[int]) -> None:
        """Delete these rows in one batchUpdate (the rows below move up), for a caller that knows no one holds a
        row number below them (the queue's archive). Never retried after a 5xx or a timeout: the rows may be
        gone already, and deleting "the same" row numbers again would delete others (a 429 is retried: refused,
        not done). Raises ``SheetsUnavailable`` then; the caller reads the tab to see what happened."""
        rows = sorted(set(numbers), reverse=True)
        if not rows:
            return
        if rows[-1] < 2:
            raise ValueError(f"{tab.name}: row {rows[-1]} is the header")
        sheet_id, count = self._grid(tab)
        runs: list[list[int]] = []  # consecutive rows as one range, bottom first so the indexes stay right
        for n in rows:
            if runs and runs[-1][0] == n + 1:
                runs[-1][0] = n
            else:
                runs.append([n, n])
        body = {"requests": [{"deleteDimension": {"range": {
            "sheetId": sheet_id, "dimension": "ROWS", "startIndex": first - 1, "endIndex": last}}}
            for first, last in runs]}
        once = dataclasses.replace(self.retry, attempts=1)
        call_with_retry(lambda: self.spreadsheet.batch_update(body), self.counter, once)
        self._grids.note_rows(tab.name, count - len(rows))
        if tab.name in self._anchors:
            self._anchors[tab.name] -= sum(1 for n in rows if n <= self._anchors[tab.name])

    def set_cells(self, cells: Mapping[str, Any]) -> None:
        """Write single cells named with their tab ("Instruks!B2") in one request (RAW)."""
        if not cells:
            return
        data = []
        for ref, value in cells.items():
            name, _, cell = ref.rpartition("!")
            data.append({"range": _sheet(name.strip("'"), cell), "values": [[to_json(value)]]})
        body = {"valueInputOption": "RAW", "data": data}
        self._call(lambda: self.spreadsheet.values_batch_update(body))

    # --- grid size ----------------------------------------------------------------------------------------
    def _grid(self, tab: Tab) -> tuple[int, int]:
        """(sheetId, rowCount) of a tab; one metadata request when the store has not seen it yet."""
        found = self._grids.get(tab.name, lambda: self._call(lambda: self.spreadsheet.fetch_sheet_metadata()))
        if found is None:
            raise _missing_tab(tab.name)
        return found

    def _grow(self, tab: Tab, needed: int) -> None:
        """Give the tab at least ``needed`` rows (one batchUpdate, only when it has fewer)."""
        sheet_id, count = self._grid(tab)
        if needed <= count:
            return
        layout = self._layout(tab)
        columns = [(layout[k], tab.column(k).choices) for k in [*tab.checkbox_keys, *tab.choice_keys]]
        body = {"requests": grow_requests(sheet_id, count, needed, columns)}
        self._call(lambda: self.spreadsheet.batch_update(body), tab.name)
        self._grids.note_rows(tab.name, needed)

    # --- internals ------------------------------------------------------------------------------------------
    def _run(self, tab: Tab, number: int, run: list[tuple[int, Any]]) -> dict[str, Any]:
        start, end = column_letter(run[0][0]), column_letter(run[-1][0])
        cells = f"{start}{number}" if start == end else f"{start}{number}:{end}{number}"
        return {"range": _sheet(tab.name, cells), "values": [[v for _, v in run]]}

    def _matrix(self, tab: Tab, rows: Sequence[Mapping[str, Any]]) -> list[list[Any]]:
        layout = self._layout(tab)
        width = max(layout.values()) + 1
        out = []
        for record in rows:
            line: list[Any] = [""] * width
            for key, value in record.items():
                line[layout[tab.column(key).key]] = to_json(value)
            out.append(line)
        return out

    def _layout(self, tab: Tab) -> dict[str, int]:
        if tab.name not in self._layouts:
            self.load_layouts([tab])
        return self._layouts[tab.name]

    def _learn_layout(self, tab: Tab, header: Sequence[Any]) -> dict[str, int]:
        found = {as_text(h).strip(): i for i, h in reversed(list(enumerate(header)))}
        problems = [
            SettingProblem(f"{tab.name}!{column_letter(tab.index(c.key))}1", c.header,
                           f"Kolonnen «{c.header}» mangler i række 1 på fanen «{tab.name}» (omdøbt eller slettet). "
                           "Skriv overskriften tilbage, eller kør bootstrap for at reparere arket.")
            for c in tab.columns if c.header not in found
        ]
        if problems:
            self._layouts.pop(tab.name, None)
            raise SettingsError(problems)
        layout = {c.key: found[c.header] for c in tab.columns}
        self._layouts[tab.name] = layout
        return layout

    def _call(self, fn: Callable[[], T], tab: str | None = None) -> T:
        try:
            return call_with_retry(fn, self.counter, self.retry)
        except APIError as e:
            if tab and e.code == 400 and "Unable to parse range" in str(e.error.get("message", "")):
                raise _missing_tab(tab) from e
            raise


def _missing_tab(name: str) -> SettingsError:
    return SettingsError(SettingProblem(
        name, "fane", f"Fanen «{name}» findes ikke i regnearket. Opret den igen, eller kør bootstrap."))
