"""SheetStore over gspread over HTTP against the emulator: typed reads by header, batched RAW writes, backoff."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import gspread
import pytest
import requests

from bot.doctor.bootstrap import bootstrap_client
from bot.dunning.instructions import parse_settings
from bot.dunning.models import ReminderProposal
from bot.errors import SettingsError, SheetsUnavailable
from bot.flows.proposal_rows import merge_proposals
from bot.sheets.store import RequestCounter, SheetsRetry, SheetStore
from sandbox.serving import ServerThread
from sheets_schema import INSTRUKS, QUEUE, RYKKERFORSLAG, STATUS_CELL, JobStatus

FAST = SheetsRetry(attempts=3, base=0.001, cap=0.01, quota_base=0.001, quota_cap=0.01)


def _stats(sheets_server: ServerThread, sheet_id: str) -> int:
    return int(requests.get(f"{sheets_server.url}/emulator/stats", timeout=5).json()["spreadsheets"].get(sheet_id, 0))


@pytest.fixture()
def book(gc: gspread.Client) -> gspread.Spreadsheet:
    """Rykkerforslag with its columns in a shuffled order plus a user's own column; Kø and Instruks as made."""
    sh = gc.create("Store test")
    ws = sh.add_worksheet(RYKKERFORSLAG.name, rows=50, cols=20)
    headers = list(reversed(RYKKERFORSLAG.headers))
    headers.insert(3, "Mine noter")
    ws.update([headers], "A1", raw=True)
    sh.add_worksheet(QUEUE.name, rows=50, cols=12).update([QUEUE.headers], "A1", raw=True)
    instruks = sh.add_worksheet(INSTRUKS.name, rows=40, cols=3)
    instruks.update([list(INSTRUKS.header)] + [[s.label, s.default, s.help] for s in INSTRUKS.settings], "A1")
    return sh


def _col(headers: list[str], header: str) -> int:
    return headers.index(header)


def test_read_table_types_rows_by_header(book: gspread.Spreadsheet) -> None:
    ws = book.worksheet(RYKKERFORSLAG.name)
    headers = ws.row_values(1)
    row: list[object] = [""] * len(headers)
    for header, value in [("Forslag-id", "F-1"), ("Kundenr", "1042"), ("Kundenavn", "Ærø Tømrer ApS"),
                          ("Beløb", "1234.5"), ("Ældste forfald", "2026-10-01"), ("Godkend", "TRUE"),
                          ("Rykkerniveau", "2"), ("Opdateret", "2026-11-23T09:15:00Z"), ("Mine noter", "x")]:
        row[_col(headers, header)] = value
    ws.update([row, [""] * len(headers), ["", "", "", "kun noter"]], "A2", raw=False)
    store = SheetStore(book, retry=FAST)
    rows = store.read_table(RYKKERFORSLAG)
    assert [r.number for r in rows] == [2, 4]
    first = rows[0]
    assert first["proposal_id"] == "F-1"
    assert first["customer_number"] == 1042
    assert first["customer_name"] == "Ærø Tømrer ApS"
    assert first["amount"] == Decimal("1234.5")
    assert first["oldest_due"] == date(2026, 10, 1)
    assert first["approve"] is True
    assert first["step"] == 2
    assert first["fee"] is None and first["reminder_number"] is None
    assert first["updated_at"] == "2026-11-23T09:15:00Z"
    assert rows[1]["approve"] is False and rows[1]["comment"] == ""
    assert store.requests == 1


@pytest.mark.parametrize("mutate", ["rename", "delete"])
def test_missing_or_renamed_header_names_tab_and_column(book: gspread.Spreadsheet, mutate: str) -> None:
    ws = book.worksheet(RYKKERFORSLAG.name)
    headers = ws.row_values(1)
    i = _col(headers, "Kundenavn")
    ws.update([["Kunde navn" if mutate == "rename" else ""]], f"{gspread.utils.rowcol_to_a1(1, i + 1)}", raw=True)
    with pytest.raises(SettingsError) as err:
        SheetStore(book, retry=FAST).read_table(RYKKERFORSLAG)
    (problem,) = err.value.problems
    assert problem.cell == f"Rykkerforslag!{RYKKERFORSLAG.letter('customer_name')}1"
    assert problem.field == "Kundenavn"
    assert "Rykkerforslag" in problem.message and "Kundenavn" in problem.message and "bootstrap" in problem.message


