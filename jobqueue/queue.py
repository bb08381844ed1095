"""The queue-sheet protocol over a store: enqueue, claim with a lease, heartbeat, finish, fail, retry.

Claiming is optimistic: the worker writes its id and a lease into the oldest claimable row, waits a moment,
reads the row back and proceeds only if the claim is still its own. A worker that dies stops renewing its
lease; the next poll after the lease ran out takes the job again. A job's row number is stable while anyone
may hold it: the only rows ever deleted are old finished ones (``jobqueue.archive``), when no job is running,
under a marker row (Job-id ``arkivering``) that claims respect until its time.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from jobqueue.job import BadJobRow, Job
from jobqueue.rows import iso, new_job_row, parse_iso
from sheets_schema import QUEUE, JobStatus, JobType, Row, Tab

log = logging.getLogger(__name__)
_FINISHED = {JobStatus.DONE.value, JobStatus.FAILED.value}
_UNFINISHED = {JobStatus.WAITING, JobStatus.RUNNING, JobStatus.RETRYING}
ARCHIVE_MARK = "arkivering"  # the Job-id of the marker row an archiving worker appends (jobqueue/archive.py)


@dataclass(frozen=True)
class ArchiveMark:
    """A marker row: a worker is moving finished rows out of the queue; no claim until ``until``."""

    row: int
    worker: str
    until: datetime | None  # None: unreadable, so treated as over


def archive_mark(number: int, values: Mapping[str, Any]) -> ArchiveMark | None:
    """The marker in a row, or None when the row is not one."""
    if str(values.get("job_id") or "").strip() != ARCHIVE_MARK:
        return None
    try:
        until = parse_iso(str(values.get("lease_until") or ""))
    except ValueError:
        until = None
    return ArchiveMark(number, str(values.get("worker") or "").strip(), until)


class QueueStore(Protocol):
    def read_table(self, tab: Tab, lenient: bool = ...) -> Sequence[Row]:
        """``lenient``: a cell that does not fit its column's kind comes back raw instead of failing the read."""
        ...

    def update_rows(self, tab: Tab, updates: Mapping[int, Mapping[str, Any]]) -> None: ...

    def append_rows(self, tab: Tab, rows: Sequence[Mapping[str, Any]]) -> list[int]: ...


@dataclass(frozen=True)
class BadRow:
    """A queue row the worker cannot read, with what it says and what is wrong."""

    row: int
    message: str  # Danish: every bad cell and what to write there
    current_message: str  # what the row's Besked cell holds now
    finished: bool  # its status is Færdig or Fejl: history, not work


@dataclass(frozen=True)
class QueueSettings:
    lease: timedelta = timedelta(minutes=5)
    claim_settle: float = 0.5  # seconds between writing a claim and reading it back
    max_attempts: int = 50  # ceiling for retries of an unavailable ledger


