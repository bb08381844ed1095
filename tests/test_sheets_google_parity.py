"""The emulator held to what Google's Sheets API documents and answers (issue 17, issue 10, issue 12).

Where the reference is silent, the expected answers come from recorded real responses: gspread's test cassettes
(``tests/cassettes/*.json`` in burnash/gspread, recorded against sheets.googleapis.com) answer a values.get on a
sheet titled "D3" with ``'D3'!A1:D1`` and a clear of "Sheet1" with ``Sheet1!A1:D4``; a recorded batchUpdate on a
sheet "Лист2" answers ``'Лист2'!A1``. So Google quotes a sheet name unless it is a plain ASCII identifier that
cannot be read as a cell: "Sheet1" is bare, "D3" and "Ark1" (cell ARK1: columns run to ZZZ) are quoted, and so
are names with spaces, non-ASCII letters or a quote (doubled inside).
"""

from __future__ import annotations

import gspread
import pytest
from gspread.exceptions import APIError

from sandbox.sheets import a1


@pytest.mark.parametrize(("title", "echoed"), [
    ("Sheet1", "Sheet1"), ("Rykkerforslag", "Rykkerforslag"), ("Log_2", "Log_2"), ("ABCD1", "ABCD1"),
    ("D3", "'D3'"), ("Ark1", "'Ark1'"), ("Kø", "'Kø'"), ("Min fane", "'Min fane'"),
    ("Jon's_Data", "'Jon''s_Data'"), ("2026", "'2026'"), ("Ark-1", "'Ark-1'"),
])
def test_every_echoed_range_quotes_the_sheet_name_as_google_does(gc: gspread.Client, title: str,
                                                                 echoed: str) -> None:
    sh = gc.create(f"Citat {title}")
    ws = sh.sheet1
    ws.update_title(title)
    ws.resize(rows=4, cols=4)
    name = a1.quote_sheet(title)
    assert name == echoed
    upd = sh.values_update(f"{name}!A1", {"valueInputOption": "RAW"}, {"values": [["a", "b"]]})
    assert upd["updatedRange"] == f"{echoed}!A1:B1"
    app = sh.values_append(f"{name}!A1", {"valueInputOption": "RAW"}, {"values": [["c", "d"]]})
    assert app["tableRange"] == f"{echoed}!A1:B1"
    assert app["updates"]["updatedRange"] == f"{echoed}!A2:B2"
    assert sh.values_get(name)["range"] == f"{echoed}!A1:D4"  # a whole sheet is its grid
    assert sh.values_get(f"{name}!B2")["range"] == f"{echoed}!B2"
    got = sh.values_batch_get([f"{name}!A1:B", f"{name}!C:C"])["valueRanges"]
    assert [g["range"] for g in got] == [f"{echoed}!A1:B4", f"{echoed}!C1:C4"]
    batch = sh.values_batch_update({"valueInputOption": "RAW", "data": [{"range": f"{name}!C3", "values": [["e"]]}]})
    assert batch["responses"][0]["updatedRange"] == f"{echoed}!C3"
    assert sh.values_clear(f"{name}!A2:B")["clearedRange"] == f"{echoed}!A2:B4"
    assert ws.get_all_values() == [["a", "b", ""], ["", "", ""], ["", "", "e"]]


def test_a_quoted_name_in_a_request_is_read_back_whole() -> None:
    assert a1.parse("'Jon''s_Data'!A1:B2") == a1.A1Range("Jon's_Data", 0, 0, 1, 1)
    assert a1.parse("'Ark1'") == a1.A1Range("Ark1", None, None, None, None)
    assert a1.parse("Ark1!A3:B3") == a1.A1Range("Ark1", 2, 0, 2, 1)
    assert a1.parse("B2") == a1.A1Range(None, 1, 1, 1, 1)  # no sheet: a cell of the first sheet


def _rows(sh: gspread.Spreadsheet) -> int:
    return int(sh.fetch_sheet_metadata()["sheets"][0]["properties"]["gridProperties"]["rowCount"])


def test_writes_past_the_grid_are_refused_only_append_adds_rows(gc: gspread.Client) -> None:
    """Google: values.update/batchUpdate reaching past gridProperties is a 400 "exceeds grid limits" (reported
    as "Range ('Dog Activity'!A1001:T1001) exceeds grid limits. Max rows: 1000, max columns: 20"); a read or
    clear is cut at the edge unless it starts past it; values.append adds the rows it needs."""
    sh = gc.create("Kanten")
    ws = sh.sheet1
    ws.update_title("Min fane")
    ws.resize(rows=10, cols=4)
    for write in (lambda: sh.values_update("'Min fane'!A9", {"valueInputOption": "RAW"},
                                           {"values": [["a"], ["b"], ["c"]]}),
                  lambda: sh.values_batch_update({"valueInputOption": "RAW",
                                                  "data": [{"range": "'Min fane'!D1", "values": [["x", "y"]]}]})):
        with pytest.raises(APIError) as err:
            write()
        assert err.value.code == 400
    with pytest.raises(APIError) as err:
        sh.values_update("'Min fane'!A9", {"valueInputOption": "RAW"}, {"values": [["a"], ["b"], ["c"]]})
    assert err.value.error["message"] == ("Range ('Min fane'!A9:A11) exceeds grid limits. "
                                          "Max rows: 10, max columns: 4")
    with pytest.raises(APIError, match=r"Range \('Min fane'!A11:D\) exceeds grid limits. Max rows: 10"):
        sh.values_clear("'Min fane'!A11:D")
    assert ws.get_all_values() == [[]]  # nothing of the refused writes landed
    assert _rows(sh) == 10
    assert sh.values_clear("'Min fane'!A5:D")["clearedRange"] == "'Min fane'!A5:D10"
    assert sh.values_get("'Min fane'!A1:B2000")["range"] == "'Min fane'!A1:B10"
    sh.values_update("'Min fane'!A8", {"valueInputOption": "RAW"}, {"values": [["h"]]})
    res = sh.values_append("'Min fane'!A1", {"valueInputOption": "RAW"}, {"values": [["a"], ["b"], ["c"]]})
    assert res["updates"]["updatedRange"] == "'Min fane'!A9:A11" and _rows(sh) == 11
    sh.batch_update({"requests": [{"appendDimension": {"sheetId": ws.id, "dimension": "ROWS", "length": 5}}]})
    assert _rows(sh) == 16
    sh.values_update("'Min fane'!A16", {"valueInputOption": "RAW"}, {"values": [["sidst"]]})
    assert ws.acell("A16").value == "sidst"