def test_missing_tab_is_a_settings_error(gc: gspread.Client) -> None:
    store = SheetStore(gc.create("Uden faner"), retry=FAST)
    with pytest.raises(SettingsError, match="Fanen «Kø» findes ikke"):
        store.read_table(QUEUE)


def test_bad_cell_names_the_cell(book: gspread.Spreadsheet) -> None:
    ws = book.worksheet(QUEUE.name)
    ws.update([["j1", "", "ark", "rykkerflow", "", "Venter på robot", "", "", "mange"]], "A2", raw=True)
    with pytest.raises(SettingsError) as err:
        SheetStore(book, retry=FAST).read_table(QUEUE)
    assert err.value.problems[0].cell == "Kø!I2"
    assert "mange" in err.value.problems[0].message


def test_writes_by_column_key_are_raw_and_typed(book: gspread.Spreadsheet) -> None:
    store = SheetStore(book, retry=FAST)
    numbers = store.append_rows(RYKKERFORSLAG, [
        {"proposal_id": "F-1", "customer_name": '=HYPERLINK("http://evil";"klik")', "amount": Decimal("99.95"),
         "oldest_due": date(2026, 9, 30), "approve": False, "customer_number": 7},
        {"proposal_id": "F-2", "customer_name": "Bo", "amount": Decimal("100")},
    ])
    assert numbers == [2, 3]
    store.update_rows(RYKKERFORSLAG, {3: {"approve": True, "comment": "ok", "status": "Sendt"},
                                      2: {"message": "Besked"}})
    rows = {r["proposal_id"]: r for r in store.read_table(RYKKERFORSLAG)}
    assert rows["F-1"]["customer_name"] == '=HYPERLINK("http://evil";"klik")'
    assert rows["F-1"]["amount"] == Decimal("99.95") and rows["F-1"]["oldest_due"] == date(2026, 9, 30)
    assert rows["F-1"]["message"] == "Besked" and rows["F-1"]["customer_number"] == 7
    assert rows["F-2"]["approve"] is True and rows["F-2"]["comment"] == "ok" and rows["F-2"]["status"] == "Sendt"
    # the formula text is stored as a string, not a formula; numbers and booleans keep their type
    ws = book.worksheet(RYKKERFORSLAG.name)
    col = _col(ws.row_values(1), "Kundenavn") + 1
    cell = gspread.utils.rowcol_to_a1(2, col)
    meta = book.fetch_sheet_metadata({"includeGridData": "true", "ranges": f"'Rykkerforslag'!{cell}"})
    assert meta["sheets"][0]["data"][0]["rowData"][0]["values"][0]["userEnteredValue"] == {
        "stringValue": '=HYPERLINK("http://evil";"klik")'}
    assert ws.get("A2:Z3", value_render_option="UNFORMATTED_VALUE")[0].count(99.95) == 1


def test_replace_rows_and_set_cells(gc: gspread.Client, book: gspread.Spreadsheet) -> None:
    store = SheetStore.open(gc, book.id, retry=FAST)  # the tabs' sizes come with the metadata of opening
    store.append_rows(RYKKERFORSLAG, [{"proposal_id": f"F-{i}"} for i in range(5)])
    before = store.requests
    store.replace_rows(RYKKERFORSLAG, [{"proposal_id": "N-1"}, {"proposal_id": "N-2"}])
    assert store.requests - before == 2
    assert [r["proposal_id"] for r in store.read_table(RYKKERFORSLAG)] == ["N-1", "N-2"]
    store.replace_rows(RYKKERFORSLAG, [])
    assert store.read_table(RYKKERFORSLAG) == []
    store.set_cells({STATUS_CELL: JobStatus.WAITING, "Instruks!B3": "Klient A/S"})
    settings = store.read_settings(INSTRUKS)
    assert settings["robot_status"] == "Venter på robot" and settings["client_name"] == "Klient A/S"
    assert settings["level1_days"] == "10" and settings["mode"] == INSTRUKS.setting("mode").default


def test_read_settings_names_a_moved_label(book: gspread.Spreadsheet) -> None:
    row = INSTRUKS.row("level2_fee")
    book.worksheet(INSTRUKS.name).update([["Gebyr"]], f"A{row}", raw=True)
    with pytest.raises(SettingsError) as err:
        SheetStore(book, retry=FAST).read_settings(INSTRUKS)
    assert err.value.problems[0].cell == f"Instruks!A{row}"
    assert "Rykker 2: gebyr (DKK)" in err.value.problems[0].message


