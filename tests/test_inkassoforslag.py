"""inkassoforslag end to end: the sandbox's inkasso list minus the cases the robot's own log has handed over."""

from __future__ import annotations

from playwright.sync_api import Browser

from bot.app import build_worker
from bot.inkasso.rules import case_id
from bot.runner import FlowRunner
from jobqueue.queue import JobQueue
from sandbox.stack import LocalStack
from sheets_schema import INKASSOFORSLAG, LOG, CaseStatus, JobStatus, JobType, LogAction
from tests.inbox import Inbox
from tests.ledger_view import ledger_session


def test_rykkerflow_leads_to_proposals_for_the_inkasso_list_minus_the_log(
    stack: LocalStack, browser: Browser, inbox: Inbox
) -> None:
    with ledger_session(stack, browser) as ledger:
        listed = ledger.inkasso_list()
    assert len(listed) >= 3
    handed = listed[0]
    stack.client.append_rows(LOG, [{"at": "2026-10-01T08:00:00Z", "job_id": "earlier", "job_type": "opret_sager",
                                    "action": LogAction.CASE_HANDED_OVER.value,
                                    "key": case_id(handed.customer_number, handed.invoice_numbers),
                                    "details": "overdraget i en tidligere kørsel"}])

    JobQueue(stack.queue).enqueue(stack.client_id, JobType.RYKKERFLOW, "test")
    build_worker(stack.settings, browser, sheets=stack.sheets).work(burst=True)
    assert [j.type for j in JobQueue(stack.queue).jobs()] == [JobType.RYKKERFLOW]  # approval mode: not yet
    JobQueue(stack.queue).enqueue(stack.client_id, JobType.SEND_RYKKERE, "test")  # "Send rykkere" chains it
    build_worker(stack.settings, browser, sheets=stack.sheets).work(burst=True)

    jobs = JobQueue(stack.queue).jobs()
    assert [j.type for j in jobs] == [JobType.RYKKERFLOW, JobType.SEND_RYKKERE, JobType.INKASSOFORSLAG]
    assert all(j.status is JobStatus.DONE for j in jobs)
    rows = stack.client.read_table(INKASSOFORSLAG)
    assert sorted(r.values["customer_number"] for r in rows) == sorted(
        c.customer_number for c in listed if c is not handed)
    assert all(r.values["status"] == CaseStatus.PROPOSED.value and r.values["approve"] is False for r in rows)
    by_customer = {c.customer_number: c for c in listed}
    for r in rows:
        line = by_customer[r.values["customer_number"]]
        assert r.values["remaining"] == line.remaining
        assert r.values["claim"] >= line.remaining
        assert "R3" in r.values["reminders"]
    overview = [m for m in inbox.messages if "nkasso" in str(m["Subject"])]
    assert len(overview) == 1
    text = inbox.text_of(overview[0])
    assert all(str(r.values["customer_name"]) in text for r in rows)


def test_running_again_keeps_ticks_and_proposes_nothing_twice(stack: LocalStack, browser: Browser) -> None:
    queue = JobQueue(stack.queue)
    worker = build_worker(stack.settings, browser, sheets=stack.sheets)
    queue.enqueue(stack.client_id, JobType.INKASSOFORSLAG, "test")
    worker.work(burst=True)
    first = stack.client.read_table(INKASSOFORSLAG)
    stack.client.update_rows(INKASSOFORSLAG, {first[0].number: {"approve": True, "comment": "Ring først"}})
    queue.enqueue(stack.client_id, JobType.INKASSOFORSLAG, "test")
    worker.work(burst=True)
    second = stack.client.read_table(INKASSOFORSLAG)
    assert [r.values["case_id"] for r in second] == [r.values["case_id"] for r in first]
    kept = next(r for r in second if r.values["case_id"] == first[0].values["case_id"])
    assert kept.values["approve"] is True and kept.values["comment"] == "Ring først"


def test_inkassoforslag_reads_list_pages_not_two_pages_per_case(stack: LocalStack, browser: Browser) -> None:
    worker = build_worker(stack.settings, browser, sheets=stack.sheets)
    JobQueue(stack.queue).enqueue(stack.client_id, JobType.INKASSOFORSLAG, "test")
    worker.work(burst=True)
    cases = len(stack.client.read_table(INKASSOFORSLAG))
    assert isinstance(worker.handler, FlowRunner)
    loads = worker.handler.page_loads
    assert cases >= 15
    # login (2), the inkasso list, and the overdue invoices, the history and the master data filtered to the
    # cases' customers (a page per 50 rows each): 2 per case before, and the whole customer list before that
    # (issue 12: page loads <= cases / 10 + a constant, whatever the number of customers)
    assert loads <= cases / 10 + 6, f"{loads} page loads for {cases} cases"
