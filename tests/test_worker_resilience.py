"""The worker loop never dies of a dependency or of bad input: Sheets outages while idle, results that cannot be
written, a broken queue header, and a burst run that must wait for a held lease without spinning. The loop runs
against the Sheets emulator over HTTP with a fake clock (its sleeps advance the clock)."""

from __future__ import annotations

import dataclasses
import logging
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import requests
from playwright.sync_api import Browser

from bot.app import build_worker
from bot.doctor.bootstrap import bootstrap_queue
from bot.errors import BusinessError, SheetsUnavailable
from bot.sheets.client import open_client
from bot.sheets.store import Row, SheetsRetry, SheetStore
from jobqueue.queue import JobQueue, QueueSettings
from jobqueue.worker import JobContext, Worker, WorkerSettings
from sandbox.serving import ServerThread
from sandbox.sheets.app import create_app
from sandbox.stack import LocalStack
from sheets_schema import QUEUE, RYKKERFORSLAG, JobStatus, JobType, Tab
from tests.inbox import Inbox
from tests.test_traces import make_trace
from tests.worker_process import running_worker, wait_until, worker_env

LEASE = 10.0


class FakeTime:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
        self.sleeps: list[float] = []
        self.on_sleep: Callable[[int], None] = lambda n: None  # called with the number of sleeps so far

    def __call__(self) -> datetime:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += timedelta(seconds=seconds)
        self.on_sleep(len(self.sleeps))


class CountingStore:
    """The real store, recording the (fake) time of every queue read."""

    def __init__(self, inner: SheetStore, time: FakeTime) -> None:
        self.inner = inner
        self.time = time
        self.reads: list[datetime] = []

    def read_table(self, tab: Tab, lenient: bool = False) -> list[Row]:
        self.reads.append(self.time.now)
        return self.inner.read_table(tab, lenient)

    def update_rows(self, tab: Tab, updates: Mapping[int, Mapping[str, Any]]) -> None:
        self.inner.update_rows(tab, updates)

    def append_rows(self, tab: Tab, rows: Sequence[Mapping[str, Any]]) -> list[int]:
        return self.inner.append_rows(tab, rows)


class Board:
    def __init__(self) -> None:
        self.texts: list[str] = []

    def show(self, client_sheet: str, text: str) -> None:
        self.texts.append(text)


class Handler:
    def __init__(self, before: Any = None) -> None:
        self.ran: list[str] = []
        self.before = before

    def __call__(self, ctx: JobContext) -> str:
        self.ran.append(ctx.job.id)
        if self.before is not None:
            self.before(len(self.ran))
        return "ok"


@pytest.fixture
def server() -> Iterator[ServerThread]:
    with ServerThread(create_app()) as srv:
        yield srv


@pytest.fixture
def store(server: ServerThread) -> SheetStore:
    client = open_client(server.url, None)
    return SheetStore.open(client, bootstrap_queue(client, None, "Kø"), retry=SheetsRetry(attempts=2, sleep=no_sleep))


def no_sleep(seconds: float) -> None:
    return None


def fault(server: ServerThread, **spec: Any) -> None:
    requests.post(f"{server.url}/emulator/faults", json=spec, timeout=10).raise_for_status()


def make(store: SheetStore, handler: Handler, poll: float = 1.0, idle_cap: float = 4.0
         ) -> tuple[Worker, CountingStore, FakeTime, Board]:
    t = FakeTime()
    counting = CountingStore(store, t)
    queue = JobQueue(counting, QueueSettings(lease=timedelta(seconds=LEASE), claim_settle=0), clock=t)
    board = Board()
    settings = WorkerSettings(worker_id="w", poll_seconds=poll, idle_cap_seconds=idle_cap,
                              transient=(SheetsUnavailable,), business=(BusinessError,))
    return Worker(queue, handler, board, settings, clock=t, sleep=t.sleep), counting, t, board