def test_429_is_retried_and_succeeds(sheets_server: ServerThread, book: gspread.Spreadsheet) -> None:
    counter = RequestCounter()
    store = SheetStore(book, counter, retry=FAST)
    store.read_table(QUEUE)
    before = _stats(sheets_server, book.id)
    requests.post(f"{sheets_server.url}/emulator/faults", json={"status": 429, "count": 2}, timeout=5)
    assert store.append_rows(QUEUE, [{"job_id": "j1", "status": JobStatus.WAITING}]) == [2]
    assert counter.count == 4  # the read, two refused appends, the append that worked
    assert _stats(sheets_server, book.id) - before == 3
    assert [r["job_id"] for r in store.read_table(QUEUE)] == ["j1"]  # written once


def test_a_429_burst_is_waited_out_past_a_quota_minute(sheets_server: ServerThread,
                                                       book: gspread.Spreadsheet) -> None:
    """Issue 17.4: Google's per-minute quota refills after a minute; six quick tries (about 15 s) gave up first."""
    waits: list[float] = []
    store = SheetStore(book, retry=SheetsRetry(sleep=waits.append))  # the production schedule, no real waiting
    store.read_table(QUEUE)
    requests.post(f"{sheets_server.url}/emulator/faults", json={"status": 429, "count": 7}, timeout=5)
    assert store.append_rows(QUEUE, [{"job_id": "j1", "status": JobStatus.WAITING}]) == [2]
    assert store.requests == 1 + 8 and len(waits) == 7
    assert sum(waits) > 60 and max(waits) <= 30  # outlasts a quota minute, no single wait longer than 30 s
    requests.post(f"{sheets_server.url}/emulator/faults", json={"status": 429, "count": 100}, timeout=5)
    waits.clear()
    try:
        with pytest.raises(SheetsUnavailable, match="kvoten"):
            store.read_table(QUEUE)
    finally:
        requests.delete(f"{sheets_server.url}/emulator/faults", timeout=5)
    assert sum(waits) == pytest.approx(90) and len(waits) <= 10  # then the job is retried later


def test_exhausted_retries_raise_sheets_unavailable(sheets_server: ServerThread, book: gspread.Spreadsheet) -> None:
    waits: list[float] = []
    store = SheetStore(book, retry=SheetsRetry(attempts=4, base=0.5, cap=2.0, sleep=waits.append))
    requests.post(f"{sheets_server.url}/emulator/faults", json={"status": 503, "count": 4}, timeout=5)
    with pytest.raises(SheetsUnavailable, match="4 forsøg"):
        store.read_table(QUEUE)
    assert store.requests == 4 and len(waits) == 3 and all(0 <= w <= 2.0 for w in waits)
    requests.post(f"{sheets_server.url}/emulator/faults", json={"status": 400, "count": 1}, timeout=5)
    with pytest.raises(gspread.exceptions.APIError):  # a client error is not retried
        store.read_table(QUEUE)
    assert store.requests == 5


def test_open_counts_and_shares_the_counter(gc: gspread.Client, book: gspread.Spreadsheet) -> None:
    counter = RequestCounter()
    a = SheetStore.open(gc, book.id, counter, FAST)
    b = SheetStore.open(gc, book.id, counter, FAST)
    a.read_table(QUEUE)
    b.read_settings(INSTRUKS)
    assert counter.count == 4 and a.requests == b.requests == 4
    with pytest.raises(SettingsError, match="findes ikke"):
        SheetStore.open(gc, "intet-ark", counter, FAST)


def test_thousand_rows_cost_one_request_each(sheets_server: ServerThread, book: gspread.Spreadsheet) -> None:
    store = SheetStore(book, retry=FAST)
    store.load_layouts([QUEUE])
    rows = [{"job_id": f"j{i}", "client_sheet": "ark", "job_type": "rykkerflow", "status": JobStatus.WAITING,
             "attempt": 0} for i in range(1000)]
    before_api, before = _stats(sheets_server, book.id), store.requests
    numbers = store.append_rows(QUEUE, rows)  # column A first: where the records end
    assert numbers == list(range(2, 1002)) and store.requests - before == 2
    table = store.read_table(QUEUE)
    assert len(table) == 1000 and store.requests - before == 3
    store.update_rows(QUEUE, {r.number: {"status": JobStatus.RUNNING, "worker": "w1", "attempt": 1} for r in table})
    assert store.requests - before == 4
    assert _stats(sheets_server, book.id) - before_api == 4
    assert {r["status"] for r in store.read_table(QUEUE)} == {"I gang"}