def test_append_finds_the_table_google_finds(gc: gspread.Client) -> None:
    """The table is the first row with data in the range and the rows touching it below; values go to the next
    row from the table's first column (gspread #537, #689, #735 report both effects on the real API)."""
    sh = gc.create("Tabeller")
    ws = sh.sheet1
    ws.update([["h1", "h2"], ["a", "b"], ["", ""], ["c", "d"], ["", ""], ["", "x"], ["", "y"]], "A1", raw=True)
    res = sh.values_append("Sheet1!A:B", {"valueInputOption": "RAW"}, {"values": [["1", "2"]]})
    assert res["tableRange"] == "Sheet1!A1:B2"  # the blank row 3 ends the table
    assert res["updates"]["updatedRange"] == "Sheet1!A3:B3"
    res = sh.values_append("Sheet1!A5:B", {"valueInputOption": "RAW"}, {"values": [["3", "4"]]})
    assert res["tableRange"] == "Sheet1!B6:B7"  # column A is blank there: the values shift one column right
    assert res["updates"]["updatedRange"] == "Sheet1!B8:C8"
    res = sh.values_append("Sheet1!A1:B", {"valueInputOption": "RAW"}, {"values": [["5", "6"], ["7", "8"]]})
    assert res["tableRange"] == "Sheet1!A1:B4"  # rows 1-4 touch now; row 5 is blank
    assert res["updates"]["updatedRange"] == "Sheet1!A5:B6"  # OVERWRITE: "x" in B6 is gone
    assert ws.get("A5:B6") == [["5", "6"], ["7", "8"]]
    empty = sh.values_append("Sheet1!E3:F", {"valueInputOption": "RAW"}, {"values": [["z"]]})
    assert "tableRange" not in empty and empty["updates"]["updatedRange"] == "Sheet1!E3"


def test_append_insert_rows_moves_what_is_below_the_table(gc: gspread.Client) -> None:
    sh = gc.create("Indsæt")
    ws = sh.sheet1
    ws.update([["a"], [""], ["c"]], "A1", raw=True)
    res = sh.values_append("Sheet1!A:A", {"valueInputOption": "RAW", "insertDataOption": "INSERT_ROWS"},
                           {"values": [["ny"], ["ny2"]]})
    assert res["updates"]["updatedRange"] == "Sheet1!A2:A3"
    assert ws.col_values(1) == ["a", "ny", "ny2", "", "c"]  # nothing lost, "c" moved down
    assert sh.fetch_sheet_metadata()["sheets"][0]["properties"]["gridProperties"]["rowCount"] == 1002


def test_user_entered_is_read_as_in_a_danish_spreadsheet(gc: gspread.Client) -> None:
    """Issue 17.7: what a person types into a da_DK sheet is stored as Google stores it, and FORMATTED_VALUE
    renders it in the locale while UNFORMATTED_VALUE gives the number (a time is a fraction of a day)."""
    sh = gc.create("Dansk")
    assert sh.fetch_sheet_metadata()["properties"]["locale"] == "da_DK"
    ws = sh.sheet1
    typed = ["1.234,50", "12,5", "24-12-2026", "08:00", "TRUE", "100", "1.000", "tekst"]
    ws.update([typed], "A1", raw=False)
    assert ws.get("A1:H1", value_render_option="UNFORMATTED_VALUE") == [
        [1234.5, 12.5, 46380, pytest.approx(1 / 3), True, 100, 1000, "tekst"]]
    assert ws.get("A1:H1", value_render_option="FORMATTED_VALUE") == [
        ["1.234,50", "12,5", "24.12.2026", "08.00.00", "TRUE", "100", "1.000", "tekst"]]
    ws.update([["08:00"]], "A2", raw=True)  # RAW: text, as sent
    assert ws.get("A2", value_render_option="UNFORMATTED_VALUE") == [["08:00"]]
    ws.update([[0.5]], "D1", raw=True)  # a new value keeps the cell's format
    assert ws.acell("D1").value == "12.00.00"
    grid = sh.fetch_sheet_metadata({"includeGridData": "true", "ranges": "Sheet1!C1"})
    assert grid["sheets"][0]["data"][0]["rowData"][0]["values"][0]["formattedValue"] == "24.12.2026"
