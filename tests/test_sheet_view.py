"""The emulator's browser view in a real Chromium: tick a checkbox, press a button, watch the queue."""

from __future__ import annotations

import re
from collections.abc import Iterator

import gspread
import pytest
import requests
from playwright.sync_api import Browser, Page, expect

from bot import formats
from bot.app import build_worker
from bot.doctor.bootstrap import bootstrap_client, bootstrap_queue
from bot.sheets.store import SheetStore
from sandbox.serving import ServerThread
from sandbox.stack import LocalStack
from sheets_schema import (
    INKASSOFORSLAG,
    INSTRUKS,
    QUEUE,
    RYKKERFORSLAG,
    CaseStatus,
    JobStatus,
    JobType,
    ProposalStatus,
)


@pytest.fixture(scope="module")
def ids(sheets_server: ServerThread, gc: gspread.Client) -> tuple[str, str]:
    queue_id = bootstrap_queue(gc, None, "Rykkerbot kø")
    requests.post(f"{sheets_server.url}/emulator/config", json={"queue_spreadsheet_id": queue_id}, timeout=5)
    client_id = bootstrap_client(gc, None, "Klient A/S")
    SheetStore.open(gc, client_id).append_rows(RYKKERFORSLAG, [
        {"proposal_id": "F-1", "customer_name": "<b>Ærø</b> =HYPERLINK(\"x\")", "status": "Foreslået"}])
    return client_id, queue_id


@pytest.fixture()
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context()
    p = context.new_page()
    yield p
    context.close()


def test_tick_and_press_queues_one_job(sheets_server: ServerThread, gc: gspread.Client, ids: tuple[str, str],
                                       page: Page) -> None:
    client_id, queue_id = ids
    page.goto(f"{sheets_server.url}/view/{client_id}")
    approve = f"{RYKKERFORSLAG.letter('approve')}2"
    box = page.get_by_test_id(f"checkbox-Rykkerforslag-{approve}")
    expect(box).not_to_be_checked()
    expect(page.get_by_test_id(f"cell-Rykkerforslag-{RYKKERFORSLAG.letter('customer_name')}2")).to_have_text(
        "<b>Ærø</b> =HYPERLINK(\"x\")")  # shown as text, never as markup
    box.check()
    expect(page.get_by_test_id("flash")).to_contain_text(f"Gemt: Rykkerforslag!{approve}")
    page.get_by_test_id("button-sendRykkere").click()
    expect(page.get_by_test_id("flash")).to_contain_text("«Send rykkere» er sat i kø")
    expect(page.get_by_test_id("robot-status")).to_have_text("Robot status: Venter på robot")

    client = SheetStore.open(gc, client_id)
    assert client.read_table(RYKKERFORSLAG)[0]["approve"] is True
    assert client.read_settings(INSTRUKS)["robot_status"] == JobStatus.WAITING.value
    (job,) = SheetStore.open(gc, queue_id).read_table(QUEUE)
    assert job["client_sheet"] == client_id and job["job_type"] == JobType.SEND_RYKKERE.value
    assert job["status"] == JobStatus.WAITING.value and job["requested_by"] == "Arkvisning"
    assert job["attempt"] == 0 and len(job["job_id"]) == 36

    page.get_by_test_id("button-sendRykkere").click()
    expect(page.get_by_test_id("flash")).to_contain_text("venter allerede")
    assert len(SheetStore.open(gc, queue_id).read_table(QUEUE)) == 1