def _row_count(sh: gspread.Spreadsheet, title: str) -> int:
    (props,) = [s["properties"] for s in sh.fetch_sheet_metadata()["sheets"] if s["properties"]["title"] == title]
    return int(props["gridProperties"]["rowCount"])


def test_replace_rows_grows_a_tab_before_writing_past_its_edge(gc: gspread.Client) -> None:
    """Issue 12: 1,300 proposals on a tab of 1,000 rows (as bootstrap makes it); Google refuses the write."""
    sh = gc.create("Mange forslag")
    ws = sh.add_worksheet(RYKKERFORSLAG.name, rows=1000, cols=len(RYKKERFORSLAG.columns))
    ws.update([RYKKERFORSLAG.headers], "A1", raw=True)
    store = SheetStore.open(gc, sh.id, retry=FAST)
    store.load_layouts([RYKKERFORSLAG])
    before = store.requests
    store.replace_rows(RYKKERFORSLAG, [{"proposal_id": f"F-{i}", "approve": False} for i in range(1300)])
    assert store.requests - before == 2  # grow, write; nothing below the new edge to clear
    assert _row_count(sh, RYKKERFORSLAG.name) == 1301
    rows = store.read_table(RYKKERFORSLAG)
    assert len(rows) == 1300 and rows[-1].number == 1301 and rows[-1]["proposal_id"] == "F-1299"
    approve = RYKKERFORSLAG.letter("approve")
    meta = sh.fetch_sheet_metadata({"includeGridData": "true", "ranges": f"{RYKKERFORSLAG.name}!{approve}1301"})
    cell = meta["sheets"][0]["data"][0]["rowData"][0]["values"][0]
    assert cell["dataValidation"]["condition"]["type"] == "BOOLEAN"  # the new rows can be ticked too
    before = store.requests
    store.replace_rows(RYKKERFORSLAG, [{"proposal_id": "N-1"}])
    assert store.requests - before == 2  # write, clear
    assert [r["proposal_id"] for r in store.read_table(RYKKERFORSLAG)] == ["N-1"]


def test_replace_rows_learns_the_size_again_when_someone_shrank_the_tab(gc: gspread.Client) -> None:
    sh = gc.create("Krympet")
    ws = sh.add_worksheet(RYKKERFORSLAG.name, rows=200, cols=len(RYKKERFORSLAG.columns))
    ws.update([RYKKERFORSLAG.headers], "A1", raw=True)
    store = SheetStore.open(gc, sh.id, retry=FAST)
    store.read_table(RYKKERFORSLAG)  # the store now believes the tab has 200 rows
    ws.resize(rows=20)
    store.replace_rows(RYKKERFORSLAG, [{"proposal_id": f"F-{i}"} for i in range(30)])
    assert len(store.read_table(RYKKERFORSLAG)) == 30 and _row_count(sh, RYKKERFORSLAG.name) == 31


def _queue_row(job_id: str) -> dict[str, object]:
    return {"job_id": job_id, "client_sheet": "ark", "job_type": "rykkerflow", "status": JobStatus.WAITING,
            "attempt": 0}


