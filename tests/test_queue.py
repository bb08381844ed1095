"""The queue-sheet protocol against the Sheets emulator over HTTP (gspread, unmodified)."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.doctor.bootstrap import bootstrap_queue
from bot.sheets.client import open_client
from bot.sheets.store import SheetStore
from jobqueue.queue import JobQueue, QueueSettings
from sandbox.serving import ServerThread
from sandbox.sheets.app import create_app
from sheets_schema import QUEUE, JobStatus, JobType


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def store() -> Iterator[SheetStore]:
    with ServerThread(create_app()) as server:
        client = open_client(server.url, None)
        yield SheetStore.open(client, bootstrap_queue(client, None, "Kø"))


def make_queue(store: SheetStore, clock: Clock, **kw: object) -> JobQueue:
    return JobQueue(store, QueueSettings(lease=timedelta(seconds=60), claim_settle=0, **kw),  # type: ignore[arg-type]
                    clock=clock)


def test_enqueue_claim_finish(store: SheetStore) -> None:
    clock = Clock()
    q = make_queue(store, clock)
    job = q.enqueue("client-1", JobType.RYKKERFLOW, "Bogholder")
    assert job.status is JobStatus.WAITING and job.row == 2
    claimed = q.claim("w1")
    assert claimed is not None and claimed.id == job.id
    assert claimed.status is JobStatus.RUNNING and claimed.worker == "w1" and claimed.attempt == 1
    assert q.claim("w2") is None  # leased
    q.finish(claimed, "12 rykkerforslag")
    (done,) = q.jobs()
    assert done.status is JobStatus.DONE and done.message == "12 rykkerforslag" and done.finished_at == clock.now
    assert q.next_pending() is None


def test_oldest_first_and_one_job_per_client(store: SheetStore) -> None:
    clock = Clock()
    q = make_queue(store, clock)
    a = q.enqueue("client-a", JobType.RYKKERFLOW, "x")
    clock.advance(1)
    b = q.enqueue("client-a", JobType.SEND_RYKKERE, "x")
    clock.advance(1)
    c = q.enqueue("client-b", JobType.RYKKERFLOW, "x")
    first = q.claim("w1")
    assert first is not None and first.id == a.id
    second = q.claim("w2")  # client-a is busy: client-b's job comes next, b waits
    assert second is not None and second.id == c.id
    assert q.claim("w3") is None
    q.finish(first)
    third = q.claim("w3")
    assert third is not None and third.id == b.id


def test_expired_lease_is_taken_again(store: SheetStore) -> None:
    clock = Clock()
    q = make_queue(store, clock)
    q.enqueue("client-1", JobType.SEND_RYKKERE, "x")
    dead = q.claim("dies")
    assert dead is not None
    clock.advance(30)
    q.heartbeat(dead)
    clock.advance(59)
    assert q.claim("rescuer") is None  # the heartbeat renewed the lease
    clock.advance(2)
    again = q.claim("rescuer")
    assert again is not None and again.id == dead.id and again.attempt == 2 and again.worker == "rescuer"


def test_retry_waits_for_backoff_and_stops_at_the_ceiling(store: SheetStore) -> None:
    clock = Clock()
    q = make_queue(store, clock, max_attempts=2)
    q.enqueue("client-1", JobType.RYKKERFLOW, "x")
    job = q.claim("w")
    assert job is not None
    assert q.retry(job, "e-conomic svarer ikke", timedelta(seconds=30))
    (waiting,) = q.jobs()
    assert waiting.status is JobStatus.RETRYING and waiting.message == "e-conomic svarer ikke"
    assert q.claim("w") is None
    assert q.next_pending() == clock.now + timedelta(seconds=30)
    clock.advance(31)
    job = q.claim("w")
    assert job is not None and job.attempt == 2
    assert not q.retry(job, "e-conomic svarer stadig ikke", timedelta(seconds=30))
    (failed,) = q.jobs()
    assert failed.status is JobStatus.FAILED and "2 forsøg" in failed.message


def type_into(store: SheetStore, cells: dict[str, object]) -> None:
    """What a person does in the browser: type values into cells (USER_ENTERED, as the Sheets UI parses them)."""
    ws = store.spreadsheet.worksheet(QUEUE.name)
    ws.batch_update([{"range": a1, "values": [[v]]} for a1, v in cells.items()], value_input_option="USER_ENTERED")


def besked(store: SheetStore, row: int) -> str:
    return str(store.spreadsheet.worksheet(QUEUE.name).acell(f"{QUEUE.letter('message')}{row}").value or "")


def test_a_non_number_typed_into_attempts_marks_that_row_and_the_next_job_is_claimed(store: SheetStore) -> None:
    clock = Clock()
    q = make_queue(store, clock)
    typed = q.enqueue("client-1", JobType.RYKKERFLOW, "x")
    good = q.enqueue("client-2", JobType.RYKKERFLOW, "x")
    type_into(store, {f"I{typed.row}": "x"})
    claimed = q.claim("w")
    assert claimed is not None and claimed.id == good.id
    assert besked(store, typed.row) == "Kø!I2 (Forsøg): «x» er ikke et helt tal. Skriv et helt tal, fx 0."
    assert [b.row for b in q.bad_rows] == [typed.row]
    before = store.requests
    assert q.claim("w") is None
    assert store.requests - before == 1  # the mark is not written again on the next poll: one read, no write
    type_into(store, {f"I{typed.row}": "0"})  # the person follows the advice
    again = q.claim("w")
    assert again is not None and again.id == typed.id and again.message == "" and besked(store, typed.row) == ""


def test_hand_typed_garbage_rows_each_get_a_message_naming_the_cell(store: SheetStore) -> None:
    clock = Clock()
    q = make_queue(store, clock)
    rows = [q.enqueue(f"client-{i}", JobType.RYKKERFLOW, "x").row for i in range(5)]
    type_into(store, {
        f"D{rows[0]}": "rykkerflw",
        f"F{rows[1]}": "venter på robot",
        f"A{rows[2]}": "",
        f"B{rows[3]}": "i går",
    })
    finished = q.enqueue("client-9", JobType.RYKKERFLOW, "x")
    q.finish(finished, "12 rykkerforslag")
    type_into(store, {f"I{finished.row}": "mange"})  # a finished row is history: its summary stays
    claimed = q.claim("w")
    assert claimed is not None and claimed.row == rows[4]
    marks = [besked(store, r) for r in rows[:4]]
    assert marks[0] == ("Kø!D2 (Jobtype): «rykkerflw» er ikke en jobtype. Skriv en af: «rykkerflow», "
                        "«send_rykkere», «inkassoforslag», «opret_sager», «send_sagsaendringer».")
    assert marks[1] == ("Kø!F3 (Status): «venter på robot» er ikke en status. Skriv «Venter på robot» præcis sådan "
                        "(store og små bogstaver tæller).")
    assert marks[2].startswith("Kø!A4 (Job-id): Cellen er tom. Skriv et id")
    assert marks[3].startswith("Kø!B5 (Oprettet): «i går» er ikke et tidspunkt. Skriv det som")
    assert besked(store, finished.row) == "12 rykkerforslag"
    assert sorted(b.row for b in q.bad_rows) == [*rows[:4], finished.row]


def test_claim_costs_two_reads_and_one_write(store: SheetStore) -> None:
    clock = Clock()
    q = make_queue(store, clock)
    q.enqueue("client-1", JobType.RYKKERFLOW, "x")
    before = store.requests
    assert q.claim("w") is not None
    assert store.requests - before == 3


def test_a_row_written_by_the_apps_script_button_reads_as_the_job_enqueue_makes(store: SheetStore) -> None:
    """The contract's other half: the row Apps Script appends (appendRow, so USER_ENTERED) is read by jobqueue
    into the same Job that ``worker.py enqueue`` makes from the same input."""
    contract = json.loads((Path(__file__).parent / "fixtures" / "queue_row_contract.json").read_text("utf-8"))
    given = contract["input"]
    store.spreadsheet.worksheet(QUEUE.name).append_row(contract["expected_row"], value_input_option="USER_ENTERED")
    clock = Clock()
    clock.now = datetime.strptime(given["created_at"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    q = make_queue(store, clock)
    (from_button,) = q.jobs()
    ours = q.enqueue(given["client_sheet"], JobType(given["job_type"]), given["requested_by"], job_id=given["job_id"])
    assert (from_button.row, ours.row) == (2, 3)
    assert dataclasses.replace(from_button, row=0) == dataclasses.replace(ours, row=0)
    assert from_button.status is JobStatus.WAITING and from_button.type is JobType.SEND_RYKKERE


def test_the_queue_package_never_imports_the_robot() -> None:
    """jobqueue/ is the protocol; bot/ plugs into it (its error types come in through WorkerSettings)."""
    modules = sorted(p.stem for p in (Path(__file__).parent.parent / "jobqueue").glob("*.py") if p.stem != "__init__")
    code = (f"import sys, importlib\nfor m in {modules!r}: importlib.import_module('jobqueue.' + m)\n"
            "print(sorted(m for m in sys.modules if m == 'bot' or m.startswith('bot.')))")
    out = subprocess.run([sys.executable, "-c", code], cwd=Path(__file__).parent.parent, capture_output=True,
                         text=True, check=True)
    assert len(modules) >= 7 and out.stdout.strip() == "[]"
