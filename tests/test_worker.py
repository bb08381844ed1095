"""The worker loop under faults: the ledger down for a while, and a worker killed in the middle of a send."""

from __future__ import annotations

import dataclasses
import threading
from typing import Any

from playwright.sync_api import Browser

from bot.app import build_worker
from jobqueue.queue import JobQueue
from jobqueue.status import StatusBoard
from sandbox.stack import LocalStack
from sheets_schema import INSTRUKS, RYKKERFORSLAG, JobStatus, JobType, ProposalStatus
from tests.inbox import Inbox
from tests.worker_process import hold_sends, kill_when_held, running_worker, worker_env


class RecordingBoard:
    def __init__(self, inner: StatusBoard) -> None:
        self.inner = inner
        self.texts: list[str] = []

    def show(self, client_sheet: str, text: str) -> None:
        self.texts.append(text)
        self.inner.show(client_sheet, text)


def test_ledger_down_at_start_then_back_the_job_finishes_by_itself(stack: LocalStack, browser: Browser) -> None:
    stack.ledger_faults(mode="down")
    threading.Timer(4.0, lambda: stack.ledger_faults(mode="none")).start()
    JobQueue(stack.queue).enqueue(stack.client_id, JobType.RYKKERFLOW, "test")
    settings = dataclasses.replace(stack.settings, ledger_attempts=2, ledger_retry_seconds=0.2)
    worker = build_worker(settings, browser, sheets=stack.sheets)
    board = RecordingBoard(worker.board)
    worker.board = board
    worker.work(burst=True)

    first = JobQueue(stack.queue).jobs()[0]
    assert first.type is JobType.RYKKERFLOW
    assert first.status is JobStatus.DONE
    assert first.attempt >= 2
    assert any(t.startswith("Genforsøger (forsøg 1)") for t in board.texts)
    assert board.texts[-1].startswith(JobStatus.DONE.value)
    assert stack.client.read_table(RYKKERFORSLAG)


def test_worker_killed_mid_send_every_ticked_reminder_goes_out_exactly_once(
    stack: LocalStack, browser: Browser, inbox: Inbox
) -> None:
    queue = JobQueue(stack.queue)
    queue.enqueue(stack.client_id, JobType.RYKKERFLOW, "test")
    build_worker(stack.settings, browser, sheets=stack.sheets).work(burst=True)
    rows = stack.client.read_table(RYKKERFORSLAG)[:6]
    assert len(rows) == 6
    stack.client.update_rows(RYKKERFORSLAG, {r.number: {"approve": True} for r in rows})
    queue.enqueue(stack.client_id, JobType.SEND_RYKKERE, "test")
    hold_sends(stack, after=1)  # the second Send hangs: the kill lands between two Sends
    before = {r["number"] for r in stack.ledger_state()["sent_today"]}  # the demo data has some from today

    def sent_now() -> list[dict[str, Any]]:
        return [r for r in stack.ledger_state()["sent_today"] if r["number"] not in before]

    with running_worker(worker_env(stack, inbox)) as proc:
        kill_when_held(stack, proc)
    assert 0 < len(sent_now()) < 6, "one Send went out before the kill, not all"

    rescuer = build_worker(stack.settings, browser, sheets=stack.sheets)
    rescuer.work(burst=True)

    sent = sent_now()
    ticked = sorted((r.values["customer_number"], r.values["step"]) for r in rows)
    assert sorted((s["customer_number"], s["level"]) for s in sent) == ticked  # each exactly once
    after = {r.number: r.values for r in stack.client.read_table(RYKKERFORSLAG)}
    assert all(after[r.number]["status"] == ProposalStatus.SENT.value for r in rows)
    send_job = [j for j in queue.jobs() if j.type is JobType.SEND_RYKKERE][0]
    assert send_job.status is JobStatus.DONE and send_job.attempt == 2
    assert stack.client.read_settings(INSTRUKS)["robot_status"].startswith(JobStatus.DONE.value)


def test_site_redesigned_fails_at_once_as_a_bug_with_a_screenshot(stack: LocalStack, browser: Browser) -> None:
    """A vendor's new UI is not a slow site: no retries for days, but Fejl now, with evidence for support."""
    stack.ledger_faults(mode="redesign")
    JobQueue(stack.queue).enqueue(stack.client_id, JobType.RYKKERFLOW, "test")
    build_worker(stack.settings, browser, sheets=stack.sheets).work(burst=True)

    (job,) = JobQueue(stack.queue).jobs()
    assert job.status is JobStatus.FAILED and job.attempt == 1
    assert "LedgerPageChanged" in job.message and job.id in job.message
    assert stack.client.read_settings(INSTRUKS)["robot_status"].startswith(JobStatus.FAILED.value)
    kept = sorted(p.name for p in (stack.settings.artifacts_dir / job.id).iterdir())
    assert any(name.endswith(".png") for name in kept) and any(name.endswith(".html") for name in kept)
    assert any(name.endswith(".zip") for name in kept)  # the Playwright trace of the job, login steps excluded
    assert not stack.client.read_table(RYKKERFORSLAG)
