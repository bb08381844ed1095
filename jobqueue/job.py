"""A job as read from one queue row."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from jobqueue.rows import parse_iso
from sheets_schema import JobStatus, JobType


class BadJobRow(ValueError):
    """A queue row that cannot be read as a job (someone typed into the queue tab)."""


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
        def text(key: str) -> str:
            v = values.get(key)
            return "" if v is None else str(v).strip()

        try:
            job_type = JobType(text("job_type"))
        except ValueError:
            raise BadJobRow(f"Kø række {row}: ukendt jobtype {text('job_type')!r}") from None
        try:
            status = JobStatus(text("status"))
        except ValueError:
            raise BadJobRow(f"Kø række {row}: ukendt status {text('status')!r}") from None
        try:
            attempt = int(float(text("attempt") or 0))
            created, lease, nb, fin = (parse_iso(text(k)) for k in ("created_at", "lease_until", "not_before",
                                                                    "finished_at"))
        except ValueError as e:
            raise BadJobRow(f"Kø række {row}: {e}") from None
        if not text("job_id") or not text("client_sheet"):
            raise BadJobRow(f"Kø række {row}: Job-id og Klientark skal udfyldes")
        return cls(
            id=text("job_id"),
            created_at=created,
            client_sheet=text("client_sheet"),
            type=job_type,
            requested_by=text("requested_by"),
            status=status,
            worker=text("worker"),
            lease_until=lease,
            attempt=attempt,
            not_before=nb,
            message=text("message"),
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
