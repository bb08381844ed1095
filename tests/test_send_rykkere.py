"""End to end in real Chromium: click in the sheet view, proposals, tick three, Send rykkere, mail report."""

from __future__ import annotations

import dataclasses
import re
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import pytest
import requests
from playwright.sync_api import Browser, Page

from bot.app import build_worker
from bot.sheets.store import SheetStore
from jobqueue.queue import JobQueue
from sandbox.stack import LocalStack
from sheets_schema import INSTRUKS, LOG, RYKKERFORSLAG, JobStatus, JobType, LogAction, ProposalStatus, Tab
from tests.inbox import Inbox
from tests.worker_process import hold_sends


def wait_for(predicate: Callable[[], bool], seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while not predicate():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.1)


def press(page: Page, label: str) -> None:
    page.get_by_role("button", name=label).first.click()


def test_click_propose_tick_three_and_send(stack: LocalStack, browser: Browser, inbox: Inbox) -> None:
    worker = build_worker(stack.settings, browser, sheets=stack.sheets)
    page = browser.new_page()
    page.goto(stack.sheets.url(stack.client_id))
    press(page, "Start rykkerflow nu")
    wait_for(lambda: stack.client.read_settings(INSTRUKS)["robot_status"] == JobStatus.WAITING.value)

    worker.work(burst=True)
    rows = stack.client.read_table(RYKKERFORSLAG)
    assert len(rows) >= 5
    assert {r.values["status"] for r in rows} == {ProposalStatus.PROPOSED.value}
    assert stack.client.read_settings(INSTRUKS)["robot_status"].startswith(JobStatus.DONE.value)
    overview = [m for m in inbox.messages if "Rykkerforslag" in str(m["Subject"])]
    assert len(overview) == 1

    before = {r["number"] for r in stack.ledger_state()["sent_today"]}  # the demo data has some from today
    chosen = rows[:3]
    stack.client.update_rows(RYKKERFORSLAG, {r.number: {"approve": True, "comment": f"Ring først {r.number}"}
                                             for r in chosen})
    page.reload()
    press(page, "Send rykkere")
    wait_for(lambda: len([j for j in JobQueue(stack.queue).jobs() if j.status is JobStatus.WAITING]) == 1)
    worker.work(burst=True)

    sent = [r for r in stack.ledger_state()["sent_today"] if r["number"] not in before]
    assert sorted((r["customer_number"], r["level"]) for r in sent) == sorted(
        (r.values["customer_number"], r.values["step"]) for r in chosen)
    after = {r.number: r.values for r in stack.client.read_table(RYKKERFORSLAG)}
    for r in chosen:
        assert after[r.number]["status"] == ProposalStatus.SENT.value
        assert after[r.number]["reminder_number"] in {s["number"] for s in sent}
        assert re.fullmatch(r"\d{2}-\d{2}-\d{4} \d{2}:\d{2}", after[r.number]["updated_at"])  # local, as read
    assert all(v["status"] == ProposalStatus.PROPOSED.value for n, v in after.items()
               if n not in {r.number for r in chosen})
    reports = [m for m in inbox.messages if str(m["Subject"]).startswith("Rykkere sendt for")]
    assert len(reports) == 1
    text = inbox.text_of(reports[0])
    lines = [line for line in text.splitlines() if line.startswith("- ") and "kundenr." in line]
    assert len(lines) == 3  # exactly the three sent, each on its line with its step
    for r in chosen:
        (line,) = [x for x in lines if f"(kundenr. {r.values['customer_number']})" in x]
        assert str(r.values["customer_name"]) in line and f": rykker {r.values['step']} " in line
        assert line.endswith(f"Bemærkning: Ring først {r.number}")  # the Kommentar reaches the report (issue 14)
    page.close()