def test_burst_waits_for_a_held_lease_instead_of_spinning(store: SheetStore) -> None:
    """A waiting job whose client is held by another worker's unexpired lease: the burst run polls at most once
    per poll interval (never faster than once a second) until the lease runs out, then takes both jobs."""
    handler = Handler()
    worker, counting, t, _ = make(store, handler, poll=2.0)
    other = JobQueue(store, QueueSettings(lease=timedelta(seconds=LEASE), claim_settle=0), clock=t)
    held = other.enqueue("client-1", JobType.RYKKERFLOW, "x")
    assert other.claim("other-worker") is not None  # and that worker dies: its lease runs for LEASE seconds
    waiting = other.enqueue("client-1", JobType.SEND_RYKKERE, "x")
    lease_end = t.now + timedelta(seconds=LEASE)

    assert worker.work(burst=True) == 2
    during_lease = [r for r in counting.reads if r < lease_end]
    assert 2 <= len(during_lease) <= LEASE / worker.settings.poll_seconds + 2
    assert min(t.sleeps) >= 1.0
    assert handler.ran == [held.id, waiting.id]
    assert [j.status for j in JobQueue(store).jobs()] == [JobStatus.DONE, JobStatus.DONE]


def test_an_idle_worker_outlives_a_sheets_outage_with_capped_backoff(
    store: SheetStore, server: ServerThread, caplog: pytest.LogCaptureFixture
) -> None:
    handler = Handler()
    worker, _, t, _ = make(store, handler, poll=1.0, idle_cap=4.0)
    job = JobQueue(store).enqueue("client-1", JobType.RYKKERFLOW, "x")
    fault(server, status=503, count=12)  # six polls in a row, each failing after the store's own two tries

    with caplog.at_level(logging.INFO, logger="jobqueue.worker"):
        assert worker.work(max_jobs=1) == 1
    assert handler.ran == [job.id]
    assert len(t.sleeps) == 6 and max(t.sleeps) <= 4.0  # capped
    assert t.sleeps[0] <= 1.0 and t.sleeps[-1] >= 2.0  # growing
    warnings = [r.getMessage() for r in caplog.records if "the queue is unavailable" in r.getMessage()]
    assert len(warnings) == 6 and "poll 6 failed" in warnings[-1]
    assert any("answers again after 6 failed polls" in r.getMessage() for r in caplog.records)


def test_a_result_that_cannot_be_written_does_not_stop_the_worker(store: SheetStore, server: ServerThread) -> None:
    """Finish fails (Sheets down right after the job ran): logged; the lease runs out and the job is taken again."""
    def down_after_first_run(runs: int) -> None:
        if runs == 1:
            fault(server, status=503, count=2, match="values:batchUpdate")

    handler = Handler(before=down_after_first_run)
    worker, _, t, board = make(store, handler, poll=1.0)
    job = JobQueue(store).enqueue("client-1", JobType.RYKKERFLOW, "x")

    assert worker.work(max_jobs=2) == 2
    assert handler.ran == [job.id, job.id]
    (done,) = JobQueue(store).jobs()
    assert done.status is JobStatus.DONE and done.attempt == 2 and done.message == "ok"
    assert sum(t.sleeps) >= LEASE  # the second run waited for the first run's lease
    assert sum(x.startswith(JobStatus.DONE.value) for x in board.texts) == 1  # shown only once the queue has it


def test_a_broken_queue_header_is_logged_and_polled_again_until_fixed(
    store: SheetStore, caplog: pytest.LogCaptureFixture
) -> None:
    ws = store.spreadsheet.worksheet(QUEUE.name)
    attempts_header = f"{QUEUE.letter('attempt')}1"

    handler = Handler()
    worker, _, t, _ = make(store, handler, poll=1.0)
    job = JobQueue(store).enqueue("client-1", JobType.RYKKERFLOW, "x")
    ws.update_acell(attempts_header, "Forsøgg")

    def repair(sleeps: int) -> None:
        if sleeps == 2:
            ws.update_acell(attempts_header, "Forsøg")  # the operator repairs the header

    t.on_sleep = repair
    with caplog.at_level(logging.ERROR, logger="jobqueue.worker"):
        assert worker.work(max_jobs=1) == 1
    assert handler.ran == [job.id]
    errors = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
    assert len(errors) == 2 and all("«Forsøg» mangler" in e for e in errors)


