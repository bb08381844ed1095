"""gspread 6.2.1, unmodified, over HTTP against the Sheets API emulator."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import gspread
import pytest
import requests
from gspread.exceptions import APIError, SpreadsheetNotFound
from gspread.utils import ValidationConditionType

from bot.sheets.client import open_client
from sandbox.serving import ServerThread, free_port
from sandbox.sheets import create_app


@pytest.fixture()
def sheet(gc: gspread.Client) -> gspread.Spreadsheet:
    return gc.create("Emulator test")


@pytest.fixture()
def ko(sheet: gspread.Spreadsheet) -> gspread.Worksheet:
    return sheet.add_worksheet("Kø", rows=100, cols=12)


def test_create_open_and_list_worksheets(gc: gspread.Client, sheet: gspread.Spreadsheet) -> None:
    again = gc.open_by_key(sheet.id)
    assert again.title == "Emulator test"
    assert [w.title for w in again.worksheets()] == ["Sheet1"]
    assert sheet.id in [f["id"] for f in gc.list_spreadsheet_files("Emulator test")]
    assert gc.open("Emulator test").id in {f["id"] for f in gc.list_spreadsheet_files()}


def test_spreadsheets_create_endpoint(gc: gspread.Client) -> None:
    r = gc.http_client.request("post", "https://sheets.googleapis.com/v4/spreadsheets",
                               json={"properties": {"title": "Direkte"},
                                     "sheets": [{"properties": {"title": "Instruks"}},
                                                {"properties": {"title": "Kø"}}]})
    body = r.json()
    assert body["properties"]["title"] == "Direkte"
    assert [s["properties"]["title"] for s in body["sheets"]] == ["Instruks", "Kø"]
    assert [w.title for w in gc.open_by_key(body["spreadsheetId"]).worksheets()] == ["Instruks", "Kø"]


def test_add_rename_delete_worksheets_with_danish_names(sheet: gspread.Spreadsheet) -> None:
    ws = sheet.add_worksheet("Rykkerforslag", rows=10, cols=5)
    other = sheet.add_worksheet("Min fane", rows=10, cols=5, index=0)
    assert [w.title for w in sheet.worksheets()] == ["Min fane", "Sheet1", "Rykkerforslag"]
    ws.update_title("Kø og æøå")
    other.update([["hej"]], "A1")
    assert sheet.worksheet("Kø og æøå").id == ws.id
    assert sheet.values_get("'Min fane'!A1")["range"] == "'Min fane'!A1"
    sheet.del_worksheet(other)
    assert [w.title for w in sheet.worksheets()] == ["Sheet1", "Kø og æøå"]
    with pytest.raises(APIError) as err:
        sheet.add_worksheet("Sheet1", rows=1, cols=1)
    assert err.value.code == 400


def test_raw_versus_user_entered(ko: gspread.Worksheet) -> None:
    row = ["12", "12.5", "TRUE", "=HYPERLINK(\"http://x\";\"x\")", "'007", "tekst"]
    ko.update([row], "A1", raw=True)
    ko.update([row], "A2", raw=False)
    ko.update([[7, 2.5, False, None, ""]], "A3", raw=True)
    got = ko.get("A1:F3", value_render_option="UNFORMATTED_VALUE")
    assert got[0] == row  # RAW: strings stay strings, a formula is plain text
    assert got[1] == [12, 12.5, True, "=HYPERLINK(\"http://x\";\"x\")", "007", "tekst"]
    assert got[2] == [7, 2.5, False]  # JSON numbers and booleans keep their type; None and "" leave nothing
    assert ko.get("A2:D2", value_render_option="FORMATTED_VALUE") == [["12", "12,5", "TRUE",  # da_DK
                                                                        "=HYPERLINK(\"http://x\";\"x\")"]]
    assert ko.get("D2", value_render_option="FORMULA") == [["=HYPERLINK(\"http://x\";\"x\")"]]
    grid = ko.spreadsheet.fetch_sheet_metadata({"includeGridData": "true", "ranges": "'Kø'!A1:D2"})
    cells = grid["sheets"][0]["data"][0]["rowData"]
    assert cells[0]["values"][3]["userEnteredValue"] == {"stringValue": "=HYPERLINK(\"http://x\";\"x\")"}
    assert cells[1]["values"][3]["userEnteredValue"] == {"formulaValue": "=HYPERLINK(\"http://x\";\"x\")"}
    assert cells[1]["values"][0]["userEnteredValue"] == {"numberValue": 12}


def test_checkbox_validation_and_booleans(ko: gspread.Worksheet) -> None:
    ko.add_validation("C2:C50", ValidationConditionType.boolean, [])
    ko.update([["Godkend"], [True], [False], ["TRUE"]], "C1", raw=False)
    assert ko.get("C2:C4", value_render_option="UNFORMATTED_VALUE") == [[True], [False], [True]]
    assert ko.get("C2:C4") == [["TRUE"], ["FALSE"], ["TRUE"]]
    meta = ko.spreadsheet.fetch_sheet_metadata({"includeGridData": "true", "ranges": ["'Kø'!C1:C2"]})
    values = [r["values"][0] for r in meta["sheets"][0]["data"][0]["rowData"]]
    assert "dataValidation" not in values[0]
    assert values[1]["dataValidation"]["condition"]["type"] == "BOOLEAN"


def test_append_returns_table_and_updated_range(ko: gspread.Worksheet) -> None:
    first = ko.append_rows([["Job-id", "Status"]], value_input_option="RAW")
    assert "tableRange" not in first
    assert first["updates"]["updatedRange"] == "'Kø'!A1:B1"
    res = ko.append_rows([["j1", "Venter på robot"], ["j2", "I gang"]], value_input_option="RAW",
                         insert_data_option="INSERT_ROWS")
    assert res["tableRange"] == "'Kø'!A1:B1"
    assert res["updates"] == {"spreadsheetId": ko.spreadsheet_id, "updatedRange": "'Kø'!A2:B3",
                              "updatedRows": 2, "updatedColumns": 2, "updatedCells": 4}
    third = ko.spreadsheet.values_append("'Kø'!A:B", {"valueInputOption": "USER_ENTERED"},
                                         {"values": [["j3", "=1+1"]]})
    assert third["tableRange"] == "'Kø'!A1:B3"
    assert third["updates"]["updatedRange"] == "'Kø'!A4:B4"


def test_open_ranges_major_dimension_and_trimming(ko: gspread.Worksheet) -> None:
    ko.update([["a", "b", "", "", ""], ["c", "", "", "", ""], ["", "", "", "", ""], ["d"]], "A1")
    assert ko.spreadsheet.values_get("'Kø'!A1:L3") == {"range": "'Kø'!A1:L3", "majorDimension": "ROWS",
                                                      "values": [["a", "b"], ["c"]]}
    assert ko.spreadsheet.values_get("'Kø'!A2:F")["range"] == "'Kø'!A2:F100"
    assert ko.spreadsheet.values_get("'Kø'!A2:F")["values"] == [["c"], [], ["d"]]
    assert ko.spreadsheet.values_get("'Kø'!A:A", {"majorDimension": "COLUMNS"})["values"] == [["a", "c", "", "d"]]
    assert ko.spreadsheet.values_get("'Kø'!B:B")["values"] == [["b"]]
    assert "values" not in ko.spreadsheet.values_get("'Kø'!E5:F9")
    assert ko.spreadsheet.values_get("Kø")["range"] == "'Kø'!A1:L100"
    ko.spreadsheet.values_update("'Kø'!F1", {"valueInputOption": "RAW"},
                                 {"majorDimension": "COLUMNS", "values": [["x", "y"], ["z"]]})
    assert ko.get("F1:G2") == [["x", "z"], ["y"]]
    assert ko.spreadsheet.values_get("A1")["range"] == "Sheet1!A1"  # no sheet name: the first sheet


def test_batch_get_update_clear(ko: gspread.Worksheet) -> None:
    res = ko.batch_update([{"range": "A1:B1", "values": [["1", "2"]]}, {"range": "D5", "values": [[True]]}],
                          raw=False)
    assert res["totalUpdatedCells"] == 3 and res["totalUpdatedSheets"] == 1
    got = ko.batch_get(["A1:B1", "D5"], value_render_option="UNFORMATTED_VALUE")
    assert [g.range for g in got] == ["'Kø'!A1:B1", "'Kø'!D5"]
    assert got[0] == [[1, 2]] and got[1] == [[True]]
    assert ko.batch_clear(["A1"])["clearedRanges"] == ["'Kø'!A1"]
    assert ko.get("A1:B1") == [["", "2"]]
    assert ko.clear()["clearedRange"] == "'Kø'!A1:L100"
    assert ko.get_all_values() == [[]]


def test_frozen_rows_and_protected_range(gc: gspread.Client, ko: gspread.Worksheet) -> None:
    ko.freeze(rows=1)
    ko.add_protected_range("A1:L1", description="Overskrift", warning_only=True)
    meta = gc.open_by_key(ko.spreadsheet_id).fetch_sheet_metadata()
    (sheet_meta,) = [s for s in meta["sheets"] if s["properties"]["title"] == "Kø"]
    assert sheet_meta["properties"]["gridProperties"]["frozenRowCount"] == 1
    assert sheet_meta["protectedRanges"][0]["warningOnly"] is True
    assert sheet_meta["protectedRanges"][0]["range"]["endRowIndex"] == 1


def test_unknown_spreadsheet_and_sheet(gc: gspread.Client, sheet: gspread.Spreadsheet) -> None:
    with pytest.raises(SpreadsheetNotFound):
        gc.open_by_key("does-not-exist")
    with pytest.raises(APIError) as err:
        sheet.values_get("'Findes ikke'!A1")
    assert err.value.code == 400
    assert "Unable to parse range: 'Findes ikke'!A1" in err.value.error["message"]
    assert err.value.error["status"] == "INVALID_ARGUMENT"


def test_fault_injection_and_stats(sheets_server: ServerThread, sheet: gspread.Spreadsheet) -> None:
    requests.delete(f"{sheets_server.url}/emulator/stats", timeout=5)
    requests.post(f"{sheets_server.url}/emulator/faults", json={"status": 429, "count": 2}, timeout=5)
    for _ in range(2):
        with pytest.raises(APIError) as err:
            sheet.values_get("Sheet1!A1")
        assert err.value.code == 429
        assert err.value.error["status"] == "RESOURCE_EXHAUSTED"
    sheet.values_get("Sheet1!A1")
    stats = requests.get(f"{sheets_server.url}/emulator/stats", timeout=5).json()
    assert stats["spreadsheets"][sheet.id] == 3 and stats["faulted"] == 2
    assert stats["methods"] == {"values.get": 3}


def test_persists_in_sqlite_file(tmp_path: Path) -> None:
    db = str(tmp_path / "sheets.db")
    with ServerThread(create_app(db)) as srv:
        sh = open_client(srv.url, None).create("Gemt")
        sh.sheet1.update([["bevaret"]], "A1")
    with ServerThread(create_app(db)) as srv:
        assert open_client(srv.url, None).open_by_key(sh.id).sheet1.acell("A1").value == "bevaret"


def test_cli_serves(tmp_path: Path) -> None:
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "sandbox.sheets", "--port", str(port), "--queue-id", "kø-id"],
                            cwd=Path(__file__).resolve().parents[1], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 15
        while True:
            try:
                config = requests.get(f"http://127.0.0.1:{port}/emulator/config", timeout=1).json()
                break
            except requests.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        assert config == {"queue_spreadsheet_id": "kø-id", "service_account": False}
        assert open_client(f"http://127.0.0.1:{port}", None).create("CLI").title == "CLI"
    finally:
        proc.terminate()
        proc.wait(timeout=10)
