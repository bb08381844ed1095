"""Full-auto rykkerflow, worker killed (SIGKILL) while sending: the same job's next attempt finishes the work.

Killed at two moments, each held in the ledger so the kill lands exactly there: (a) right after the intents of
every reminder were journalled (one append), at the first Send, before it reached the ledger (and then one of the
customers pays: its row ends "Fejl" with the reason, nothing sent); (b) at the third Send, after two went out
(their "sent" lines and rows may or may not be written).
Then a rescuer takes the job after its lease. Every due reminder goes out exactly once, every row ends Sendt (none
is left in Sender), nobody presses anything, and the job's summary and report mail count what both attempts sent.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from contextlib import closing
from typing import Any

import pytest
from playwright.sync_api import Browser

from bot.app import build_worker
from jobqueue.queue import JobQueue
from sandbox.stack import LocalStack
from sheets_schema import INSTRUKS, LOG, RYKKERFORSLAG, JobStatus, JobType, LogAction, ProposalStatus
from tests.inbox import Inbox
from tests.worker_process import hold_sends, kill_when_held, running_worker
from tests.worker_process import worker_env as process_env

BATCH = 10  # reminders per Send: several Sends, so a kill can land between two of them


def worker_env(stack: LocalStack, inbox: Inbox) -> dict[str, str]:
    return {**process_env(stack, inbox), "RYKKERBOT_SEND_BATCH": str(BATCH)}


def pay_everything(stack: LocalStack, customer_number: int) -> None:
    """The customer pays every invoice (written straight into the sandbox ledger's database)."""
    with closing(sqlite3.connect(stack.workdir / "ledger.db", timeout=10)) as db, db:
        db.execute("UPDATE invoices SET remaining = '0.00' WHERE customer = ?", (customer_number,))


def log_count(stack: LocalStack, action: LogAction) -> int:
    return sum(r.values["action"] == action.value for r in stack.client.read_table(LOG))


@pytest.mark.parametrize("moment", ["after_intents", "after_sends"])
def test_full_auto_killed_while_sending_the_rerun_sends_every_due_reminder_exactly_once(
    stack: LocalStack, browser: Browser, inbox: Inbox, moment: str
) -> None:
    stack.client.set_cells({INSTRUKS.ref("mode"): "Fuldautomatisk"})
    queue = JobQueue(stack.queue)
    queue.enqueue(stack.client_id, JobType.RYKKERFLOW, "test")
    before = {r["number"] for r in stack.ledger_state()["sent_today"]}  # the demo data has some from today

    def sent_now() -> list[dict[str, Any]]:
        return [r for r in stack.ledger_state()["sent_today"] if r["number"] not in before]

    hold_sends(stack, after=0 if moment == "after_intents" else 2)
    with running_worker(worker_env(stack, inbox)) as proc:
        kill_when_held(stack, proc)
    rows = stack.client.read_table(RYKKERFORSLAG)
    stuck = [r for r in rows if r.values["status"] == ProposalStatus.SENDING.value]
    first_attempt = len(sent_now())
    if moment == "after_intents":
        assert first_attempt == 0 and len(stuck) == len(rows), "killed too late: a Send had already gone out"
    else:
        assert 0 < first_attempt < len(rows) and stuck, "two Sends went out before the kill, not all"
    print(f"{moment}: {len(rows)} due, {first_attempt} sent before the kill, {len(stuck)} left in Sender")
    intended = {r.values["key"] for r in stack.client.read_table(LOG)
                if r.values["action"] == LogAction.REMINDER_INTENT.value}
    assert intended == {r.values["proposal_id"] for r in rows}  # every intent in one append, before the first Send
    paid = None
    if moment == "after_intents":  # a customer whose reminder was intended, and not sent, pays before the rerun
        paid = rows[-1]
        pay_everything(stack, int(paid.values["customer_number"]))
        rows = [r for r in rows if r.values["customer_number"] != paid.values["customer_number"]]

    build_worker(stack.settings, browser, sheets=stack.sheets).work(burst=True)  # the rescuer; no one presses

    sent = Counter((s["customer_number"], s["level"]) for s in sent_now())
    assert len(rows) >= 50
    assert sent == Counter((r.values["customer_number"], r.values["step"]) for r in rows)  # each exactly once
    after = {r.values["proposal_id"]: r.values for r in stack.client.read_table(RYKKERFORSLAG)}
    assert all(after.pop(r.values["proposal_id"])["status"] == ProposalStatus.SENT.value for r in rows)
    if paid is not None:  # not sent, and the row says why; none left in Sender
        assert list(after) == [paid.values["proposal_id"]]
        assert after[paid.values["proposal_id"]]["status"] == ProposalStatus.FAILED.value
        assert str(after[paid.values["proposal_id"]]["message"]).startswith("Ikke sendt: ")
        assert "betalt" in str(after[paid.values["proposal_id"]]["message"])
    else:
        assert not after
    job = next(j for j in queue.jobs() if j.type is JobType.RYKKERFLOW)
    assert job.status is JobStatus.DONE and job.attempt == 2
    # The report covers the job, both attempts.
    assert job.message == f"fuldautomatisk: {len(rows)} rykkere sendt"
    assert stack.client.read_settings(INSTRUKS)["robot_status"].startswith(JobStatus.DONE.value)
    (report,) = [m for m in inbox.messages if str(m["Subject"]).startswith("Rykkere sendt for")]
    lines = [x for x in inbox.text_of(report).splitlines() if x.startswith("- ") and "kundenr." in x]
    failed = [x for x in lines if "Ikke sendt" in x]
    assert len(lines) - len(failed) == len(rows)
    if paid is not None:
        assert len(failed) == 1 and f"(kundenr. {paid.values['customer_number']})" in failed[0]
    else:
        assert not failed
