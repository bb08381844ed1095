"""The worker loop: claim a job, run its handler under a heartbeat, finish, fail or retry it.

Read it at a glance: ``work()`` polls; ``perform()`` runs one job and releases it exactly once.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from jobqueue.backoff import retry_delay
from jobqueue.heartbeat import Heartbeat
from jobqueue.job import Job
from jobqueue.queue import JobQueue
from jobqueue.status import StatusBoard, chained_by, earlier, joined, short_error, status_text
from sheets_schema import JobStatus, JobType

log = logging.getLogger(__name__)


class JobContext(Protocol):
    """What a handler may ask of the queue while it runs."""

    @property
    def job(self) -> Job: ...

    def progress(self, text: str) -> None: ...

    def enqueue(self, job_type: JobType) -> None: ...


class JobHandler(Protocol):
    def __call__(self, ctx: JobContext) -> str:
        """Do the job; return a short Danish summary for the status cell. Raise to fail or retry."""
        ...


@dataclass(frozen=True)
class WorkerSettings:
    worker_id: str
    poll_seconds: float = 10.0
    retry_base_seconds: float = 60.0
    retry_cap_seconds: float = 3600.0
    # Progress in the status cell: the first at once, then at most one write per 30 s and 20 per job (a job's
    # progress must not spend Google's 60 requests a minute; the job's outcome is always written at its end).
    progress_every_seconds: float = 30.0
    progress_max_writes: int = 20
    idle_cap_seconds: float = 300.0  # longest pause between polls while the queue is unavailable
    transient: tuple[type[BaseException], ...] = ()  # errors that mean "try again later"
    business: tuple[type[BaseException], ...] = ()  # errors the user must fix: the job fails, never retried


class _Context:
    def __init__(self, worker: Worker, job: Job) -> None:
        self._worker = worker
        self._job = job
        self._last_progress: datetime | None = None
        self._progress_writes = 0
        self.chained: list[JobType] = []  # jobs this one asked for, enqueued when it has finished

    @property
    def job(self) -> Job:
        return self._job

    def progress(self, text: str) -> None:
        settings, now = self._worker.settings, self._worker._clock()
        if self._progress_writes >= settings.progress_max_writes:
            return
        if self._last_progress is not None and (
                (now - self._last_progress).total_seconds() < settings.progress_every_seconds):
            return
        self._last_progress = now
        self._progress_writes += 1
        self._worker.board.show(self._job.client_sheet, status_text(JobStatus.RUNNING, text,
                                                                    before=earlier(self._job.requested_by)))

    def enqueue(self, job_type: JobType) -> None:
        # Enqueued once the handler returns (``enqueue_chained``), carrying what the run did so far.
        self.chained.append(job_type)

    def enqueue_chained(self, summary: str) -> str:
        """Put the chained jobs on the queue; returns what the whole run has done so far."""
        done = joined(earlier(self._job.requested_by), summary)
        for job_type in self.chained:
            self._worker.queue.enqueue(self._job.client_sheet, job_type, chained_by(self._job.type, done))
        return done


class Worker:
    def __init__(
        self,
        queue: JobQueue,
        handler: JobHandler,
        board: StatusBoard,
        settings: WorkerSettings,
        heartbeat_queue: JobQueue | None = None,
        on_bug: Callable[[Job, BaseException], str] | None = None,
        when_idle: Callable[[], object] | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now().astimezone(),
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.queue = queue
        self.handler = handler
        self.board = board
        self.settings = settings
        self._heartbeat_queue = heartbeat_queue or queue
        self._on_bug = on_bug
        self._when_idle = when_idle  # housekeeping after a poll found nothing (the queue's archive)
        self._clock = clock
        self._sleep = sleep
        self.performed = 0

    def work(self, burst: bool = False, max_jobs: int | None = None) -> int:
        """Poll and perform jobs. ``burst``: return once no job is waiting, retrying or leased (drain).

        Never returns because a dependency is down: a poll that fails waits with capped backoff and polls again.
        """
        failed_polls = 0
        while max_jobs is None or self.performed < max_jobs:
            try:
                job = self.queue.claim(self.settings.worker_id)
            except self.settings.transient + self.settings.business as e:
                failed_polls += 1
                self._sleep(self._idle_backoff(failed_polls, e))
                continue
            if failed_polls:
                log.info("the queue answers again after %d failed polls", failed_polls)
                failed_polls = 0
            if job is not None:
                self.perform(job)
                continue
            self._idle_chores()
            if not burst:
                self._sleep(self.settings.poll_seconds)
                continue
            wake = self.queue.next_chance
            if wake is None:
                break
            # Sleep until something may be claimable, but poll at least every poll_seconds (another worker may
            # finish early) and at most once a second (Google allows 60 reads a minute per user).
            wait = (wake - self._clock()).total_seconds()
            self._sleep(min(max(wait, min(self.settings.poll_seconds, 1.0)), self.settings.poll_seconds))
        return self.performed

    def _idle_chores(self) -> None:
        """``when_idle``, best effort: housekeeping that fails is logged and the worker polls on."""
        if self._when_idle is None:
            return
        try:
            self._when_idle()
        except Exception:  # noqa: BLE001 - the archive can wait an hour; the queue must not
            log.warning("idle housekeeping failed", exc_info=True)

    def _idle_backoff(self, failed_polls: int, error: BaseException) -> float:
        delay = retry_delay(failed_polls, self.settings.poll_seconds, self.settings.idle_cap_seconds).total_seconds()
        if isinstance(error, self.settings.business):
            log.error("the queue sheet cannot be used (an operator must fix it), next poll in %.0f s: %s", delay, error)
        else:
            log.warning("the queue is unavailable (poll %d failed), next poll in %.0f s: %s", failed_polls, delay,
                        error)
        return delay

    @contextmanager
    def _releasing(self, job: Job) -> Iterator[None]:
        """Writing a job's outcome may fail like any Sheets call: log it and go on. The lease runs out and the
        job is taken again (flows are idempotent), so nothing is lost and the worker does not die."""
        try:
            yield
        except self.settings.transient + self.settings.business:
            log.warning("job %s: its outcome could not be written to the queue; it is taken again after its lease",
                        job.id, exc_info=True)

    def perform(self, job: Job) -> None:
        log.info("job %s (%s) attempt %d for %s", job.id, job.type.value, job.attempt, job.client_sheet)
        before = earlier(job.requested_by)  # what the run did in the job that chained this one
        self.board.show(job.client_sheet, status_text(JobStatus.RUNNING, job.type.value if before else "",
                                                      before=before))
        interval = max(self.queue.settings.lease.total_seconds() / 3, 0.2)
        try:
            with Heartbeat(lambda: self._heartbeat_queue.heartbeat(job), interval):
                ctx = _Context(self, job)
                summary = self.handler(ctx)
                done = ctx.enqueue_chained(summary)
        except self.settings.business as e:
            log.info("job %s failed (business): %s", job.id, e)
            with self._releasing(job):
                self.queue.fail(job, str(e))
                self.board.show(job.client_sheet, status_text(JobStatus.FAILED, short_error(e), before=before))
        except self.settings.transient as e:
            delay = retry_delay(job.attempt, self.settings.retry_base_seconds, self.settings.retry_cap_seconds)
            retry_after = getattr(e, "retry_after", None)  # e.g. a mail budget that frees up at a known time
            if isinstance(retry_after, datetime):
                delay = max(delay, retry_after - self._clock())
            message = str(e) or type(e).__name__
            log.warning("job %s attempt %d unavailable, retry in %s: %s", job.id, job.attempt, delay, message)
            with self._releasing(job):
                if self.queue.retry(job, message, delay):
                    self.board.show(job.client_sheet, status_text(JobStatus.RETRYING, message, attempt=job.attempt,
                                                                  next_at=self._clock() + delay, before=before))
                else:
                    self.board.show(job.client_sheet, status_text(JobStatus.FAILED, f"opgivet efter {job.attempt} "
                                                                                     f"forsøg: {message}",
                                                                  before=before))
        except Exception as e:  # a bug: fail loud, keep evidence
            log.exception("job %s crashed", job.id)
            ref = self._bug_evidence(job, e)
            message = f"Intern fejl i robotten ({type(e).__name__}). Kontakt support med job-id {job.id}. {ref}"
            with self._releasing(job):
                self.queue.fail(job, message.strip())
                self.board.show(job.client_sheet, status_text(JobStatus.FAILED, message.strip(), before=before))
        else:
            with self._releasing(job):
                self.queue.finish(job, summary)
                if ctx.chained:  # the run goes on: the cell says what is done and what comes next
                    waiting = ", ".join(t.value for t in ctx.chained)
                    self.board.show(job.client_sheet, status_text(JobStatus.RUNNING, f"{waiting} venter",
                                                                  before=done))
                else:
                    self.board.show(job.client_sheet, status_text(JobStatus.DONE, done, at=self._clock()))
        finally:
            self.performed += 1

    def _bug_evidence(self, job: Job, error: BaseException) -> str:
        """Where the evidence of a bug is kept (from ``on_bug``); "" when none, or when finding it failed."""
        if self._on_bug is None:
            return ""
        try:
            return self._on_bug(job, error)
        except Exception:  # noqa: BLE001 - the bug itself is what must be reported
            log.warning("job %s: on_bug failed", job.id, exc_info=True)
            return ""
