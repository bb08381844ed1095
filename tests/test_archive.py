"""Archiving old finished queue rows (issue 12): the queue against the Sheets emulator over HTTP, a fake clock.

An idle poll reads the whole queue tab: 470 KB at 2,000 finished rows. After archiving it reads the live rows
only; nothing is lost (Kø-arkiv holds every moved row as it was), the waiting job is still claimed and run, and
a row appended while the archiver works stays. Sizes are counted from the bytes the emulator sent.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import requests

from bot.doctor.bootstrap import bootstrap_queue
from bot.errors import SheetsUnavailable
from bot.sheets.client import open_client
from bot.sheets.store import SheetStore
from jobqueue.archive import Archiver, ArchiveSettings
from jobqueue.queue import ARCHIVE_MARK, JobQueue, QueueSettings
from jobqueue.rows import iso
from jobqueue.worker import JobContext, Worker, WorkerSettings
from sandbox.serving import ServerThread
from sandbox.sheets.app import create_app
from sheets_schema import QUEUE, QUEUE_ARCHIVE, JobStatus, JobType, Tab

ROOT = Path(__file__).resolve().parents[1]
OLD = 2000
SETTLE = 90.0


class Clock:
    def __init__(self, now: datetime | None = None) -> None:
        self.now = now or datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
        self.on_sleep: Callable[[], None] = lambda: None

    def __call__(self) -> datetime:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)
        self.on_sleep()


@dataclass
class Sheet:
    """The queue spreadsheet and a store whose client notes the size of every answer."""

    server: ServerThread
    key: str
    store: SheetStore
    answers: list[tuple[str, int, Any]] = field(default_factory=list)  # (url, bytes, json)

    def other_store(self) -> SheetStore:
        """Another worker (or Apps Script): its own client and store."""
        return SheetStore.open(open_client(self.server.url, None), self.key)

    def last_answer(self) -> tuple[int, int]:
        """Bytes and cells of the last values read."""
        _, size, body = self.answers[-1]
        return size, sum(len(row) for row in body.get("values", []))


@pytest.fixture(scope="module")
def server() -> Iterator[ServerThread]:
    with ServerThread(create_app()) as srv:
        yield srv


def new_sheet(server: ServerThread) -> Sheet:
    client = open_client(server.url, None)
    key = bootstrap_queue(client, None, "Kø")
    sheet = Sheet(server, key, SheetStore.open(client, key))

    def note(response: requests.Response, *args: Any, **kwargs: Any) -> None:
        if response.request.method == "GET" and "/values/" in str(response.url):
            sheet.answers.append((str(response.url), len(response.content), response.json()))

    client.http_client.session.hooks["response"].append(note)
    return sheet


def old_rows(now: datetime, n: int = OLD) -> list[dict[str, Any]]:
    """``n`` jobs finished ten days ago, with the messages a real queue carries."""
    rows = []
    for i in range(n):
        at = now - timedelta(days=10, minutes=n - i)
        rows.append({
            "job_id": f"gammel-{i:04d}-5f0c3a1e-7c2b-4f4e-9a61", "created_at": iso(at - timedelta(minutes=3)),
            "client_sheet": "1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789klient", "job_type": JobType.RYKKERFLOW.value,
            "requested_by": "bogholder@demo-revision.dk",
            "status": (JobStatus.DONE if i % 7 else JobStatus.FAILED).value,
            "worker": "worker-1-4242", "lease_until": "", "attempt": 1, "not_before": "",
            "message": f"{i % 90} rykkerforslag klar til godkendelse, {i % 13} inkassoforslag klar, mail sendt til "
                       "bogholder@demo-revision.dk",
            "finished_at": iso(at)})
    return rows


def fill(sheet: Sheet, clock: Clock) -> tuple[list[dict[str, Any]], JobQueue]:
    rows = old_rows(clock.now)
    sheet.store.append_rows(QUEUE, rows)
    queue = JobQueue(sheet.store, QueueSettings(claim_settle=0), clock=clock)
    queue.enqueue("klient-venter", JobType.SEND_RYKKERE, "bogholder", job_id="venter-1")
    return rows, queue


def archiver(sheet: Sheet, clock: Clock, store: Any = None, **kw: Any) -> Archiver:
    return Archiver(store or sheet.store, "arkiv-worker", ArchiveSettings(**kw), clock=clock, sleep=clock.sleep)


def recorder(ran: list[str]) -> Callable[[JobContext], str]:
    def handler(ctx: JobContext) -> str:
        ran.append(ctx.job.id)
        return "ok"

    return handler


class Board:
    def show(self, client_sheet: str, text: str) -> None:
        pass


def test_2000_finished_rows_move_to_the_archive_and_an_idle_poll_reads_a_small_tab(server: ServerThread) -> None:
    sheet, clock = new_sheet(server), Clock()
    rows, queue = fill(sheet, clock)
    queue.jobs()
    before_bytes, before_cells = sheet.last_answer()

    appended: list[int] = []

    def apps_script_appends() -> None:  # a button is pressed while the archiver waits behind its marker
        job = JobQueue(sheet.other_store(), clock=clock).enqueue("klient-ny", JobType.RYKKERFLOW, "knap",
                                                                 job_id="under-arkivering")
        appended.append(job.row)

    clock.on_sleep = apps_script_appends
    requests_before = sheet.store.requests
    result = archiver(sheet, clock).run()
    assert result.moved == OLD and appended == [OLD + 4]  # below the waiting job and the marker
    # read, header of Kø-arkiv, marker, read again, where the archive ends (column A, once per worker), copy,
    # delete (the rows and the marker together)
    assert sheet.store.requests - requests_before == 7

    jobs = queue.jobs()
    after_bytes, after_cells = sheet.last_answer()
    assert [(j.id, j.row, j.status) for j in jobs] == [("venter-1", 2, JobStatus.WAITING),
                                                        ("under-arkivering", 3, JobStatus.WAITING)]
    assert queue.archive_marks == []
    assert before_bytes > 400_000 and before_cells > 12 * OLD
    assert after_bytes < 2_000 and after_cells <= 12 * 3  # the header and two jobs
    archived = sheet.store.read_table(QUEUE_ARCHIVE)
    assert [dict(r.values) for r in archived] == rows  # every row, every cell, in order

    ran: list[str] = []
    worker = Worker(queue, recorder(ran), Board(), WorkerSettings("w1"), clock=clock, sleep=clock.sleep)
    assert worker.work(burst=True) == 2 and ran == ["venter-1", "under-arkivering"]
    assert {j.id: j.status for j in queue.jobs()} == {"venter-1": JobStatus.DONE, "under-arkivering": JobStatus.DONE}


def test_claims_wait_for_the_marker_and_a_claim_that_landed_first_stops_the_move(server: ServerThread) -> None:
    sheet, clock = new_sheet(server), Clock()
    _, queue = fill(sheet, clock)
    other = JobQueue(sheet.other_store(), QueueSettings(claim_settle=0), clock=clock)
    seen: list[object] = []

    def during_settle() -> None:
        seen.append(other.claim("w2"))  # read after the marker: no claim, and it knows until when
        seen.append(other.next_chance)
        # a worker that read the queue just before the marker: its claim lands now, on the row it read
        queue_row = next(j for j in queue.jobs() if j.id == "venter-1").row
        sheet.other_store().update_rows(QUEUE, {queue_row: {
            "status": JobStatus.RUNNING.value, "worker": "w3", "lease_until": iso(clock.now + timedelta(minutes=5)),
            "attempt": 1}})

    clock.on_sleep = during_settle
    start = clock.now
    result = archiver(sheet, clock).run()
    assert seen == [None, start + ArchiveSettings().hold]
    assert result.moved == 0 and "startet imens" in result.message
    jobs = queue.jobs()
    assert len(jobs) == OLD + 1 and queue.archive_marks == []  # nothing moved, the marker cleared
    running = next(j for j in jobs if j.id == "venter-1")
    assert running.row == OLD + 2 and running.worker == "w3"  # the claimed row kept its number
    assert sheet.store.read_table(QUEUE_ARCHIVE) == []
    assert archiver(sheet, clock).run().message == "Intet flyttet: 1 job er i gang."


class DiesBeforeTheDelete:
    """The real store, but the process dies when it would delete the rows (after the copy)."""

    def __init__(self, inner: SheetStore) -> None:
        self.inner = inner

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    def delete_rows(self, tab: Tab, numbers: Iterable[int]) -> None:
        raise SheetsUnavailable("the worker was killed")


def test_a_pass_that_died_after_the_copy_is_finished_by_the_next_without_copies(server: ServerThread) -> None:
    sheet, clock = new_sheet(server), Clock()
    rows, queue = fill(sheet, clock)
    with pytest.raises(SheetsUnavailable):
        archiver(sheet, clock, DiesBeforeTheDelete(sheet.store)).run()
    assert len(sheet.store.read_table(QUEUE_ARCHIVE)) == OLD
    queue.jobs()
    (mark,) = queue.archive_marks  # left behind; claims wait until it runs out, then go on
    assert queue.claim("w1") is None and queue.next_chance == mark.until

    clock.now += ArchiveSettings().hold
    result = archiver(sheet, clock).run()
    assert result.moved == OLD and "(0 kopieret nu)" in result.message
    assert [dict(r.values) for r in sheet.store.read_table(QUEUE_ARCHIVE)] == rows  # each row once
    assert [j.id for j in queue.jobs()] == ["venter-1"] and queue.archive_marks == []


def test_a_marker_left_behind_is_cleaned_up_even_when_few_rows_are_due(server: ServerThread) -> None:
    sheet, clock = new_sheet(server), Clock()
    rows = old_rows(clock.now, 3)
    sheet.store.append_rows(QUEUE, rows)
    with pytest.raises(SheetsUnavailable):
        archiver(sheet, clock, DiesBeforeTheDelete(sheet.store), min_rows=1).run()
    clock.now += ArchiveSettings().hold
    assert archiver(sheet, clock).run().moved == 3  # 3 rows, fewer than min_rows: the dead pass is finished
    queue = JobQueue(sheet.store, clock=clock)
    assert queue.jobs() == [] and queue.archive_marks == []
    assert [dict(r.values) for r in sheet.store.read_table(QUEUE_ARCHIVE)] == rows


def test_an_idle_worker_archives_at_most_once_an_hour_and_only_old_rows(server: ServerThread) -> None:
    sheet, clock = new_sheet(server), Clock()
    sheet.store.append_rows(QUEUE, old_rows(clock.now, 150) + old_rows(clock.now - timedelta(days=-5), 30))
    queue = JobQueue(sheet.store, QueueSettings(claim_settle=0), clock=clock)
    passes: list[str] = []
    chore = archiver(sheet, clock)

    def when_idle() -> None:
        result = chore.when_idle()
        if result is not None:
            passes.append(result.message)

    worker = Worker(queue, recorder([]), Board(), WorkerSettings("w1", poll_seconds=600), when_idle=when_idle,
                    clock=clock, sleep=clock.sleep)
    worker.work(burst=True)  # started just now: no pass yet
    assert passes == [] and len(queue.jobs()) == 180
    clock.now += timedelta(hours=1)
    worker.work(burst=True)
    worker.work(burst=True)  # the same hour: no second pass
    assert passes == ["150 færdige job flyttet til fanen «Kø-arkiv» (150 kopieret nu)."]
    assert len(queue.jobs()) == 30  # finished five days ago: they stay
    clock.now += timedelta(hours=1)
    worker.work(burst=True)
    assert passes[1] == "Intet flyttet: 0 færdige job er ældre end 7 dage (der flyttes fra 100)."


def test_worker_py_archive(server: ServerThread) -> None:
    sheet = new_sheet(server)
    sheet.store.append_rows(QUEUE, old_rows(datetime.now(UTC), 120))
    JobQueue(sheet.store).enqueue("klient-venter", JobType.RYKKERFLOW, "bogholder", job_id="venter-1")
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("RYKKERBOT_")},
           "RYKKERBOT_SHEETS_ENDPOINT": server.url, "RYKKERBOT_QUEUE_SPREADSHEET": sheet.key}
    done = subprocess.run([sys.executable, "worker.py", "archive", "--settle", "0"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "120 færdige job flyttet til fanen «Kø-arkiv» (120 kopieret nu)."
    assert [j.id for j in JobQueue(sheet.store).jobs()] == ["venter-1"]
    assert len(sheet.store.read_table(QUEUE_ARCHIVE)) == 120
    assert ARCHIVE_MARK not in {str(r.values["job_id"]) for r in sheet.store.read_table(QUEUE, lenient=True)}
