"""The "Robot status" cell says what the whole run did: a chained job adds to the result of the job that chained
it instead of overwriting it; errors are short in the cell and whole in the queue row; a bug names its evidence."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import Browser

from bot.app import build_worker
from bot.doctor.bootstrap import bootstrap_queue
from bot.errors import SettingProblem, SettingsError
from bot.sheets.client import open_client
from bot.sheets.store import SheetStore
from jobqueue.job import Job
from jobqueue.queue import JobQueue, QueueSettings
from jobqueue.status import MAX_MESSAGE, chained_by, earlier, shorten, status_text
from jobqueue.worker import JobContext, Worker, WorkerSettings
from sandbox.serving import ServerThread
from sandbox.sheets.app import create_app
from sandbox.stack import LocalStack
from sheets_schema import INSTRUKS, JobStatus, JobType

NOW = datetime(2026, 11, 25, 7, 30, tzinfo=UTC)


class Board:
    def __init__(self) -> None:
        self.shown: list[str] = []

    def show(self, client_sheet: str, text: str) -> None:
        self.shown.append(text)


@pytest.fixture
def queue() -> Iterator[JobQueue]:
    with ServerThread(create_app()) as server:
        client = open_client(server.url, None)
        store = SheetStore.open(client, bootstrap_queue(client, None, "Kø"))
        yield JobQueue(store, QueueSettings(lease=timedelta(seconds=60), claim_settle=0), clock=lambda: NOW)


def flows(ctx: JobContext) -> str:
    """Like the real flows: rykkerflow proposes and chains inkassoforslag."""
    if ctx.job.type is JobType.RYKKERFLOW:
        ctx.enqueue(JobType.INKASSOFORSLAG)
        return "78 rykkerforslag klar til godkendelse"
    if ctx.job.type is JobType.INKASSOFORSLAG:
        return "17 inkassoforslag klar"
    raise RuntimeError("boom")


def worker(queue: JobQueue, board: Board, handler: object = flows, **kw: object) -> Worker:
    return Worker(queue, handler, board, WorkerSettings("w1", poll_seconds=0, business=(SettingsError,)),  # type: ignore[arg-type]
                  clock=lambda: NOW, sleep=lambda s: None, **kw)  # type: ignore[arg-type]


def test_the_cell_ends_with_both_the_reminder_and_the_chained_inkasso_result(queue: JobQueue) -> None:
    queue.enqueue("client-1", JobType.RYKKERFLOW, "Arkvisning")
    board = Board()
    worker(queue, board).work(burst=True)

    first, second = queue.jobs()
    assert second.type is JobType.INKASSOFORSLAG
    assert second.requested_by == "robot (rykkerflow): 78 rykkerforslag klar til godkendelse"
    assert second.message == "17 inkassoforslag klar"  # each queue row keeps its own job's summary
    # While the chained job waits the run is not done; at the end the cell says the whole run.
    assert board.shown[1].startswith("I gang: inkassoforslag venter · Gjort: 78 rykkerforslag")
    assert board.shown[-1] == ("Færdig: 78 rykkerforslag klar til godkendelse · 17 inkassoforslag klar "
                               "(25-11-2026 08:30)")


def test_a_chained_job_that_fails_says_so_and_what_the_run_did_before(queue: JobQueue) -> None:
    def handler(ctx: JobContext) -> str:
        if ctx.job.type is JobType.INKASSOFORSLAG:
            raise SettingsError("Inkassopartner mangler")
        return flows(ctx)

    queue.enqueue("client-1", JobType.RYKKERFLOW, "Arkvisning")
    board = Board()
    worker(queue, board, handler).work(burst=True)
    assert board.shown[-1] == "Fejl: Inkassopartner mangler · Gjort før fejlen: 78 rykkerforslag klar til godkendelse"


def test_many_settings_problems_the_cell_says_how_many_and_the_first_the_row_all(queue: JobQueue) -> None:
    problems = [SettingProblem(f"Instruks!B{n}", f"Felt {n}", f"Problem nummer {n} " + "x" * 60) for n in range(3, 9)]

    def handler(ctx: JobContext) -> str:
        raise SettingsError(problems)

    queue.enqueue("client-1", JobType.RYKKERFLOW, "Arkvisning")
    board = Board()
    worker(queue, board, handler).work(burst=True)
    (job,) = queue.jobs()
    assert all(p.cell in job.message for p in problems)  # the queue row has every problem
    cell = board.shown[-1]
    assert cell.startswith("Fejl: 6 problemer i indstillingerne. Det første: Instruks!B3 (Felt 3): Problem nummer 3")
    assert "Instruks!B4" not in cell and "mailen" in cell


def test_a_bug_names_where_its_evidence_is_kept(queue: JobQueue) -> None:
    seen: list[tuple[Job, BaseException]] = []

    def on_bug(job: Job, error: BaseException) -> str:
        seen.append((job, error))
        return f"Skærmbillede og sporing er gemt på robotten i /srv/var/artifacts/{job.id}."

    queue.enqueue("client-1", JobType.SEND_RYKKERE, "Arkvisning", job_id="job-7")
    board = Board()
    worker(queue, board, on_bug=on_bug).work(burst=True)
    (job,) = queue.jobs()
    assert [(j.id, str(e)) for j, e in seen] == [("job-7", "boom")]
    assert job.message.endswith("gemt på robotten i /srv/var/artifacts/job-7.")
    assert board.shown[-1].startswith("Fejl: Intern fejl i robotten (RuntimeError)") and "artifacts/job-7" in \
        board.shown[-1]


def test_long_messages_are_cut_at_a_word_and_say_so() -> None:
    text = " ".join(f"ord{n}" for n in range(200))
    short = shorten(text)
    assert len(short) <= MAX_MESSAGE and short.endswith("(forkortet; hele teksten står i robotkøen)")
    assert short.split(" …")[0] in text and text.startswith(short.split(" …")[0] + " ")  # a whole word ends it
    assert shorten("kort") == "kort"
    cell = status_text(JobStatus.DONE, text, at=NOW)
    assert cell.endswith("(25-11-2026 08:30)") and len(cell) < MAX_MESSAGE + 30


def test_chained_by_round_trips_and_a_person_is_no_chain() -> None:
    assert earlier(chained_by(JobType.RYKKERFLOW, "78 rykkerforslag klar")) == "78 rykkerforslag klar"
    assert earlier(chained_by(JobType.RYKKERFLOW, "")) == ""
    assert earlier("bogholder@firma.dk") == "" and earlier("Arkvisning") == ""


def test_a_bug_on_the_real_stack_links_the_kept_screenshot_in_row_and_cell(stack: LocalStack, browser: Browser) -> None:
    stack.ledger_faults(mode="redesign")
    JobQueue(stack.queue).enqueue(stack.client_id, JobType.RYKKERFLOW, "test")
    build_worker(stack.settings, browser, sheets=stack.sheets).work(burst=True)

    (job,) = JobQueue(stack.queue).jobs()
    folder = (stack.settings.artifacts_dir / job.id).resolve()
    assert any(p.suffix == ".png" for p in folder.iterdir())
    assert job.message.endswith(f"Skærmbillede og sporing er gemt på robotten i {folder}")
    cell = stack.client.read_settings(INSTRUKS)["robot_status"]
    assert cell.startswith("Fejl: Intern fejl") and str(folder) in cell
