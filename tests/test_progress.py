"""Progress writes to the client's status cell are bounded per job (issue 12: 93 writes in one 502-s run).

A real worker performs a job from the queue sheet against the Sheets emulator over HTTP; the job reports
progress every (fake) second; the test counts the requests the emulator got for the client's spreadsheet.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
import requests

from bot.doctor.bootstrap import bootstrap_client, bootstrap_queue
from bot.sheets.client import open_client
from bot.sheets.store import SheetStore
from bot.status_board import SheetStatusBoard
from jobqueue.queue import JobQueue, QueueSettings
from jobqueue.worker import JobContext, Worker, WorkerSettings
from sandbox.serving import ServerThread
from sandbox.sheets.app import create_app
from sheets_schema import JobType


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


class RecordingBoard(SheetStatusBoard):
    """The real status board, remembering what it wrote."""

    def __init__(self, store: SheetStore) -> None:
        super().__init__(lambda _key: store)
        self.texts: list[str] = []

    def show(self, client_sheet: str, text: str) -> None:
        self.texts.append(text)
        super().show(client_sheet, text)


class SteadyJob:
    """A job of ``seconds`` (fake) seconds that reports progress every second."""

    def __init__(self, clock: Clock, seconds: int) -> None:
        self.clock = clock
        self.seconds = seconds

    def __call__(self, ctx: JobContext) -> str:
        for i in range(1, self.seconds + 1):
            self.clock.now += timedelta(seconds=1)
            ctx.progress(f"{i}/{self.seconds} skridt")
        return f"{self.seconds} skridt"


@pytest.fixture(scope="module")
def server() -> Iterator[ServerThread]:
    with ServerThread(create_app()) as srv:
        yield srv


def client_requests(server: ServerThread, key: str) -> int:
    stats = requests.get(f"{server.url}/emulator/stats", timeout=10).json()
    return int(stats["spreadsheets"].get(key, 0))


def run_job(server: ServerThread, seconds: int, settings: WorkerSettings) -> tuple[int, list[str]]:
    """Perform one job of ``seconds``; returns the requests to the client's sheet and the texts written."""
    gc = open_client(server.url, None)
    clock = Clock()
    queue = JobQueue(SheetStore.open(gc, bootstrap_queue(gc, None, "Kø")), QueueSettings(claim_settle=0), clock=clock)
    client_key = bootstrap_client(gc, None, "Klient")
    board = RecordingBoard(SheetStore.open(gc, client_key))
    queue.enqueue(client_key, JobType.RYKKERFLOW, "test")
    before = client_requests(server, client_key)
    worker = Worker(queue, SteadyJob(clock, seconds), board, settings, clock=clock, sleep=lambda s: None)
    assert worker.work(burst=True) == 1
    return client_requests(server, client_key) - before, board.texts


def test_a_500_second_job_writes_its_progress_at_most_once_per_30_seconds(server: ServerThread) -> None:
    sent, texts = run_job(server, 500, WorkerSettings("w1"))
    progress = [t for t in texts if "skridt" in t and not t.startswith("Færdig")]
    # the first at once (second 1), then seconds 31, 61, ..., 481: 17 writes, not 500 (nor 100 at one per 5 s)
    assert len(progress) == 17
    assert progress[0].endswith("1/500 skridt") and progress[1].endswith("31/500 skridt")
    assert progress[-1].endswith("481/500 skridt")
    assert texts[0] == "I gang" and texts[-1].startswith("Færdig: 500 skridt")
    assert sent == 1 + 17 + 1  # "I gang", the progress, the outcome: one request each


def test_an_hour_long_job_writes_at_most_the_cap(server: ServerThread) -> None:
    sent, texts = run_job(server, 3600, WorkerSettings("w1"))
    progress = [t for t in texts if "skridt" in t and not t.startswith("Færdig")]
    assert len(progress) == 20  # one per 30 s would be 120
    assert texts[-1].startswith("Færdig: 3600 skridt")
    assert sent == 1 + 20 + 1


def test_the_bound_is_a_setting(server: ServerThread) -> None:
    sent, texts = run_job(server, 500, WorkerSettings("w1", progress_every_seconds=100, progress_max_writes=3))
    progress = [t for t in texts if "skridt" in t and not t.startswith("Færdig")]
    assert [p.rsplit(" ", 2)[-2] for p in progress] == ["1/500", "101/500", "201/500"]
    assert sent == 1 + 3 + 1
