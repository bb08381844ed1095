"""A job as read from one queue row."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, TypeVar

from jobqueue.rows import parse_iso
from sheets_schema import QUEUE, JobStatus, JobType

E = TypeVar("E", bound=StrEnum)
EXAMPLE_TIME = "2026-11-23T09:15:00Z"


class BadJobRow(ValueError):
    """A queue row that cannot be read as a job (someone typed into the queue tab). The message is Danish, names
    each bad cell and says what to write there."""

    def __init__(self, row: int, problems: list[str]) -> None:
        self.row = row
        self.problems = problems
        super().__init__("; ".join(problems))


class _Cells:
    """Reads one queue row's cells, collecting a problem per cell that does not fit instead of stopping."""

    def __init__(self, row: int, values: Mapping[str, Any]) -> None:
        self.row = row
        self.values = values
        self.problems: list[str] = []

    def text(self, key: str) -> str:
        v = self.values.get(key)
        return "" if v is None else str(v).strip()

    def _bad(self, key: str, what: str) -> None:
        column = QUEUE.column(key)
        self.problems.append(f"{QUEUE.name}!{QUEUE.letter(key)}{self.row} ({column.header}): {what}")

    def required(self, key: str, advice: str) -> str:
        if not self.text(key):
            self._bad(key, f"Cellen er tom. {advice}")
        return self.text(key)

    def choice(self, key: str, kind: type[E], noun: str) -> E | None:
        try:
            return kind(self.text(key))
        except ValueError:
            pass
        given = self.text(key)
        same = [m for m in kind if m.value.casefold() == given.casefold()]
        if same:
            advice = f"Skriv «{same[0].value}» præcis sådan (store og små bogstaver tæller)."
        else:
            advice = "Skriv en af: " + ", ".join(f"«{m.value}»" for m in kind) + "."
        self._bad(key, f"«{given}» er ikke en {noun}. {advice}" if given else f"Cellen er tom. {advice}")
        return None

    def whole(self, key: str) -> int:
        v = self.values.get(key)
        if v is None or v == "":
            return 0
        if isinstance(v, int) and not isinstance(v, bool):
            return v
        try:
            return int(self.text(key))
        except ValueError:
            self._bad(key, f"«{self.text(key)}» er ikke et helt tal. Skriv et helt tal, fx 0.")
            return 0

    def time(self, key: str) -> datetime | None:
        try:
            return parse_iso(self.text(key))
        except ValueError:
            self._bad(key, f"«{self.text(key)}» er ikke et tidspunkt. Skriv det som {EXAMPLE_TIME} (UTC), "
                           "eller lad cellen være tom.")
            return None


@dataclass(frozen=True)
class Job:
    id: str
    created_at: datetime | None
    client_sheet: str
    type: JobType
    requested_by: str
    status: JobStatus
    worker: str
    lease_until: datetime | None
    attempt: int
    not_before: datetime | None
    message: str
    finished_at: datetime | None
    row: int  # 1-based sheet row in the queue tab

    @classmethod
    def from_values(cls, row: int, values: Mapping[str, Any]) -> Job:
        """The job in a row; ``BadJobRow`` naming every cell that cannot be read."""
        cells = _Cells(row, values)
        job_id = cells.required("job_id", "Skriv et id, som ingen anden række har, fx «manuel-1».")
        created = cells.time("created_at")
        client_sheet = cells.required("client_sheet", "Skriv id'et på klientens regneark (det står i arkets adresse).")
        job_type = cells.choice("job_type", JobType, "jobtype")
        status = cells.choice("status", JobStatus, "status")
        lease, attempt, nb = cells.time("lease_until"), cells.whole("attempt"), cells.time("not_before")
        fin = cells.time("finished_at")
        if job_type is None or status is None or cells.problems:
            raise BadJobRow(row, cells.problems)
        return cls(
            id=job_id,
            created_at=created,
            client_sheet=client_sheet,
            type=job_type,
            requested_by=cells.text("requested_by"),
            status=status,
            worker=cells.text("worker"),
            lease_until=lease,
            attempt=attempt,
            not_before=nb,
            message=cells.text("message"),
            finished_at=fin,
            row=row,
        )

    def claimable(self, now: datetime) -> bool:
        """Waiting, due for a retry, or running on a worker whose lease ran out (it died)."""
        if self.status is JobStatus.WAITING:
            return True
        if self.status is JobStatus.RETRYING:
            return self.not_before is None or self.not_before <= now
        if self.status is JobStatus.RUNNING:
            return self.lease_until is None or self.lease_until <= now
        return False

    def pending_at(self) -> datetime | None:
        """When this unfinished job next becomes claimable (None if finished)."""
        if self.status is JobStatus.RETRYING:
            return self.not_before
        if self.status is JobStatus.RUNNING:
            return self.lease_until
        if self.status is JobStatus.WAITING:
            return self.created_at
        return None
