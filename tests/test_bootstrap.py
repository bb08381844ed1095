"""Bootstrap against the emulator: every tab from the schema, and a second run changes nothing."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import gspread
import pytest
import requests

from bot.doctor.bootstrap import PROTECTION, bootstrap_client, bootstrap_queue
from bot.errors import SettingsError
from bot.sheets.store import SheetStore
from sandbox.serving import ServerThread
from sheets_schema import CLIENT_TABS, INKASSOFORSLAG, INSTRUKS, QUEUE, QUEUE_TABS, RYKKERFORSLAG, SettingsTab


def _methods(sheets_server: ServerThread) -> dict[str, int]:
    return dict(requests.get(f"{sheets_server.url}/emulator/stats", timeout=5).json()["methods"])


def _validation(sh: gspread.Spreadsheet, rng: str) -> Any:
    meta = sh.fetch_sheet_metadata({"includeGridData": "true", "ranges": rng})
    cell = meta["sheets"][0]["data"][0]["rowData"][0]["values"][0]
    return cell.get("dataValidation", {}).get("condition", {}).get("type")


def _everything(sh: gspread.Spreadsheet) -> list[Any]:
    return [(ws.title, ws.get_all_values(), ws.frozen_row_count) for ws in sh.worksheets()]


def test_creates_every_tab_from_the_schema(gc: gspread.Client) -> None:
    changes: list[str] = []
    sheet_id = bootstrap_client(gc, None, "Klient A/S", changes)
    sh = gc.open_by_key(sheet_id)
    assert sh.title == "Klient A/S"
    assert [ws.title for ws in sh.worksheets()] == [t.name for t in CLIENT_TABS]
    meta = sh.fetch_sheet_metadata()
    for tab, sheet in zip(CLIENT_TABS, meta["sheets"], strict=True):
        assert sheet["properties"]["gridProperties"]["frozenRowCount"] == 1
        (protected,) = sheet["protectedRanges"]
        assert protected["description"] == PROTECTION and protected["warningOnly"] is True
        header = sh.worksheet(tab.name).row_values(1)
        assert header == (list(tab.header) if isinstance(tab, SettingsTab) else tab.headers)
    letter = RYKKERFORSLAG.letter("approve")
    assert _validation(sh, f"Rykkerforslag!{letter}2") == "BOOLEAN"
    assert _validation(sh, f"Rykkerforslag!{letter}1000") == "BOOLEAN"
    assert _validation(sh, f"Rykkerforslag!{letter}1") is None
    assert _validation(sh, f"Inkassoforslag!{letter}2") is None  # J is Godkend there, K is Kommentar
    assert _validation(sh, "Inkassoforslag!J2") == "BOOLEAN"
    assert _validation(sh, INSTRUKS.ref("mode")) == "ONE_OF_LIST"
    for tab in (RYKKERFORSLAG, INKASSOFORSLAG):  # the status columns are dropdowns of the status texts
        assert _validation(sh, f"{tab.name}!{tab.letter('status')}2") == "ONE_OF_LIST"
        assert _validation(sh, f"{tab.name}!{tab.letter('message')}2") is None
    settings = SheetStore(sh).read_settings(INSTRUKS)
    assert settings == {s.key: s.default for s in INSTRUKS.settings}
    assert any("Oprettede fanen «Instruks»" in c for c in changes)


def test_second_run_changes_nothing(sheets_server: ServerThread, gc: gspread.Client) -> None:
    sheet_id = bootstrap_client(gc, None, "To gange")
    sh = gc.open_by_key(sheet_id)
    before = _everything(sh)
    methods = _methods(sheets_server)
    changes: list[str] = []
    assert bootstrap_client(gc, sheet_id, "To gange", changes) == sheet_id
    assert changes == []
    after = _methods(sheets_server)
    spent = {k: v - methods.get(k, 0) for k, v in after.items() if v != methods.get(k, 0)}
    assert spent == {"spreadsheets.get": 3}  # open, metadata, grid data; no write of any kind
    assert _everything(sh) == before


def test_repairs_and_keeps_the_users_values(gc: gspread.Client) -> None:
    sheet_id = bootstrap_client(gc, None, "Reparation")
    sh = gc.open_by_key(sheet_id)
    instruks = sh.worksheet("Instruks")
    instruks.update([["14"]], INSTRUKS.cell("level1_days"), raw=True)
    instruks.update([["Gebyr", ""]], f"A{INSTRUKS.row('level2_fee')}", raw=True)
    ws = sh.worksheet("Rykkerforslag")
    ws.update([["Kunde navn"]], f"{RYKKERFORSLAG.letter('customer_name')}1", raw=True)
    sh.batch_update({"requests": [{"setDataValidation": {"range": {
        "sheetId": ws.id, "startRowIndex": 1, "endRowIndex": 1000, "startColumnIndex": 10, "endColumnIndex": 11}}}]})
    sh.del_worksheet(sh.worksheet("Log"))
    changes: list[str] = []
    bootstrap_client(gc, sheet_id, "Reparation", changes)
    settings = SheetStore(sh).read_settings(INSTRUKS)
    assert settings["level1_days"] == "14"  # kept
    assert settings["level2_fee"] == "100"  # a missing setting gets its default again
    assert ws.row_values(1) == RYKKERFORSLAG.headers
    assert _validation(sh, "Rykkerforslag!K2") == "BOOLEAN"
    assert "Log" in [w.title for w in sh.worksheets()]
    assert any("stod «Kunde navn»" in c for c in changes)
    again: list[str] = []
    bootstrap_client(gc, sheet_id, "Reparation", again)
    assert again == []


def test_queue_spreadsheet(gc: gspread.Client) -> None:
    queue_id = bootstrap_queue(gc, None, "Rykkerbot kø")
    sh = gc.open_by_key(queue_id)
    assert [w.title for w in sh.worksheets()] == [t.name for t in QUEUE_TABS]  # Kø first; Mailforbrug among them
    assert sh.worksheet("Kø").row_values(1) == QUEUE.headers
    assert SheetStore(sh).read_table(QUEUE) == []
    changes: list[str] = []
    bootstrap_queue(gc, queue_id, "Rykkerbot kø", changes)
    assert changes == []


@pytest.fixture
def service_account(sheets_server: ServerThread) -> Iterator[str]:
    """The emulator's callers are a service account, as the worker is on Google: it may not create sheets."""
    requests.post(f"{sheets_server.url}/emulator/config", json={"service_account": True}, timeout=5)
    yield sheets_server.url
    requests.post(f"{sheets_server.url}/emulator/config", json={"service_account": False}, timeout=5)