def test_a_real_worker_survives_a_garbage_row_and_a_sheets_outage_then_finishes_the_next_job(
    stack: LocalStack, inbox: Inbox, tmp_path: Path
) -> None:
    """The issue's scenario with a real ``worker.py run`` process: a hand-typed non-number in Forsøg, then Sheets
    down for longer than the store's own retries (four polls in a row fail). The worker marks the row, waits the
    outage out with backoff, is still running, and then does the next job."""
    typed = JobQueue(stack.queue).enqueue("klient-skrevet-i-haanden", JobType.RYKKERFLOW, "en person")
    ws = stack.queue.spreadsheet.worksheet(QUEUE.name)
    ws.update_acell(f"{QUEUE.letter('attempt')}{typed.row}", "x")
    traces = stack.settings.artifacts_dir / ".traces"
    stale, fresh = make_trace(traces, "killed-worker", age_hours=30), make_trace(traces, "other-job", age_hours=1)
    env = {**worker_env(stack, inbox), "RYKKERBOT_WORKER_ID": "survivor", "RYKKERBOT_SHEETS_ATTEMPTS": "2"}
    log_path = tmp_path / "worker.log"

    def besked() -> str:
        return str(ws.acell(f"{QUEUE.letter('message')}{typed.row}").value or "")

    with log_path.open("w") as log_file, running_worker(env, output=log_file) as proc:
        def alive_until(done: Callable[[], bool], seconds: float, what: str) -> None:
            wait_until(proc, done, seconds, what, poll=0.3, log=log_path)

        alive_until(lambda: besked() != "", 60, "the garbage row is marked")
        assert besked() == f"Kø!I{typed.row} (Forsøg): «x» er ikke et helt tal. Skriv et helt tal, fx 0."
        assert not stale.exists() and fresh.exists()

        url = stack.sheets_server.url
        requests.post(f"{url}/emulator/faults", json={"status": 503, "count": 8}, timeout=10).raise_for_status()
        alive_until(lambda: requests.get(f"{url}/emulator/stats", timeout=10).json()["pending_faults"] == 0,
                    90, "the outage is over")
        job = JobQueue(stack.queue).enqueue(stack.client_id, JobType.RYKKERFLOW, "test")
        alive_until(lambda: next(j for j in JobQueue(stack.queue).jobs() if j.id == job.id).status
                    is JobStatus.DONE, 120, "the next job is done")
        time.sleep(1.0)
        assert proc.poll() is None
    log = log_path.read_text()
    assert log.count("the queue is unavailable") == 4 and "answers again after 4 failed polls" in log
    assert log.count(f"queue row {typed.row} skipped") == 1  # logged once, not on every poll
    assert stack.client.read_table(RYKKERFORSLAG)


def test_a_worker_started_while_sheets_is_down_waits_for_it(
    stack: LocalStack, browser: Browser, caplog: pytest.LogCaptureFixture
) -> None:
    settings = dataclasses.replace(stack.settings, sheets_attempts=2, poll_seconds=0.2)
    fault(stack.sheets_server, status=503, count=6)  # opening the queue fails three times in a row
    with caplog.at_level(logging.WARNING, logger="jobqueue.backoff"):
        worker = build_worker(settings, browser)
    failures = [r.getMessage() for r in caplog.records if "opening the queue sheet failed" in r.getMessage()]
    assert len(failures) == 3 and "(3 times)" in failures[-1]
    job = JobQueue(stack.queue).enqueue(stack.client_id, JobType.INKASSOFORSLAG, "test")
    assert worker.work(burst=True) == 1
    assert next(j for j in JobQueue(stack.queue).jobs() if j.id == job.id).status is JobStatus.DONE
