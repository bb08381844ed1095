"""The queue row format, in one place: what ``enqueue``, the emulator's sheet view and Apps Script write.

A row holds the columns of ``sheets_schema.QUEUE`` in order. Timestamps are ISO 8601 UTC text with seconds
("2026-11-23T09:15:00Z"); empty cells are "". The Apps Script side produces the same row (a contract test
with a shared fixture proves it).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

from sheets_schema import QUEUE, JobStatus, JobType


def iso(ts: datetime) -> str:
    return ts.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_iso(text: str) -> datetime | None:
    text = text.strip()
    if not text:
        return None
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)


def new_job_row(
    job_id: str, created_at: datetime, client_sheet: str, job_type: JobType, requested_by: str
) -> list[str | int]:
    values: dict[str, str | int] = {
        "job_id": job_id,
        "created_at": iso(created_at),
        "client_sheet": client_sheet,
        "job_type": job_type.value,
        "requested_by": requested_by,
        "status": JobStatus.WAITING.value,
        "worker": "",
        "lease_until": "",
        "attempt": 0,
        "not_before": "",
        "message": "",
        "finished_at": "",
    }
    return [values[c.key] for c in QUEUE.columns]


def has_waiting_job(rows: Iterable[Sequence[object]], client_sheet: str, job_type: JobType) -> bool:
    """True if a job of this type for this client is still waiting: a second click adds no second row."""
    client_i, type_i, status_i = QUEUE.index("client_sheet"), QUEUE.index("job_type"), QUEUE.index("status")
    for row in rows:
        cells = [str(c) for c in row] + [""] * (len(QUEUE.columns) - len(row))
        if (
            cells[client_i] == client_sheet
            and cells[type_i] == job_type.value
            and cells[status_i] == JobStatus.WAITING.value
        ):
            return True
    return False
