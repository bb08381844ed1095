"""Move old finished jobs from the queue tab (Kø) to its archive tab (Kø-arkiv), so that an idle poll, which reads
the whole queue tab, costs after a year what it costs on the first day.

Why the care: deleting rows moves every row below them up, and the queue addresses a job by its row number (a
claim writes to the row it read; a heartbeat and the outcome write to the row of their claim). So rows move only

- when no job is "I gang", whatever its lease (a worker whose lease ran out may still be alive and about to write
  its outcome), and
- under a marker row that claims respect: the archiver appends a row with Job-id ``arkivering``, its worker id
  and a time in "Lease til"; a claim that reads it takes nothing until then. A claim that read the queue just
  before the marker appeared writes its claim within moments (at worst a rate-limiter minute later): the
  archiver waits ``settle`` seconds, reads again, and steps back (clears its marker) if a job is "I gang" now.

What moves: rows Færdig or Fejl finished more than ``keep`` ago (7 days), in queue order: appended to Kø-arkiv
in one request, then deleted from Kø with the marker in one batchUpdate. Only rows read as finished are deleted:
a row appended meanwhile (Apps Script's appendRow, ``worker.py enqueue``) lands below them or in a blank row and
stays, and so does a row that cannot be read. The delete is never retried blindly (``SheetStore.delete_rows``).
If the archiver dies between the copy and the delete, its marker stays behind, expired: the next pass reads the
archive's Job-ids once, copies only the rows not there yet, and deletes them with the old marker.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from jobqueue.job import BadJobRow, Job
from jobqueue.queue import ARCHIVE_MARK, ArchiveMark, archive_mark
from jobqueue.rows import iso
from sheets_schema import QUEUE, QUEUE_ARCHIVE, JobStatus, Row, Tab

log = logging.getLogger(__name__)
_FINISHED = (JobStatus.DONE, JobStatus.FAILED)


class ArchiveStore(Protocol):
    def read_table(self, tab: Tab, lenient: bool = ...) -> Sequence[Row]: ...

    def update_rows(self, tab: Tab, updates: Mapping[int, Mapping[str, Any]]) -> None: ...

    def append_rows(self, tab: Tab, rows: Sequence[Mapping[str, Any]]) -> list[int]: ...

    def delete_rows(self, tab: Tab, numbers: Iterable[int]) -> None: ...

    def load_layouts(self, tabs: Iterable[Tab]) -> None: ...


@dataclass(frozen=True)
class ArchiveSettings:
    keep: timedelta = timedelta(days=7)  # finished rows younger than this stay in the queue
    every: timedelta = timedelta(hours=1)  # an idle worker looks at most this often
    min_rows: int = 100  # an idle worker moves rows only when this many are due (each pass holds claims off)
    settle: float = 90.0  # seconds between the marker and the second read (longer than a claim's read-to-write)
    hold: timedelta = timedelta(minutes=10)  # the marker's time: claims wait at most this long, even if we die


@dataclass(frozen=True)
class ArchiveResult:
    moved: int
    message: str  # Danish, for the log and ``worker.py archive``


@dataclass
class _Scan:
    due: list[Row]
    running: int
    marks: list[ArchiveMark]

    def live(self, now: datetime) -> list[ArchiveMark]:
        return [m for m in self.marks if m.until is not None and m.until > now]


def _scan(rows: Sequence[Row], now: datetime, keep: timedelta) -> _Scan:
    due: list[Row] = []
    running = 0
    marks: list[ArchiveMark] = []
    for r in rows:
        mark = archive_mark(r.number, r.values)
        if mark is not None:
            marks.append(mark)
            continue
        if not any(str(v).strip() for v in r.values.values() if v is not None):
            continue
        try:
            job = Job.from_values(r.number, r.values)
        except BadJobRow:
            running += str(r.values.get("status") or "").strip() == JobStatus.RUNNING.value
            continue
        if job.status is JobStatus.RUNNING:
            running += 1
        elif job.status in _FINISHED and job.finished_at is not None and job.finished_at <= now - keep:
            due.append(r)
    return _Scan(due, running, marks)


class Archiver:
    def __init__(
        self,
        store: ArchiveStore,
        worker_id: str,
        settings: ArchiveSettings = ArchiveSettings(),
        clock: Callable[[], datetime] = lambda: datetime.now().astimezone(),
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._store = store
        self._worker_id = worker_id
        self.settings = settings
        self._clock = clock
        self._sleep = sleep
        self._last = clock()  # the first look comes ``every`` after start: a short run never archives

    def when_idle(self) -> ArchiveResult | None:
        """From the worker's idle branch: a pass at most once per ``every``; None when it was not time."""
        now = self._clock()
        if now - self._last < self.settings.every:
            return None
        self._last = now
        result = self.run()
        log.info("archive: %s", result.message)
        return result

    def run(self, min_rows: int | None = None) -> ArchiveResult:
        """One pass: move the due rows if at least ``min_rows`` (default: the setting) are due and it is safe."""
        s = self.settings
        now = self._clock()
        first = _scan(self._store.read_table(QUEUE, lenient=True), now, s.keep)
        wanted = s.min_rows if min_rows is None else max(1, min_rows)
        if first.running:
            return ArchiveResult(0, f"Intet flyttet: {first.running} job er i gang.")
        if first.live(now):
            return ArchiveResult(0, f"Intet flyttet: {first.live(now)[0].worker} arkiverer allerede.")
        if len(first.due) < wanted and not first.marks:  # a marker left by a pass that died: finish it
            return ArchiveResult(0, f"Intet flyttet: {len(first.due)} færdige job er ældre end {s.keep.days} dage "
                                    f"(der flyttes fra {wanted}).")
        self._store.load_layouts([QUEUE_ARCHIVE])  # the archive tab is there, before any claim is held off
        until = now + s.hold
        marker = {"job_id": ARCHIVE_MARK, "created_at": iso(now), "worker": self._worker_id, "lease_until": iso(until),
                  "message": f"Robotten flytter færdige job til fanen «{QUEUE_ARCHIVE.name}»; nye job startes senest "
                             f"{iso(until)}."}
        mine_rows = self._store.append_rows(QUEUE, [marker])  # cleared by number on stepping back
        deleting = False
        try:
            self._sleep(s.settle)
            now = self._clock()
            scan = _scan(self._store.read_table(QUEUE, lenient=True), now, s.keep)
            mine = [m for m in scan.marks if m.worker == self._worker_id and m.until is not None
                    and iso(m.until) == iso(until)]
            live = scan.live(now)
            mine_rows = [m.row for m in mine]  # where the marker is now (a retried append may have made two)
            why = ""
            if not mine:
                why = "markeringen forsvandt"
            elif scan.running:
                why = f"{scan.running} job blev startet imens"
            elif until - now < timedelta(seconds=s.settle):
                why = "markeringens tid er næsten gået"
            elif live[0].row not in mine_rows:  # two archivers: the first marker in the tab goes on
                why = f"{live[0].worker} arkiverer allerede"
            if why:
                return ArchiveResult(0, f"Intet flyttet: {why}.")
            stale = [m for m in scan.marks if m.until is None or m.until <= now]
            copied = self._copy(scan.due, bool(stale))
            deleting = True
            self._store.delete_rows(QUEUE, [r.number for r in scan.due] + [m.row for m in mine + stale])
            return ArchiveResult(len(scan.due), f"{len(scan.due)} færdige job flyttet til fanen «{QUEUE_ARCHIVE.name}»"
                                                f" ({copied} kopieret nu).")
        finally:
            if mine_rows and not deleting:  # step back: claims go on at once (after a delete: never by number)
                self._store.update_rows(QUEUE, {n: dict.fromkeys(marker, "") for n in mine_rows})

    def _copy(self, due: Sequence[Row], after_a_crash: bool) -> int:
        """Append the due rows to the archive (one request); after a pass that died, only those not there yet."""
        known: set[str] = set()
        if after_a_crash:
            known = {str(r.values.get("job_id") or "").strip() for r in self._store.read_table(QUEUE_ARCHIVE,
                                                                                                lenient=True)}
        rows = [dict(r.values) for r in due if str(r.values.get("job_id") or "").strip() not in known]
        if rows:
            self._store.append_rows(QUEUE_ARCHIVE, rows)
        return len(rows)