def test_edit_comment_and_setting_and_watch_updates(sheets_server: ServerThread, gc: gspread.Client,
                                                    ids: tuple[str, str], page: Page) -> None:
    client_id, _ = ids
    page.goto(f"{sheets_server.url}/view/{client_id}")
    comment = page.get_by_test_id(f"input-Rykkerforslag-{RYKKERFORSLAG.letter('comment')}2")
    comment.fill("Ring først")
    comment.press("Enter")
    expect(page.get_by_test_id("flash")).to_contain_text("Gemt")
    days = page.get_by_test_id(f"input-Instruks-{INSTRUKS.cell('level1_days')}")
    days.fill("14")
    days.press("Enter")
    expect(page.get_by_test_id("flash")).to_contain_text(f"Gemt: Instruks!{INSTRUKS.cell('level1_days')}")
    store = SheetStore.open(gc, client_id)
    assert store.read_table(RYKKERFORSLAG)[0]["comment"] == "Ring først"
    assert store.read_settings(INSTRUKS)["level1_days"] == "14"
    # robot-owned cells are plain text, and the page picks up the robot's writes by itself
    expect(page.get_by_test_id(f"input-Rykkerforslag-{RYKKERFORSLAG.letter('message')}2")).to_have_count(0)
    status = page.get_by_test_id(f"select-Rykkerforslag-{RYKKERFORSLAG.letter('status')}2")
    status.select_option(ProposalStatus.REJECTED.value)  # the bookkeeper rejects a proposal from the dropdown
    expect(page.get_by_test_id("flash")).to_contain_text(f"Gemt: Rykkerforslag!{RYKKERFORSLAG.letter('status')}2")
    assert store.read_table(RYKKERFORSLAG)[0]["status"] == ProposalStatus.REJECTED.value
    store.set_cells({INSTRUKS.ref("robot_status"): JobStatus.RUNNING})
    expect(page.get_by_test_id("robot-status")).to_have_text("Robot status: I gang", timeout=6000)
    page.goto(f"{sheets_server.url}/view")
    expect(page.get_by_test_id("spreadsheet-link").filter(has_text="Klient A/S")).to_have_count(1)


def test_robot_cells_and_unknown_queue_are_refused(sheets_server: ServerThread, ids: tuple[str, str]) -> None:
    client_id, queue_id = ids
    number_col = RYKKERFORSLAG.index("reminder_number")
    r = requests.post(f"{sheets_server.url}/view/{client_id}/cell",
                      json={"sheet": "Rykkerforslag", "row": 1, "col": number_col, "value": "123"}, timeout=5)
    assert r.status_code == 403 and "robotten" in r.json()["message"]
    r = requests.post(f"{sheets_server.url}/view/{client_id}/cell",  # the status cell is the robot's too
                      json={"sheet": "Instruks", "row": 1, "col": 1, "value": "Færdig"}, timeout=5)
    assert r.status_code == 403
    requests.post(f"{sheets_server.url}/emulator/config", json={"queue_spreadsheet_id": None}, timeout=5)
    try:
        r = requests.post(f"{sheets_server.url}/view/{client_id}/button",
                          json={"sheet": "Instruks", "function": "startRykkerflow"}, timeout=5)
        assert r.status_code == 409 and "--queue-id" in r.json()["message"]
    finally:
        requests.post(f"{sheets_server.url}/emulator/config", json={"queue_spreadsheet_id": queue_id}, timeout=5)


GREEN, RED = "rgb(217, 240, 212)", "rgb(245, 204, 204)"  # bootstrap's conditional formats (sheet_formats.py)


def test_the_run_reads_as_danish_bookkeeping_green_when_done_red_on_error(stack: LocalStack, browser: Browser,
                                                                          page: Page) -> None:
    """Start rykkerflow nu in the view: the status cell ends with the reminder result (in approval mode the
    inkasso proposals follow "Send rykkere", issue 16), in green; amounts read the Danish way; a settings error
    turns the cell red."""
    page.goto(f"{stack.sheets_server.url}/view/{stack.client_id}")
    page.get_by_test_id("button-startRykkerflow").click()
    expect(page.get_by_test_id("robot-status")).to_have_text("Robot status: Venter på robot")
    build_worker(stack.settings, browser, sheets=stack.sheets).work(burst=True)

    status_cell = page.get_by_test_id(f"cell-Instruks-{INSTRUKS.cell('robot_status')}")
    expect(status_cell).to_have_text(re.compile(r"^Færdig: \d+ rykkerforslag klar til godkendelse"), timeout=6000)
    expect(status_cell).not_to_contain_text("inkassoforslag")
    expect(status_cell).to_have_css("background-color", GREEN)
    expect(page.get_by_test_id("robot-status")).to_have_css("background-color", GREEN)

    rows = stack.client.read_table(RYKKERFORSLAG)
    biggest = max(rows, key=lambda r: r.values["amount"])
    assert biggest.values["amount"] >= 1000  # the sheet holds numbers; the view shows them with a format
    amount = page.get_by_test_id(f"cell-Rykkerforslag-{RYKKERFORSLAG.letter('amount')}{biggest.number}")
    expect(amount).to_have_text(formats.number(biggest.values["amount"], 2))
    expect(amount).to_have_text(re.compile(r"^\d{1,3}(\.\d{3})+,\d{2}$"))  # e.g. 69.601,17

    stack.client.set_cells({INSTRUKS.ref("level1_fee"): "250"})
    page.get_by_test_id("button-startRykkerflow").click()
    expect(page.get_by_test_id("robot-status")).to_have_text("Robot status: Venter på robot")
    build_worker(stack.settings, browser, sheets=stack.sheets).work(burst=True)
    expect(status_cell).to_have_text(re.compile(rf"^Fejl: {INSTRUKS.ref('level1_fee')}"), timeout=6000)
    expect(status_cell).to_have_css("background-color", RED)
    expect(page.get_by_test_id("robot-status")).to_have_css("background-color", RED)