class JobQueue:
    def __init__(
        self,
        store: QueueStore,
        settings: QueueSettings = QueueSettings(),
        clock: Callable[[], datetime] = lambda: datetime.now().astimezone(),
        sleep: Callable[[float], None] = lambda s: None,
    ) -> None:
        self._store = store
        self._settings = settings
        self._clock = clock
        self._sleep = sleep
        self.bad_rows: list[BadRow] = []  # rows that could not be read, from the last read
        self.archive_marks: list[ArchiveMark] = []  # marker rows of archiving workers, from the last read
        # After ``claim`` found nothing: the earliest moment a job may become claimable (None: queue drained).
        self.next_chance: datetime | None = None

    @property
    def settings(self) -> QueueSettings:
        return self._settings

    def enqueue(self, client_sheet: str, job_type: JobType, requested_by: str, job_id: str | None = None) -> Job:
        values = dict(zip([c.key for c in QUEUE.columns],
                          new_job_row(job_id or str(uuid.uuid4()), self._clock(), client_sheet, job_type,
                                      requested_by), strict=True))
        (row,) = self._store.append_rows(QUEUE, [values])
        return Job.from_values(row, values)

    def jobs(self) -> list[Job]:
        """Every readable job, in queue order (one request). Unreadable rows are left in ``bad_rows``."""
        jobs, self.bad_rows, self.archive_marks = [], [], []
        for r in self._store.read_table(QUEUE, lenient=True):
            if not any(str(v).strip() for v in r.values.values() if v is not None):
                continue
            mark = archive_mark(r.number, r.values)
            if mark is not None:
                self.archive_marks.append(mark)
                continue
            try:
                jobs.append(Job.from_values(r.number, r.values))
            except BadJobRow as e:
                status, current = (str(r.values.get(k) or "").strip() for k in ("status", "message"))
                self.bad_rows.append(BadRow(r.number, str(e), current, status in _FINISHED))
        return jobs

    def mark_bad_rows(self) -> int:
        """Write each unreadable row's problem into its Besked cell (one request, only where the cell does not
        already say so), so the person who typed it sees what to write. Finished rows are history: left alone.
        Returns how many rows were marked."""
        new = [b for b in self.bad_rows if not b.finished and b.current_message != b.message]
        for b in new:
            log.warning("queue row %d skipped: %s", b.row, b.message)
        if new:
            self._store.update_rows(QUEUE, {b.row: {"message": b.message} for b in new})
        return len(new)

    def claim(self, worker_id: str) -> Job | None:
        """Take the oldest claimable job, or None. Costs two reads and one write when a job is found."""
        now = self._clock()
        jobs = self.jobs()
        self.mark_bad_rows()
        # One job at a time per client: its sheets are read and rewritten by the job.
        busy = {j.client_sheet for j in jobs if j.status is JobStatus.RUNNING and not j.claimable(now)}
        candidates = [j for j in jobs if j.claimable(now) and j.client_sheet not in busy]
        archiving = max((m.until for m in self.archive_marks if m.until is not None and m.until > now), default=None)
        if not candidates or archiving is not None:  # rows are being moved: a row number may change under a claim
            chance = _next_chance(jobs, now)
            self.next_chance = max(chance, archiving) if chance is not None and archiving is not None else chance
            return None
        job = min(candidates, key=lambda j: (j.created_at or now, j.row))
        lease_until = now + self._settings.lease
        self._store.update_rows(QUEUE, {job.row: {
            "status": JobStatus.RUNNING.value,
            "worker": worker_id,
            "lease_until": iso(lease_until),
            "attempt": job.attempt + 1,
            "message": "",
        }})
        self._sleep(self._settings.claim_settle)
        mine = next((j for j in self.jobs() if j.row == job.row), None)
        if mine is None or mine.id != job.id or mine.worker != worker_id or mine.status is not JobStatus.RUNNING:
            self.next_chance = now  # another worker won this row; others may be free
            return None
        return mine

    def heartbeat(self, job: Job) -> None:
        self._store.update_rows(QUEUE, {job.row: {"lease_until": iso(self._clock() + self._settings.lease)}})

    def finish(self, job: Job, message: str = "") -> None:
        self._end(job, JobStatus.DONE, message)

    def fail(self, job: Job, message: str) -> None:
        self._end(job, JobStatus.FAILED, message)

    def retry(self, job: Job, message: str, delay: timedelta) -> bool:
        """Put the job back for a later attempt. False (and the job failed) once the ceiling is reached."""
        if job.attempt >= self._settings.max_attempts:
            self.fail(job, f"Opgivet efter {job.attempt} forsøg: {message}")
            return False
        self._store.update_rows(QUEUE, {job.row: {
            "status": JobStatus.RETRYING.value,
            "worker": "",
            "lease_until": "",
            "not_before": iso(self._clock() + delay),
            "message": message,
        }})
        return True

    def _end(self, job: Job, status: JobStatus, message: str) -> None:
        self._store.update_rows(QUEUE, {job.row: {
            "status": status.value,
            "lease_until": "",
            "not_before": "",
            "message": message,
            "finished_at": iso(self._clock()),
        }})

    def next_pending(self) -> datetime | None:
        """When the earliest unfinished job may become claimable; None if the queue is drained (one read)."""
        return _next_chance(self.jobs(), self._clock())


def _next_chance(jobs: Sequence[Job], now: datetime) -> datetime | None:
    """The earliest moment one of ``jobs`` may become claimable: a retry's time, a lease's end, and for a job
    whose client is held by another job's lease, the end of that lease. None when no job is unfinished."""
    held: dict[str, datetime] = {}
    for j in jobs:
        if j.status is JobStatus.RUNNING and j.lease_until is not None and j.lease_until > now:
            held[j.client_sheet] = max(j.lease_until, held.get(j.client_sheet, now))
    times = []
    for j in jobs:
        if j.status not in _UNFINISHED:
            continue
        at = j.pending_at() or now
        if j.status is not JobStatus.RUNNING and j.client_sheet in held:
            at = max(at, held[j.client_sheet])
        times.append(at)
    return min(times) if times else None
