"""rykkerflow against the local stack: settings errors abort with a mail naming the cell; nothing is sent."""

from __future__ import annotations

from playwright.sync_api import Browser

from bot.app import build_worker
from jobqueue.queue import JobQueue
from sandbox.stack import LocalStack
from sheets_schema import INSTRUKS, RYKKERFORSLAG, JobStatus, JobType
from tests.inbox import Inbox


def test_unknown_customer_number_fails_the_job_and_mails_the_cell(
    stack: LocalStack, browser: Browser, inbox: Inbox
) -> None:
    cell = INSTRUKS.ref("exclude_customers")
    stack.client.set_cells({cell: "99999"})
    before = stack.ledger_state()["reminders_total"]
    JobQueue(stack.queue).enqueue(stack.client_id, JobType.RYKKERFLOW, "test")
    build_worker(stack.settings, browser, sheets=stack.sheets).work(burst=True)

    (job,) = JobQueue(stack.queue).jobs()
    assert job.status is JobStatus.FAILED
    assert cell in job.message and "99999" in job.message
    status = stack.client.read_settings(INSTRUKS)["robot_status"]
    assert status.startswith(JobStatus.FAILED.value) and cell in status
    (mail,) = inbox.messages
    assert cell in inbox.text_of(mail) and "99999" in inbox.text_of(mail)
    assert stack.ledger_state()["reminders_total"] == before
    assert stack.client.read_table(RYKKERFORSLAG) == []


def test_full_auto_sends_every_proposal_and_chains_inkasso(
    stack: LocalStack, browser: Browser, inbox: Inbox
) -> None:
    stack.client.set_cells({INSTRUKS.ref("mode"): "Fuldautomatisk"})
    before = stack.ledger_state()["reminders_total"]
    JobQueue(stack.queue).enqueue(stack.client_id, JobType.RYKKERFLOW, "test")
    worker = build_worker(stack.settings, browser, sheets=stack.sheets)
    requests_before = stack.sheets.counter.count
    worker.work(burst=True)
    page_loads = worker.handler.page_loads  # type: ignore[attr-defined]
    sheets_requests = stack.sheets.counter.count - requests_before

    jobs = JobQueue(stack.queue).jobs()
    assert [j.type for j in jobs] == [JobType.RYKKERFLOW, JobType.INKASSOFORSLAG]
    assert all(j.status is JobStatus.DONE for j in jobs)
    rows = stack.client.read_table(RYKKERFORSLAG)
    assert rows and all(r.values["status"] == "Sendt" for r in rows)
    assert stack.ledger_state()["reminders_total"] == before + len(rows)
    # Cost, in counts: reminders go out in batches (one Send per 25 of a step), so both jobs together, all
    # reads and the inkasso proposals included, load fewer ledger pages and make fewer Sheets requests than
    # there are reminders sent (measured: 78 reminders, 55 page loads, 42 Sheets requests).
    print(f"full auto: {len(rows)} reminders, {page_loads} page loads, {sheets_requests} Sheets requests")
    assert len(rows) >= 50
    assert page_loads < len(rows) and sheets_requests < len(rows)