def test_the_status_dropdown_offers_only_what_a_person_may_choose(sheets_server: ServerThread, gc: gspread.Client,
                                                                  page: Page) -> None:
    """Sender and Opretter are the robot's: the dropdown offers Foreslået and Afvist, and a row the robot left in
    Sender shows it (the validation is not strict, so the robot's write stands) without offering it."""
    client_id = bootstrap_client(gc, None, "Klient C/S")
    store = SheetStore.open(gc, client_id)
    store.append_rows(RYKKERFORSLAG, [{"proposal_id": "R-1", "status": ProposalStatus.SENDING.value}])
    store.append_rows(INKASSOFORSLAG, [{"case_id": "S-1", "status": CaseStatus.CREATING.value}])
    meta = gc.open_by_key(client_id).fetch_sheet_metadata({"includeGridData": "true", "ranges": [
        f"{t.name}!{t.letter('status')}2" for t in (RYKKERFORSLAG, INKASSOFORSLAG)]})
    for sheet in meta["sheets"]:
        rule = sheet["data"][0]["rowData"][0]["values"][0]["dataValidation"]
        assert [v["userEnteredValue"] for v in rule["condition"]["values"]] == ["Foreslået", "Afvist"]
        assert rule["strict"] is False and rule["showCustomUi"] is True

    page.goto(f"{sheets_server.url}/view/{client_id}")
    for tab, column, robots in ((RYKKERFORSLAG, "status", "Sender"), (INKASSOFORSLAG, "status", "Opretter")):
        select = page.get_by_test_id(f"select-{tab.name}-{tab.letter(column)}2")
        expect(select).to_have_value(robots)  # shown as it is
        offered = select.locator("option:not([disabled])")
        expect(offered).to_have_text(["", "Foreslået", "Afvist"])
    page.get_by_test_id(f"select-Rykkerforslag-{RYKKERFORSLAG.letter('status')}2").select_option("Afvist")
    expect(page.get_by_test_id("flash")).to_contain_text("Gemt")
    assert store.read_table(RYKKERFORSLAG)[0]["status"] == "Afvist"
    # a setting's dropdown stays strict: what is not in its list is refused, as Google rejects it
    r = requests.post(f"{sheets_server.url}/view/{client_id}/cell", timeout=5, json={
        "sheet": INSTRUKS.name, "row": INSTRUKS.row("mode") - 1, "col": 1, "value": "Hurtig"})
    assert r.status_code == 400 and "rullelisten" in r.json()["message"]


def test_bootstrap_replaces_an_old_dropdown_that_offered_the_robots_states(gc: gspread.Client) -> None:
    client_id = bootstrap_client(gc, None, "Klient D/S")
    sh = gc.open_by_key(client_id)
    sid = sh.worksheet(RYKKERFORSLAG.name).id
    col = RYKKERFORSLAG.index("status")
    old = {"condition": {"type": "ONE_OF_LIST", "values": [{"userEnteredValue": s.value} for s in ProposalStatus]},
           "strict": True, "showCustomUi": True}
    sh.batch_update({"requests": [{"setDataValidation": {"range": {
        "sheetId": sid, "startRowIndex": 1, "endRowIndex": 1000, "startColumnIndex": col, "endColumnIndex": col + 1},
        "rule": old}}]})
    changes: list[str] = []
    bootstrap_client(gc, client_id, "Klient D/S", changes)
    assert changes == [f"Rykkerforslag: rulleliste i kolonne {RYKKERFORSLAG.letter('status')} (Status)"]