def test_appends_land_after_the_last_record_whatever_gaps_the_tab_has(gc: gspread.Client,
                                                                      book: gspread.Spreadsheet) -> None:
    """Issue 17.3: a blank row left in Kø (a person cleared a job) and a record with column A blank: Google's
    table detection from row 1 would put new jobs into the gap and over the jobs below it."""
    ws = book.worksheet(QUEUE.name)
    ws.update([["j1", "2026-11-01"], ["j2", "2026-11-01"], ["", ""], ["j4", "2026-11-01"], ["j5", "2026-11-01"],
               ["", "kun B"]], "A2", raw=True)
    store = SheetStore.open(gc, book.id, retry=FAST)
    assert store.append_rows(QUEUE, [_queue_row("n1"), _queue_row("n2")]) == [8, 9]  # below "kun B", not in A4
    assert ws.col_values(1) == [QUEUE.headers[0], "j1", "j2", "", "j4", "j5", "", "n1", "n2"]
    assert ws.acell("B7").value == "kun B"
    reader = SheetStore.open(gc, book.id, retry=FAST)
    reader.read_table(QUEUE)  # knows row 9 as the last record
    assert store.append_rows(QUEUE, [_queue_row("n3")]) == [10]  # another writer appends meanwhile
    ws.update([["fra knappen"]], "A11", raw=True)  # and Apps Script's appendRow (the row after getLastRow)
    assert reader.append_rows(QUEUE, [_queue_row("n4")]) == [12]
    assert ws.col_values(1)[7:] == ["n1", "n2", "n3", "fra knappen", "n4"]


def test_settings_a_person_typed_are_read_locale_free(book: gspread.Spreadsheet) -> None:
    """Issue 17.7: in a da_DK sheet a typed 13:30 is a time (formatted "13.30.00", which the settings parser
    refuses), "99,50" a number; read unformatted, they come back as text the parser takes."""
    ws = book.worksheet(INSTRUKS.name)
    typed = {"schedule_times": "13:30", "level1_fee": "99,50", "minimum_amount": "1.234,50", "level1_days": "14",
             "agreement_number": "123456", "login_ref": "hansen-robot", "client_name": "Tømrer Hansen ApS",
             "proposal_recipients": "bogholder@hansen.dk", "status_recipients": "chef@hansen.dk"}
    ws.batch_update([{"range": INSTRUKS.cell(k), "values": [[v]]} for k, v in typed.items()], raw=False)
    assert ws.acell(INSTRUKS.cell("schedule_times")).value == "13.30.00"  # what FORMATTED_VALUE gave the parser
    values = SheetStore(book, retry=FAST).read_settings(INSTRUKS)
    assert values["schedule_times"] == "0.5625" and values["level1_fee"] == "99.5"
    assert values["minimum_amount"] == "1234.5" and values["level1_days"] == "14"
    settings = parse_settings(values)
    assert settings.schedule.times == ("13:30",)
    assert settings.policy.levels[0].fee == Decimal("99.50") and settings.policy.levels[0].days == 14
    assert settings.policy.minimum_amount == Decimal("1234.50") and settings.agreement_number == "123456"


def _proposals(n: int) -> list[ReminderProposal]:
    return [ReminderProposal(f"R-{1000 + i}-1-{5000 + i}", 1000 + i, f"Kunde {i}", (5000 + i,), Decimal("1234.50"),
                             date(2026, 10, 1), 55, 1, Decimal(100), "Rykker") for i in range(n)]


def test_rykkerflow_sheet_part_with_1300_proposals_on_a_bootstrapped_client(gc: gspread.Client) -> None:
    """Issue 12: at 1,312 proposals the job wrote the rows and then failed on "exceeds grid limits". The sheet
    part of rykkerflow (read the tab, merge, replace) on a tab of 1,000 rows as bootstrap makes it."""
    store = SheetStore.open(gc, bootstrap_client(gc, None, "5000 kunder"), retry=FAST)
    today = date(2026, 11, 25)
    rows, fresh = merge_proposals(store.read_table(RYKKERFORSLAG), _proposals(1300), today)
    store.replace_rows(RYKKERFORSLAG, rows)
    table = store.read_table(RYKKERFORSLAG)
    assert len(fresh) == 1300 and len(table) == 1300 and table[-1].number == 1301
    store.update_rows(RYKKERFORSLAG, {table[-1].number: {"approve": True}})  # the bookkeeper ticks the last one
    rows, _ = merge_proposals(store.read_table(RYKKERFORSLAG), _proposals(1312), today)  # the next run
    before = store.requests
    store.replace_rows(RYKKERFORSLAG, rows)
    assert store.requests - before == 2  # grow once more, write
    table = store.read_table(RYKKERFORSLAG)
    assert len(table) == 1312 and table[1299]["approve"] is True and table[1300]["approve"] is False
    rows, _ = merge_proposals(store.read_table(RYKKERFORSLAG), _proposals(10), today)
    store.replace_rows(RYKKERFORSLAG, rows)  # fewer: the rest is cleared
    assert len(store.read_table(RYKKERFORSLAG)) == len(rows)