def test_a_service_account_is_refused_a_new_spreadsheet_and_told_what_to_do(
    gc: gspread.Client, service_account: str
) -> None:
    """Issue 17.1 (gspread #1592): Drive refuses a service account a new file, with 403 storageQuotaExceeded."""
    with pytest.raises(gspread.exceptions.APIError) as err:
        gc.create("Direkte")
    assert err.value.code == 403
    assert err.value.error["message"] == "The user's Drive storage quota has been exceeded."
    assert err.value.error["errors"][0]["reason"] == "storageQuotaExceeded"
    with pytest.raises(gspread.exceptions.APIError) as err:  # the Sheets API's own create is refused the same way
        gc.http_client.request("post", "https://sheets.googleapis.com/v4/spreadsheets",
                               json={"properties": {"title": "Direkte"}})
    assert err.value.code == 403
    with pytest.raises(SettingsError) as refused:
        bootstrap_queue(gc, None, "Rykkerbot kø")
    message = str(refused.value)
    assert "del det med robottens tjenestekonto som redaktør" in message and "--spreadsheet ID" in message
    assert "storage quota" in message and "docs/going-live.md" in message


def test_bootstrap_fills_a_spreadsheet_a_person_created_and_shared(gc: gspread.Client, service_account: str) -> None:
    made = requests.post(f"{service_account}/emulator/spreadsheets", json={"title": "Rykkerbot kø"}, timeout=5)
    queue_id = made.json()["id"]
    changes: list[str] = []
    assert bootstrap_queue(gc, queue_id, "Rykkerbot kø", changes) == queue_id
    sh = gc.open_by_key(queue_id)
    assert [w.title for w in sh.worksheets()] == ["Ark1", *(t.name for t in QUEUE_TABS)]  # the person's tab is kept
    assert sh.worksheet("Kø").row_values(1) == QUEUE.headers
    assert any("Oprettede fanen «Kø»" in c for c in changes)
    client_id = requests.post(f"{service_account}/emulator/spreadsheets", json={"title": "Kunde A/S"},
                              timeout=5).json()["id"]
    bootstrap_client(gc, client_id, "Kunde A/S")
    assert SheetStore.open(gc, client_id).read_settings(INSTRUKS)["level1_days"] == "10"
    again: list[str] = []
    bootstrap_queue(gc, queue_id, "Rykkerbot kø", again)
    assert again == []