def test_a_send_retried_after_an_outage_reports_what_every_attempt_sent(
    stack: LocalStack, browser: Browser, inbox: Inbox
) -> None:
    queue = JobQueue(stack.queue)
    queue.enqueue(stack.client_id, JobType.RYKKERFLOW, "test")
    build_worker(stack.settings, browser, sheets=stack.sheets).work(burst=True)
    chosen = stack.client.read_table(RYKKERFORSLAG)[:6]
    stack.client.update_rows(RYKKERFORSLAG, {r.number: {"approve": True} for r in chosen})
    queue.enqueue(stack.client_id, JobType.SEND_RYKKERE, "test")
    before = {r["number"] for r in stack.ledger_state()["sent_today"]}

    def sent_now() -> int:
        return len([r for r in stack.ledger_state()["sent_today"] if r["number"] not in before])

    def take_the_site_down_at_the_second_send() -> None:  # and bring it back a little later
        wait_for(lambda: int(stack.ledger_state()["faults_injected"]) > 0, 120)  # the second Send is held
        stack.ledger_faults(mode="down")  # it is refused with 503, and so is every page for a while
        time.sleep(3)
        stack.ledger_faults(mode="none")

    hold_sends(stack, after=1)
    outage = threading.Thread(target=take_the_site_down_at_the_second_send)
    outage.start()
    settings = dataclasses.replace(stack.settings, send_batch=2, ledger_attempts=1, ledger_retry_seconds=0.1)
    build_worker(settings, browser, sheets=stack.sheets).work(burst=True)
    outage.join()

    job = next(j for j in queue.jobs() if j.type is JobType.SEND_RYKKERE)
    assert job.status is JobStatus.DONE and job.attempt >= 2
    assert sent_now() == 6
    assert job.message == "6 rykkere sendt"  # the job's, not the last attempt's
    reports = [m for m in inbox.messages if str(m["Subject"]).startswith("Rykkere sendt for")]
    assert len(reports) == 1
    lines = [x for x in inbox.text_of(reports[0]).splitlines() if x.startswith("- ") and "kundenr." in x]
    assert sorted(lines) == sorted(x for r in chosen for x in lines
                                   if f"(kundenr. {r.values['customer_number']})" in x)
    assert len(lines) == 6


def test_sent_lines_lost_to_a_sheets_outage_still_count_in_the_jobs_report(
    stack: LocalStack, browser: Browser, inbox: Inbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Sheets goes down just as the "Rykker sendt" lines are written: the job is retried, and its report still
    names every reminder it sent (no row may say Sendt without its line in the journal)."""
    queue = JobQueue(stack.queue)
    queue.enqueue(stack.client_id, JobType.RYKKERFLOW, "test")
    build_worker(stack.settings, browser, sheets=stack.sheets).work(burst=True)
    chosen = stack.client.read_table(RYKKERFORSLAG)[:4]
    stack.client.update_rows(RYKKERFORSLAG, {r.number: {"approve": True} for r in chosen})
    queue.enqueue(stack.client_id, JobType.SEND_RYKKERE, "test")
    settings = dataclasses.replace(stack.settings, sheets_attempts=2)
    outages = []
    append_rows = SheetStore.append_rows

    def sheets_down_for_the_sent_lines(self: SheetStore, tab: Tab, rows: Sequence[Mapping[str, Any]]) -> list[int]:
        if tab is LOG and len(outages) < 2 and any(r["action"] == LogAction.REMINDER_SENT.value for r in rows):
            outages.append(tab)  # every try of this append gets a real 503 from the emulator
            requests.post(f"{stack.settings.sheets_endpoint}/emulator/faults",
                          json={"status": 503, "count": settings.sheets_attempts, "match": ":append"},
                          timeout=5).raise_for_status()
        return append_rows(self, tab, rows)

    monkeypatch.setattr(SheetStore, "append_rows", sheets_down_for_the_sent_lines)
    build_worker(settings, browser).work(burst=True)

    job = next(j for j in queue.jobs() if j.type is JobType.SEND_RYKKERE)
    assert outages and job.status is JobStatus.DONE and job.attempt >= 2
    assert job.message == "4 rykkere sendt"
    after = {r.number: r.values for r in stack.client.read_table(RYKKERFORSLAG)}
    assert all(after[r.number]["status"] == ProposalStatus.SENT.value for r in chosen)
    (report,) = [m for m in inbox.messages if str(m["Subject"]).startswith("Rykkere sendt for")]
    lines = [x for x in inbox.text_of(report).splitlines() if x.startswith("- ") and "kundenr." in x]
    assert len(lines) == 4
